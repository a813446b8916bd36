"""Workbook file -> raw sheets of cell values; no business rules."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from python_calamine import CalamineWorkbook, SheetVisibleEnum

from pipeline.intake import safety
from pipeline.intake.sniff import Limits, Rejected


@dataclass(frozen=True)
class RawSheet:
    """One sheet as a grid of cached cell values from A1 ('' for an empty cell)."""

    name: str
    rows: list[list[object]]
    hidden: bool = False
    bad_cells: dict[tuple[int, int], str] = field(default_factory=dict)  # formula errors, no cached value
    hidden_rows: frozenset[int] = frozenset()  # 0-based
    percent_cells: frozenset[tuple[int, int]] = frozenset()  # numbers shown as percentages: 0.95 shown as 95%
    loaded: bool = True  # False: only the name is known, the reader was told to skip it


@dataclass(frozen=True)
class RawWorkbook:
    """The sheets of one workbook, in workbook order."""

    path: str
    sheets: dict[str, RawSheet] = field(default_factory=dict)
    kind: str = "xlsx"
    warnings: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    @property
    def sheet_names(self) -> list[str]:
        return list(self.sheets)


def read_workbook(
    path: str | Path,
    scan: safety.Scan | None = None,
    data: bytes | None = None,
    wanted: Callable[[str], bool] | None = None,
) -> RawWorkbook:
    """Read every worksheet's cached values with python-calamine; formulas are never evaluated.
    With ``wanted``, the other sheets are listed by name only (``loaded`` False).

    This is for workbooks the bureau itself keeps. Files from schools go through the isolated
    intake reader, which also guards against hostile content (and passes the bytes it read).
    """
    # By content, not by name: calamine picks its reader from the extension otherwise.
    if data is not None:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    else:
        with open(path, "rb") as fh:
            book = CalamineWorkbook.from_filelike(fh)
    try:
        sheets = {}
        for meta in book.sheets_metadata:
            hidden_sheet = meta.visible != SheetVisibleEnum.Visible
            if wanted is not None and not wanted(meta.name):
                sheets[meta.name] = RawSheet(meta.name, [], hidden_sheet, loaded=False)
                continue
            sheet = book.get_sheet_by_name(meta.name)
            rows = sheet.to_python(skip_empty_area=False)
            bad = scan.bad_cells.get(meta.name, {}) if scan else {}
            hidden = frozenset(scan.hidden_rows.get(meta.name, ())) if scan else frozenset()
            percent = frozenset(scan.percent_cells.get(meta.name, ())) if scan else frozenset()
            sheets[meta.name] = RawSheet(meta.name, rows, hidden_sheet, bad, hidden, percent_cells=percent)
    finally:
        book.close()
    return RawWorkbook(str(path), sheets)


_ENCRYPTED_HINTS = ("password", "encrypt", "filepass")


DEFAULT_LIMITS = Limits()


def read_untrusted(
    path: str | Path, limits: Limits = DEFAULT_LIMITS, wanted: Callable[[str], bool] | None = None
) -> RawWorkbook:
    """Read a workbook from an untrusted sender: every safety check first, then calamine. With
    ``wanted``, the other sheets are checked like the rest but not parsed, only named.

    Runs inside an isolated worker (pipeline.intake.isolate); raises Rejected for anything it refuses.
    """
    path = Path(path)
    scan, data = safety.inspect(path, limits)
    kind = scan.kind
    try:
        book = read_workbook(path, scan, data, wanted)
    except Exception as exc:  # calamine's own error types; a panic is a BaseException, handled by the pool
        text = str(exc).lower()
        if any(hint in text for hint in _ENCRYPTED_HINTS):
            raise Rejected("encrypted") from exc
        raise Rejected("unreadable", detail=f"{type(exc).__name__}: {str(exc)[:200]}") from exc
    warnings = list(scan.warnings)
    suffix = path.suffix.lower().lstrip(".")
    if suffix != kind and not (suffix == "xlsx" and kind == "xlsm"):
        warnings.append(("extension-mismatch", {"found": kind, "value": suffix or "-"}))
    return RawWorkbook(book.path, book.sheets, kind, warnings)
