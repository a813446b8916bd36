"""Opening and closing every workbook the project writes (safe, deterministic), its formats,
text widths and print set-up."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from pipeline.core.files import check_closed, publish, temp_for
from pipeline.text import text
from pipeline.xlsx.container import PartsBook
from pipeline.xlsx.plain import PlainSheet, plain
from pipeline.xlsx.rows import RowsSheet
from schemas.model import Column, Kind

FIXED_CREATED = dt.datetime(2024, 1, 1, 0, 0, 0)
DATE_FORMAT = "yyyy-mm-dd"
HEADER_FILL = "#DDEBF7"
REQUIRED_FILL = "#BDD7EE"
LOCKED_FILL = "#E7E6E6"
LISTS_SHEET = "_lists"
A4 = 9


def open_workbook(
    path: str | Path | io.BytesIO,
    book_class: Callable[..., Workbook] = PartsBook,
    sheet_class: type[Worksheet] = RowsSheet,
) -> Workbook:
    """A workbook that keeps text as text and gives the same bytes for the same content. Its parts
    are assembled in memory (temporary files cost a fifth of a small workbook's time); its sheets
    take blocks of rows rendered straight to XML (``RowsSheet.write_rows``), which go to a
    temporary file past a few MiB, so a million detail rows need no constant_memory mode; and
    its parts are zipped by ``xlsxzip.PartsZip``. ``book_class`` and ``sheet_class`` are how
    pipeline.xlsx.replay puts its own workbook and worksheets in. Under ``BANGFU_PLAIN_XLSX=1``
    (pipeline.xlsx.plain) it is xlsxwriter's own workbook and a worksheet of the same interface."""
    if plain():
        book_class, sheet_class = Workbook, PlainSheet
    final = None if isinstance(path, io.BytesIO) else Path(path)
    if final is not None:
        check_closed(final)
    book = book_class(
        path if final is None else str(temp_for(final)),
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "nan_inf_to_errors": True,
            "default_date_format": DATE_FORMAT,
        },
    )
    book.worksheet_class = sheet_class
    book.set_properties({"created": FIXED_CREATED, "author": "Bangfu", "company": ""})
    if final is not None:
        _publish_on_close(book, final)
    return book


def _publish_on_close(book: Workbook, final: Path) -> None:
    """The book is written under a temporary name (``core.files``); its close renames it over
    ``final``, or removes it when writing failed, so no half-written workbook has an output's name."""
    close, temp = book.close, Path(book.filename)

    def closing() -> None:
        try:
            close()
            publish(temp, final)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise

    book.close = closing


def ok(result: int | None) -> None:
    """xlsxwriter reports a rejected write or validation by a negative return; never ignore it."""
    if result not in (None, 0):
        raise RuntimeError(f"xlsxwriter rejected a write (code {result})")


class _CharWidths(dict):
    """Each character's display width, looked up once (a report measures millions)."""

    def __missing__(self, ch: str) -> int:
        width = self[ch] = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        return width


_WIDTHS = _CharWidths()


def text_width(value: object) -> float:
    """Display width in Excel character units: CJK and full-width characters count double."""
    return sum(map(_WIDTHS.__getitem__, str(value)))


def column_width(column: Column, lang: str) -> float:
    """Wide enough for the header label and, for dates, a full yyyy-mm-dd in any CJK font."""
    floor = 13 if column.kind is Kind.DATE else 0
    return max(column.width, floor, text_width(column.label(lang)) + 3)


def escape_header(value: str) -> str:
    """Text for a page header or footer, where '&' starts a control code."""
    return value.replace("&", "&&")


@dataclass
class Formats:
    """The cell formats of one workbook, created once."""

    book: Workbook
    cache: dict[tuple, object] = field(default_factory=dict)
    cells: dict[tuple[Column, bool], object] = field(default_factory=dict)  # Formats.cell's, by column

    def get(self, **props: object) -> object:
        key = tuple(sorted(props.items()))
        if key not in self.cache:
            self.cache[key] = self.book.add_format({"font_name": "宋体", "font_size": 11, **props})
        return self.cache[key]

    def header(self, required: bool) -> object:
        return self.get(
            bold=True,
            text_wrap=True,
            valign="vcenter",
            align="center",
            border=1,
            bg_color=REQUIRED_FILL if required else HEADER_FILL,
            locked=True,
        )

    def cell(self, column: Column, locked: bool = False) -> object:
        made = self.cells.get((column, locked))
        if made is None:
            made = self.cells[(column, locked)] = self.get(**self.cell_props(column, locked))
        return made

    @staticmethod
    def cell_props(column: Column, locked: bool = False) -> dict[str, object]:
        """Format properties of a value cell: number format by kind, grey when locked."""
        props: dict[str, object] = {"locked": locked, "valign": "top"}
        if locked:
            props["bg_color"] = LOCKED_FILL
        if column.kind is Kind.DATE:
            props["num_format"] = DATE_FORMAT
        elif column.kind in (Kind.CODE, Kind.TEXT, Kind.CHOICE):
            props["num_format"] = "@"
        elif column.kind is Kind.MONEY:
            props["num_format"] = "#,##0.00"
        elif column.kind in (Kind.DECIMAL, Kind.PERCENT):
            props["num_format"] = "0.0##"
        elif column.kind is Kind.INT:
            props["num_format"] = "0"
        if column.kind in (Kind.DATE, Kind.CODE, Kind.CHOICE, Kind.INT, Kind.PERCENT):
            props["align"] = "center"
        if column.max_len and column.max_len > 200:
            props["text_wrap"] = True
        return props


def print_setup(ws: Worksheet, lang: str, title: str, repeat_row: int | None = None, period: str = "") -> None:
    """A4 landscape, fit to one page wide, header rows repeated; the page header names the
    workbook (and the period), the footer says 第 N 页，共 M 页."""
    ws.set_landscape()
    ws.set_paper(A4)
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.center_horizontally()
    if repeat_row is not None:
        ws.repeat_rows(repeat_row)
    right = f"&R{escape_header(period)}" if period else ""
    ws.set_header(f"&L{escape_header(title)}{right}", {"margin": 0.3})
    ws.set_footer(f"&C{text('footer.page', lang)}", {"margin": 0.3})
