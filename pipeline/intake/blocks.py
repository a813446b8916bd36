"""Parsed sheets as tables over shared blocks: a batch of files' rows of one sheet type typed
into one frame (a block), each file's table keeping its span of rows.

Ten thousand small frames cost far more to build, send between processes, cache and concatenate
than two hundred blocks; docs/performance.md says how this was measured.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from itertools import chain

import numpy as np
import pandas as pd
from pandas.arrays import NumpyExtensionArray

from pipeline.core.cells import ROW, col_letter
from schemas.model import Kind, Record, Sheet


class Block:
    """One typed frame of a sheet type's rows for a batch of files, and its column arrays, each
    taken out once while the block lives: a frame's getitem costs some 30 µs, and each feedback
    workbook asks its blocks for about fifty columns. A block never changes after ``stack``."""

    __slots__ = ("frame", "_arrays")

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        self._arrays: Record = {}

    def __len__(self) -> int:
        return len(self.frame)

    def array(self, column: str):
        """``frame[column].array``, taken once."""
        found = self._arrays.get(column)
        if found is None:
            found = self._arrays[column] = self.frame[column].array
        return found

    def __getstate__(self) -> pd.DataFrame:
        return self.frame  # the arrays are views: rebuilt on demand, never pickled

    def __setstate__(self, frame: pd.DataFrame) -> None:
        self.frame, self._arrays = frame, {}


@dataclass
class Table:
    """A parsed sheet: typed values plus where each value came from.

    A worker parses a file into ``parsed``, one list of values per column (and ``ROW``);
    ``stack`` then types the columns of a whole batch of files at once into one block per sheet
    type (``data``), each table keeping its ``span`` of rows. Ten thousand small frames cost far
    more to build, send between processes, cache and concatenate than two hundred blocks."""

    model: type[Sheet]
    sheet: str
    parsed: dict[str, list[object]] | None = None  # column -> values; a column not found is absent
    columns: dict[str, int] = field(default_factory=dict)
    form_cells: dict[str, str] = field(default_factory=dict)
    data: Block | None = None
    span: tuple[int, int] | None = None

    @functools.cached_property
    def frame(self) -> pd.DataFrame:
        """The table's records as a typed frame, indexed from 0."""
        if self.data is None:
            self.data, self.parsed = Block(typed_block(self.model, [self.parsed or {ROW: []}])), None
        if self.span is None:
            return self.data.frame
        start, stop = self.span
        return self.data.frame.iloc[start:stop].reset_index(drop=True)

    @property
    def n_rows(self) -> int:
        if self.parsed is not None:
            return len(self.parsed[ROW])
        return len(self.frame) if self.span is None else self.span[1] - self.span[0]

    def first(self) -> Record:
        """The first record (a form sheet's only one)."""
        if self.parsed is not None:
            return {name: values[0] for name, values in self.parsed.items()} if self.n_rows else {}
        if not self.n_rows:
            return {}
        assert self.data is not None
        return self.data.frame.iloc[self.span[0] if self.span else 0].to_dict()  # not the slice: 8x faster

    def values(self, column: str) -> list[object]:
        """One column of the table's rows as Python values, None for a blank: sliced from the
        block, not from a frame of the table's own."""
        block, start, stop = self.piece()
        array = block.array(column)
        if isinstance(array.dtype, pd.StringDtype) and array.dtype.storage == "pyarrow":
            # straight from Arrow: pandas' to_numpy costs ~100 µs for a few hundred strings, this ~10
            return array.__arrow_array__().slice(start, stop - start).to_pylist()
        return array[start:stop].to_numpy(dtype=object, na_value=None).tolist()

    def piece(self) -> tuple[Block, int, int]:
        """(block, start, stop) of the table's rows."""
        if self.span is None:
            n = len(self.frame)  # types ``parsed`` into ``data`` when not done yet
            assert self.data is not None
            return self.data, 0, n
        assert self.data is not None  # a span is only ever set with its block
        return self.data, *self.span

    def __getstate__(self) -> dict:
        state = dict(self.__dict__)
        state.pop("frame", None)  # the cached slice: rebuilt on demand, never pickled twice
        return state

    def cell(self, column: str, row: int) -> str:
        """The A1 address of ``column`` in the record whose Excel row is ``row``."""
        if self.model.layout == "form":
            return self.form_cells.get(column, "")
        if column in self.columns:
            return f"{col_letter(self.columns[column])}{row}"
        return f"{row}" if row else ""


def stack(tables: list[Table]) -> None:
    """Type the values of ``tables`` into one block per sheet type, each table keeping its span."""
    by_model: dict[type[Sheet], list[Table]] = {}
    for table in tables:
        if table.parsed is not None:
            by_model.setdefault(table.model, []).append(table)
    for model, group in by_model.items():
        block = Block(typed_block(model, [t.parsed for t in group if t.parsed is not None]))
        keep = model.layout == "form"  # its one record: cheaper kept than read back from the block
        start = 0
        for table in group:
            stop = start + table.n_rows
            table.data, table.span = block, (start, stop)
            table.parsed = table.parsed if keep else None
            table.__dict__.pop("frame", None)
            start = stop


def stacked(tables: list[Table]) -> pd.DataFrame:
    """The rows of ``tables`` in order, taken block by block: neighbouring spans of one block
    are one slice, and each block's columns are taken out once.

    Stacked column by column: pd.concat checks every block of every frame, which costs seconds
    for ten thousand small frames; numpy and the masked arrays' own concatenation do not."""
    pieces: list[list] = []
    for table in tables:
        block, start, stop = table.piece()
        if pieces and pieces[-1][0] is block and pieces[-1][2] == start:
            pieces[-1][2] = stop
        else:
            pieces.append([block, start, stop])
    columns = pieces[0][0].frame.columns
    out = {}
    for col in columns:
        arrays = [block.array(col)[start:stop] for block, start, stop in pieces]
        kind = type(arrays[0])
        if kind is not NumpyExtensionArray and all(type(a) is kind for a in arrays):
            out[col] = kind._concat_same_type(arrays)  # noqa: SLF001 - pandas ExtensionArray API, no copy per piece
        else:
            out[col] = np.concatenate([np.asarray(a, dtype=object) for a in arrays])
    return pd.DataFrame(out)


_DTYPES = {Kind.INT: "Int64", Kind.DECIMAL: "Float64", Kind.MONEY: "Float64", Kind.PERCENT: "Float64"}


def typed_frame(model: type[Sheet], records: list[Record]) -> pd.DataFrame:
    """Records -> a frame with every model column, in model order, with its pandas dtype."""
    names = [ROW, *(col.name for col in model.columns)]
    return typed_block(model, [{name: [r.get(name) for r in records] for name in names}])


def typed_block(model: type[Sheet], parts: list[dict[str, list[object]]]) -> pd.DataFrame:
    """Tables' columns of values, one table after another -> a frame like ``typed_frame``'s. A
    column a table does not have is blank in its rows."""
    sizes = [len(part[ROW]) for part in parts]

    def joined(name: str) -> list[object]:
        if len(parts) == 1 and name in parts[0]:
            return parts[0][name]
        return list(chain.from_iterable(part.get(name) or [None] * n for part, n in zip(parts, sizes, strict=True)))

    data: Record = {ROW: pd.array(joined(ROW), dtype="Int64")}
    for col in model.columns:
        data[col.name] = pd.array(joined(col.name), dtype=_DTYPES.get(col.kind, object))
    return pd.DataFrame(data)
