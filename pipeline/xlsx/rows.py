"""Whole blocks of rows rendered straight to sheet XML, for xlsxwriter worksheets.

xlsxwriter spends about 13 µs of Python on every cell (a write call, a cell record, and then the
XML writer at close); a run writes millions of cells. ``RowsSheet.write_rows`` renders a block of
rows to the XML xlsxwriter itself writes (text in its shared-string table) at about 1 µs a cell,
and holds it in memory up to a few MiB a sheet, then in a temporary file, so a million rows cost
little memory. Every other part of the sheet (header cells, comments, tables, validations) stays
with xlsxwriter.

Two more of xlsxwriter's per-workbook costs are cut here: a plain table is registered by its
range instead of cell by cell (``add_table``), and a data validation's XML is rendered once a
process and reused with its cells (``_write_data_validation``).

It relies on private parts of xlsxwriter, pinned in pyproject.toml and covered by
tests/test_sheetxml.py against xlsxwriter's own writer: ``Worksheet._write_rows`` (replaced to
interleave blocks with xlsxwriter's rows), ``_prepare_formula`` (replaced by a shortcut),
``_write_data_validation``, ``validations`` (``data_validation``'s converted options), the
``tables`` records (``range``, ``a_range``, ``autofilter``), ``merged_cells``,
``_check_dimensions``, ``ignore_write_string``, ``str_table``, ``Format._get_xf_index`` and the
sheet's XML handle ``fh``.
"""

from __future__ import annotations

import io
import tempfile
import weakref
from collections.abc import Iterable, Sequence

from xlsxwriter.exceptions import OverlappingRange
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_cell_to_rowcol, xl_col_to_name, xl_range
from xlsxwriter.worksheet import Worksheet

from pipeline.xlsx.cellxml import WriteRejected, blank_parts, row_cells

_SPOOL_CHARS = 8 << 20  # a sheet's rows stay in memory up to this size, then go to a temporary file
_CHUNK_ROWS = 2000
_VALIDATIONS: dict[str, tuple[str, str]] = {}  # a validation's options -> its XML before and after sqref


_CONVERTED: dict[str, dict] = {}  # ValidationOptions.key -> xlsxwriter's conversion of the options


def _validation_key(options: dict) -> str:
    """A validation's options but its cells, as text."""
    return repr(sorted(((k, v) for k, v in options.items() if k not in ("cells", "_xml_key")), key=lambda kv: kv[0]))


class _Styles:
    """The style attribute of each format, and of each list of formats, of one ``write_rows`` call.
    Rows mostly share one list of formats: a list is known by its identity, which is safe only
    because the caller holds every list for the whole call (this memo lives no longer)."""

    def __init__(self) -> None:
        self._one: dict[Format | None, str] = {}
        self._lists: dict[int, list[str]] = {}

    def style(self, fmt: Format | None) -> str:
        if fmt not in self._one:
            xf = fmt._get_xf_index() if fmt is not None else 0
            self._one[fmt] = f' s="{xf}"' if xf else ""
        return self._one[fmt]

    def row(self, formats: Sequence[Format | None]) -> list[str]:
        key = id(formats)
        if key not in self._lists:
            self._lists[key] = [self.style(f) for f in formats]
        return self._lists[key]


