"""Raw cells -> typed values, with a cell-level finding wherever a value cannot be read.

Parsing decides only what type a cell holds. Whether a value is allowed (range, list, length,
uniqueness) is the schema's job in validate.py.

Normalisations (documented in the README): NFKC folds full-width digits, letters and
punctuation to half width; ASCII digits only (Arabic-Indic digits are not numbers here);
"1,234.5" thousands separators; trailing units 人次/人/次/节/课时/场/个/名; money "5万" and
"1.2万元" mean 50,000 and 12,000 yuan; "95%" in a rate means 95; dates as real dates, Excel
serials, "2010年5月13日", "2010.5.13", "2010/5/13", "2010-05-13", "20100513", and "5月13日" with
the year taken from the reporting period. "03/04/2012" is ambiguous and refused.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
import unicodedata
import weakref
from dataclasses import dataclass, field
from itertools import chain

import numpy as np
import pandas as pd
from pandas.arrays import NumpyExtensionArray

from pipeline.core.cells import cell_ref, col_letter
from pipeline.core.issues import Issue, make
from pipeline.intake.read import RawSheet, RawWorkbook
from schemas.choices import SYNONYMS, Choices
from schemas.model import Column, Kind, Sheet

HEADER_SEARCH_ROWS = 30
_UNSEEN = object()
ROW = "_row"  # Excel row number (1-based) kept beside every parsed record

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = re.compile(r"\s+")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)", re.ASCII)
_THOUSANDS = re.compile(r"[+-]?[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?", re.ASCII)
_UNIT = re.compile(r"(人次|人|次|节|课时|场次|场|个|名|所|分)$")
_YMD = re.compile(r"([0-9]{4})\s*[年\-/.]\s*([0-9]{1,2})\s*[月\-/.]\s*([0-9]{1,2})\s*日?", re.ASCII)
_YMD_COMPACT = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})", re.ASCII)
_MD = re.compile(r"([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*日?", re.ASCII)
_EXCEL_EPOCH = dt.date(1899, 12, 30)
EARLIEST = dt.date(1990, 1, 1)
LATEST = dt.date(2100, 12, 31)


class CellError(ValueError):
    """A cell that cannot be read as its column's type; ``code`` is a finding code."""

    def __init__(self, code: str, **facts: object) -> None:
        super().__init__(code)
        self.code = code
        self.facts = facts


def is_blank(value: object) -> bool:
    if value is None or value == "":  # what calamine gives for an empty cell: decide without work
        return True
    if not isinstance(value, str):
        return False
    if not value[0].isspace() and ord(value[0]) not in _INVISIBLE:  # it survives clean_text
        return False
    return clean_text(value) == ""


def clean_text(value: object) -> str:
    """Text as a user meant it: integral floats without '.0', invisibles removed, trimmed."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).translate(_INVISIBLE).replace("\u00a0", " ").strip()


@functools.lru_cache(maxsize=1 << 16, typed=True)
def fold(value: object) -> str:
    """A loose comparison key: NFKC, no white space, lower case."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", clean_text(value))).lower()


@functools.lru_cache(maxsize=1 << 14, typed=True)
def normalise_label(value: object) -> str:
    """A header label's comparison key: ignores '*', '（必填）' and white space."""
    key = fold(value)
    for suffix in ("(必填)", "(required)", "*"):
        key = key.removesuffix(suffix)
    return key.lstrip("*")


@functools.cache
def label_keys(model: type[Sheet]) -> dict[str, Column]:
    """Every label of the model's columns by its comparison key, once a model (three places
    built the same mapping per sheet)."""
    return {normalise_label(label): col for col in model.columns for label in col.labels()}


def parse_number(value: object, kind: Kind) -> float:
    """A number from a numeric cell or from text typed the ways schools type numbers."""
    if isinstance(value, bool):
        raise CellError("not-a-number")
    if isinstance(value, (int, float)):
        return float(value)
    text = _SPACES.sub("", unicodedata.normalize("NFKC", clean_text(value)))
    factor = 1.0
    if kind is Kind.MONEY:
        for suffix, mult in (("万元", 10000.0), ("万", 10000.0), ("元", 1.0)):
            if text.endswith(suffix):
                text, factor = text.removesuffix(suffix), mult
                break
    elif kind is Kind.PERCENT:
        text = text.removesuffix("%")
    else:
        text = _UNIT.sub("", text)
    if _THOUSANDS.fullmatch(text):
        text = text.replace(",", "")
    if not _NUMBER.fullmatch(text):
        raise CellError("not-a-number")
    return round(float(text) * factor, 6)


