"""`bangfu history export`: periods of the history store as a workbook (one sheet a view, each
under its title block, columns labelled as in the other reports) or as CSV files people open in Excel."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from pipeline.text import column_label, date_text, text
from pipeline.workbooks.csvfile import write_frame
from pipeline.workbooks.tables import frame_values
from pipeline.xlsx.book import Formats, open_workbook
from pipeline.xlsx.reports import Heading, ReportColumn, write_report_table
from schemas.report import DATA_SHEETS

VIEW_SHEETS = {
    "periods": "history.sheet.periods",
    "submissions": "history.sheet.submissions",
    "activities": "history.sheet.activities",
    "personnel": "history.sheet.personnel",
    "funding": "history.sheet.funding",
    "scores": "history.sheet.scores",
    "findings": "history.sheet.findings",
}


# The store's own columns, labelled in the catalogue as history.col.<name>.
HISTORY_COLUMNS = (
    "period", "reported_by", "flow", "identified_by", "name", "kind", "start", "end", "deadline", "schools",
    "activities", "files", "reason", "cell", "column", "code", "severity", "explained", "rank", "n", "rank_last",
    "n_last", "file_last", "sheet_last", "row_last",
)  # fmt: skip


def labels(lang: str) -> dict[str, str]:
    """People's labels of the store's columns: the school report's, then the catalogue's."""
    found = {col.name: col.label(lang) for model in DATA_SHEETS for col in model.columns}
    own = {c: text(f"history.col.{c}", lang) for c in HISTORY_COLUMNS}
    return found | own | {"row": text("col.sheet_row", lang), "sha256": "SHA-256"}


def labelled(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The frame with people's column labels; a label two columns share names its column too."""
    names = labels(lang)
    shown = [names.get(c) or column_label(c, lang) for c in frame.columns]
    twice = {label for label in shown if shown.count(label) > 1}
    return frame.set_axis(
        [f"{label}（{c}）" if label in twice else label for label, c in zip(shown, frame.columns, strict=True)], axis=1
    )


def write_export(
    path: Path, frames: dict[str, pd.DataFrame], programme: str, span: str, lang: str, today: dt.date
) -> list[Path]:
    """``path`` ending .xlsx: one workbook; else a folder of CSV files, one a view."""
    if path.suffix.lower() != ".xlsx":
        return [write_frame(labelled(frame, lang), path / f"{view}.csv") for view, frame in frames.items()]
    title = text("history.title", lang, programme=programme)
    book = open_workbook(path)
    fmt = Formats(book)
    for number, (view, frame) in enumerate(frames.items(), start=1):
        shown = labelled(frame, lang)
        shown = shown.astype(object).where(shown.notna(), None)  # a blank stays blank, never NaN
        columns = [ReportColumn(str(c), 14) for c in shown.columns]
        name = text(VIEW_SHEETS[view], lang)
        heading = Heading(
            text("report.table_title", lang, number=number, name=name),
            (text("history.span", lang, span=span, date=date_text(today, lang)),),
            period=span,
        )
        write_report_table(book, fmt, name, columns, frame_values(shown), lang, title, heading=heading)
    book.close()
    return [path]
