"""One streaming pass over a worksheet's XML before any parser sees it: the real extent of its
cells (allocation bombs), hidden rows, cells shown as percentages, and formula cells whose cached
value is an error or missing."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator

from pipeline.core.cells import col_index, col_letter
from pipeline.intake.sniff import Limits, Rejected
from pipeline.intake.zipscan import XML_HEAD, check_xml_head, stream

_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(/>|>(.*?)</(?:\w+:)?c>)", re.S)
_REF = re.compile(rb'\br=["\']([A-Z]{1,3})([0-9]{1,7})["\']')
_TYPE_ERROR = re.compile(rb'\bt=["\']e["\']')
_HAS_VALUE = re.compile(rb"<(?:\w+:)?v>")
_HIDDEN_ROW = re.compile(rb'<(?:\w+:)?row\b[^>]*?\bhidden=["\'](?:1|true)["\'][^>]*>')
_ROW_NUMBER = re.compile(rb'\br=["\']([0-9]{1,7})["\']')
_ROW_NUMBERED = re.compile(rb'<(?:\w+:)?row\b[^>]*?\br=["\']([0-9]{1,7})["\']')
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref=["\']([A-Z]{1,3})([0-9]{1,7})(?::([A-Z]{1,3})([0-9]{1,7}))?["\']')


_CELL_OPEN = re.compile(rb"<(?:\w+:)?c\b([^>]*)>")
_STYLE = re.compile(rb'\bs=["\']([0-9]{1,6})["\']')
_TYPE = re.compile(rb'\bt=["\'](\w+)["\']')


def _percent_cells(body: bytes, percent: frozenset[int], found: set[tuple[int, int]]) -> None:
    """Number cells (r, c) whose format is one of ``percent``: only workbooks with such a format
    come here, so the plain ones pay nothing."""
    for m in _CELL_OPEN.finditer(body):
        attrs = m.group(1)
        style = _STYLE.search(attrs)
        if style is None or int(style.group(1)) not in percent:
            continue
        kind = _TYPE.search(attrs)
        ref = _REF.search(attrs)
        if ref and (kind is None or kind.group(1) == b"n"):
            found.add((int(ref.group(2)) - 1, col_index(ref.group(1))))


_ROW_TAG = re.compile(rb"<(?:\w+:)?row\b([^>]*)>")
_CELL_REFS = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br=["\']([A-Z]{1,3})([0-9]{1,7})')
_FORMULA = re.compile(rb"<(?:\w+:)?f\b")
# Begins with a literal, so it is fast; "<f" alone is not enough: every data validation's
# <formula1> holds it, which sent every sheet through the slow pattern.
_FORMULA_FAST = re.compile(rb"<f[\s/>]")


def scan_sheet(
    zf: zipfile.ZipFile,
    data: bytes,
    part: str,
    sheet: str,
    limits: Limits,
    percent: frozenset[int] = frozenset(),
    mode: str = "bounded",
) -> tuple[dict[tuple[int, int], str], set[int], set[tuple[int, int]]]:
    """Stream one worksheet: refuse absurd extents; note formula cells with no usable value,
    hidden rows (calamine reads through both without saying so) and number cells in one of the
    ``percent`` formats (calamine drops the format). A few searches a chunk,
    except in the rare chunks with a formula or a hidden row, or sheets with a cell without r=.

    A cell's own reference places it, whatever its row element says (calamine goes by the
    cell's), so the extent counts both. In ``mode`` "bounded" it is bounded cheaply: no
    two-letter reference means at most column Z, and no cell row longer than the rows' means at
    most that many digits; a sheet that only the bounds would refuse is scanned again "exact".
    A cell without a reference sits right of the one before it in its row (as calamine places
    it): a sheet with such cells is scanned again "walk", tag by tag."""
    bad: dict[tuple[int, int], str] = {}
    hidden: set[int] = set()
    shown_as_percent: set[tuple[int, int]] = set()
    max_row = max_col = rows_seen = 0
    bounded = False  # max_row and max_col are upper bounds, not the true extent
    place = _Place()
    for body in _bodies(zf, data, part, sheet, limits):
        has_hidden = b"hidden" in body
        prefixed = _PREFIXED.search(body) is not None  # a <x:row or <x:f tag may be there: one search for both
        if mode == "walk":
            rows, top, cols, cell_top = place.walk(body)
            rows_seen += rows
        elif has_hidden:  # rare: every reference, and row by row below, to know which
            rows, top, cols, cell_top = _exact(body, rows_seen)
            rows_seen += rows
        else:  # a row without r="" is counted by its place: at most the rows seen so far
            rows, top, cols, cell_top, rough = _extent(body, mode == "exact", rows_seen, prefixed)
            rows_seen += rows
            bounded = bounded or rough
        if cols < 0:  # a cell without a reference: only a walk places it
            return scan_sheet(zf, data, part, sheet, limits, percent, mode="walk")
        if has_hidden:
            _hidden_rows(body, rows_seen - rows, hidden)
        max_row, max_col = max(max_row, top, cell_top), max(max_col, cols)
        if _FORMULA_FAST.search(body) or (prefixed and b":f" in body and _FORMULA.search(body)):
            _formula_cells(body, bad)
        if percent:
            _percent_cells(body, percent, shown_as_percent)
        if max_row * max(max_col, 1) > limits.cells_per_sheet:
            if bounded and mode == "bounded":
                return scan_sheet(zf, data, part, sheet, limits, percent, mode="exact")
            ref = f"A1:{col_letter(max(max_col, 1) - 1)}{max_row}"
            raise Rejected("too-many-cells", sheet=sheet, cells=f"{max_row * max_col:,}", ref=ref)
    return bad, hidden, shown_as_percent


def _bodies(zf: zipfile.ZipFile, data: bytes, part: str, sheet: str, limits: Limits) -> Iterator[bytes]:
    """The sheet's XML in pieces that end after a whole element, its head checked first (no DTD,
    no absurd declared dimension)."""
    tail = b""
    first = True
    for chunk in stream(zf, data, part):
        buf = tail + chunk
        if first:
            check_xml_head(part, buf[:XML_HEAD])
            _check_dimension(buf, sheet, limits)
            first = False
        cut = max(buf.rfind(b"</c>"), buf.rfind(b"/>"), buf.rfind(b"</row>"))
        cut = len(buf) if cut < 0 else buf.index(b">", cut) + 1
        yield buf[:cut]
        tail = buf[cut:]


def _hidden_rows(body: bytes, count: int, hidden: set[int]) -> None:
    """The 0-based numbers of the hidden rows in ``body``, after ``count`` rows: a row without
    r="" is counted by its place."""
    for m in _ROW_TAG.finditer(body):
        count += 1
        if b"hidden" in m.group(1) and _HIDDEN_ROW.match(m.group(0)):
            number = _ROW_NUMBER.search(m.group(1))
            hidden.add((int(number.group(1)) if number else count) - 1)


_CELL_TAG = re.compile(rb"<(?:\w+:)?c[\s/>]")
_TAG = re.compile(rb"<(?:\w+:)?(row|c)\b([^>]*)>")


class _Place:
    """Where calamine puts rows and cells, tag by tag, across the chunks of one sheet: a row or
    cell with r="" where it says, one without it after the one before."""

    def __init__(self) -> None:
        self.row = 0
        self.col = -1

    def walk(self, body: bytes) -> tuple[int, int, int, int]:
        """(rows, highest row, columns, highest row of a cell) of a chunk."""
        rows = top = cols = cell_top = 0
        for m in _TAG.finditer(body):
            ref = _REF.search(m.group(2)) if m.group(1) == b"c" else _ROW_NUMBER.search(m.group(2))
            if m.group(1) == b"row":
                rows += 1
                self.row, self.col = (int(ref.group(1)) if ref else self.row + 1), -1
                top = max(top, self.row)
            else:
                self.col = col_index(ref.group(1)) if ref else self.col + 1
                cols = max(cols, self.col + 1)
                cell_top = max(cell_top, int(ref.group(2)) if ref else self.row)
        return rows, top, cols, cell_top


def _exact(body: bytes, rows_before: int) -> tuple[int, int, int, int]:
    """(rows, highest row, columns, highest row of a cell) of a chunk by every reference, in
    the general patterns; columns -1 when a cell has no reference."""
    rows = len(_ROW_TAG.findall(body))
    top = _top(_ROW_NUMBERED.findall(body), rows_before + rows)
    refs = _CELL_REFS.findall(body)
    if len(refs) != len(_CELL_TAG.findall(body)):
        return rows, top, -1, 0
    return rows, top, *_by_references(refs)


def _top(numbers: list[bytes], counted: int) -> int:
    """The highest row of a chunk: by the row elements' numbers, or by count where they have none."""
    return max(counted, *map(int, numbers)) if numbers else counted


