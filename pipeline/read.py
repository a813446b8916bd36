"""Workbook file -> raw sheets of cell values; no business rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from python_calamine import CalamineWorkbook, SheetVisibleEnum


@dataclass(frozen=True)
class RawSheet:
    """One sheet as a grid of cached cell values from A1 ('' for an empty cell)."""

    name: str
    rows: list[list[object]]
    hidden: bool = False


@dataclass(frozen=True)
class RawWorkbook:
    """The sheets of one workbook, in workbook order."""

    path: str
    sheets: dict[str, RawSheet] = field(default_factory=dict)

    @property
    def sheet_names(self) -> list[str]:
        return list(self.sheets)


def read_workbook(path: str | Path) -> RawWorkbook:
    """Read every worksheet's cached values with python-calamine; formulas are never evaluated.

    This is for workbooks the bureau itself keeps. Files from schools go through the isolated
    intake reader, which also guards against hostile content.
    """
    book = CalamineWorkbook.from_path(str(path))
    try:
        sheets = {}
        for meta in book.sheets_metadata:
            sheet = book.get_sheet_by_name(meta.name)
            rows = sheet.to_python(skip_empty_area=False)
            sheets[meta.name] = RawSheet(meta.name, rows, meta.visible != SheetVisibleEnum.Visible)
    finally:
        book.close()
    return RawWorkbook(str(path), sheets)
