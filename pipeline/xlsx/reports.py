"""Output tables: header, widths, number formats, wrapping and row heights that print whole, for
the validation report, the consolidated and assessment workbooks and the feedback results."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from pipeline.xlsx.book import DATE_FORMAT, HEADER_FILL, Formats, ok, print_setup, text_width

LINK = {"font_color": "blue", "underline": 1}
WRAP_FROM = 30  # columns this wide wrap their text
LINE_HEIGHT = 16.5
# Chinese glyphs of the fallback CJK fonts (Calc, WPS) take a little more than two digit widths:
# a line estimated just under a column's width was printed on two, its second cut off.
GLYPH_SLACK = 1.15


@dataclass(frozen=True)
class ReportColumn:
    """One column of an output table: header, width and number format. Text wraps in columns
    from ``WRAP_FROM`` wide, and in a narrower one with ``wrap``."""

    header: str
    width: float = 12
    num_format: str = ""
    wrap: bool = False

    @property
    def wraps(self) -> bool:
        return self.wrap or self.width >= WRAP_FROM


def _holds_dates(rows: list[list[object]], c: int, sample: int = 50) -> bool:
    """Whether the first values of column ``c`` are dates (a column holds one type)."""
    return any(isinstance(r[c], (dt.date, dt.datetime)) for r in rows[:sample] if c < len(r))


def write_report_table(
    book: Workbook,
    fmt: Formats,
    name: str,
    columns: list[ReportColumn],
    rows: list[list[object]],
    lang: str,
    title: str,
    row_formats: Sequence[Mapping[str, object] | None] | None = None,
    centred: list[int] | None = None,
    links: dict[int, str] | None = None,
) -> Worksheet:
    """An output table: bold header, frozen, autofilter, borders, A4 landscape print. A column of
    dates without a number format of its own shows them as yyyy-mm-dd, not as serial numbers.
    ``links`` maps a row (0-based in ``rows``) to a place its first cell links to, "'Sheet'!B3"."""
    ws = book.add_worksheet(name)
    columns = [
        dataclasses.replace(col, num_format=DATE_FORMAT) if not col.num_format and _holds_dates(rows, c) else col
        for c, col in enumerate(columns)
    ]
    header = fmt.get(bold=True, text_wrap=True, align="center", valign="vcenter", border=1, bg_color=HEADER_FILL)
    for c, col in enumerate(columns):  # a header may break lines: the widest line sets the width
        ws.set_column(c, c, max(col.width, *(text_width(line) + 3 for line in col.header.split("\n"))))
        ok(ws.write_string(0, c, col.header, header))
    ws.set_row(0, max(30, LINE_HEIGHT * max((col.header.count("\n") + 1 for col in columns), default=1) + 6))
    cache: dict[tuple, list[object]] = {}

    def formats_for(extra: Mapping[str, object]) -> list[object]:
        """The cell format of every column for one row style, made once per style."""
        key = tuple(sorted(extra.items()))
        if key not in cache:
            made = []
            for c, col in enumerate(columns):
                props = {"border": 1, "valign": "top", "text_wrap": col.wraps, **extra}
                if centred and c in centred:
                    props["align"] = "center"
                if col.num_format:
                    props["num_format"] = col.num_format
                made.append(fmt.get(**props))
            cache[key] = made
        return cache[key]

    heights = _heights(columns, rows)
    if row_formats or links:
        styles = [formats_for((row_formats[i] if row_formats else None) or {}) for i in range(len(rows))]
        for i, place in sorted((links or {}).items()):
            link = formats_for({**((row_formats[i] if row_formats else None) or {}), **LINK})
            styles[i] = [link[0], *styles[i][1:]]
            ws.link_cell(i + 1, 0, f"internal:{place}", str(rows[i][0]))
        ws.write_rows(1, rows, styles, heights, per_row=True)
    else:
        ws.write_rows(1, rows, formats_for({}), heights)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(len(rows), 1), len(columns) - 1)
    print_setup(ws, lang, title, repeat_row=0)
    return ws


def _heights(columns: list[ReportColumn], rows: list[list[object]]) -> dict[int, float]:
    """Row heights (by sheet row, the header being 0) for text that wraps onto more lines: xlsxwriter
    cannot autofit row heights, and neither Excel nor Calc do on opening."""
    wrapping = [c for c, col in enumerate(columns) if col.wraps]
    heights = {}
    for r, values in enumerate(rows, start=1):
        lines = 1
        for c in wrapping:
            value = values[c]
            if isinstance(value, str):
                lines = max(lines, math.ceil(text_width(value) * GLYPH_SLACK / max(columns[c].width - 2, 1)))
        if lines > 1:
            heights[r] = LINE_HEIGHT * min(lines, 12)
    return heights
