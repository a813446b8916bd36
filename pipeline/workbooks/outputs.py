"""The intake's plain outputs: manifest.csv, the accepted rows and findings as CSV (UTF-8 with
BOM, so Excel opens the Chinese correctly), with provenance on every row."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.checks.crosscheck import SUB, Batch
from pipeline.core.cells import ROW
from pipeline.forms.programme import PeriodInfo, Programme
from pipeline.intake.submission import DUPLICATE, SUPERSEDED, Submission, days_late
from pipeline.text import FINDINGS, status_label, text
from pipeline.workbooks.csvfile import write_frame, write_rows
from schemas.model import Sheet


def manifest_rows(subs: list[Submission], programme: Programme, period: PeriodInfo, lang: str) -> list[list]:
    names = programme.names
    rows = []
    for s in subs:
        errors = sum(1 for i in s.issues if i.is_error)
        rows.append(
            [
                s.rel,
                s.size,
                s.sha256,
                s.kind,
                s.school,
                names.get(s.school, ""),
                s.period or "",
                status_label(s.status, lang),
                s.status,
                reason_text(s, lang),
                s.reason if s.reason in FINDINGS else "",
                s.received.strftime("%Y-%m-%d %H:%M"),
                days_late(s.received, period.deadline),
                s.rows_read,
                s.rows_accepted,
                s.rows_excluded,
                errors,
                len(s.issues) - errors,
            ]
        )
    return rows


def reason_text(sub: Submission, lang: str) -> str:
    """Why a file has its status, in words: the finding's title, or the file that replaced it."""
    if sub.status == SUPERSEDED:
        return text("reason.superseded", lang, file=sub.reason)
    if sub.status == DUPLICATE:
        return text("reason.duplicate", lang, file=sub.reason)
    if sub.reason in FINDINGS:
        found = FINDINGS[sub.reason]
        return found.title_en if lang == "en" else found.title_zh
    return sub.reason


MANIFEST_KEYS = (
    "path",
    "size",
    "sha256",
    "type",
    "school_code",
    "school_name",
    "period",
    "status",
    "code",
    "reason",
    "reason_code",
    "received",
    "days_late",
    "rows_read",
    "rows_accepted",
    "rows_excluded",
    "errors",
    "warnings",
)


def write_manifest(folder: Path, subs: list[Submission], programme: Programme, period: PeriodInfo, lang: str) -> Path:
    """Every inbox file, once, with its status and why."""
    header = [text(f"col.{k}", lang) for k in MANIFEST_KEYS]
    return write_rows(folder / "manifest.csv", header, manifest_rows(subs, programme, period, lang))


def _mapped(values: pd.Series, lookup: dict) -> pd.Series:
    """``lookup.get(v, v)`` for each value, in one pass."""
    found = values.map(lookup)
    return found.where(found.notna(), values)


def finding_rows(subs: list[Submission], lang: str) -> list[list]:
    return [
        [
            s.school,
            i.file,
            i.sheet,
            i.cell,
            i.column_label(lang),
            i.value,
            i.code,
            text(f"severity.{i.severity}", lang),
            i.message(lang),
            "1" if i.explained else "",
        ]
        for s in subs
        for i in s.issues
    ]


FINDING_KEYS = ("school_code", "file", "sheet", "cell", "column", "value", "code", "severity", "message", "explained")


def write_data(
    folder: Path, accepted: dict[type[Sheet], Batch], subs: list[Submission], programme: Programme, lang: str
) -> list[Path]:
    """Accepted rows per sheet type and every finding, with file, sha256, sheet and Excel row."""
    by_index = {s.index: s for s in subs}
    names = programme.names
    data = folder / "data"
    data.mkdir(parents=True, exist_ok=True)
    paths = []
    # Lookups by dict, not by a function per row: pandas maps a dict over a column in one pass.
    code_of = {i: s.school for i, s in by_index.items()}
    file_of = {i: s.rel for i, s in by_index.items()}
    sha_of = {i: s.sha256 for i, s in by_index.items()}
    for model, batch in accepted.items():
        frame = batch.frame
        sub_ids = frame[SUB].astype(int)
        shown = {text("col.school_code", lang): sub_ids.map(code_of)}
        for c in model.columns:
            values = frame[c.name]
            if c.choices == "partner":  # dates need nothing: write_frame shows them as yyyy-mm-dd
                values = _mapped(values, names)
            shown[c.label(lang)] = values
        shown[text("col.file", lang)] = sub_ids.map(file_of)
        shown[text("col.sha256", lang)] = sub_ids.map(sha_of)
        shown[text("col.sheet", lang)] = sub_ids.map({i: table.sheet for i, table in batch.tables.items()})
        shown[text("col.sheet_row", lang)] = frame[ROW].astype(int)
        path = data / f"{model.__name__.lower()}.csv"
        paths.append(write_frame(pd.DataFrame(shown), path))
    header = [text(f"col.{k}", lang) for k in FINDING_KEYS]
    paths.append(write_rows(data / "findings.csv", header, finding_rows(subs, lang)))
    return paths