def parse_int(value: object, kind: Kind = Kind.INT) -> int:
    number = parse_number(value, kind)
    if not number.is_integer():
        raise CellError("not-an-integer")
    return int(number)


def parse_date(value: object, period: tuple[dt.date, dt.date] | None = None) -> dt.date:
    """A date from a date cell, an Excel serial, or text in the forms the module doc lists."""
    if isinstance(value, dt.datetime):
        result = value.date()
    elif isinstance(value, dt.date):
        result = value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        if not 1 <= value < 2958466:
            raise CellError("not-a-date")
        result = _EXCEL_EPOCH + dt.timedelta(days=int(value))
    else:
        result = _parse_date_text(unicodedata.normalize("NFKC", clean_text(value)), period)
    if not EARLIEST <= result <= LATEST:
        raise CellError("not-a-date")
    return result


def _parse_date_text(text: str, period: tuple[dt.date, dt.date] | None) -> dt.date:
    try:
        if m := _YMD.fullmatch(text) or _YMD_COMPACT.fullmatch(text):
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        if (m := _MD.fullmatch(text)) and period:
            return _date_in_period(int(m[1]), int(m[2]), period)
    except ValueError:
        pass
    raise CellError("not-a-date")


def _date_in_period(month: int, day: int, period: tuple[dt.date, dt.date]) -> dt.date:
    """Month and day without a year: the year that puts the date inside the period."""
    start, end = period
    for year in range(start.year, end.year + 1):
        candidate = dt.date(year, month, day)
        if start <= candidate <= end:
            return candidate
    return dt.date(start.year, month, day)


@dataclass(frozen=True)
class Context:
    """What parsing one workbook needs to know beyond the cells."""

    file: str
    choices: Choices = field(default_factory=Choices.defaults)
    period: tuple[dt.date, dt.date] | None = None
    partners: dict[str, str] | None = None  # folded code, name or alias -> partner school code
    partner_names: tuple[str, ...] = ()

    def allowed(self, column: Column) -> tuple[str, ...]:
        """The values a choice column accepts."""
        if column.fixed:
            return column.fixed
        if column.choices and column.choices in self.choices.lists:
            return self.choices.values(column.choices)
        return ()


def parse_choice(value: object, allowed: tuple[str, ...]) -> str:
    """The canonical spelling of a choice (width, spaces, case and synonyms ignored).

    A value that matches nothing is returned as typed, for the schema to report.
    """
    key = fold(value)
    for option in allowed:
        if fold(option) == key:
            return option
    synonym = SYNONYMS.get(key)
    if synonym in allowed:
        return synonym
    return clean_text(value)


