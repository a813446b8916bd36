"""汇总报表_<period>.xlsx for officials: 总览 with headline figures and charts, one sheet per
aggregation, 明细 with provenance while small enough, and 说明. No business rules here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from pipeline.text import column_label, status_label, text
from pipeline.xlsx.book import Formats, ok, open_workbook, print_setup, text_width
from pipeline.xlsx.reports import ReportColumn, write_report_table

INT, MONEY, SCORE, CHANGE, TEXT, RANK, CENTER = "int", "money", "score", "change", "text", "rank", "center"
NUM_FORMATS = {INT: "#,##0", MONEY: "#,##0.00", SCORE: "0.00", CHANGE: "+0.00;-0.00;0.00", RANK: "+0;-0;0"}
WIDTHS = {TEXT: 14, INT: 10, MONEY: 13, SCORE: 10, CHANGE: 10, RANK: 9, CENTER: 10}
NAMED_WIDTHS = {
    "supporting": 24,
    "recipient": 24,
    "school_name": 24,
    "sender": 24,
    "receiver": 24,
    "file": 34,
    "message": 60,
    "quantities": 22,
    "what": 20,
    "group": 18,
    "received_at": 17,
    "email": 24,
    "shortfalls": 44,
    "evidence": 44,
    "veto_by": 20,
    "name": 14,
    "shortfall": 30,
}
GREEN, RED, RED_TEXT, GREEN_TEXT = "#C6EFCE", "#FFC7CE", "#9C0006", "#006100"
ALERT_VALUES = (
    "未报送",
    "需修改",
    "已退回",
    "逾期",
    "否",
    "不合格",
    "missing",
    "needs fixing",
    "returned",
    "late",
    "Fail",
    "vetoed",
)


@dataclass(frozen=True)
class ReportTable:
    """One aggregation sheet: its frame, a display kind per column, and its highlights."""

    key: str
    frame: pd.DataFrame
    kinds: dict[str, str] = field(default_factory=dict)
    bars: tuple[str, ...] = ()
    updown: tuple[str, ...] = ()
    alerts: tuple[str, ...] = ()


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
    details: list[tuple[str, pd.DataFrame]]
    detail_note: str
    inputs: pd.DataFrame
    version: str
    run_id: str
    banner: str = ""  # said in red above the figures: e.g. that no report could be used


def write_table(book: Workbook, fmt: Formats, table: ReportTable, lang: str, unit: str, title: str) -> Worksheet:
    frame = table.frame
    columns = [
        ReportColumn(
            column_label(c, lang, unit),
            NAMED_WIDTHS.get(c, WIDTHS[table.kinds.get(c, TEXT)]),
            NUM_FORMATS.get(table.kinds.get(c, TEXT), ""),
        )
        for c in frame.columns
    ]
    rows = _values(frame)
    total = len(rows) and str(rows[-1][0]) in ("合计", "Total")
    centred = [i for i, c in enumerate(frame.columns) if table.kinds.get(c) == CENTER]
    styles = [None] * len(rows)
    if total:
        styles[-1] = {"bold": True, "top": 2}
    ws = write_report_table(book, fmt, text(table.key, lang), columns, rows, lang, title, styles, centred)
    last = len(rows) - (1 if total else 0)
    if last < 1:
        return ws
    names = list(frame.columns)
    for col in table.bars:
        c = names.index(col)
        ok(ws.conditional_format(1, c, last, c, {"type": "data_bar", "bar_color": "#9BC2E6", "bar_solid": True}))
    for col in table.updown:
        c = names.index(col)
        ok(
            ws.conditional_format(
                1,
                c,
                last,
                c,
                {"type": "cell", "criteria": ">", "value": 0, "format": fmt.get(bg_color=GREEN, font_color=GREEN_TEXT)},
            )
        )
        ok(
            ws.conditional_format(
                1,
                c,
                last,
                c,
                {"type": "cell", "criteria": "<", "value": 0, "format": fmt.get(bg_color=RED, font_color=RED_TEXT)},
            )
        )
    for col in table.alerts:
        c = names.index(col)
        red = fmt.get(bg_color=RED, font_color=RED_TEXT)
        if frame[col].dtype.kind in "if":
            ok(ws.conditional_format(1, c, last, c, {"type": "cell", "criteria": ">", "value": 0, "format": red}))
        for word in ALERT_VALUES:
            ok(
                ws.conditional_format(
                    1, c, last, c, {"type": "text", "criteria": "containing", "value": word, "format": red}
                )
            )
    return ws


def _values(frame: pd.DataFrame) -> list[list[object]]:
    """The frame's rows as plain Python values (None for blanks), taken column by column:
    iterating rows of Arrow-backed text costs a Python call per cell."""
    columns = []
    for col in frame.columns:
        values = frame[col].to_numpy(dtype=object, na_value=None).tolist()
        columns.append([_cell(v) for v in values] if frame[col].dtype == object else values)
    return [list(row) for row in zip(*columns, strict=True)] if columns else [[] for _ in range(len(frame))]


def _cell(value: object) -> object:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


HEADLINE = [
    ("schools_expected", "unit.schools", INT),
    ("schools_reported", "unit.schools", INT),
    ("on_time_rate", "unit.percent", SCORE),
    ("activities", "unit.times", INT),
    ("person_visits", "unit.person_times", INT),
    ("sessions", "unit.sessions", INT),
    ("people_seconded", "unit.people", INT),
    ("person_months", "unit.person_months", SCORE),
    ("funding", "", MONEY),
    ("recipients_moved_up", "unit.schools", INT),
]


def _overview(book: Workbook, fmt: Formats, c: Consolidated, lang: str, title: str) -> None:
    ws = book.add_worksheet(text("sheet.overview", lang))
    ws.set_column(0, 0, 26)
    ws.set_column(1, 3, 14)
    ws.set_column(4, 8, 12)
    ok(
        ws.merge_range(
            0,
            0,
            0,
            8,
            text("report.workbook_title", lang, programme=c.programme_name),
            fmt.get(bold=True, font_size=18, align="center", valign="vcenter", font_name="黑体"),
        )
    )
    ws.set_row(0, 36)
    ok(
        ws.write_string(
            1,
            0,
            text("report.period_line", lang, name=c.period_name, start=c.period_start, end=c.period_end),
            fmt.get(),
        )
    )
    ok(ws.write_string(2, 0, text("report.unit_line", lang, bureau=c.bureau, date=c.as_of, unit=c.unit), fmt.get()))
    if c.form_number:
        ok(ws.write_string(1, 6, text("report.form_number", lang, number=c.form_number), fmt.get()))
        ok(ws.write_string(2, 6, text("report.issuer", lang, bureau=c.bureau), fmt.get()))
    head = fmt.get(bold=True, border=1, bg_color="#DDEBF7", align="center")
    if c.banner:
        ok(ws.write_string(3, 0, c.banner, fmt.get(bold=True, font_color="#C00000")))
    ok(ws.write_string(4, 0, text("report.headline", lang), fmt.get(bold=True, font_size=12)))
    labels = [text("report.item", lang), text("report.value", lang), text("report.unit", lang)]
    if c.cumulative is not None:
        labels.append(text("report.cumulative", lang))
    for i, label in enumerate(labels):
        ok(ws.write_string(5, i, label, head))
    for r, (key, unit_key, kind) in enumerate(HEADLINE, start=6):
        cell = fmt.get(border=1, num_format=NUM_FORMATS[kind])
        ok(ws.write_string(r, 0, text(f"head.{key}", lang), fmt.get(border=1)))
        ok(ws.write_number(r, 1, float(c.headline[key]), cell))
        ok(ws.write_string(r, 2, text(unit_key, lang) if unit_key else c.unit, fmt.get(border=1, align="center")))
        if c.cumulative is not None:
            value = c.cumulative.get(key)
            if value is None:
                ok(ws.write_blank(r, 3, None, fmt.get(border=1)))
            else:
                ok(ws.write_number(r, 3, float(value), cell))
    row = 7 + len(HEADLINE)
    row = _chart_block(book, ws, fmt, row, text("chart.by_type", lang), c.by_type, "column", lang)
    row = _chart_block(book, ws, fmt, row, text("chart.by_source", lang, unit=c.unit), c.by_source, "pie", lang)
    row = _chart_block(
        book, ws, fmt, row, text("chart.rank_change", lang, subject=c.rank_subject), c.rank_changes, "bar", lang
    )
    _chart_block(book, ws, fmt, row, text("chart.submissions", lang), c.history, "column", lang, stacked=True)
    print_setup(ws, lang, title)
    ws.set_portrait()
    ws.activate()


def _chart_block(
    book: Workbook,
    ws: Worksheet,
    fmt: Formats,
    row: int,
    title: str,
    data: pd.DataFrame,
    kind: str,
    lang: str,
    stacked: bool = False,
) -> int:
    """A small source table and the native chart drawn from it, beside each other."""
    ok(ws.write_string(row, 0, title, fmt.get(bold=True, font_size=12)))
    head = fmt.get(bold=True, border=1, bg_color="#DDEBF7")
    for c, name in enumerate(data.columns):
        ok(ws.write_string(row + 1, c, column_label(name, lang), head))
    for r, rec in enumerate(data.itertuples(index=False), start=row + 2):
        for c, value in enumerate(rec):
            v = _cell(value)
            if isinstance(v, (int, float)):
                ok(ws.write_number(r, c, v, fmt.get(border=1, num_format="#,##0.##")))
            else:
                ok(ws.write_string(r, c, "" if v is None else str(v), fmt.get(border=1)))
    first, last = row + 2, row + 1 + max(len(data), 1)
    if len(data):
        subtype = {"subtype": "stacked"} if stacked else {}
        chart = book.add_chart({"type": kind, **subtype})
        sheet = ws.get_name()
        for c in range(1, len(data.columns)):
            series = {
                "name": [sheet, row + 1, c],
                "categories": [sheet, first, 0, last, 0],
                "values": [sheet, first, c, last, c],
            }
            if kind == "pie":
                series["data_labels"] = {"percentage": True, "category": True}
            elif kind == "bar":
                series["invert_if_negative"] = False
            chart.add_series(series)
            if kind == "pie":
                break
        chart.set_title({"name": title, "name_font": {"size": 11, "bold": True, "name": "宋体"}})
        chart.set_legend({"position": "bottom" if kind != "pie" else "right", "font": {"name": "宋体"}})
        chart.set_size({"width": 560, "height": 260})
        if kind != "pie":
            # The category axis keeps its labels clear of negative bars; values start at zero.
            chart.set_x_axis({"num_font": {"name": "宋体"}, "label_position": "low"})
            values_axis = {
                "num_font": {"name": "宋体"},
                "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}},
            }
            if kind == "bar":  # bar charts swap the axes' roles: keep names clear of negative bars
                values_axis["label_position"] = "low"
            else:
                values_axis["min"] = 0
            chart.set_y_axis(values_axis)
        ws.insert_chart(row + 1, 4, chart, {"x_offset": 10, "y_offset": 0})
    return max(last, row + 14) + 2


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
    ok(ws.write_string(8, 0, text("notes.inputs", lang), fmt.get(bold=True, font_size=12)))
    head = fmt.get(bold=True, border=1, bg_color="#DDEBF7")
    for col, name in enumerate(("file", "sha256", "status")):
        ok(ws.write_string(9, col, column_label(name, lang) if name != "sha256" else "SHA-256", head))
    inputs = [[rec.file, rec.sha256, status_label(rec.status, lang)] for rec in c.inputs.itertuples(index=False)]
    ws.write_rows(10, inputs, [fmt.get(border=1), fmt.get(border=1, font_size=9), fmt.get(border=1)])
    ok(
        ws.write_string(
            11 + len(c.inputs), 0, text("notes.version", lang, version=c.version, run=c.run_id), fmt.get(italic=True)
        )
    )
    print_setup(ws, lang, title)


def _detail(book: Workbook, fmt: Formats, name: str, frame: pd.DataFrame, lang: str, title: str) -> None:
    columns = [ReportColumn(str(col), _detail_width(str(col), frame[col])) for col in frame.columns]
    rows = _values(frame)
    write_report_table(book, fmt, text("sheet.detail", lang, name=name)[:31], columns, rows, lang, title)


def _detail_width(header: str, values: pd.Series, sample: int = 200) -> float:
    """Wide enough for the header and the first values (school names, dates), at most 30: a
    longer text wraps."""
    shown = [text_width(str(_cell(v))) for v in values.head(sample) if _cell(v) is not None]
    return min(30, max(8, text_width(header), *shown) + 2)


def write_consolidated(path: Path, c: Consolidated, lang: str = "zh") -> Path:
    """The workbook, deterministic for its inputs."""
    book = open_workbook(path)
    fmt = Formats(book)
    title = text("report.workbook_title", lang, programme=c.programme_name)
    _overview(book, fmt, c, lang, title)
    for table in c.tables:
        write_table(book, fmt, table, lang, c.unit, title)
    for name, frame in c.details:
        _detail(book, fmt, name, frame, lang, title)
    _notes(book, fmt, c, lang, title)
    book.close()
    return path


def write_detail_workbook(path: Path, details: list[tuple[str, pd.DataFrame]], lang: str, title: str) -> Path:
    """Detail rows of one 片区, for when they do not fit the official workbook; rendered rows go
    to a temporary file (xlsxwriter's own cells took 2.6 GiB for a million rows, docs/performance.md)."""
    book = open_workbook(path)
    fmt = Formats(book)
    for name, frame in details:
        _detail(book, fmt, name, frame, lang, title)
    book.close()
    return path
