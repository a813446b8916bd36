"""Output tables: header, widths, number formats, wrapping and row heights that print whole, for
the validation report, the consolidated and assessment workbooks and the feedback results."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from pipeline.xlsx.book import DATE_FORMAT, HEADER_FILL, Formats, ok, print_setup, text_width

LINK = {"font_color": "blue", "underline": 1}
WRAP_FROM = 30  # columns this wide wrap their text
LINE_HEIGHT = 16.5
_ITEMS = re.compile("　　| {4}")  # how the catalogue separates the items of a heading line
_SEPARATOR = "　　"
PORTRAIT_WIDTH = 100  # character widths that fit across A4 portrait between the margins
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


@dataclass(frozen=True)
class Heading:
    """The title block above an official table, so that a loose printed page can be cited: what
    the table is, then lines such as 报送周期, 制表单位, 制表日期 and 单位. ``period`` goes into
    the page header of every printed page beside the workbook's title."""

    title: str
    lines: tuple[str, ...] = ()
    period: str = ""
    # Merge each line across the table and wrap it between items; False: one unmerged row a line,
    # title to the left (a replayed workbook's merges would be its prototype's, pipeline.xlsx.replay)
    pack: bool = True

    @property
    def rows(self) -> int:
        """Rows above the table's header."""
        return 1 + len(self.lines)


def write_heading(ws: Worksheet, fmt: Formats, heading: Heading, widths: list[float], start: int = 0) -> None:
    """The title centred over the table's columns, each line below it left-aligned over the same,
    wrapped onto as many lines as the table's width needs (a narrow table cuts no line short)."""
    last = max(len(widths) - 1, 0)
    span = max(sum(widths), 1)
    align = "center" if heading.pack else "left"
    title = fmt.get(bold=True, font_size=16, align=align, valign="vcenter", font_name="黑体")
    line = fmt.get(valign="vcenter", text_wrap=True) if heading.pack else fmt.get(valign="vcenter")  # overflows right
    ws.set_row(start, 30)
    for r, (value, style) in enumerate(((heading.title, title), *((t, line) for t in heading.lines)), start=start):
        if r > start and heading.pack:
            value = _packed(value, span)
            ws.set_row(r, LINE_HEIGHT * (value.count("\n") + 1))
        if last and heading.pack:
            ok(ws.merge_range(r, 0, r, last, value, style))
        else:
            ok(ws.write_string(r, 0, value, style))


def _packed(line: str, span: float) -> str:
    """A heading line's items ("报送周期：…　　制表单位：…") packed onto as few lines as fit ``span``
    character widths, breaking between items, never inside one."""
    lines: list[str] = []
    for item in _ITEMS.split(line):
        joined = f"{lines[-1]}{_SEPARATOR}{item}" if lines else item
        if lines and text_width(joined) * GLYPH_SLACK <= span:
            lines[-1] = joined
        else:
            lines.append(item)
    return "\n".join(lines)


def _prepared(columns: list[ReportColumn], rows: list[list[object]], fit: bool) -> list[ReportColumn]:
    """Dates shown as dates, and, with ``fit``, each column as wide as its content."""
    columns = [
        dataclasses.replace(col, num_format=DATE_FORMAT) if not col.num_format and _holds_dates(rows, c) else col
        for c, col in enumerate(columns)
    ]
    return [_fitted(col, rows, c) for c, col in enumerate(columns)] if fit else columns


def _fitted(col: ReportColumn, rows: list[list[object]], c: int, sample: int = 300) -> ReportColumn:
    """The column widened to its content (a code, an e-mail address, a time), up to ``WRAP_FROM``:
    text wider than that wraps instead. The first ``sample`` rows tell, as a person would look."""
    if col.wraps:
        return col
    widest = max((_shown_width(r[c]) for r in rows[:sample] if c < len(r)), default=0.0)
    width = min(max(col.width, widest + 2), WRAP_FROM - 1)
    return col if width == col.width else dataclasses.replace(col, width=width)


