"""校验报告_<period>.xlsx: per-school status and timeliness, every finding, every file, and the
catalogue of finding codes; for the analyst who chases schools."""

from __future__ import annotations

from pathlib import Path

from pipeline.forms.programme import PeriodInfo, Programme
from pipeline.intake.submission import Submission, days_late
from pipeline.text import ERROR, FINDINGS, status_label, text
from pipeline.workbooks.outputs import FINDING_KEYS, MANIFEST_KEYS, finding_rows, manifest_rows
from pipeline.xlsx.book import Formats, open_workbook
from pipeline.xlsx.reports import ReportColumn, write_report_table
from schemas.programme import School

STATUS_FILL = {
    "passed": "#C6EFCE",
    "warnings": "#FFEB9C",
    "needs-fix": "#FFC7CE",
    "returned": "#FFC7CE",
    "missing": "#FFC7CE",
}
WIDTHS = {
    "path": 36,
    "file": 36,
    "sender": 26,
    "message": 60,
    "sha256": 20,
    "school_name": 26,
    "reason": 24,
    "received": 17,
    "value": 18,
}


def summary_rows(subs: list[Submission], programme: Programme, period: PeriodInfo, lang: str):
    """One row per reporting school: its counted submission, or 未报送."""
    current = {s.school: s for s in subs if s.counted and s.school}
    first_file: dict[str, Submission] = {}  # of a school with nothing counted: the file it sent first
    for s in subs:
        first_file.setdefault(s.school, s)
    rows, statuses = [], []
    for rec in programme.reporting_records:
        code = rec[School.school_code.name]
        sub = current.get(code)
        head = [code, rec[School.school_name.name], rec.get(School.district.name) or ""]
        if sub is None:
            returned = first_file.get(code)
            status = "returned" if returned else "missing"
            rows.append(
                [
                    *head,
                    status_label(status, lang),
                    returned.rel if returned else "",
                    returned.sender if returned else "",
                    "",
                    text("timeliness.missing", lang),
                    "",
                    0,
                    0,
                    0,
                    0,
                    0,
                ]
            )
        else:
            late = days_late(sub.received, period.deadline)
            errors = sum(1 for i in sub.issues if i.is_error)
            status = sub.status
            rows.append(
                [
                    *head,
                    status_label(status, lang),
                    sub.rel,
                    sub.sender,
                    sub.received.strftime("%Y-%m-%d %H:%M"),
                    text("timeliness.late" if late else "timeliness.on_time", lang),
                    late or "",
                    sub.rows_read,
                    sub.rows_accepted,
                    sub.rows_excluded,
                    errors,
                    len(sub.issues) - errors,
                ]
            )
        statuses.append(status)
    return rows, statuses


SUMMARY_KEYS = (
    "school_code",
    "school_name",
    "district",
    "status",
    "file",
    "sender",
    "received",
    "timeliness",
    "days_late",
    "rows_read",
    "rows_accepted",
    "rows_excluded",
    "errors",
    "warnings",
)


def _columns(keys: tuple[str, ...], lang: str) -> list[ReportColumn]:
    return [ReportColumn(text(f"col.{k}", lang), WIDTHS.get(k, 11)) for k in keys]


def write_check_report(path: Path, subs: list[Submission], programme: Programme, period: PeriodInfo, lang: str) -> Path:
    """The validation report for one period."""
    book = open_workbook(path)
    fmt = Formats(book)
    title = text("check.title", lang, programme=programme.name, period=period.name)
    rows, statuses = summary_rows(subs, programme, period, lang)
    fills = [{"bg_color": STATUS_FILL[s]} if s in STATUS_FILL else None for s in statuses]
    write_report_table(
        book, fmt, text("check.sheet.summary", lang), _columns(SUMMARY_KEYS, lang), rows, lang, title, fills
    )
    findings = finding_rows(subs, lang)
    fills = [{"bg_color": "#FFC7CE" if f[7] == text("severity.error", lang) else "#FFEB9C"} for f in findings]
    write_report_table(
        book, fmt, text("check.sheet.findings", lang), _columns(FINDING_KEYS, lang), findings, lang, title, fills
    )
    write_report_table(
        book,
        fmt,
        text("check.sheet.files", lang),
        _columns(MANIFEST_KEYS, lang),
        manifest_rows(subs, programme, period, lang),
        lang,
        title,
    )
    write_report_table(
        book,
        fmt,
        text("check.sheet.codes", lang),
        [
            ReportColumn(text("col.code", lang), 24),
            ReportColumn(text("col.severity", lang), 8),
            ReportColumn(text("col.title", lang), 18),
            ReportColumn(text("col.occurrences", lang), 10),
            ReportColumn(text("col.files_with", lang), 11),
            ReportColumn(text("col.example", lang), 80),
        ],
        code_rows(subs, lang),
        lang,
        title,
    )
    book.close()
    return path


def code_rows(subs: list[Submission], lang: str) -> list[list[object]]:
    """The codes this period's findings carry, errors first, then the most frequent: what each
    means (its first finding of the period as the example, every blank filled in) and how many
    findings and files have it (docs/ lists every code)."""
    found: dict[str, int] = {}
    files: dict[str, set[str]] = {}
    example: dict[str, str] = {}
    for sub in subs:
        for issue in sub.issues:
            found[issue.code] = found.get(issue.code, 0) + 1
            files.setdefault(issue.code, set()).add(sub.rel)
            example.setdefault(issue.code, issue.message(lang))
    listed = sorted((FINDINGS[code] for code in found), key=lambda f: (f.severity != ERROR, -found[f.code], f.code))
    return [
        [
            f.code,
            text(f"severity.{f.severity}", lang),
            f.title_en if lang == "en" else f.title_zh,
            found[f.code],
            len(files[f.code]),
            example[f.code],
        ]
        for f in listed
    ]
