"""Feedback workbooks: each school's own report back, pre-filled with what it sent, every cell
with a finding filled red (error) or yellow (warning) and commented with what to do, behind a
first sheet 校验结果 that lists the findings with links to their cells."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from xlsxwriter.workbook import Workbook

from pipeline.core.cells import ROW, cell_ref, place_of
from pipeline.core.issues import Issue, make
from pipeline.forms.programme import PeriodInfo, Programme
from pipeline.forms.templates import ReportSpec, report_spec, safe_file_name, write_report
from pipeline.intake.blocks import Table
from pipeline.intake.submission import Submission
from pipeline.text import date_text, text
from pipeline.xlsx.book import Formats, open_workbook
from pipeline.xlsx.formsheets import ERROR_FILL, FORM_FIRST_ROW, WARNING_FILL, Marks
from pipeline.xlsx.plain import plain
from pipeline.xlsx.replay import LayoutSheet, Mismatch, Prototype, PrototypeBook
from pipeline.xlsx.reports import Heading, ReportColumn, write_report_table
from schemas.model import Kind, Sheet
from schemas.programme import School, Settings
from schemas.report import DATA_SHEETS, SchoolInfo

FEEDBACK_SPARE_ROWS = 20  # a corrected report rarely grows; thousands of these are written per run


@dataclass(frozen=True)
class Placed:
    """A finding and where it sits in the feedback workbook (sheet title, A1) if anywhere."""

    issue: Issue
    sheet: str = ""
    cell: str = ""


def _rows(model: type[Sheet], table: Table, names: dict[str, str], failed: dict) -> list[tuple[object, ...]]:
    """The submitted rows, each its values in the model's column order: typed where they could
    be read and as typed where not."""
    where = {int(r): i for i, r in enumerate(table.values(ROW))}
    columns = []
    for col in model.columns:
        values = table.values(col.name)
        if col.choices == "partner":
            values = [names.get(v, v) if v is not None else None for v in values]
        for (sheet, name, row), text_found in failed.items():
            if sheet == table.sheet and name == col.name and row in where:
                values[where[row]] = text_found
        columns.append(values)
    return list(zip(*columns, strict=True))


_NUMBER = re.compile(r"-?\d{1,15}(\.\d+)?")


def as_typed(found: str) -> object:
    """What a school typed, written back as it typed it: a number as a number (200, not the text
    "200.0", which Excel shows left-aligned with a warning), anything else as its text."""
    if not found:
        return None
    if _NUMBER.fullmatch(found):
        number = float(found)
        return int(number) if number.is_integer() else number
    return found


def _column_at(table: Table, index: int) -> str | None:
    return next((name for name, c in table.columns.items() if c == index), None)


def place(sub: Submission, lang: str) -> tuple[dict[type[Sheet], Marks], list[Placed], dict]:
    """Map each finding from the school's own file to its cell in the feedback workbook."""
    marks: dict[type[Sheet], Marks] = {}
    placed: list[Placed] = []
    failed: dict[tuple[str, str, int], str] = {}  # cells that could not be read -> the text found
    by_sheet = {t.sheet: (m, t) for m, t in sub.tables.items()}
    positions = {m: {int(r): i for i, r in enumerate(t.values(ROW))} for m, t in sub.tables.items()}
    for issue in sub.issues:
        model, table = by_sheet.get(issue.sheet, (None, None))
        target = None
        if model is SchoolInfo:
            col = next((c for c in SchoolInfo.columns if c.zh == issue.column), None)
            if col is not None:
                target = (FORM_FIRST_ROW + SchoolInfo.columns.index(col), 1)
        elif model is not None and (where := place_of(issue.cell)):
            row, column = where
            name = _column_at(table, column)
            index = positions[model].get(row)
            if name is not None and index is not None:
                target = (index + 1, [c.name for c in model.columns].index(name))
                if issue.is_error and model.column(name).kind is not Kind.TEXT:
                    failed[(table.sheet, name, row)] = as_typed(issue.value)
        if target is None:
            placed.append(Placed(issue))
            continue
        comment = f"{'错误' if issue.is_error else '警告'}：{issue.message(lang)}"
        cell = marks.setdefault(model, {})
        previous = cell.get(target)
        if previous:
            comment = f"{previous[1]}\n{comment}"
        cell[target] = (issue.is_error or bool(previous and previous[0]), comment)
        placed.append(Placed(issue, model.title(lang), cell_ref(*target)))
    return marks, placed, failed