def _shown_width(value: object) -> float:
    if value is None:
        return 0.0
    if isinstance(value, bool):
        return 2.0
    if isinstance(value, (int, float)):
        return float(len(f"{value:,.2f}"))
    if isinstance(value, (dt.date, dt.datetime)):
        return 16.0 if isinstance(value, dt.datetime) else 10.0
    return text_width(str(value)) * GLYPH_SLACK


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
    heading: Heading | None = None,
    fit: bool = True,
    into: tuple[Worksheet, int] | None = None,
) -> Worksheet:
    """An output table: bold header, frozen, autofilter, borders, A4 landscape print. A column of
    dates without a number format of its own shows them as yyyy-mm-dd, not as serial numbers.
    ``links`` maps a row (0-based in ``rows``) to a place its first cell links to, "'Sheet'!B3".
    ``heading`` puts a title block above the table; the header row is then ``heading.rows``.
    ``fit`` widens columns to their content (not for workbooks replayed on one layout).
    ``into``: (a sheet, a row) to put the table on below another, small related tables sharing a
    printed page; the sheet keeps the first table's panes, filter and print setup."""
    ws, start = into if into else (book.add_worksheet(name), 0)
    top = start + (heading.rows if heading else 0)
    columns = _prepared(columns, rows, fit)
    widths = _write_header(ws, fmt, columns, top)
    if heading:
        write_heading(ws, fmt, heading, widths, start)
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

    heights = {top + r: h for r, h in _heights(columns, rows).items()}
    if row_formats or links:
        styles = [formats_for((row_formats[i] if row_formats else None) or {}) for i in range(len(rows))]
        for i, place in sorted((links or {}).items()):
            link = formats_for({**((row_formats[i] if row_formats else None) or {}), **LINK})
            styles[i] = [link[0], *styles[i][1:]]
            ws.link_cell(top + i + 1, 0, f"internal:{place}", str(rows[i][0]))
        ws.write_rows(top + 1, rows, styles, heights, per_row=True)
    else:
        ws.write_rows(top + 1, rows, formats_for({}), heights)
    if not into:
        _sheet_setup(ws, top, len(rows), widths, lang, title, heading)
    return ws


def _sheet_setup(
    ws: Worksheet, top: int, count: int, widths: list[float], lang: str, title: str, heading: Heading | None
) -> None:
    """The header frozen and filtered; printed A4, one page wide, the header on every page;
    portrait when narrow enough to print unshrunk (tall and narrow: half the pages)."""
    ws.freeze_panes(top + 1, 0)
    ws.autofilter(top, 0, top + max(count, 1), len(widths) - 1)
    print_setup(ws, lang, title, repeat_row=top, period=heading.period if heading else "")
    if sum(widths) <= PORTRAIT_WIDTH:
        ws.set_portrait()


def _write_header(ws: Worksheet, fmt: Formats, columns: list[ReportColumn], top: int) -> list[float]:
    """The bold header row at ``top``; a header may break lines: the widest line sets the width.
    Returns the columns' widths."""
    header = fmt.get(bold=True, text_wrap=True, align="center", valign="vcenter", border=1, bg_color=HEADER_FILL)
    widths = []
    set_before: dict[int, float] = getattr(ws, "bangfu_widths", {})  # a table above on the same sheet
    for c, col in enumerate(columns):
        widths.append(max(col.width, *(text_width(line) + 3 for line in col.header.split("\n"))))
        if widths[-1] > set_before.get(c, 0):
            ws.set_column(c, c, widths[-1])
            set_before[c] = widths[-1]
        ok(ws.write_string(top, c, col.header, header))
    ws.bangfu_widths = set_before
    ws.set_row(top, max(30, LINE_HEIGHT * max((col.header.count("\n") + 1 for col in columns), default=1) + 6))
    return widths


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
