"""Raw cell values -> typed values, or a CellError saying why not.

Parsing decides only what type a cell holds. Whether a value is allowed (range, list, length,
uniqueness) is the schema's job in checks/validate.py.

Normalisations (docs/forms.md lists them for schools and analysts): NFKC folds full-width digits,
letters and punctuation to half width; ASCII digits only (Arabic-Indic digits are not numbers
here); "1,234.5" thousands separators; trailing units 人次/人/次/节/课时/场/个/名; money "5万" and
"1.2万元" mean 50,000 and 12,000 yuan; "95%" in a rate means 95; dates as real dates, Excel
serials, "2010年5月13日", "2010.5.13", "2010/5/13", "2010-05-13", "20100513", and "5月13日" with
the year taken from the reporting period. "03/04/2012" is ambiguous and refused.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import unicodedata
from dataclasses import dataclass, field

from pipeline.core.errors import BangfuError
from schemas.choices import SYNONYMS, Choices
from schemas.model import Column, Kind

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


class CellError(BangfuError, ValueError):
    """A cell that cannot be read as its column's type; ``code`` is a finding code."""


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


MAX_CELL_TEXT = 32767  # what an Excel cell holds: a longer text cannot be written back anywhere
MAX_NUMBER = 1e15  # beyond any real figure, and beyond what a float holds to the unit


def _real(number: float) -> float:
    """The number, unless no real figure could be that large (or it is not finite at all)."""
    if not math.isfinite(number) or abs(number) > MAX_NUMBER:
        raise CellError("number-too-large", expected=f"{MAX_NUMBER:,.0f}")
    return number


def parse_number(value: object, kind: Kind) -> float:
    """A number from a numeric cell or from text typed the ways schools type numbers."""
    if isinstance(value, bool):
        raise CellError("not-a-number")
    if isinstance(value, (int, float)):
        return _real(float(value))
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
    return round(_real(float(text) * factor), 6)


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
        if not 1 <= value < 2958466 or int(value) == 60:
            raise CellError("not-a-date", value=_serial_shown(value))
        result = _EXCEL_EPOCH + dt.timedelta(days=int(value))
    else:
        result = _parse_date_text(unicodedata.normalize("NFKC", clean_text(value)), period)
    if not EARLIEST <= result <= LATEST:
        raise CellError("not-a-date")
    return result


def _serial_shown(value: float) -> str:
    """An Excel date serial as the school saw it: 60 is Excel's 1900-02-29, a day that never was;
    a negative or huge serial shows no date at all (#####), so the number itself is quoted."""
    if int(value) == 60:
        return f"{value:g} → 1900-02-29"
    return f"{value:g}"


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
    if isinstance(value, str) and len(value) > MAX_CELL_TEXT:
        raise CellError("cell-too-long", found=f"{len(value):,}", expected=f"{MAX_CELL_TEXT:,}")
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
