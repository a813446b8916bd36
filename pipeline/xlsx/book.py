"""xlsxwriter building blocks shared by every workbook the project writes: safe, deterministic."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import io
import math
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from pipeline.text import text
from pipeline.xlsx.container import PartsBook
from pipeline.xlsx.plain import PlainSheet, plain
from pipeline.xlsx.rows import RowsSheet
from schemas.model import Column, Kind, Sheet

FIXED_CREATED = dt.datetime(2024, 1, 1, 0, 0, 0)
DATE_FORMAT = "yyyy-mm-dd"
HEADER_FILL = "#DDEBF7"
REQUIRED_FILL = "#BDD7EE"
LOCKED_FILL = "#E7E6E6"
LISTS_SHEET = "_lists"
A4 = 9


def open_workbook(path: str | Path | io.BytesIO, book_class: Callable[..., Workbook] = PartsBook,
                  sheet_class: type[Worksheet] = RowsSheet) -> Workbook:
    """A workbook that keeps text as text and gives the same bytes for the same content. Its parts
    are assembled in memory (temporary files cost a fifth of a small workbook's time); its sheets
    take blocks of rows rendered straight to XML (``RowsSheet.write_rows``), which go to a
    temporary file past a few MiB, so a million detail rows need no constant_memory mode; and
    its parts are zipped by ``xlsxzip.PartsZip``. ``book_class`` and ``sheet_class`` are how
    pipeline.xlsx.replay puts its own workbook and worksheets in. Under ``BANGFU_PLAIN_XLSX=1``
    (pipeline.xlsx.plain) it is xlsxwriter's own workbook and a worksheet of the same interface."""
    if plain():
        book_class, sheet_class = Workbook, PlainSheet
    book = book_class(path if isinstance(path, io.BytesIO) else str(path), {
        "in_memory": True,
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
        "nan_inf_to_errors": True,
        "default_date_format": DATE_FORMAT,
    })
    book.worksheet_class = sheet_class
    book.set_properties({"created": FIXED_CREATED, "author": "Bangfu", "company": ""})
    return book


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
    cells: dict[tuple[int, bool], tuple[Column, object]] = field(default_factory=dict)  # Formats.cell's

    def get(self, **props: object) -> object:
        key = tuple(sorted(props.items()))
        if key not in self.cache:
            self.cache[key] = self.book.add_format({"font_name": "宋体", "font_size": 11, **props})
        return self.cache[key]

    def header(self, required: bool) -> object:
        return self.get(bold=True, text_wrap=True, valign="vcenter", align="center", border=1,
                        bg_color=REQUIRED_FILL if required else HEADER_FILL, locked=True)

    def cell(self, column: Column, locked: bool = False) -> object:
        made = self.cells.get((id(column), locked))
        if made is None or made[0] is not column:  # the column held, so that its id stays its own
            made = self.cells[(id(column), locked)] = (column, self.get(**self.cell_props(column, locked)))
        return made[1]

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


class ListsSheet:
    """The hidden sheet holding every drop-down list (Excel drops long inline lists).

    Lists are collected while the visible sheets are written and the sheet itself is added last
    by ``close``, so it never sits between the sheets a user works in.
    """

    def __init__(self, book: Workbook) -> None:
        self.book = book
        self.lists: dict[str, tuple[str, tuple[str, ...]]] = {}
        self.refs: dict[str, str] = {}

    def ref(self, key: str, title: str, values: tuple[str, ...]) -> str:
        """The absolute range list ``key`` will occupy."""
        if key not in self.refs:
            letter = xlsxwriter.utility.xl_col_to_name(len(self.lists))
            self.lists[key] = (title, values)
            self.refs[key] = f"='{LISTS_SHEET}'!${letter}$2:${letter}${max(len(values), 1) + 1}"
        return self.refs[key]

    def close(self) -> None:
        if not self.lists:
            return
        ws = self.book.add_worksheet(LISTS_SHEET)
        columns = [[title, *values] for title, values in self.lists.values()]
        rows = [[column[r] if r < len(column) else None for column in columns]
                for r in range(max(map(len, columns)))]
        ws.write_rows(0, rows, [None] * len(columns))
        ws.hide()


@dataclass(frozen=True)
class Validation:
    """What a column's cells accept, as an Excel data validation."""

    list_ref: str | None = None
    date_range: tuple[dt.date, dt.date] | None = None
    strict_list: bool = True


class ValidationOptions(dict):
    """A validation's options with a key naming what they were made from: the engine converts
    options with one key once a process (``RowsSheet.data_validation``)."""

    def __init__(self, options: dict[str, object], key: str) -> None:
        super().__init__(options)
        self.key = key


@functools.lru_cache(maxsize=1024)
def data_validation(column: Column, rule: Validation, lang: str) -> dict[str, object] | None:
    """The xlsxwriter data-validation options for ``column``, with input and error messages, keyed
    by the arguments (``RowsSheet.data_validation`` converts each key once): never change them."""
    msg = column.help(lang) + (text("validation.required", lang) if column.required else "")
    opts: dict[str, object] = {"input_title": column.label(lang)[:32], "input_message": msg[:255],
                               "error_title": text("validation.error_title", lang)}
    if rule.list_ref:
        opts.update(validate="list", source=rule.list_ref,
                    error_message=text("validation.list_error", lang),
                    error_type="stop" if rule.strict_list else "warning")
    elif column.kind is Kind.DATE:
        low, high = rule.date_range or (dt.date(2000, 1, 1), dt.date(2100, 12, 31))
        opts.update(validate="date", criteria="between", minimum=low, maximum=high,
                    error_message=text("validation.date_error", lang, min=low, max=high))
    elif column.kind in (Kind.INT, Kind.DECIMAL, Kind.MONEY, Kind.PERCENT) and column.maximum is not None:
        low, high = column.minimum or 0, column.maximum
        if column.kind is Kind.INT:
            opts.update(validate="integer", criteria="between", minimum=int(low), maximum=int(high),
                        error_message=text("validation.int_error", lang, min=int(low), max=int(high)))
        else:
            opts.update(validate="decimal", criteria="between", minimum=low, maximum=high,
                        error_message=text("validation.decimal_error", lang, min=f"{low:g}", max=f"{high:g}"))
    elif column.max_len:
        opts.update(validate="length", criteria="<=", value=column.max_len,
                    error_message=text("validation.length_error", lang, max=column.max_len))
    else:
        opts.update(validate="any")
    return ValidationOptions(opts, key=f"{column!r}|{rule!r}|{lang}")


def print_setup(ws: Worksheet, lang: str, title: str, repeat_row: int | None = None) -> None:
    """A4 landscape, fit to one page wide, header rows repeated, page numbers in the footer."""
    ws.set_landscape()
    ws.set_paper(A4)
    ws.fit_to_pages(1, 0)
    ws.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    ws.center_horizontally()
    if repeat_row is not None:
        ws.repeat_rows(repeat_row)
    ws.set_header(f"&L{escape_header(title)}", {"margin": 0.3})
    ws.set_footer(f"&C{text('footer.page', lang)}", {"margin": 0.3})


PROTECT_DATA = {
    "insert_rows": True, "delete_rows": True, "format_columns": True, "format_rows": True,
    "sort": True, "autofilter": True, "select_locked_cells": True, "select_unlocked_cells": True,
}


ERROR_FILL = "#FFC7CE"
WARNING_FILL = "#FFEB9C"
Marks = dict[tuple[int, int], tuple[bool, str]]  # (row, col) 0-based -> (is error, comment)


def _mark(ws: Worksheet, fmt: Formats, row: int, col: int, props: dict[str, object], marks: Marks | None) -> object:
    """The cell's format, filled red (error) or yellow (warning) with a comment when marked. The
    plain format is made for a marked cell too: a prototype (pipeline.xlsx.replay) then holds both."""
    plain = fmt.get(**props)
    mark = (marks or {}).get((row, col))
    if mark is None:
        return plain
    is_error, comment = mark
    ok(ws.write_comment(row, col, comment, {"x_scale": 2.2, "y_scale": 1.6, "font_name": "宋体"}))
    return fmt.get(**{**props, "bg_color": ERROR_FILL if is_error else WARNING_FILL})


def write_table_sheet(book: Workbook, fmt: Formats, model: type[Sheet], lang: str,
                      rules: dict[str, Validation], rows: list[dict[str, object] | tuple[object, ...]],
                      blank_rows: int, protect: bool, title: str, marks: Marks | None = None) -> Worksheet:
    """A data sheet: an Excel table with one header row, drop-downs and validations per column.
    A row is a record by column name, or a tuple of its values in the model's column order."""
    ws = book.add_worksheet(model.title(lang))
    cols = model.columns
    last_row = max(len(rows) + blank_rows, 1)
    for c, col in enumerate(cols):
        ws.set_column(c, c, column_width(col, lang), fmt.cell(col))
    table_name = f"T_{model.__name__}"
    ok(ws.add_table(0, 0, last_row, len(cols) - 1, {
        "name": table_name, "style": "Table Style Light 9", "autofilter": True,
        "columns": [{"header": col.label(lang), "header_format": fmt.header(col.required)} for col in cols],
    }))
    # Blank rows get explicit cells too: not every office suite applies column styles to new cells.
    plain = [fmt.cell(col) for col in cols]  # one format per column; marked cells get their own
    formats = [plain] * last_row
    for (r, c) in sorted(marks or {}):
        if 1 <= r <= last_row:
            if formats[r - 1] is plain:  # a marked row gets a list of its own
                formats[r - 1] = list(plain)
            formats[r - 1][c] = _mark(ws, fmt, r, c, fmt.cell_props(cols[c]), marks)
    names = [col.name for col in cols]
    values = [record if isinstance(record, tuple) else [record.get(name) for name in names] for record in rows]
    ws.write_rows(1, values + [[None] * len(cols)] * (last_row - len(rows)), formats, per_row=True)
    for c, col in enumerate(cols):
        options = data_validation(col, rules.get(col.name, Validation()), lang)
        if options:
            ok(ws.data_validation(1, c, last_row, c, options))
    ws.set_row(0, 32)
    ws.freeze_panes(1, 0)
    print_setup(ws, lang, title, repeat_row=0)
    if protect:
        ws.protect("", PROTECT_DATA)
    return ws


FORM_FIRST_ROW = 2  # 0-based row of a form sheet's first label; one row per column after it


def write_form_sheet(book: Workbook, fmt: Formats, model: type[Sheet], lang: str,
                     rules: dict[str, Validation], values: dict[str, object],
                     protect: bool, title: str, heading: str, marks: Marks | None = None) -> Worksheet:
    """A label/value sheet: labels in A, values in B (locked ones grey), help in C."""
    ws = book.add_worksheet(model.title(lang))
    ws.set_column(0, 0, max(text_width(c.label(lang)) for c in model.columns) + 4)
    ws.set_column(1, 1, 44)
    ws.set_column(2, 2, 48)
    rows: list[list[object]] = [[heading], []]
    formats: list[list[object]] = [[fmt.get(bold=True, font_size=14)], []]
    heights = {}
    help_fmt = fmt.get(font_color="#595959", text_wrap=True, valign="top")
    for r, col in enumerate(model.columns, start=FORM_FIRST_ROW):
        label_fmt = fmt.get(bold=col.required, border=1, bg_color=REQUIRED_FILL if col.required else HEADER_FILL,
                            valign="top")
        value_fmt = _mark(ws, fmt, r, 1, {**fmt.cell_props(col, col.locked), "border": 1, "text_wrap": True}, marks)
        rows.append([col.label(lang), values.get(col.name), col.help(lang)])
        formats.append([label_fmt, value_fmt, help_fmt])
        if not col.locked:
            options = data_validation(col, rules.get(col.name, Validation()), lang)
            ok(ws.data_validation(r, 1, r, 1, options))
        if col.max_len and col.max_len > 200:
            heights[r] = 60
    ws.write_rows(0, rows, formats, heights, per_row=True)
    print_setup(ws, lang, title)
    if protect:
        ws.protect("", {"select_locked_cells": True, "select_unlocked_cells": True})
    return ws


def write_meta(book: Workbook, values: dict[str, str]) -> None:
    """The hidden _meta sheet that identifies a template whatever its file name."""
    ws = book.add_worksheet("_meta")
    ws.write_rows(0, [[key, value] for key, value in values.items()], [None, None])
    ws.hide()


LINK = {"font_color": "blue", "underline": 1}
WRAP_FROM = 30  # columns this wide wrap their text
LINE_HEIGHT = 16.5
# Chinese glyphs of the fallback CJK fonts (Calc, WPS) take a little more than two digit widths:
# a line estimated just under a column's width was printed on two, its second cut off.
GLYPH_SLACK = 1.15


@dataclass(frozen=True)
class ReportColumn:
    """One column of an output table: header, width and number format. Text wraps in columns
    from ``WRAP_FROM`` wide, and in a narrower one with ``wrap``."""

    header: str
    width: float = 12
    num_format: str = ""
    wrap: bool = False

    @property
    def wraps(self) -> bool:
        return self.wrap or self.width >= WRAP_FROM


def _holds_dates(rows: list[list[object]], c: int, sample: int = 50) -> bool:
    """Whether the first values of column ``c`` are dates (a column holds one type)."""
    return any(isinstance(r[c], (dt.date, dt.datetime)) for r in rows[:sample] if c < len(r))


def write_report_table(book: Workbook, fmt: Formats, name: str, columns: list[ReportColumn],
                       rows: list[list[object]], lang: str, title: str,
                       row_formats: list[dict[str, object] | None] | None = None,
                       centred: list[int] | None = None, links: dict[int, str] | None = None) -> Worksheet:
    """An output table: bold header, frozen, autofilter, borders, A4 landscape print. A column of
    dates without a number format of its own shows them as yyyy-mm-dd, not as serial numbers.
    ``links`` maps a row (0-based in ``rows``) to a place its first cell links to, "'Sheet'!B3"."""
    ws = book.add_worksheet(name)
    columns = [dataclasses.replace(col, num_format=DATE_FORMAT) if not col.num_format and _holds_dates(rows, c)
               else col for c, col in enumerate(columns)]
    header = fmt.get(bold=True, text_wrap=True, align="center", valign="vcenter", border=1, bg_color=HEADER_FILL)
    for c, col in enumerate(columns):  # a header may break lines: the widest line sets the width
        ws.set_column(c, c, max(col.width, *(text_width(line) + 3 for line in col.header.split("\n"))))
        ok(ws.write_string(0, c, col.header, header))
    ws.set_row(0, max(30, LINE_HEIGHT * max((col.header.count("\n") + 1 for col in columns), default=1) + 6))
    cache: dict[tuple, list[object]] = {}

    def formats_for(extra: dict[str, object]) -> list[object]:
        """The cell format of every column for one row style, made once per style."""
        key = tuple(sorted(extra.items()))
        if key not in cache:
            made = []
            for c, col in enumerate(columns):
                props = {"border": 1, "valign": "top", "text_wrap": col.wraps, **extra}
                if centred and c in centred:
                    props["align"] = "center"
                if col.num_format:
                    props["num_format"] = col.num_format
                made.append(fmt.get(**props))
            cache[key] = made
        return cache[key]

    wrapping = [c for c, col in enumerate(columns) if col.wraps]
    heights = {}
    for r, values in enumerate(rows, start=1):
        lines = 1
        for c in wrapping:
            if isinstance(values[c], str):
                lines = max(lines, math.ceil(text_width(values[c]) * GLYPH_SLACK / max(columns[c].width - 2, 1)))
        if lines > 1:  # xlsxwriter cannot autofit row heights, and neither Excel nor Calc do on opening
            heights[r] = LINE_HEIGHT * min(lines, 12)
    if row_formats or links:
        styles = [formats_for((row_formats[i] if row_formats else None) or {}) for i in range(len(rows))]
        for i, place in sorted((links or {}).items()):
            link = formats_for({**((row_formats[i] if row_formats else None) or {}), **LINK})
            styles[i] = [link[0], *styles[i][1:]]
            ws.link_cell(i + 1, 0, f"internal:{place}", str(rows[i][0]))
        ws.write_rows(1, rows, styles, heights, per_row=True)
    else:
        ws.write_rows(1, rows, formats_for({}), heights)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(len(rows), 1), len(columns) - 1)
    print_setup(ws, lang, title, repeat_row=0)
    return ws
