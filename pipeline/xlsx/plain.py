"""The way back to plain xlsxwriter: ``BANGFU_PLAIN_XLSX=1`` writes every workbook through
xlsxwriter's own workbook, worksheet and zip packager, with none of the engine's fast paths
(rows rendered to XML, replayed prototypes, the part-at-a-time container). The golden tests run
both ways and must find the same cells, formats, validations and comments; a new xlsxwriter that
breaks an engine internal can be run past this switch until the engine is mended."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Sequence

from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from pipeline.xlsx.cellxml import fit

SWITCH = "BANGFU_PLAIN_XLSX"


def plain() -> bool:
    """Whether workbooks go through plain xlsxwriter (the switch is read at each workbook)."""
    return os.environ.get(SWITCH, "") not in ("", "0")


class PlainSheet(Worksheet):
    """``RowsSheet``'s interface (``write_rows``, ``link_cell``) on xlsxwriter's own cell calls."""

    def write_rows(
        self,
        first_row: int,
        rows: Iterable[Sequence[object]],
        formats: Sequence[Sequence[Format | None]] | Sequence[Format | None],
        heights: dict[int, float] | None = None,
        per_row: bool = False,
    ) -> int:
        """As ``RowsSheet.write_rows``: one format per column, or with ``per_row`` per row."""
        heights = heights or {}
        written = 0
        for r, values in enumerate(rows, start=first_row):
            cols = formats[r - first_row] if per_row else formats
            for c, value in enumerate(values):
                _check(self._write_value(r, c, value, cols[c]), r, c)
            if r in heights:
                self.set_row(r, heights[r])
            written += 1
        return written

    def _write_value(self, row: int, col: int, value: object, fmt: Format | None) -> int:
        if value is None or value == "":
            return self.write_blank(row, col, None, fmt)
        if isinstance(value, bool):
            return self.write_boolean(row, col, value, fmt)
        if isinstance(value, (int, float)):
            return self.write_number(row, col, value, fmt)
        if isinstance(value, (dt.date, dt.datetime)):
            return self.write_datetime(row, col, value, fmt)
        return self.write_string(row, col, fit(str(value)), fmt)

    def link_cell(self, row: int, col: int, url: str, string: str) -> None:
        """A hyperlink on a cell already written, keeping its text and format."""
        cell = self.table.get(row, {}).get(col)
        fmt = getattr(cell, "format", None)
        _check(self.write_url(row, col, url, fmt, string), row, col)


def _check(result: int | None, row: int, col: int) -> None:
    if result not in (None, 0):
        raise RuntimeError(f"xlsxwriter refused the cell at row {row + 1}, column {col + 1} ({result})")
