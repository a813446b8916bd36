"""汇总报表_<period>.xlsx for officials: 总览 with headline figures and charts, one numbered
table per aggregation, each under its title block, and 说明; the 明细 as an annex workbook of
their own (附表). No business rules here."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from xlsxwriter.workbook import Workbook

from pipeline.text import column_label, status_label, text
from pipeline.workbooks.overview import write_overview
from pipeline.workbooks.tables import Imprint, ReportTable, cell_value, frame_values, write_table
from pipeline.xlsx.book import Formats, ok, open_workbook, print_setup, text_width
from pipeline.xlsx.reports import Heading, ReportColumn, write_report_table


@dataclass(frozen=True)
class Consolidated:
    """Everything the workbook shows, already aggregated."""

    programme_name: str
    bureau: str
    form_number: str
    period_name: str
    period_start: dt.date
    period_end: dt.date
    as_of: dt.date
    unit: str
    headline: dict[str, object]
    cumulative: dict[str, object] | None
    tables: list[ReportTable]
    by_type: pd.DataFrame
    by_source: pd.DataFrame
    rank_changes: pd.DataFrame
    rank_subject: str
    history: pd.DataFrame
    detail_note: str  # where the 明细 are: their own workbook, or data/*.csv past the limit
    history_note: str  # which history store the figures to date came from, and the periods it lacks
    inputs: pd.DataFrame
    version: str
    run_id: str
    banner: str = ""  # said in red above the figures: e.g. that no report could be used

    @property
    def imprint(self) -> Imprint:
        return Imprint(self.period_name, self.period_start, self.period_end, self.bureau, self.as_of, self.unit)


def _notes(book: Workbook, fmt: Formats, c: Consolidated, lang: str, title: str) -> None:
    ws = book.add_worksheet(text("sheet.notes", lang))
    ws.set_column(0, 0, 60)
    ws.set_column(1, 1, 66)
    ws.set_column(2, 2, 12)
    ok(ws.write_string(0, 0, text("notes.title", lang), fmt.get(bold=True, font_size=14)))
    wrap = fmt.get(text_wrap=True, valign="top")
    for r in range(1, 6):
        ok(ws.merge_range(r, 0, r, 2, text(f"notes.rule{r}", lang, unit=c.unit), wrap))
        ws.set_row(r, 48)
    if c.detail_note:
        ok(ws.merge_range(6, 0, 6, 2, c.detail_note, wrap))
        ws.set_row(6, 48)
    if c.history_note:
        ok(ws.merge_range(7, 0, 7, 2, c.history_note, wrap))
        ws.set_row(7, 48)
    run = text("notes.version", lang, version=c.version, run=c.run_id)
    ok(ws.merge_range(8, 0, 8, 2, run, fmt.get(italic=True)))
    ok(ws.write_string(10, 0, text("notes.inputs", lang, files=len(c.inputs)), fmt.get(bold=True, font_size=12)))
    head = fmt.get(bold=True, border=1, bg_color="#DDEBF7")
    for col, name in enumerate(("file", "sha256", "status")):
        ok(ws.write_string(11, col, column_label(name, lang) if name != "sha256" else "SHA-256", head))
    inputs = [[rec.file, rec.sha256, status_label(rec.status, lang)] for rec in c.inputs.itertuples(index=False)]
    ws.write_rows(12, inputs, [fmt.get(border=1), fmt.get(border=1, font_size=9), fmt.get(border=1)])
    print_setup(ws, lang, title, period=c.period_name)
    ws.print_area(0, 0, 8, 2)  # the rules print; the list of every input file (thousands) is for the screen


def _detail(
    book: Workbook, fmt: Formats, name: str, frame: pd.DataFrame, lang: str, title: str, heading: Heading | None = None
) -> None:
    columns = [ReportColumn(str(col), _detail_width(str(col), frame[col])) for col in frame.columns]
    rows = frame_values(frame)
    sheet = text("sheet.detail", lang, name=name)[:31]
    write_report_table(book, fmt, sheet, columns, rows, lang, title, heading=heading)


def _detail_width(header: str, values: pd.Series, sample: int = 200) -> float:
    """Wide enough for the header and the first values (school names, dates), at most 30: a
    longer text wraps."""
    shown = [text_width(str(cell_value(v))) for v in values.head(sample) if cell_value(v) is not None]
    return min(30, max(8, text_width(header), *shown) + 2)


# Small related tables that share a sheet, and so a printed page: (the sheet's name, its tables).
SHARED_PAGES = (
    ("sheet.by_area_flow", ("sheet.by_area", "sheet.by_flow")),
    ("sheet.funding_kinds", ("sheet.funding_source", "sheet.funding_category", "sheet.goods")),
    ("sheet.groups_improved", ("sheet.groups", "sheet.improved")),
)


def sheets_of(tables: list[ReportTable]) -> list[tuple[str, list[ReportTable]]]:
    """The workbook's table sheets in order: (a shared sheet's name key, or "", its tables)."""
    by_key = {t.key: t for t in tables}
    leaders = {keys[0]: (name, keys) for name, keys in SHARED_PAGES if all(k in by_key for k in keys)}
    shared = {k for _, keys in leaders.values() for k in keys}
    sheets: list[tuple[str, list[ReportTable]]] = []
    for table in tables:
        if table.key in leaders:
            name, keys = leaders[table.key]
            sheets.append((name, [by_key[k] for k in keys]))
        elif table.key not in shared:
            sheets.append(("", [table]))
    return sheets


def write_consolidated(path: Path, c: Consolidated, lang: str = "zh") -> Path:
    """The workbook, deterministic for its inputs."""
    book = open_workbook(path)
    fmt = Formats(book)
    title = text("report.workbook_title", lang, programme=c.programme_name)
    write_overview(book, fmt, c, lang, title)
    number = 0
    for name, group in sheets_of(c.tables):
        into = None
        for table in group:
            number += 1
            heading = c.imprint.numbered(number, table, lang)
            if into is not None:  # the sheet's first table carries the period, maker and date
                heading = dataclasses.replace(heading, lines=())
            ws, row = write_table(
                book, fmt, table, lang, c.unit, title, heading, into, text(name, lang) if name else ""
            )
            into = (ws, row)
        if name and into is not None:  # small tables on one page: no header row repeated, no panes
            into[0].repeat_row_range, into[0].panes = "", []
    _notes(book, fmt, c, lang, title)
    book.close()
    return path


def write_detail_workbook(
    path: Path, details: list[tuple[str, pd.DataFrame]], lang: str, title: str, imprint: Imprint | None = None
) -> Path:
    """The 明细 as a workbook of their own (附表): the whole run's when they fit, else one per 片区
    on request. Rendered rows go to a temporary file (xlsxwriter's own cells took 2.6 GiB for a
    million rows, docs/performance.md)."""
    book = open_workbook(path)
    fmt = Formats(book)
    for number, (name, frame) in enumerate(details, start=1):
        heading = None
        if imprint is not None:
            named = text("detail.table_title", lang, number=number, name=name)
            heading = imprint.heading(named, lang, money=False)
        _detail(book, fmt, name, frame, lang, title, heading)
    book.close()
    return path