def _by_references(refs: list[tuple[bytes, bytes]]) -> tuple[int, int]:
    """(columns, highest row) that the cells' references (letters, digits) reach."""
    columns = max((col_index(letters) + 1 for letters in {letters for letters, _ in refs}), default=0)
    return columns, max((int(number) for _, number in refs), default=0)


_ROW_FAST = re.compile(rb'<row r="([0-9]{1,7})"')
_CELL_REFS_FAST = re.compile(rb' r="([A-Z]{1,3})([0-9]{1,7})')
_NOT_R_FIRST = re.compile(rb'<(?:row|c)(?:[>/]| (?!r="))')  # a row or cell without r=, or with it later
_BEYOND: dict[int, re.Pattern[bytes]] = {}  # digits -> a two-letter reference or a longer row number


def _beyond(digits: int) -> re.Pattern[bytes]:
    """A cell reference past column Z, or with a row number of more than ``digits`` digits."""
    if digits not in _BEYOND:
        _BEYOND[digits] = re.compile(rb' r="[A-Z](?:[A-Z]|[0-9]{%d})' % (digits + 1))  # one letter first: faster
    return _BEYOND[digits]


def _extent(body: bytes, exact: bool, rows_before: int, prefixed: bool = True) -> tuple[int, int, int, int, bool]:
    """(rows, highest row by the row elements, columns, highest row by the cells' references,
    bounded) of a chunk whose rows follow ``rows_before``; columns -1 when a cell has no
    reference.

    The patterns that begin with a literal are several times faster; they are used when the
    chunk is written as Excel, LibreOffice, WPS and xlsxwriter write it (no namespace prefix
    on rows, r first on every row and cell, one space before it, double quotes), else the
    general ones: a row written <x:row, r='A1' or <c\nr= is not missed. Unless ``exact``, a
    chunk whose cells all sit in columns A to Z and in rows of no more digits than its rows'
    gives only the bounds (one search, not every reference)."""
    plain = (
        _one_line(body)
        and b"\t" not in body
        and b"\r" not in body
        and not _single_quoted(body)
        and not (prefixed and b":row" in body)
    )  # <x:row would hide from "<row "; a prefixed cell has its r=
    if plain and not _NOT_R_FIRST.search(body):  # then every row's number is in _ROW_FAST's reach
        numbers = _ROW_FAST.findall(body)
        rows = len(numbers)
        top = _top(numbers, rows_before + rows)
        digits = len(str(top))
        if not exact and not _beyond(digits).search(body):
            return rows, top, 26, 10**digits - 1, True
        return rows, top, *_by_references(_CELL_REFS_FAST.findall(body)), False
    return (*_exact(body, rows_before), False)