def parse_value(value: object, column: Column, ctx: Context) -> object:
    """One cell's typed value (None for blank); raises CellError when it cannot be read."""
    if is_blank(value):
        return None
    kind = column.kind
    if kind in (Kind.INT,):
        return parse_int(value)
    if kind in (Kind.DECIMAL, Kind.MONEY, Kind.PERCENT):
        return parse_number(value, kind)
    if kind is Kind.DATE:
        return parse_date(value, ctx.period)
    if kind is Kind.CODE:
        return _SPACES.sub("", unicodedata.normalize("NFKC", clean_text(value)))
    if kind is Kind.CHOICE and column.choices == "partner" and ctx.partners is not None:
        code = ctx.partners.get(fold(value))
        if code is None:
            raise CellError("unknown-partner", expected="、".join(ctx.partner_names) or "-")
        return code
    if kind is Kind.CHOICE:
        return parse_choice(value, ctx.allowed(column))
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return clean_text(value)


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
    data: pd.DataFrame | None = None
    span: tuple[int, int] | None = None

    @functools.cached_property
    def frame(self) -> pd.DataFrame:
        """The table's records as a typed frame, indexed from 0."""
        if self.data is None:
            self.data, self.parsed = typed_block(self.model, [self.parsed or {ROW: []}]), None
        if self.span is None:
            return self.data
        start, stop = self.span
        return self.data.iloc[start:stop].reset_index(drop=True)

    @property
    def n_rows(self) -> int:
        if self.parsed is not None:
            return len(self.parsed[ROW])
        return len(self.frame) if self.span is None else self.span[1] - self.span[0]

    def first(self) -> dict[str, object]:
        """The first record (a form sheet's only one)."""
        if self.parsed is not None:
            return {name: values[0] for name, values in self.parsed.items()} if self.n_rows else {}
        if not self.n_rows:
            return {}
        return self.data.iloc[self.span[0] if self.span else 0].to_dict()  # not the slice: 8x faster

    def values(self, column: str) -> list[object]:
        """One column of the table's rows as Python values, None for a blank: sliced from the
        block, not from a frame of the table's own."""
        data, start, stop = self.piece()
        array = _column_array(data, column)
        if isinstance(array.dtype, pd.StringDtype) and array.dtype.storage == "pyarrow":
            # straight from Arrow: pandas' to_numpy costs ~100 µs for a few hundred strings, this ~10
            return array.__arrow_array__().slice(start, stop - start).to_pylist()
        return array[start:stop].to_numpy(dtype=object, na_value=None).tolist()

    def piece(self) -> tuple[pd.DataFrame, int, int]:
        """(frame, start, stop) of the rows in ``data``."""
        if self.span is None:
            return self.frame, 0, len(self.frame)
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


_ARRAYS: dict[int, dict[str, object]] = {}  # id(block) -> its column arrays taken so far


def _column_array(data: pd.DataFrame, column: str) -> object:
    """``data[column].array``, taken once per block while the block lives: a frame's getitem
    costs some 30 µs, and each feedback workbook asks its blocks for about fifty columns.
    Blocks are never changed after ``stack`` makes them."""
    arrays = _ARRAYS.get(id(data))
    if arrays is None:
        arrays = _ARRAYS[id(data)] = {}
        weakref.finalize(data, _ARRAYS.pop, id(data), None)
    if column not in arrays:
        arrays[column] = data[column].array
    return arrays[column]


def stack(tables: list[Table]) -> None:
    """Type the values of ``tables`` into one block per sheet type, each table keeping its span."""
    by_model: dict[type[Sheet], list[Table]] = {}
    for table in tables:
        if table.parsed is not None:
            by_model.setdefault(table.model, []).append(table)
    for model, group in by_model.items():
        block = typed_block(model, [t.parsed for t in group])
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
        data, start, stop = table.piece()
        if pieces and pieces[-1][0] is data and pieces[-1][2] == start:
            pieces[-1][2] = stop
        else:
            pieces.append([data, start, stop])
    blocks = {id(data): data for data, _, _ in pieces}
    columns = pieces[0][0].columns
    out = {}
    for col in columns:
        whole = {key: _column_array(data, col) for key, data in blocks.items()}
        arrays = [whole[id(data)][start:stop] for data, start, stop in pieces]
        kind = type(arrays[0])
        if kind is not NumpyExtensionArray and all(type(a) is kind for a in arrays):
            out[col] = kind._concat_same_type(arrays)  # noqa: SLF001 - pandas ExtensionArray API, no copy per piece
        else:
            out[col] = np.concatenate([np.asarray(a, dtype=object) for a in arrays])
    return pd.DataFrame(out)


def find_sheet(book: RawWorkbook, model: type[Sheet], file: str) -> tuple[RawSheet | None, list[Issue]]:
    """The sheet for ``model`` by its zh or en name (white space and width ignored)."""
    wanted = {fold(n) for n in model.names()}
    for name, sheet in book.sheets.items():
        if fold(name) in wanted:
            issues = [make("hidden-sheet", file=file, sheet=name, expected=name)] if sheet.hidden else []
            return sheet, issues
    found = "、".join(n for n in book.sheet_names if not n.startswith("_")) or "-"
    return None, [make("missing-sheet", file=file, sheet=model.zh, expected=model.zh, found=found)]


def _header_row(sheet: RawSheet, model: type[Sheet]) -> tuple[int | None, int]:
    """The row (0-based) with the most cells matching the model's labels, and that count."""
    keys = label_keys(model)
    best, best_hits = None, 0
    for r, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        hits = sum(1 for v in row if not is_blank(v) and normalise_label(v) in keys)
        if hits > best_hits:
            best, best_hits = r, hits
            if hits >= len(model.columns):  # every column found: no later row can do better
                break
    return best, best_hits


