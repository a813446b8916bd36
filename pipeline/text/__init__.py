"""The one catalogue of user-facing text: finding codes and interface strings, in zh and en."""

from __future__ import annotations

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