_PREFIXED = re.compile(rb":(?:row|f)")


def _one_line(body: bytes) -> bool:
    """At most one line break (after the XML declaration), found by two byte searches."""
    first = body.find(b"\n")
    return first < 0 or body.find(b"\n", first + 1) < 0


def _single_quoted(body: bytes) -> bool:
    """Whether an attribute's value is in single quotes (``='``): a search for the rare quote, then
    a look before each. The substring search for ``='`` crawls over sheet XML, where "=" is
    everywhere. Past a few dozen quotes, that search after all (never a long Python loop)."""
    at = body.find(b"'")
    for _ in range(64):
        if at < 0:
            return False
        if at and body[at - 1] == 0x3D:  # =
            return True
        at = body.find(b"'", at + 1)
    return b"='" in body


def _formula_cells(body: bytes, bad: dict[tuple[int, int], str]) -> None:
    """Formula cells whose cached value is an error (t="e") or missing."""
    for m in _CELL.finditer(body):
        inner = m.group(3) or b""
        if not _FORMULA.search(inner):
            continue
        ref = _REF.search(m.group(1))
        if not ref:
            continue
        cell = (int(ref.group(2)) - 1, col_index(ref.group(1)))
        if _TYPE_ERROR.search(m.group(1)):
            bad[cell] = "formula-error"
        elif not _HAS_VALUE.search(inner):
            bad[cell] = "formula-no-value"


def _check_dimension(head: bytes, sheet: str, limits: Limits) -> None:
    m = _DIMENSION.search(head)
    if not m or not m.group(3):
        return
    rows = int(m.group(4)) - int(m.group(2)) + 1
    cols = col_index(m.group(3)) - col_index(m.group(1)) + 1
    if rows * cols > limits.cells_per_sheet:
        ref = f"{m.group(1).decode()}{m.group(2).decode()}:{m.group(3).decode()}{m.group(4).decode()}"
        raise Rejected("too-many-cells", sheet=sheet, cells=f"{rows * cols:,}", ref=ref)
