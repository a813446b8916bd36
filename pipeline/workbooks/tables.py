"""The official table sheets of the report workbooks: display kinds and their number formats,
a table's highlights (bars, ups and downs, alerts), and the title block every table carries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from pipeline.text import column_label, date_text, text
from pipeline.xlsx.book import Formats, ok
from pipeline.xlsx.reports import Heading, ReportColumn, write_report_table

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
class Imprint:
    """What every official table says of itself: the period, who compiled it and when, the money unit."""

    period_name: str
    start: dt.date
    end: dt.date
    bureau: str
    as_of: dt.date
    unit: str

    def heading(self, title: str, lang: str, money: bool = True) -> Heading:
        lines = text(
            "report.table_lines",
            lang,
            name=self.period_name,
            start=self.start,
            end=self.end,
            bureau=self.bureau or "-",
            date=date_text(self.as_of, lang),
        )
        units = text("report.unit_money", lang, unit=self.unit) if money else text("report.unit_columns", lang)
        return Heading(title, (lines, units), period=self.period_name)

    def numbered(self, number: int, table: ReportTable, lang: str) -> Heading:
        """表N and the table's name ("交流活动（按结对）") above the table."""
        name = text(table.key, lang)
        if lang != "en" and "_" in name:
            name = name.replace("_", "（", 1) + "）"
        title = text("report.table_title", lang, number=number, name=name)
        return self.heading(title, lang, money=MONEY in table.kinds.values())


def write_table(
    book: Workbook,
    fmt: Formats,
    table: ReportTable,
    lang: str,
    unit: str,
    title: str,
    heading: Heading | None = None,
    into: tuple[Worksheet, int] | None = None,
    name: str = "",
) -> tuple[Worksheet, int]:
    """One aggregation table under ``heading`` when given, with its bars, ups and downs and
    alerts: on a sheet of its own (``name``, else the table's), or ``into`` a sheet at a row.
    Returns the sheet and the first free row below the table."""
    frame = table.frame
    columns = [
        ReportColumn(
            column_label(c, lang, unit),
            NAMED_WIDTHS.get(c, WIDTHS[table.kinds.get(c, TEXT)]),
            NUM_FORMATS.get(table.kinds.get(c, TEXT), ""),
        )
        for c in frame.columns
    ]
    rows = frame_values(frame)
    total = len(rows) and str(rows[-1][0]) in ("合计", "Total")
    centred = [i for i, c in enumerate(frame.columns) if table.kinds.get(c) == CENTER]
    styles: list[dict[str, object] | None] = [None] * len(rows)
    if total:
        styles[-1] = {"bold": True, "top": 2}
    sheet = name or text(table.key, lang)
    ws = write_report_table(book, fmt, sheet, columns, rows, lang, title, styles, centred, heading=heading, into=into)
    top = (into[1] if into else 0) + (heading.rows if heading else 0)
    first, last = top + 1, top + len(rows) - (1 if total else 0)
    if last >= first:
        _highlight(ws, fmt, table, first, last)
    return ws, top + 1 + len(rows) + 1


def _highlight(ws: Worksheet, fmt: Formats, table: ReportTable, first: int, last: int) -> None:
    """Bars, green ups and red downs, and alerts (a count above 0, a word such as 未报送) in red."""
    names = list(table.frame.columns)
    red = fmt.get(bg_color=RED, font_color=RED_TEXT)
    green = fmt.get(bg_color=GREEN, font_color=GREEN_TEXT)

    def where(c: int, rule: dict[str, object]) -> None:
        ok(ws.conditional_format(first, c, last, c, rule))

    for col in table.bars:
        where(names.index(col), {"type": "data_bar", "bar_color": "#9BC2E6", "bar_solid": True})
    for col in table.updown:
        where(names.index(col), {"type": "cell", "criteria": ">", "value": 0, "format": green})
        where(names.index(col), {"type": "cell", "criteria": "<", "value": 0, "format": red})
    for col in table.alerts:
        c = names.index(col)
        if table.frame[col].dtype.kind in "if":
            where(c, {"type": "cell", "criteria": ">", "value": 0, "format": red})
        for word in ALERT_VALUES:
            where(c, {"type": "text", "criteria": "containing", "value": word, "format": red})


def frame_values(frame: pd.DataFrame) -> list[list[object]]:
    """The frame's rows as plain Python values (None for blanks), taken column by column:
    iterating rows of Arrow-backed text costs a Python call per cell."""
    columns = []
    for col in frame.columns:
        values = frame[col].to_numpy(dtype=object, na_value=None).tolist()
        columns.append([cell_value(v) for v in values] if frame[col].dtype == object else values)
    return [list(row) for row in zip(*columns, strict=True)] if columns else [[] for _ in range(len(frame))]


def cell_value(value: object) -> object:
    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value
