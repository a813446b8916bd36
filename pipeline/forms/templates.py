"""Schemas -> input workbooks: the programme workbook and blank or personalised school reports."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from xlsxwriter.workbook import Workbook

from pipeline.forms.programme import Partner, PeriodInfo, Programme
from pipeline.text import text
from pipeline.xlsx.book import Formats, ok, open_workbook
from pipeline.xlsx.formsheets import ListsSheet, Marks, Validation, write_form_sheet, write_meta, write_table_sheet
from schemas.choices import LISTS, Choices
from schemas.model import Kind, Record, Sheet
from schemas.programme import PROGRAMME_SHEETS, Choice, School, Settings
from schemas.report import (
    DATA_SHEETS,
    REPORT_FINGERPRINT,
    TEMPLATE_VERSION,
    Activity,
    Funding,
    Meta,
    Personnel,
    SchoolInfo,
)
from schemas.rubric import DEFAULT_RUBRIC, Indicator

BLANK_ROWS = 200
EXTRA_ROWS = 50
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')
_EARLIEST = dt.date(2000, 1, 1)
_LATEST = dt.date(2100, 12, 31)

BLANK_NAMES = {
    "zh": ("项目配置_模板.xlsx", "结对帮扶工作报表_模板.xlsx"),
    "en": ("programme_template.xlsx", "school_report_template.xlsx"),
}


@dataclass(frozen=True)
class ReportSpec:
    """Everything that personalises a school report; the defaults give the blank generic one."""

    lang: str = "zh"
    choices: Choices = field(default_factory=Choices.defaults)
    programme_name: str = ""
    bureau: str = ""
    contact: str = ""
    phone: str = ""
    info: Record = field(default_factory=dict)
    partners: tuple[Partner, ...] = ()
    period: PeriodInfo | None = None
    rows: dict[type[Sheet], list[Record | tuple[object, ...]]] = field(default_factory=dict)
    spare_rows: int | None = None  # empty rows after the data; default: EXTRA_ROWS, or BLANK_ROWS if none
    answers: str = ""  # a feedback workbook: the sha256 of the file it answers


def safe_file_name(name: str) -> str:
    """A file name with no path separators or characters Windows refuses."""
    return _UNSAFE.sub("_", name).strip(" .") or "_"


def report_file_name(school_code: str, school_name: str, period_code: str) -> str:
    return safe_file_name(f"{school_code}_{school_name}_{period_code}") + ".xlsx"


def report_spec(
    programme: Programme,
    school_code: str,
    period: PeriodInfo,
    lang: str = "zh",
    rows: dict[type[Sheet], list[Record | tuple[object, ...]]] | None = None,
    info: Record | None = None,
) -> ReportSpec:
    """The personalised report of one school for one period, optionally pre-filled."""
    school = programme.school(school_code)
    partners = tuple(programme.partners_of(school_code))
    identity = {
        SchoolInfo.school_code.name: school_code,
        SchoolInfo.school_name.name: school[School.school_name.name],
        SchoolInfo.period.name: period.code,
        SchoolInfo.role.name: school[School.role.name],
        SchoolInfo.partners.name: "；".join(p.name for p in partners),
    }
    return ReportSpec(
        lang=lang,
        choices=programme.choices,
        programme_name=programme.name,
        bureau=programme.setting(Settings.bureau.name),
        contact=programme.setting(Settings.contact.name),
        phone=programme.setting(Settings.phone.name),
        info={**(info or {}), **identity},
        partners=partners,
        period=period,
        rows=rows or {},
    )


def _report_rules(model: type[Sheet], spec: ReportSpec, lists: ListsSheet) -> dict[str, Validation]:
    """Drop-down lists and date ranges for each column of a report sheet."""
    period = (spec.period.start, spec.period.end) if spec.period else (_EARLIEST, _LATEST)
    rules: dict[str, Validation] = {}
    for col in model.columns:
        if col.kind is Kind.CHOICE:
            if col.choices == "partner":
                if spec.partners:
                    names = tuple(p.name for p in spec.partners)
                    rules[col.name] = Validation(lists.ref("partner", col.label(spec.lang), names))
            elif col.fixed:
                rules[col.name] = Validation(lists.ref("|".join(col.fixed), col.label(spec.lang), col.fixed))
            else:
                values = spec.choices.values(col.choices)
                rules[col.name] = Validation(lists.ref(col.choices, col.label(spec.lang), values))
        elif col.kind is Kind.DATE:
            rules[col.name] = Validation(date_range=_date_range(model, col.name, period))
    return rules


def _date_range(model: type[Sheet], column: str, period: tuple[dt.date, dt.date]) -> tuple[dt.date, dt.date]:
    """Activities and funding fall inside the period; a secondment overlaps it."""
    start, end = period
    if model is Personnel:
        return (_EARLIEST, end) if column == Personnel.start_date.name else (start, _LATEST)
    if model in (Activity, Funding):
        return start, end
    if model is SchoolInfo:
        return start, _LATEST
    return _EARLIEST, _LATEST


def write_report(
    path: Path | io.BytesIO,
    spec: ReportSpec,
    marks: dict[type[Sheet], Marks] | None = None,
    front: Callable[[Workbook, Formats], None] | None = None,
    opener: Callable[[Path | io.BytesIO], Workbook] = open_workbook,
) -> Path | io.BytesIO:
    """One school report workbook: instructions, school info, four data sheets, lists, _meta.

    ``marks`` colours and comments cells per sheet; ``front`` adds sheets before the rest;
    ``opener`` makes the workbook (``open_workbook`` with another class, as pipeline.xlsx.replay does).
    """
    lang = spec.lang
    marks = marks or {}
    book = opener(path)
    fmt = Formats(book)
    lists = ListsSheet(book)
    title = spec.programme_name or text("report.title", lang)
    if front is not None:
        front(book, fmt)
    _write_instructions(book, fmt, spec, title, activate=front is None)
    school_name = str(spec.info.get(SchoolInfo.school_name.name) or "")
    heading = " ".join(filter(None, (school_name, text("report.title", lang))))
    write_form_sheet(
        book,
        fmt,
        SchoolInfo,
        lang,
        _report_rules(SchoolInfo, spec, lists),
        spec.info,
        protect=True,
        title=title,
        heading=heading,
        marks=marks.get(SchoolInfo),
    )
    for model in DATA_SHEETS:
        rows = spec.rows.get(model, [])
        write_table_sheet(
            book,
            fmt,
            model,
            lang,
            _report_rules(model, spec, lists),
            rows,
            blank_rows=spec.spare_rows if spec.spare_rows is not None else EXTRA_ROWS if rows else BLANK_ROWS,
            protect=True,
            title=title,
            marks=marks.get(model),
        )
    lists.close()
    write_meta(book, _meta(spec))
    book.close()
    return path


def _meta(spec: ReportSpec) -> dict[str, str]:
    """What the hidden _meta sheet says: the file is recognised by it whatever it is renamed to."""
    return {
        Meta.template_version.name: TEMPLATE_VERSION,
        Meta.schema_fingerprint.name: REPORT_FINGERPRINT,
        Meta.programme.name: spec.programme_name,
        Meta.school_code.name: str(spec.info.get(SchoolInfo.school_code.name) or ""),
        Meta.period_code.name: spec.period.code if spec.period else "",
        Meta.lang.name: spec.lang,
        Meta.answers.name: spec.answers,
    }


def _write_instructions(book: Workbook, fmt: Formats, spec: ReportSpec, title: str, activate: bool) -> None:
    lang = spec.lang
    ws = book.add_worksheet(text("instructions.sheet", lang))
    ws.set_column(0, 0, 110)
    lines: list[tuple[str, object]] = [(title, fmt.get(bold=True, font_size=16))]
    school = spec.info.get(SchoolInfo.school_name.name)
    if school:
        lines.append((f"{school}（{spec.info.get(SchoolInfo.school_code.name)}）", fmt.get(bold=True, font_size=12)))
    if spec.period:
        p = spec.period
        lines.append((text("instructions.period", lang, name=p.name, start=p.start, end=p.end), fmt.get()))
        lines.append(
            (text("instructions.deadline", lang, deadline=p.deadline), fmt.get(bold=True, font_color="#C00000"))
        )
    if spec.contact or spec.phone:
        lines.append(
            (text("instructions.contact", lang, contact=spec.contact, phone=spec.phone, bureau=spec.bureau), fmt.get())
        )
    lines.append(("", fmt.get()))
    lines.append((text("instructions.sheets", lang), fmt.get(bold=True)))
    for model in (SchoolInfo, *DATA_SHEETS):
        purpose = model.purpose_en if lang == "en" else model.purpose_zh
        lines.append((f"  {model.title(lang)}：{purpose}", fmt.get(text_wrap=True)))
    lines.append(("", fmt.get()))
    lines.append((text("instructions.rules", lang), fmt.get(bold=True)))
    lines += [(text(f"instructions.rule{i}", lang), fmt.get(text_wrap=True)) for i in range(1, 7)]
    ws.write_rows(0, [[line] for line, _ in lines], [[cell_format] for _, cell_format in lines], {0: 28}, per_row=True)
    ws.set_portrait()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.protect("", {"select_locked_cells": True, "select_unlocked_cells": True})
    if activate:
        ws.activate()


def write_programme_workbook(path: Path, lang: str = "zh", rows: dict[type[Sheet], list[Record]] | None = None) -> Path:
    """The programme workbook; blank but for the default choice lists, settings and rubric unless
    ``rows`` fill them."""
    rows = dict(rows or {})
    rows.setdefault(
        Choice, [{Choice.list_name.name: zh, Choice.value.name: v} for zh, _, values in LISTS.values() for v in values]
    )
    rows.setdefault(Indicator, DEFAULT_RUBRIC)
    defaults = {c.name: c.default for c in Settings.columns if c.default is not None}
    rows[Settings] = [defaults | {k: v for k, v in (rows.get(Settings) or [{}])[0].items() if v is not None}]
    book = open_workbook(path)
    fmt = Formats(book)
    lists = ListsSheet(book)
    title = text("programme.title", lang)
    ws = book.add_worksheet(text("instructions.programme_sheet", lang))
    ws.set_column(0, 0, 110)
    ok(ws.write_string(0, 0, title, fmt.get(bold=True, font_size=16)))
    ok(ws.write_string(1, 0, text("instructions.programme_intro", lang), fmt.get(text_wrap=True)))
    ok(ws.write_string(2, 0, text("instructions.programme_rule", lang), fmt.get(text_wrap=True)))
    for r, model in enumerate(PROGRAMME_SHEETS, start=4):
        purpose = model.purpose_en if lang == "en" else model.purpose_zh
        ok(ws.write_string(r, 0, f"{model.title(lang)}：{purpose}", fmt.get(text_wrap=True)))
    defaults = Choices.defaults()
    for model in PROGRAMME_SHEETS:
        rules = {}
        for col in model.columns:
            if col.kind is Kind.CHOICE:
                values = col.fixed or defaults.values(col.choices)
                key = "|".join(col.fixed) if col.fixed else col.choices
                # Programme-editable lists warn instead of refusing: the analyst may have added a value.
                rules[col.name] = Validation(lists.ref(key, col.label(lang), values), strict_list=bool(col.fixed))
        if model.layout == "form":
            values = (rows.get(model) or [{}])[0]
            write_form_sheet(
                book,
                fmt,
                model,
                lang,
                rules,
                values,
                protect=False,
                title=title,
                heading=f"{title} — {model.title(lang)}",
            )
        else:
            write_table_sheet(
                book, fmt, model, lang, rules, rows.get(model, []), blank_rows=EXTRA_ROWS, protect=False, title=title
            )
    lists.close()
    book.close()
    return path


def write_blank_templates(out: Path, lang: str = "zh") -> list[Path]:
    """The blank programme workbook and the blank generic school report."""
    programme_name, report_name = BLANK_NAMES[lang]
    out.mkdir(parents=True, exist_ok=True)
    return [
        write_programme_workbook(out / programme_name, lang),
        write_report(out / report_name, ReportSpec(lang=lang)),
    ]


def write_school_reports(programme: Programme, period: PeriodInfo, out: Path, lang: str = "zh") -> list[Path]:
    """One personalised report per school that reports to the bureau."""
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for school in programme.reporting_records:
        code, name = school[School.school_code.name], school[School.school_name.name]
        spec = report_spec(programme, code, period, lang)
        paths.append(write_report(out / report_file_name(code, name, period.code), spec))
    return paths
