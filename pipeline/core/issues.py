"""The Issue type: one finding about one cell, rendered in the reader's language."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.core.cells import place_of
from pipeline.text import ERROR, FINDINGS, finding, text
from schemas import EN_LABELS


@dataclass(frozen=True, order=True)
class Issue:
    """One finding: what is wrong, where (file, sheet, cell), and what to do.

    ``args`` fills the catalogue message; ``column`` is the column label as the user sees it.
    """

    file: str
    sheet: str
    cell: str
    code: str
    column: str = ""
    value: str = ""
    args: tuple[tuple[str, str], ...] = field(default=(), compare=False)
    explained: bool = field(default=False, compare=False)  # the row's 说明 explains this warning

    @property
    def severity(self) -> str:
        return finding(self.code).severity

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def message(self, lang: str = "zh") -> str:
        """The message for a school clerk or analyst, in ``lang``."""
        entry = finding(self.code)
        template = entry.message_en if lang == "en" else entry.message_zh
        fields = {
            "value": self.value,
            "column": self.column_label(lang),
            "sheet": self.sheet,
            "expected": "",
            "found": "",
            "cells": "",
            "nearest": "",
            "rows": "",
        }
        fields.update(dict(self.args))
        return template.format(**fields)

    def column_label(self, lang: str = "zh") -> str:
        """The column's label as the reader's language has it (the label is kept in Chinese)."""
        return EN_LABELS.get(self.column, self.column) if lang == "en" else self.column

    def where(self, lang: str = "zh") -> str:
        return text("finding.where", lang, file=self.file, sheet=self.sheet, cell=self.cell or "-")

    def render(self, lang: str = "zh") -> str:
        """One line: where, severity, code, message."""
        return f"{self.where(lang)}  [{self.severity}:{self.code}]  {self.message(lang)}"


def make(
    code: str, *, file: str = "", sheet: str = "", cell: str = "", column: str = "", value: object = "", **args: object
) -> Issue:
    """Build an Issue; ``args`` are extra message fields (expected, found, cells …). ``code``
    must be in the catalogue (pipeline/text/findings.py): anything else is a programming error."""
    if code not in FINDINGS:
        raise ValueError(f"unknown finding code {code!r}: add it to pipeline/text/findings.py")
    return Issue(
        file=file,
        sheet=sheet,
        cell=cell,
        code=code,
        column=column,
        value=shown("" if value is None else str(value)),
        args=tuple(sorted((k, shown(str(v))) for k, v in args.items())),
    )


SHOWN = 200  # characters of a value quoted in a finding; a school's 40,000 are not repeated everywhere


def shown(text: str) -> str:
    """A value as findings quote it: whole up to a few hundred characters, else its start with a
    visible mark of how long it was (in both languages: the finding is rendered in either)."""
    if len(text) <= 2 * SHOWN:
        return text
    return f"{text[:SHOWN]}…［共 {len(text):,} 字 / {len(text):,} characters］"


def reading_order(issue: Issue) -> tuple:
    """File, sheet, then cell by row and column (B2 before B14; whole-sheet findings first), then
    code: the order a reader goes down a sheet."""
    return (issue.file, issue.sheet, place_of(issue.cell) or (0, -1), issue.cell, issue.code, issue.column, issue.value)


def codes(issues: list[Issue]) -> list[tuple[str, str, str]]:
    """(sheet, cell, code) of each issue, sorted: the compact form tests assert."""
    return sorted((i.sheet, i.cell, i.code) for i in issues)


def errors(issues: list[Issue]) -> list[Issue]:
    return [i for i in issues if i.is_error]


def without_shadowed(earlier: list[Issue], later: list[Issue]) -> list[Issue]:
    """``later`` minus findings at a cell that already has an error: a cell that could not be
    read is blank to the schema, and one problem gets one finding."""
    taken = {(i.file, i.sheet, i.cell) for i in earlier if i.is_error and i.cell}
    return [i for i in later if (i.file, i.sheet, i.cell) not in taken]
