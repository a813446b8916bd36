"""The consolidated run's data files: summary.json, every aggregate table and the counted rows as
CSV (read back by later runs for figures to date), and the assessment workbook with its evidence."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pandas as pd

from pipeline.assessment.scoring import Assessment
from pipeline.core.files import write_text
from pipeline.forms.programme import PeriodInfo
from pipeline.text import column_label, text
from pipeline.workbooks.assessment_book import AssessmentBook, assessment_tables, write_assessment, write_evidence
from pipeline.workbooks.csvfile import write_frame
from pipeline.workbooks.tables import ReportTable

ASSESSMENT_SHEETS = "sheet.assessment"


def assessment_path(folder: Path, period: PeriodInfo) -> Path:
    return folder / f"考核结果_{period.code}.xlsx"


def evidence_path(folder: Path, period: PeriodInfo) -> Path:
    return folder / f"评分依据_{period.code}.xlsx"


def write_assessment_outputs(
    graded: Assessment, folder: Path, period: PeriodInfo, info: AssessmentBook, lang: str, detail_limit: int
) -> list[Path]:
    """考核结果_<year>.xlsx; its evidence in the annex 评分依据_<year>.xlsx up to the row limit;
    and every table as CSV whatever its size. ``info.banner`` is said first (no report usable)."""
    fits = len(graded.evidence) <= detail_limit
    annex = evidence_path(folder, period)
    if fits:
        note = text("assess.evidence_attached", lang, file=annex.name)
    else:
        files = "data/assessment_evidence.csv"
        note = text("detail.moved", lang, rows=len(graded.evidence), limit=detail_limit, files=files)
    info = dataclasses.replace(info, evidence_note=note)
    paths = [write_assessment(assessment_path(folder, period), graded, info, lang)]
    if fits:
        paths.append(write_evidence(annex, graded, info, lang))
    else:
        annex.unlink(missing_ok=True)  # an older run's annex would be a newer run's evidence unnamed
    data = folder / "data"
    data.mkdir(parents=True, exist_ok=True)
    tables = assessment_tables(graded, lang)
    return paths + [table_csv(t, data / f"{t.key.removeprefix('sheet.')}.csv", lang, info.unit) for t in tables]


def table_csv(table: ReportTable, path: Path, lang: str, unit: str) -> Path:
    """One aggregation table as CSV with people's column labels."""
    return write_frame(table.frame.rename(columns=lambda c: column_label(c, lang, unit)), path)


def write_data(
    folder: Path, tables: list[ReportTable], counted: dict[str, pd.DataFrame], summary: dict, lang: str, unit: str
) -> list[Path]:
    data = folder / "data"
    data.mkdir(parents=True, exist_ok=True)
    write_text(data / "summary.json", json.dumps(summary, ensure_ascii=False, indent=2, default=str) + "\n")
    for table in tables:
        if table.key.startswith(ASSESSMENT_SHEETS):
            continue  # written with 考核结果 (write_assessment_outputs)
        table_csv(table, data / f"agg_{table.key.removeprefix('sheet.')}.csv", lang, unit)
    for name, frame in counted.items():  # machine-readable, read back for cumulative figures
        write_frame(frame, data / f"counted_{name}.csv")
    return sorted(p for p in data.iterdir() if p.name == "summary.json" or p.name.startswith(("agg_", "counted_")))