def locate_header(sheet: RawSheet, model: type[Sheet], file: str) -> tuple[int | None, dict[str, int], list[Issue]]:
    """Find the header row by its labels and map each model column to its sheet column."""
    required = [c for c in model.columns if c.required]
    row, hits = _header_row(sheet, model)
    if row is None or hits < max(1, min(2, len(required))):
        expected = "、".join(c.zh for c in model.columns[:6])
        return None, {}, [make("header-not-found", file=file, sheet=sheet.name, cell="A1",
                               rows=HEADER_SEARCH_ROWS, expected=expected)]
    by_key = label_keys(model)
    mapping: dict[str, int] = {}
    seen: dict[str, list[str]] = {}
    issues: list[Issue] = []
    unmatched: list[tuple[int, str]] = []
    for c, value in enumerate(sheet.rows[row]):
        if is_blank(value):
            continue
        col = by_key.get(normalise_label(value))
        if col is None:
            unmatched.append((c, clean_text(value)))
            issues.append(make("extra-column", file=file, sheet=sheet.name, cell=cell_ref(row, c),
                               value=clean_text(value)))
            continue
        seen.setdefault(col.name, []).append(cell_ref(row, c))
        mapping.setdefault(col.name, c)
    for name, cells in seen.items():
        if len(cells) > 1:
            issues.append(make("duplicate-column", file=file, sheet=sheet.name, cell=cells[1],
                               column=model.column(name).zh, expected=model.column(name).zh,
                               cells="、".join(cells)))
    for col in required:
        if col.name not in mapping:
            issues.append(_missing_column(sheet.name, file, row, col, unmatched))
    return row, mapping, issues


def _missing_column(sheet: str, file: str, row: int, col: Column, unmatched: list[tuple[int, str]]) -> Issue:
    labels = [label for _, label in unmatched]
    close = difflib.get_close_matches(col.zh, labels, n=1, cutoff=0.3)
    nearest, cell = "-", cell_ref(row, 0)
    if close:
        c = next(c for c, label in unmatched if label == close[0])
        cell = cell_ref(row, c)
        nearest = f"{cell} {close[0]}"
    return make("missing-column", file=file, sheet=sheet, cell=cell, column=col.zh,
                expected=col.zh, nearest=nearest)


_NUMBER_TYPES = frozenset((int, float, bool))


def parse_table(sheet: RawSheet, model: type[Sheet], ctx: Context) -> tuple[Table | None, list[Issue]]:
    """Typed values of a table sheet; blank rows are skipped, unreadable cells become findings.

    Column by column: a column's distinct values are parsed once each (values repeat down a
    column), and blank rows are found from those, so the Python work per cell is a lookup."""
    header, mapping, issues = locate_header(sheet, model, ctx.file)
    if header is None or any(i.code in ("missing-column", "duplicate-column") for i in issues):
        return None, issues
    body = sheet.rows[header + 1:]
    cols = [(name, c, model.column(name)) for name, c in mapping.items()]
    if body and min(map(len, body)) > max(c for _, c, _ in cols):
        grid = list(zip(*body, strict=False))  # calamine's rows are one width: transposed in C
        raws = [grid[c] for _, c, _ in cols]
    else:
        raws = [[row[c] if c < len(row) else "" for row in body] for _, c, _ in cols]
    # A column's distinct values are keys: with their type where numbers of two types meet (1, 1.0
    # and True are equal), else as they are (most columns: no tuple a cell).
    tupled = [len(_NUMBER_TYPES.intersection(map(type, raw))) > 1 for raw in raws]
    keys = [list(zip(map(type, raw), raw, strict=True)) if tup else raw for raw, tup in zip(raws, tupled, strict=True)]
    filled = [{key: not is_blank(key[1] if tup else key) for key in dict.fromkeys(column)}
              for column, tup in zip(keys, tupled, strict=True)]
    flags = [list(map(f.__getitem__, k)) for f, k in zip(filled, keys, strict=True)]  # per column: filled in?
    kept = [i for i, row in enumerate(zip(*flags, strict=True)) if any(row)]
    first = header + 1  # 0-based sheet row of body[0]
    found: list[tuple[int, int, Issue]] = [
        (i, -1, make("hidden-row", file=ctx.file, sheet=sheet.name, cell=cell_ref(first + i, 0), value=first + i + 1))
        for i in kept if first + i in sheet.hidden_rows]
    parsed: dict[str, list[object]] = {ROW: [first + i + 1 for i in kept]}
    for j, ((name, c, column), column_keys, tup) in enumerate(zip(cols, keys, tupled, strict=True)):
        if len(kept) < len(column_keys):
            column_keys = list(map(column_keys.__getitem__, kept))
        memo: dict[object, object] = {}
        failed = set()
        for key in dict.fromkeys(column_keys):
            try:
                memo[key] = parse_value(key[1] if tup else key, column, ctx)
            except CellError:  # reported below at every cell that holds it
                failed.add(key)
        values = list(map(memo.get, column_keys))
        redo = {n for n, i in enumerate(kept) if (first + i, c) in sheet.bad_cells} if sheet.bad_cells else set()
        if column.kind is Kind.PERCENT and sheet.percent_cells:
            redo.update(n for n, i in enumerate(kept) if (first + i, c) in sheet.percent_cells)
        if failed:
            redo.update(n for n, key in enumerate(column_keys) if key in failed)
        for n in sorted(redo):
            own: list[Issue] = []
            values[n] = _read_cell(sheet, first + kept[n], c, column_keys[n][1] if tup else column_keys[n], column,
                                   ctx, own)
            found.extend((kept[n], j, issue) for issue in own)
        parsed[name] = values
    found.sort(key=lambda f: (f[0], f[1]))
    issues.extend(issue for _, _, issue in found)
    return Table(model, sheet.name, parsed, mapping), issues


