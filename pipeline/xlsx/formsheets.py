"""The sheets of a template or a feedback workbook: a data sheet as an Excel table or a form per
model, its drop-down lists and validations, the hidden _meta sheet, and cells marked red or
yellow with a comment."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from pipeline.text import number_text, text
from pipeline.xlsx.book import (
    HEADER_FILL,
    LISTS_SHEET,
    REQUIRED_FILL,
    Formats,
    column_width,
    ok,
    print_setup,
    text_width,
)
from schemas.model import Column, Kind, Sheet


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
        rows = [[column[r] if r < len(column) else None for column in columns] for r in range(max(map(len, columns)))]
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
    opts: dict[str, object] = {
        "input_title": column.label(lang)[:32],
        "input_message": msg[:255],
        "error_title": text("validation.error_title", lang),
    }
    if rule.list_ref:
        opts.update(
            validate="list",
            source=rule.list_ref,
            error_message=text("validation.list_error", lang),
            error_type="stop" if rule.strict_list else "warning",
        )
    elif column.kind is Kind.DATE:
        low, high = rule.date_range or (dt.date(2000, 1, 1), dt.date(2100, 12, 31))
        opts.update(
            validate="date",
            criteria="between",
            minimum=low,
            maximum=high,
            error_message=text("validation.date_error", lang, min=low, max=high),
        )
    elif column.kind in (Kind.INT, Kind.DECIMAL, Kind.MONEY, Kind.PERCENT) and column.maximum is not None:
        low, high = column.minimum or 0, column.maximum
        if column.kind is Kind.INT:
            opts.update(
                validate="integer",
                criteria="between",
                minimum=int(low),
                maximum=int(high),
                error_message=text("validation.int_error", lang, min=number_text(low), max=number_text(high)),
            )
        else:
            opts.update(
                validate="decimal",
                criteria="between",
                minimum=low,
                maximum=high,
                error_message=text("validation.decimal_error", lang, min=number_text(low), max=number_text(high)),
            )
    elif column.max_len:
        opts.update(
            validate="length",
            criteria="<=",
            value=column.max_len,
            error_message=text("validation.length_error", lang, max=column.max_len),
        )
    else:
        opts.update(validate="any")
    return ValidationOptions(opts, key=f"{column!r}|{rule!r}|{lang}")


PROTECT_DATA = {
    "insert_rows": True,
    "delete_rows": True,
    "format_columns": True,
    "format_rows": True,
    "sort": True,
    "autofilter": True,
    "select_locked_cells": True,
    "select_unlocked_cells": True,
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


def write_table_sheet(
    book: Workbook,
    fmt: Formats,
    model: type[Sheet],
    lang: str,
    rules: dict[str, Validation],
    rows: list[dict[str, object] | tuple[object, ...]],
    blank_rows: int,
    protect: bool,
    title: str,
    marks: Marks | None = None,
) -> Worksheet:
    """A data sheet: an Excel table with one header row, drop-downs and validations per column.
    A row is a record by column name, or a tuple of its values in the model's column order."""
    ws = book.add_worksheet(model.title(lang))
    cols = model.columns
    last_row = max(len(rows) + blank_rows, 1)
    for c, col in enumerate(cols):
        ws.set_column(c, c, column_width(col, lang), fmt.cell(col))
    table_name = f"T_{model.__name__}"
    ok(
        ws.add_table(
            0,
            0,
            last_row,
            len(cols) - 1,
            {
                "name": table_name,
                "style": "Table Style Light 9",
                "autofilter": True,
                "columns": [{"header": col.label(lang), "header_format": fmt.header(col.required)} for col in cols],
            },
        )
    )
    # Blank rows get explicit cells too: not every office suite applies column styles to new cells.
    plain = [fmt.cell(col) for col in cols]  # one format per column; marked cells get their own
    formats = [plain] * last_row
    for r, c in sorted(marks or {}):
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


def write_form_sheet(
    book: Workbook,
    fmt: Formats,
    model: type[Sheet],
    lang: str,
    rules: dict[str, Validation],
    values: dict[str, object],
    protect: bool,
    title: str,
    heading: str,
    marks: Marks | None = None,
) -> Worksheet:
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
        label_fmt = fmt.get(
            bold=col.required, border=1, bg_color=REQUIRED_FILL if col.required else HEADER_FILL, valign="top"
        )
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