class RowsSheet(Worksheet):
    """A worksheet that also takes blocks of rows, each row's cells with one format per column.

    Blocks go in top to bottom and must not share a row with anything written through
    xlsxwriter (cells or ``set_row``); heights for rows in a block are passed with the block.
    """

    def __init__(self) -> None:
        super().__init__()
        self._blocks: list[tuple[int, int, int]] = []  # (first row, last row, characters)
        self._held: list[str] = []  # rendered rows, until they pass _SPOOL_CHARS ...
        self._held_chars = 0
        self._spool = None  # ... then in a temporary file, closed with the sheet
        self._letters: list[str] = []

    def _keep(self, xml: str) -> int:
        if self._spool is not None:
            return self._spool.write(xml)
        self._held.append(xml)
        self._held_chars += len(xml)
        if self._held_chars > _SPOOL_CHARS:
            self._spool = tempfile.TemporaryFile("w+", encoding="utf-8", newline="")  # noqa: SIM115 (closed by the sheet)
            weakref.finalize(self, self._spool.close)
            self._spool.write("".join(self._held))
            self._held = []
        return len(xml)

    def write_rows(
        self,
        first_row: int,
        rows: Iterable[Sequence[object]],
        formats: Sequence[Sequence[Format | None]] | Sequence[Format | None],
        heights: dict[int, float] | None = None,
        per_row: bool = False,
    ) -> int:
        """Write ``rows`` from ``first_row`` down, from column A. ``formats`` holds one format per
        column, or with ``per_row`` one such list per row. ``heights`` maps a 0-based row to its
        height. Returns the number of rows written."""
        if self._blocks and first_row <= self._blocks[-1][1]:
            raise ValueError(f"rows from {first_row + 1} overlap or precede a block already written")
        heights = heights or {}
        styles = _Styles()
        row_styles = styles.row
        shared = None if per_row else row_styles(formats)

        def dates() -> str:  # asked for only by a date without a format: no unused style otherwise
            return styles.style(self.default_date_format)

        shared_string = self.str_table._get_shared_string_index
        written = chars = width = 0
        chunk: list[str] = []
        blanks: dict[tuple[int, int], list[str]] = {}  # (id of a row's styles, width) -> empty row
        for r, values in enumerate(rows, start=first_row):
            cols = shared if shared is not None else row_styles(formats[r - first_row])
            if len(values) > len(self._letters):
                self._letters = [xl_col_to_name(c) for c in range(len(values))]
            number = str(r + 1)
            letters = self._letters
            if values.count(None) == len(values):  # the spare rows after the data
                key = (id(cols), len(values))
                if key not in blanks:
                    blanks[key] = blank_parts(letters, cols, len(values))
                cells = number.join(blanks[key])
            else:
                cells = row_cells(values, letters, cols, number, dates, shared_string)
            height = self._height(heights[r]) if r in heights else ""
            chunk.append(f'<row r="{number}"{height}>{cells}</row>' if cells or height else "")
            width = max(width, len(values))
            written += 1
            if len(chunk) >= _CHUNK_ROWS:
                chars += self._keep("".join(chunk))
                chunk = []
        chars += self._keep("".join(chunk))
        if written:
            last_row = first_row + written - 1
            if self._check_dimensions(first_row, 0) or self._check_dimensions(last_row, max(width - 1, 0)):
                raise WriteRejected(f"rows {first_row + 1}–{last_row + 1} fall outside the worksheet")
            self._blocks.append((first_row, last_row, chars))
        return written

    def link_cell(self, row: int, col: int, url: str, string: str) -> None:
        """A hyperlink on a cell that a block writes, with its text and format."""
        self.ignore_write_string = True  # xlsxwriter's switch: register the link, write no cell
        try:
            if self.write_url(row, col, url, string=string):
                raise WriteRejected(f"link {url!r} at row {row + 1}: Excel's limit on links exceeded")
        finally:
            self.ignore_write_string = False

    def add_table(
        self, first_row: int, first_col: int, last_row: int, last_col: int, options: dict | None = None
    ) -> int:
        """xlsxwriter marks every cell of a table's range, one by one, to refuse overlaps (about
        0.5 ms for a sheet of a few hundred rows; thousands of feedback sheets are written). A
        plain table (header row, no data, formulas or totals: every table here) is registered
        over its header and first row and then given its whole range; overlaps between tables
        are checked by range. Anything else goes to xlsxwriter as it is."""
        options = options or {}
        plain = (
            options.get("header_row", True)
            and not options.get("data")
            and not options.get("total_row")
            and not any(
                "formula" in c or "total_function" in c or "total_string" in c for c in options.get("columns", [])
            )
        )
        if (
            not plain
            or self.merged_cells
            or first_row >= last_row - 1
            or first_col > last_col
            or self._check_dimensions(last_row, last_col, True, True)
        ):
            return super().add_table(first_row, first_col, last_row, last_col, options)
        whole = xl_range(first_row, first_col, last_row, last_col)
        if other := self._table_over(first_row, first_col, last_row, last_col):
            raise OverlappingRange(f"Table range '{whole}' overlaps previous table range '{other}'.")
        result = super().add_table(first_row, first_col, first_row + 1, last_col, options)
        if not result:
            table = self.tables[-1]
            table["range"] = table["a_range"] = whole
            if "autofilter" in table:
                table["autofilter"] = whole
        return result

    def merge_range(self, first_row: int, first_col: int, last_row: int, last_col: int, *args, **kwargs) -> int:
        """A merge may not overlap a table, whose cells ``add_table`` no longer marks one by one."""
        if other := self._table_over(first_row, first_col, last_row, last_col):
            raise OverlappingRange(f"Merge range overlaps previous table range '{other}'.")
        return super().merge_range(first_row, first_col, last_row, last_col, *args, **kwargs)

    def _table_over(self, first_row: int, first_col: int, last_row: int, last_col: int) -> str | None:
        """The range of a table already on the sheet that the given cells overlap, if any."""
        for table in self.tables:
            (top, left), (bottom, right) = (xl_cell_to_rowcol(ref) for ref in table["range"].split(":"))
            if first_row <= bottom and top <= last_row and first_col <= right and left <= last_col:
                return table["range"]
        return None

    def data_validation(
        self, first_row: int, first_col: int, last_row: int, last_col: int, options: dict | None = None
    ) -> int:
        """xlsxwriter checks and converts a validation's options on every call (a feedback
        workbook makes 45); options given again with the same key, as
        ``book.data_validation`` gives them (with a ``key`` naming what they were made from), are
        converted once a process. Options without a key go to xlsxwriter every time."""
        key = getattr(options, "key", None)
        if (
            not all(isinstance(n, int) for n in (first_row, first_col, last_row, last_col))
            or not options
            or "other_cells" in options
            or key is None
        ):
            return super().data_validation(first_row, first_col, last_row, last_col, options)
        cached = _CONVERTED.get(key)
        if cached is None:
            result = super().data_validation(first_row, first_col, last_row, last_col, options)
            if not result:
                if len(_CONVERTED) > 4096:
                    _CONVERTED.clear()
                converted = self.validations[-1]
                converted["_xml_key"] = _validation_key(converted)
                _CONVERTED[key] = converted
            return result
        if self._check_dimensions(first_row, first_col, True, True) or self._check_dimensions(
            last_row, last_col, True, True
        ):
            return -1
        self.validations.append({**cached, "cells": [[first_row, first_col, last_row, last_col]]})
        return 0

    def _write_data_validation(self, options: dict) -> None:
        """A validation's XML differs between sheets and workbooks only in its cells: the rest is
        rendered by xlsxwriter once per process and kept (a feedback workbook has 45)."""
        cells = options["cells"]
        if len(cells) != 1 or options.get("multi_range"):
            return super()._write_data_validation(options)
        key = options.get("_xml_key") or _validation_key(options)
        parts = _VALIDATIONS.get(key)
        if parts is None:
            fh, self.fh = self.fh, io.StringIO()
            try:
                super()._write_data_validation({**options, "cells": [(0, 0, 0, 0)]})
                xml = self.fh.getvalue()
            finally:
                self.fh = fh
            before, found, after = xml.partition(' sqref="A1"')
            if not found or ' sqref="A1"' in after:
                return super()._write_data_validation(options)
            if len(_VALIDATIONS) > 4096:
                _VALIDATIONS.clear()
            parts = _VALIDATIONS[key] = (before, after)
        first_row, first_col, last_row, last_col = cells[0]
        ref = xl_range(
            min(first_row, last_row), min(first_col, last_col), max(first_row, last_row), max(first_col, last_col)
        )
        self.fh.write(f'{parts[0]} sqref="{ref}"{parts[1]}')

    def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> str:
        """xlsxwriter runs some 150 substitutions over every formula to prefix newer functions
        (about 0.5 ms each); a formula without a call, such as a drop-down's list range, has
        nothing to prefix."""
        if "(" in formula:
            return super()._prepare_formula(formula, expand_future_functions)
        return formula.removeprefix("{").removeprefix("=").removesuffix("}")

    def _height(self, points: float) -> str:
        """A row's height attributes, rounded to whole pixels as xlsxwriter's set_row rounds them."""
        pixels = int(points * 4.0 / 3.0 + 0.5)
        return "" if pixels == self.default_row_height else f' ht="{pixels * 0.75:.16g}" customHeight="1"'

    def _write_rows(self) -> None:
        """xlsxwriter's rows around and between the blocks, each block where it belongs."""
        if not self._blocks:
            return super()._write_rows()
        low, high = self.dim_rowmin, self.dim_rowmax
        for first, last, _ in self._blocks:
            clash = sorted(
                r
                for r in (*self.table, *self.row_info)
                if first <= r <= last and (self.table.get(r) or r in self.row_info)
            )
            if clash:
                raise ValueError(f"row {clash[0] + 1} was written both as a block and cell by cell")
        source = self._spool
        if source is None:
            source = io.StringIO("".join(self._held))
        source.seek(0)
        start = low
        try:
            for first, last, chars in self._blocks:
                if start < first:
                    self.dim_rowmin, self.dim_rowmax = start, first - 1
                    super()._write_rows()
                while chars:
                    part = source.read(min(chars, 1 << 20))
                    if not part:
                        raise RuntimeError(f"{self.name}: rendered rows lost before the sheet was written")
                    self.fh.write(part)
                    chars -= len(part)
                start = last + 1
            if start <= high:
                self.dim_rowmin, self.dim_rowmax = start, high
                super()._write_rows()
        finally:
            self.dim_rowmin, self.dim_rowmax = low, high
            source.close()
            self._spool, self._held = None, []
