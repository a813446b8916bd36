"""The consolidated run's data files: summary.json, every aggregate table and the counted rows as
CSV (read back by later runs for figures to date), and the assessment workbook with its evidence."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from pipeline.assessment.scoring import Assessment
from pipeline.core.files import write_text
from pipeline.forms.programme import PeriodInfo
from pipeline.text import column_label, text
from pipeline.workbooks.assessment_book import AssessmentBook, assessment_tables, write_assessment
from pipeline.workbooks.consolidated import ReportTable
from pipeline.workbooks.csvfile import write_frame

ASSESSMENT_SHEETS = "sheet.assessment"


def assessment_path(folder: Path, period: PeriodInfo) -> Path:
    return folder / f"考核结果_{period.code}.xlsx"


def write_assessment_outputs(
    graded: Assessment,
    folder: Path,
    programme_name: str,
    period: PeriodInfo,
    lang: str,
    unit: str,
    detail_limit: int,
    banner: str = "",
    run_id: str = "",
) -> list[Path]:
    """考核结果_<year>.xlsx, and the evidence as CSV whatever its size (in the workbook up to the
    limit). ``banner``: said first, in red (no report could be used)."""
    fits = len(graded.evidence) <= detail_limit
    note = (
        ""
        if fits
        else text(
            "detail.moved", lang, rows=len(graded.evidence), limit=detail_limit, files="data/assessment_evidence.csv"
        )
    )
    info = AssessmentBook(programme_name, period.name, period.start, period.end, unit, note, banner, run_id)
    path = write_assessment(assessment_path(folder, period), graded, info, lang, fits)
    data = folder / "data"
    data.mkdir(parents=True, exist_ok=True)
    return [
        path,
        *(
            table_csv(table, data / f"{table.key.removeprefix('sheet.')}.csv", lang, unit)
            for table in assessment_tables(graded, lang)
        ),
    ]


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