def _read_cell(sheet: RawSheet, r: int, c: int, raw: object, column: Column, ctx: Context,
               issues: list[Issue]) -> object:
    """One cell's typed value, or None with a finding at its address."""
    bad = sheet.bad_cells.get((r, c)) if sheet.bad_cells else None
    if bad:
        issues.append(make(bad, file=ctx.file, sheet=sheet.name, cell=cell_ref(r, c), column=column.zh))
        return None
    if column.kind is Kind.PERCENT and type(raw) in (int, float) and (r, c) in sheet.percent_cells:
        raw = round(raw * 100, 6)  # 95% typed into the cell: 0.95 stored, 95 meant (rates are 0-100)
    try:
        return parse_value(raw, column, ctx)
    except CellError as err:
        issues.append(make(err.code, value=clean_text(raw), file=ctx.file, sheet=sheet.name, cell=cell_ref(r, c),
                           column=column.zh, **err.facts))
        return None


def parse_form(sheet: RawSheet, model: type[Sheet], ctx: Context) -> tuple[Table, list[Issue]]:
    """A label/value sheet: each label's value is the first cell to its right."""
    keys = label_keys(model)
    record: dict[str, object] = {ROW: 0}
    cells: dict[str, str] = {}
    issues: list[Issue] = []
    for r, row in enumerate(sheet.rows):
        for c, value in enumerate(row):
            col = keys.get(normalise_label(value)) if not is_blank(value) else None
            if col is None or col.name in cells:
                continue
            raw = row[c + 1] if c + 1 < len(row) else ""
            cells[col.name] = cell_ref(r, c + 1)
            record[col.name] = _read_cell(sheet, r, c + 1, raw, col, ctx, issues)
            break
    for col in model.columns:
        if col.name not in cells and col.required:
            issues.append(make("missing-label", file=ctx.file, sheet=sheet.name, cell="A1",
                               column=col.zh, expected=col.zh))
    return Table(model, sheet.name, {name: [value] for name, value in record.items()}, form_cells=cells), issues


_DTYPES = {Kind.INT: "Int64", Kind.DECIMAL: "Float64", Kind.MONEY: "Float64", Kind.PERCENT: "Float64"}


def typed_frame(model: type[Sheet], records: list[dict[str, object]]) -> pd.DataFrame:
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

    data: dict[str, object] = {ROW: pd.array(joined(ROW), dtype="Int64")}
    for col in model.columns:
        data[col.name] = pd.array(joined(col.name), dtype=_DTYPES.get(col.kind, object))
    return pd.DataFrame(data)