def feedback_path(sub: Submission, programme: Programme, folder: Path) -> Path:
    """反馈/<学校代码>_<学校名称>.xlsx"""
    name = programme.roster[sub.school][School.school_name.name]
    return folder / (safe_file_name(f"{sub.school}_{name}") + ".xlsx")


def write_feedback(sub: Submission, programme: Programme, period: PeriodInfo, folder: Path, lang: str) -> Path:
    """The school's feedback workbook; it passes intake like any submission once corrected.
    Written on the run's prototype (pipeline.xlsx.replay), or by xlsxwriter where it differs."""
    spec, marks, front = feedback_report(sub, programme, period, lang)
    path = feedback_path(sub, programme, folder)
    folder.mkdir(parents=True, exist_ok=True)
    if plain():
        return write_report(path, spec, marks, front)
    prototype = _prototype(programme, period, spec)
    try:
        return write_report(
            path,
            spec,
            marks,
            front,
            opener=functools.partial(open_workbook, book_class=prototype.book, sheet_class=LayoutSheet),
        )
    except Mismatch:  # laid out otherwise than the prototype (as a value column of dates would be)
        return write_report(path, spec, marks, front)


def feedback_report(
    sub: Submission, programme: Programme, period: PeriodInfo, lang: str
) -> tuple[ReportSpec, dict[type[Sheet], Marks], Callable[[Workbook, Formats], None]]:
    """What ``write_report`` takes for a school's feedback: the report pre-filled with what it
    sent, its marked cells, and the 校验结果 sheet in front."""
    marks, placed, failed = place(sub, lang)
    rows = {m: _rows(m, sub.tables[m], programme.names, failed) for m in DATA_SHEETS if m in sub.tables}
    info = {}
    if SchoolInfo in sub.tables:
        info = {k: v for k, v in sub.tables[SchoolInfo].first().items() if k != ROW and v is not None and v == v}
    spec = dataclasses.replace(
        report_spec(programme, sub.school, period, lang, rows=rows, info=info),
        spare_rows=FEEDBACK_SPARE_ROWS,
        answers=sub.sha256,
    )
    errors = sum(1 for i in sub.issues if i.is_error)
    counts = (errors, len(sub.issues) - errors)
    heading = front_heading(sub.school, sub.received.date(), programme, period, lang, counts)
    front = functools.partial(_results_sheet, placed=placed, lang=lang, title=spec.programme_name, heading=heading)
    return spec, marks, front


def front_heading(
    school: str, received: dt.date, programme: Programme, period: PeriodInfo, lang: str, counts: tuple[int, int]
) -> Heading:
    """What the school reads first: whose report and which period, how many problems, what must
    be fixed before the rest counts, that a reason in 说明 clears a warning, and by when and to
    whom to send it back (项目设置). One row a line, the same rows for every school."""
    name, (errors, warnings) = programme.roster[school][School.school_name.name], counts
    bureau = programme.setting(Settings.bureau.name)
    days = int(float(programme.setting(Settings.fix_days.name, "7")))
    by = max(period.deadline, received + dt.timedelta(days=days))
    to = "，".join(
        filter(
            None,
            (
                programme.setting(Settings.contact.name),
                programme.setting(Settings.report_email.name),
                programme.setting(Settings.phone.name),
            ),
        )
    )
    return Heading(
        text("feedback.heading", lang, school=name, code=school, period=period.name),
        (
            text("feedback.counts", lang, errors=errors, warnings=warnings),
            text("feedback.errors_first" if errors else "feedback.counted", lang),
            text("feedback.warnings_rule", lang),
            text("feedback.send_back", lang, date=date_text(by, lang), to=to or bureau),
        ),
        period=period.name,
        pack=False,
    )


