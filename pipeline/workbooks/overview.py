"""总览, the report's first page: title block, headline figures with this period and to date,
and the small tables with the charts drawn from them."""

from __future__ import annotations

from typing import TYPE_CHECKING, SupportsFloat, cast

import pandas as pd
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from pipeline.text import column_label, date_text, text
from pipeline.workbooks.tables import INT, MONEY, NUM_FORMATS, SCORE, frame_values
from pipeline.xlsx.book import Formats, ok, print_setup

if TYPE_CHECKING:
    from pipeline.workbooks.consolidated import Consolidated

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


def write_overview(book: Workbook, fmt: Formats, c: Consolidated, lang: str, title: str) -> None:
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
    unit_line = text("report.unit_line", lang, bureau=c.bureau, date=date_text(c.as_of, lang), unit=c.unit)
    ok(ws.write_string(2, 0, unit_line, fmt.get()))
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
        ok(ws.write_number(r, 1, _number(c.headline[key]), cell))
        ok(ws.write_string(r, 2, text(unit_key, lang) if unit_key else c.unit, fmt.get(border=1, align="center")))
        if c.cumulative is not None:
            value = c.cumulative.get(key)
            if value is None:
                ok(ws.write_blank(r, 3, None, fmt.get(border=1)))
            else:
                ok(ws.write_number(r, 3, _number(value), cell))
    row = 7 + len(HEADLINE)
    row = _chart_block(book, ws, fmt, row, text("chart.by_type", lang), c.by_type, "column", lang, charted=1)
    row = _chart_block(book, ws, fmt, row, text("chart.by_source", lang, unit=c.unit), c.by_source, "pie", lang)
    row = _chart_block(
        book, ws, fmt, row, text("chart.rank_change", lang, subject=c.rank_subject), c.rank_changes, "bar", lang
    )
    history = "chart.submissions" if c.history.columns[0] == "period" else "chart.submissions_by_district"
    _chart_block(book, ws, fmt, row, text(history, lang), c.history, "column", lang, stacked=True)
    print_setup(ws, lang, title, period=c.period_name)
    ws.set_portrait()
    ws.activate()


MONEY_COLUMNS = frozenset({"amount", "cash", "goods", "cum_amount", "given", "got"})


def _number(value: object) -> float:
    """A headline figure (a Python or numpy number of the aggregates) as the float a cell holds."""
    return float(cast(SupportsFloat, value))


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
    charted: int | None = None,
) -> int:
    """A small source table and the native chart drawn from it: beside it, or below a table too
    wide for that. ``charted``: how many value columns are drawn (all by default); a 合计 row is
    shown but not drawn. Returns the next free row."""
    ok(ws.write_string(row, 0, title, fmt.get(bold=True, font_size=12)))
    head = fmt.get(bold=True, border=1, bg_color="#DDEBF7", align="center")
    for c, name in enumerate(data.columns):
        ok(ws.write_string(row + 1, c, column_label(name, lang), head))
    values = frame_values(data)
    whole = [  # a column of whole counts shows no decimals; money always shows its two
        name not in MONEY_COLUMNS and all(not isinstance(v, float) or v.is_integer() for v in (r[c] for r in values))
        for c, name in enumerate(data.columns)
    ]
    total = bool(values) and str(values[-1][0]) in ("合计", "Total")
    for r, rec in enumerate(values, start=row + 2):
        bold = {"bold": True} if total and r == row + 1 + len(values) else {}
        for c, v in enumerate(rec):
            if isinstance(v, (int, float)):  # "#,##0.##" showed 38 as "38."
                ok(ws.write_number(r, c, v, fmt.get(border=1, num_format="#,##0" if whole[c] else "#,##0.00", **bold)))
            else:
                ok(ws.write_string(r, c, "" if v is None else str(v), fmt.get(border=1, **bold)))
    first, last = row + 2, row + 1 + max(len(values) - total, 1)
    series = range(1, 1 + (charted or len(data.columns) - 1))
    below = len(data.columns) > 4  # columns E onwards are taken: the chart goes under the table
    at = (row + 2 + len(values), 0) if below else (row + 1, 4)
    if len(values) - total > 0:
        chart = _chart(book, ws.get_name(), row + 1, first, last, series, title, kind, stacked)
        ws.insert_chart(*at, chart, {"x_offset": 10, "y_offset": 8 if below else 0})
    height = max(14, 2 * (last - first + 1) + 4)  # rows the chart takes (its height below)
    return (at[0] + height if below else max(last, row + height)) + 2


def _chart(
    book: Workbook, sheet: str, header: int, first: int, last: int, series: range, title: str, kind: str, stacked: bool
) -> object:
    """A native chart of the columns ``series`` over rows ``first``..``last``, every category labelled."""
    chart = book.add_chart({"type": kind, **({"subtype": "stacked"} if stacked else {})})
    for c in series:
        values: dict[str, object] = {
            "name": [sheet, header, c],
            "categories": [sheet, first, 0, last, 0],
            "values": [sheet, first, c, last, c],
        }
        if kind == "pie":
            values["data_labels"] = {"percentage": True, "category": True}
        elif kind == "bar":
            values["invert_if_negative"] = False
        chart.add_series(values)
        if kind == "pie":
            break
    chart.set_title({"name": title, "name_font": {"size": 11, "bold": True, "name": "宋体"}})
    chart.set_legend({"position": "bottom" if kind != "pie" else "right", "font": {"name": "宋体"}})
    categories = last - first + 1
    chart.set_size({"width": 560, "height": max(260, 26 * categories + 90 if kind == "bar" else 260)})
    if kind != "pie":
        # Every category labelled (interval 1: Excel skips labels it finds crowded); the category
        # axis keeps its labels clear of negative bars; values start at zero.
        axis = {"num_font": {"name": "宋体", "size": 9}, "label_position": "low", "interval_unit": 1}
        values_axis: dict[str, object] = {
            "num_font": {"name": "宋体"},
            "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}},
        }
        if kind == "bar":  # bar charts swap the axes' roles: keep names clear of negative bars
            values_axis["label_position"] = "low"
        else:
            values_axis["min"] = 0
        chart.set_x_axis(axis)
        chart.set_y_axis({**values_axis, "interval_unit": 1} if kind == "bar" else values_axis)
    return chart
