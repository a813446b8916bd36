"""Cells rendered to the XML xlsxwriter writes for them, at about 1 µs a cell: text (always as
text, in the shared-string table), numbers, booleans, dates as Excel serials, styled blanks.
tests/test_sheetxml.py checks every kind against xlsxwriter's own write calls."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from typing import Any

MAX_STRING = 32767  # Excel's limit on the characters of one cell
CUT = "…［已截断 / truncated］"


def fit(text: str) -> str:
    """Text an Excel cell can hold: past its limit, the start with a visible mark (a writer that
    refused it would stop the run for one school's paste)."""
    return text if len(text) <= MAX_STRING else text[: MAX_STRING - len(CUT)] + CUT


_EPOCH = dt.datetime(1899, 12, 31)
_EPOCH_DAY = _EPOCH.toordinal()


class WriteRejected(RuntimeError):
    """A value Excel cannot hold in a cell."""


def _text(value: str, ref: str, style: str, shared: Callable[[str], int]) -> str:
    """A shared-string cell; xlsxwriter escapes the string when it writes the table."""
    if len(value) > MAX_STRING:
        value = fit(value)
    return f'<c r="{ref}"{style} t="s"><v>{shared(value)}</v></c>'


def _number(value: float, ref: str, style: str) -> str:
    if math.isnan(value):  # as xlsxwriter's nan_inf_to_errors writes them
        return f'<c r="{ref}"{style} t="e"><f>#NUM!</f><v>#NUM!</v></c>'
    if math.isinf(value):
        return f'<c r="{ref}"{style} t="e"><f>{"" if value > 0 else "-"}1/0</f><v>#DIV/0!</v></c>'
    return f'<c r="{ref}"{style}><v>{value:.16G}</v></c>'


def excel_serial(value: dt.date | dt.datetime) -> float:
    """Excel's 1900-system serial number of a date or time, with Excel's phantom 1900-02-29."""
    moment = (
        value.replace(tzinfo=None)
        if isinstance(value, dt.datetime)
        else dt.datetime(value.year, value.month, value.day)
    )
    delta = moment - _EPOCH
    serial = delta.days + (delta.seconds + delta.microseconds / 1e6) / 86400
    return serial + 1 if serial > 59 else serial


def cell_xml(value: Any, ref: str, style: str, date_style: Callable[[], str], shared: Callable[[str], int]) -> str:
    """One cell by its Python type, as xlsxwriter's write calls write it (tests/test_sheetxml.py
    compares the two): text always as text, never as a formula; an empty value is a blank cell,
    kept only when it has a format; a date without a format of its own takes ``date_style()``,
    the workbook's default date format."""
    kind = type(value)
    if kind is str and value:
        return _text(value, ref, style, shared)
    if kind is float or kind is int:
        return _number(value, ref, style)
    if value is None or value == "":
        return f'<c r="{ref}"{style}/>' if style else ""
    if isinstance(value, str):
        return _text(value, ref, style, shared)
    if isinstance(value, bool):
        return f'<c r="{ref}"{style} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        return _number(value, ref, style)
    if isinstance(value, (dt.date, dt.datetime)):
        return f'<c r="{ref}"{style or date_style()}><v>{excel_serial(value):.16G}</v></c>'
    return _text(str(value), ref, style, shared)


def row_cells(
    values: Sequence[Any],
    letters: list[str],
    styles: list[str],
    number: str,
    date_style: Callable[[], str],
    shared: Callable[[str], int],
) -> str:
    """The cells of one row, as ``cell_xml`` renders each; text, numbers and blanks inline, as
    they are nearly every cell (a call per cell cost a third of the rendering)."""
    out = []
    for c, value in enumerate(values):
        kind = type(value)
        if kind is str and value:
            if len(value) > MAX_STRING:
                value = fit(value)
            out.append(f'<c r="{letters[c]}{number}"{styles[c]} t="s"><v>{shared(value)}</v></c>')
        elif value is None or (kind is str and not value):
            if styles[c]:
                out.append(f'<c r="{letters[c]}{number}"{styles[c]}/>')
        elif kind is int or (kind is float and math.isfinite(value)):
            out.append(f'<c r="{letters[c]}{number}"{styles[c]}><v>{value:.16G}</v></c>')
        elif kind is dt.date:  # a day's serial, as excel_serial counts it
            serial = value.toordinal() - _EPOCH_DAY
            out.append(f'<c r="{letters[c]}{number}"{styles[c] or date_style()}><v>{serial + (serial > 59)}</v></c>')
        else:
            out.append(cell_xml(value, letters[c] + number, styles[c], date_style, shared))
    return "".join(out)


def blank_parts(letters: list[str], styles: list[str], width: int) -> list[str]:
    """A row of ``width`` empty cells as pieces that the row number joins: only cells with a
    format are written, as ``cell_xml`` writes an empty value."""
    cells = [(letters[c], styles[c]) for c in range(width) if styles[c]]
    if not cells:
        return [""]
    parts = [f'<c r="{cells[0][0]}']
    parts += [f'"{style}/><c r="{letter}' for (_, style), (letter, _) in zip(cells, cells[1:], strict=False)]
    parts.append(f'"{cells[-1][1]}/>')
    return parts