_PROTOTYPES: dict[tuple[str, str, str], Prototype] = {}  # per process: (programme digest, period, lang) -> prototype


def _prototype(programme: Programme, period: PeriodInfo, spec: ReportSpec) -> Prototype:
    """The prototype of a run's feedback workbooks, written once a process. It is the same
    whichever school comes first (so are the workbooks replayed on it): no rows, every cell that
    a finding can mark marked as an error (PrototypeBook adds the warning fill), and in 校验结果
    one finding with a link and one without."""
    key = (programme.digest, period.code, spec.lang)
    if key not in _PROTOTYPES:
        marks = {SchoolInfo: {(FORM_FIRST_ROW + r, 1): (True, "-") for r in range(len(SchoolInfo.columns))}}
        marks |= {model: {(1, c): (True, "-") for c in range(len(model.columns))} for model in DATA_SHEETS}
        issue = make("not-a-number", sheet=DATA_SHEETS[0].title(spec.lang), cell="A2", value="-")
        placed = [Placed(issue, issue.sheet, issue.cell), Placed(issue)]
        made: list[PrototypeBook] = []

        def opener(path: io.BytesIO) -> PrototypeBook:
            made.append(open_workbook(path, PrototypeBook, LayoutSheet))
            return made[-1]

        school = str(spec.info.get(SchoolInfo.school_code.name) or next(iter(programme.roster)))
        heading = front_heading(school, period.deadline, programme, period, spec.lang, (1, 1))
        front = functools.partial(
            _results_sheet, placed=placed, lang=spec.lang, title=spec.programme_name, heading=heading
        )
        write_report(io.BytesIO(), dataclasses.replace(spec, rows={}), marks, front, opener=opener)
        if len(_PROTOTYPES) >= 4:
            _PROTOTYPES.clear()
        _PROTOTYPES[key] = Prototype.of(made[0])
    return _PROTOTYPES[key]


def _reading_order(p: Placed, sheets: dict[str, int]) -> tuple[bool, int, tuple[int, int]]:
    """Errors before warnings; then findings about the whole file or a sheet, then cell by cell
    in sheet order, row by row (B2 before B14), left to right."""
    where = place_of(p.cell) if p.cell else None
    if where is None:
        return not p.issue.is_error, -1, (0, -1)
    return not p.issue.is_error, sheets.get(p.sheet, len(sheets)), where


def _results_sheet(
    book: Workbook, fmt: Formats, *, placed: list[Placed], lang: str, title: str, heading: Heading
) -> None:
    columns = [
        ReportColumn(text("feedback.col.where", lang), 20),
        ReportColumn(text("feedback.col.severity", lang), 8),
        ReportColumn(text("feedback.col.column", lang), 14),
        ReportColumn(text("feedback.col.value", lang), 18, wrap=True),
        ReportColumn(text("feedback.col.message", lang), 70),
    ]
    rows, formats, links = [], [], {}
    order = {model.title(lang): n for n, model in enumerate((SchoolInfo, *DATA_SHEETS))}
    for i, p in enumerate(sorted(placed, key=lambda p: _reading_order(p, order))):
        where = f"{p.sheet}!{p.cell}" if p.cell else (p.issue.sheet or text("feedback.whole_file", lang))
        rows.append(
            [
                where,
                text(f"severity.{p.issue.severity}", lang),
                p.issue.column_label(lang),
                p.issue.value,
                p.issue.message(lang),
            ]
        )
        formats.append({"bg_color": ERROR_FILL if p.issue.is_error else WARNING_FILL})
        if p.cell:
            links[i] = f"'{p.sheet}'!{p.cell}"
    name = text("feedback.sheet", lang)
    ws = write_report_table(
        book, fmt, name, columns, rows, lang, title, formats, links=links, heading=heading, fit=False
    )
    ws.activate()
    ws.set_first_sheet()
