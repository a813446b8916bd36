"""The one catalogue of user-facing text: finding codes and interface strings, in zh and en."""

from __future__ import annotations

import datetime as dt

from pipeline.text.findings import ERROR, FINDINGS, WARNING, FindingCode
from pipeline.text.texts import COLUMNS, STATUSES, TEXT, status_label

__all__ = [
    "ERROR",
    "WARNING",
    "FINDINGS",
    "FindingCode",
    "COLUMNS",
    "STATUSES",
    "TEXT",
    "status_label",
    "column_label",
    "text",
    "finding",
    "date_text",
    "number_text",
    "datetime_text",
]


def column_label(name: str, lang: str = "zh", unit: str = "万元") -> str:
    """The label of an output column; data values (activity types) label themselves."""
    if name not in COLUMNS:
        return name
    zh, en = COLUMNS[name]
    return (en if lang == "en" else zh).format(unit=unit)


def text(key: str, lang: str = "zh", **fields: object) -> str:
    """The interface string ``key`` in ``lang``, with ``fields`` filled in."""
    zh, en = TEXT[key]
    template = en if lang == "en" else zh
    return template.format(**fields) if fields else template


def finding(code: str) -> FindingCode:
    """The catalogue entry for ``code``; an unknown code is a programming error."""
    return FINDINGS[code]


def date_text(day: dt.date, lang: str = "zh") -> str:
    """A date as the reader writes it: 2025年2月18日, or 2025-02-18 in English."""
    return day.isoformat() if lang == "en" else f"{day.year}年{day.month}月{day.day}日"


def datetime_text(moment: dt.datetime, lang: str = "zh") -> str:
    """A time as the reader writes it, to the minute: 2025年2月18日 09:30."""
    return f"{date_text(moment.date(), lang)} {moment:%H:%M}"


def number_text(number: float | int) -> str:
    """A number as people write it in a message: 10,000,000 (not 1e+07), 1,234.5, 0.25."""
    value = float(number)
    if value.is_integer():
        return f"{int(value):,}"
    return f"{value:,.4f}".rstrip("0").rstrip(".")
