"""Checks on an untrusted file before any spreadsheet parser sees it (BAD_INPUTS.md).

Each check raises ``Rejected`` with a finding code and the facts for its message. They read
the zip central directory, the first bytes of XML parts, and stream sheet XML once to find
the real extent of the data and formula cells whose cached value is an error or missing.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from xml.etree import ElementTree as XmlElementTree
from xml.etree.ElementTree import Element as XmlElement

from defusedxml import DefusedXmlException, ElementTree
from isal import isal_zlib

from pipeline.core.cells import col_index, col_letter

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Hard limits for one workbook; a file beyond any of them is rejected, never read."""

    total_uncompressed: int = 256 * MB
    largest_entry: int = 192 * MB
    entries: int = 2000
    ratio: float = 300.0  # compressed -> uncompressed, checked on entries above ratio_floor
    ratio_floor: int = 8 * MB
    cells_per_sheet: int = 20_000_000
    file_size: int = 64 * MB


_DEFAULT = Limits()


class Rejected(Exception):
    """The file cannot be read safely or at all; ``code`` is a finding code."""

    def __init__(self, code: str, **facts: object) -> None:
        super().__init__(code)
        self.code = code
        self.facts = {k: str(v) for k, v in facts.items()}


@dataclass
class Scan:
    """What the pre-parse scan learned about a workbook."""

    kind: str  # xlsx, xlsm, xls, ods
    sheet_parts: dict[str, str] = field(default_factory=dict)  # sheet name -> zip part
    bad_cells: dict[str, dict[tuple[int, int], str]] = field(default_factory=dict)  # sheet -> (r, c) -> code
    hidden_rows: dict[str, set[int]] = field(default_factory=dict)  # sheet -> 0-based rows
    percent_cells: dict[str, set[tuple[int, int]]] = field(default_factory=dict)  # sheet -> numbers shown as %
    warnings: list[tuple[str, dict[str, str]]] = field(default_factory=list)


OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_BIFF_OLD = (b"\x09\x00", b"\x09\x02", b"\x09\x04")  # BIFF2, BIFF3, BIFF4 BOF records
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(/>|>(.*?)</(?:\w+:)?c>)", re.S)
_REF = re.compile(rb'\br=["\']([A-Z]{1,3})([0-9]{1,7})["\']')
_TYPE_ERROR = re.compile(rb'\bt=["\']e["\']')
_HAS_VALUE = re.compile(rb"<(?:\w+:)?v>")
_HIDDEN_ROW = re.compile(rb'<(?:\w+:)?row\b[^>]*?\bhidden=["\'](?:1|true)["\'][^>]*>')
_ROW_NUMBER = re.compile(rb'\br=["\']([0-9]{1,7})["\']')
_ROW_NUMBERED = re.compile(rb'<(?:\w+:)?row\b[^>]*?\br=["\']([0-9]{1,7})["\']')
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref=["\']([A-Z]{1,3})([0-9]{1,7})(?::([A-Z]{1,3})([0-9]{1,7}))?["\']')
_UNSAFE_XML = (b"<!DOCTYPE", b"<!ENTITY")


def inspect(path: Path, limits: Limits = _DEFAULT) -> tuple[Scan, bytes]:
    """Every check that runs before a parser, on one read of the file and one open of its zip:
    what the file really is, then for a zip the bomb guard, encryption, and the XML scan.
    Returns what was learned and the file's bytes (at most ``limits.file_size``)."""
    size = path.stat().st_size
    if size == 0:
        raise Rejected("file-empty")
    if size > limits.file_size:
        raise Rejected("file-too-large", size_mb=size // MB, limit_mb=limits.file_size // MB)
    data = path.read_bytes()[: limits.file_size]
    if not data.startswith(b"PK"):
        return Scan(_sniff_head(data)), data
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise Rejected("zip-truncated") from exc
    with zf:
        kind = _sniff_zip(zf)
        _check_entries(zf.infolist(), limits)
        if kind == "ods":
            _check_ods_encryption(zf)
            return Scan(kind), data
        return _scan_xlsx(zf, data, kind, limits), data


def _sniff_head(data: bytes) -> str:
    """The type of a file that is not a zip, from its first bytes: xls, or a Rejected."""
    head = data[:4096]
    if head.startswith(OLE2):
        return _sniff_ole(data[: 4 * MB])
    if head.startswith(b"%PDF"):
        raise Rejected("wrong-type", found="PDF")
    if head[:2] in _BIFF_OLD:
        raise Rejected("legacy-excel")
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html", b"<table", b"<meta")):
        raise Rejected("wrong-type", found="HTML")
    if text.startswith(b"<?xml") or text.startswith(b"<"):
        raise Rejected("wrong-type", found="XML")
    try:
        head.decode("utf-8")
        found = "CSV" if b"," in head or b"\t" in head else "text"
    except UnicodeDecodeError:
        try:
            head.decode("gb18030")
            found = "CSV" if b"," in head or b"\t" in head else "text"
        except UnicodeDecodeError:
            found = "unknown"
    raise Rejected("wrong-type", found=found)


def _sniff_zip(zf: zipfile.ZipFile) -> str:
    try:
        names = set(zf.namelist())
        mimetype = b""
        if "mimetype" in names:
            with zf.open("mimetype") as fh:  # never the whole member: it is not size-checked yet
                mimetype = fh.read(100)
    except (zipfile.BadZipFile, OSError, NotImplementedError) as exc:
        raise Rejected("zip-truncated") from exc
    if b"opendocument.spreadsheet" in mimetype:
        return "ods"
    if "xl/workbook.xml" in names or any(n.lower() == "xl/workbook.xml" for n in names):
        return "xlsm" if "xl/vbaProject.bin" in names else "xlsx"
    if "word/document.xml" in names:
        raise Rejected("wrong-type", found="Word")
    if "ppt/presentation.xml" in names:
        raise Rejected("wrong-type", found="PowerPoint")
    if mimetype:
        raise Rejected("wrong-type", found=mimetype.decode(errors="replace"))
    raise Rejected("wrong-type", found="ZIP")


def _sniff_ole(data: bytes) -> str:
    if "EncryptedPackage".encode("utf-16-le") in data:
        raise Rejected("encrypted")
    if "WordDocument".encode("utf-16-le") in data:
        raise Rejected("wrong-type", found="Word (.doc)")
    if any(name.encode("utf-16-le") in data for name in ("Workbook", "Book")):
        return "xls"
    raise Rejected("wrong-type", found="OLE2")


def check_zip(file: Path | IO[bytes], limits: Limits = _DEFAULT) -> None:
    """Zip-bomb guard from the central directory alone: sizes, ratio, count, duplicate names."""
    try:
        with zipfile.ZipFile(file) as zf:
            infos = zf.infolist()
    except zipfile.BadZipFile as exc:
        raise Rejected("zip-truncated") from exc
    _check_entries(infos, limits)


def _check_entries(infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    if len(infos) > limits.entries:
        raise Rejected("zip-bomb", detail=f"{len(infos)} entries", limit=f"{limits.entries} entries")
    seen: set[str] = set()
    total = 0
    for info in infos:
        key = info.filename.replace("\\", "/").lower()
        if key in seen:
            raise Rejected("zip-duplicate-name", part=info.filename)
        seen.add(key)
        total += info.file_size
        if info.file_size > limits.largest_entry:
            raise Rejected("zip-bomb", detail=f"{info.filename} {info.file_size // MB} MB",
                           limit=f"{limits.largest_entry // MB} MB")
        if info.file_size > limits.ratio_floor and info.file_size > limits.ratio * max(info.compress_size, 1):
            raise Rejected("zip-bomb", detail=f"{info.filename} ×{info.file_size // max(info.compress_size, 1)}",
                           limit=f"×{int(limits.ratio)}")
    if total > limits.total_uncompressed:
        raise Rejected("zip-bomb", detail=f"{total // MB} MB", limit=f"{limits.total_uncompressed // MB} MB")


def _check_ods_encryption(zf: zipfile.ZipFile) -> None:
    if "META-INF/manifest.xml" in zf.namelist() and b"encryption-data" in zf.read("META-INF/manifest.xml"):
        raise Rejected("encrypted")


_FEED = 1 << 16  # compressed bytes given to the inflater at a time
_HEAD = 65536  # a DTD can only sit in the prolog; this much of a part is checked for one


def _check_xml_head(part: str, head: bytes) -> None:
    if _UNSAFE_XML[0] in head or _UNSAFE_XML[1] in head:
        raise Rejected("unsafe-xml", part=part)


def _stream(zf: zipfile.ZipFile, data: bytes, name: str, chunk: int = 1 << 20) -> Iterator[bytes]:
    """A member's bytes in pieces of at most ``chunk``, never past its declared size, checked
    against its CRC when read to the end (as zipfile checks). Inflated straight from the file's
    bytes: zipfile's reader costs ~50 µs a member to set up, and a workbook has 25 members.
    Inflated by ISA-L (python-isal), a third faster than zlib here. Anything but a plain stored
    or deflated member goes through zipfile."""
    info = zf.getinfo(name)
    start = info.header_offset
    if (info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
            or data[start:start + 4] != b"PK\x03\x04"):
        with zf.open(info) as fh:
            while piece := fh.read(chunk):
                yield piece
        return
    name_len, extra_len = struct.unpack_from("<HH", data, start + 26)
    if data[start + 30:start + 30 + name_len].decode("cp437" if not info.flag_bits & 0x800 else "utf-8",
                                                     errors="replace") != info.orig_filename:
        raise zipfile.BadZipFile(f"file name in directory {info.orig_filename!r} and header differ")
    body = start + 30 + name_len + extra_len
    raw = memoryview(data)[body:body + info.compress_size]
    left, crc, at = info.file_size, 0, 0
    inflate = isal_zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    pending = b""
    while left > 0:  # input is taken in bounded slices: nothing left over is copied again and again
        if inflate is None:
            piece = bytes(raw[at:at + min(chunk, left)])
            at += len(piece)
        else:
            if not pending and at < len(raw):
                pending, at = raw[at:at + _FEED], at + _FEED
            piece = inflate.decompress(pending, min(chunk, left))
            pending = inflate.unconsumed_tail
            if not piece and (pending or at < len(raw)) and not inflate.eof:
                continue
        if not piece:
            raise zipfile.BadZipFile(f"{name!r} ends {left} bytes before its declared size")
        left -= len(piece)
        crc = isal_zlib.crc32(piece, crc)
        yield piece
    if crc != info.CRC:
        raise zipfile.BadZipFile(f"bad CRC-32 for file {name!r}")


def _read_head(zf: zipfile.ZipFile, data: bytes, name: str) -> bytes:
    head = next(_stream(zf, data, name, _HEAD), b"")
    _check_xml_head(name, head)
    return head


_UNIQUE_COUNT = re.compile(rb'\buniqueCount=["\']([0-9]+)["\']')


def _check_shared_strings(zf: zipfile.ZipFile, name: str, head: bytes) -> None:
    """A declared string count the part could not possibly hold makes readers over-allocate."""
    size = zf.getinfo(name).file_size
    head = head[:4096]
    for m in _UNIQUE_COUNT.finditer(head[: head.find(b">", head.find(b"<sst")) + 1 or 4096]):
        if int(m.group(1)) > size // 7 + 1:  # every <si> takes at least 7 bytes
            raise Rejected("lying-count", part=name, count=m.group(1).decode(), size=size)


def _sheet_parts(zf: zipfile.ZipFile, heads: dict[str, bytes]) -> dict[str, str]:
    """Sheet name -> worksheet part, from workbook.xml and its relationships (any namespace)."""
    workbook = _parsed(zf, "xl/workbook.xml", heads)
    rels_xml = _parsed(zf, "xl/_rels/workbook.xml.rels", heads)
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels_xml}
    parts = {}
    for el in workbook.iter():
        if el.tag.rsplit("}", 1)[-1] != "sheet":
            continue
        rid = next((v for k, v in el.attrib.items() if k.rsplit("}", 1)[-1] == "id"), None)
        target = targets.get(rid, "")
        if not target:
            continue
        part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        parts[el.get("name", "")] = part
    return parts


def _parsed(zf: zipfile.ZipFile, name: str, heads: dict[str, bytes]) -> XmlElement:
    """A part parsed as XML. A part the DTD check read whole (its head is all of it, CRC and
    all) can hold no DTD: the C parser takes it as read (twice as fast as defusedxml's, and not
    inflated again)."""
    head, info = heads.get(name), zf.getinfo(name)
    if head is not None and len(head) == info.file_size and isal_zlib.crc32(head) == info.CRC:
        return XmlElementTree.fromstring(head)
    try:
        return ElementTree.fromstring(zf.read(name), forbid_dtd=True)
    except DefusedXmlException as exc:  # a DTD past the head the check reads
        raise Rejected("unsafe-xml", part=name) from exc


_WORKBOOK_PARTS = ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")


def _scan_xlsx(zf: zipfile.ZipFile, data: bytes, kind: str, limits: Limits) -> Scan:
    """DTD/entity check of every XML part, then one streaming pass over each worksheet, which
    checks its own head on the way: no part is opened twice."""
    scan = Scan(kind)
    names = zf.namelist()
    xml = [n for n in names if n.endswith((".xml", ".rels", ".vml"))]
    heads = {name: _read_head(zf, data, name) for name in xml if name in _WORKBOOK_PARTS}  # parsed next: checked first
    if any(n.startswith("xl/macrosheets/") for n in names):
        raise Rejected("macro-sheet")
    if kind == "xlsm":
        scan.warnings.append(("macros-ignored", {}))
    if any(n.startswith("xl/externalLinks/") for n in names):
        scan.warnings.append(("external-links-ignored", {}))
    try:
        scan.sheet_parts = _sheet_parts(zf, heads)
    except (KeyError, ElementTree.ParseError) as exc:
        raise Rejected("not-a-workbook", detail=type(exc).__name__) from exc
    scanned = set(scan.sheet_parts.values())
    percent: frozenset[int] = frozenset()
    for name in xml:
        if name not in scanned and name not in _WORKBOOK_PARTS:
            head = _read_head(zf, data, name)
            if name.lower() == "xl/sharedstrings.xml":
                _check_shared_strings(zf, name, head)
            elif name.lower() == "xl/styles.xml":
                percent = _percent_styles(zf, name, head)
    for sheet, part in scan.sheet_parts.items():
        if part in names:
            scan.bad_cells[sheet], scan.hidden_rows[sheet], scan.percent_cells[sheet] = _scan_sheet(
                zf, data, part, sheet, limits, percent)
    return scan


_PERCENT_BUILTIN = frozenset(("9", "10"))  # 0% and 0.00%
_PERCENT_HINT = re.compile(rb'%|numFmtId=["\'](?:9|10)["\']')
_FORMAT_LITERALS = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')  # quoted text, escaped characters, [colour] and [conditions]


def _percent_styles(zf: zipfile.ZipFile, name: str, head: bytes) -> frozenset[int]:
    """The cell formats (indices into cellXfs) that show a number as a percentage: built-in
    formats 9 and 10, or a format code with a % of its own. Typing 95% into a cell stores 0.95
    and gives the cell such a format; calamine passes on the 0.95 alone."""
    whole = len(head) == zf.getinfo(name).file_size
    if whole and not _PERCENT_HINT.search(head):
        return frozenset()
    try:
        root = _parsed(zf, name, {name: head})
    except (ElementTree.ParseError, XmlElementTree.ParseError):
        return frozenset()  # calamine judges the styles; this only finds percentages
    codes: dict[str, str] = {}
    xfs: list[XmlElement] = []
    for el in root.iter():
        tag = el.tag.rsplit("}", 1)[-1]
        if tag == "numFmt":
            codes[el.get("numFmtId", "")] = el.get("formatCode", "")
        elif tag == "cellXfs":
            xfs = [xf for xf in el if xf.tag.rsplit("}", 1)[-1] == "xf"]
    shown = {i for i, code in codes.items() if "%" in _FORMAT_LITERALS.sub("", code)} | (_PERCENT_BUILTIN - codes.keys())
    return frozenset(n for n, xf in enumerate(xfs) if xf.get("numFmtId", "0") in shown)


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


def _scan_sheet(zf: zipfile.ZipFile, data: bytes, part: str, sheet: str, limits: Limits,
                percent: frozenset[int] = frozenset(),
                mode: str = "bounded") -> tuple[dict[tuple[int, int], str], set[int], set[tuple[int, int]]]:
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
    tail = b""
    first = True
    for chunk in _stream(zf, data, part):
        buf = tail + chunk
        if first:
            _check_xml_head(part, buf[:_HEAD])
            _check_dimension(buf, sheet, limits)
            first = False
        cut = max(buf.rfind(b"</c>"), buf.rfind(b"/>"), buf.rfind(b"</row>"))
        cut = len(buf) if cut < 0 else buf.index(b">", cut) + 1
        body, tail = buf[:cut], buf[cut:]
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
            return _scan_sheet(zf, data, part, sheet, limits, percent, mode="walk")
        if has_hidden:  # which rows: a row without r="" is counted by its place
            count = rows_seen - rows
            for m in _ROW_TAG.finditer(body):
                count += 1
                if b"hidden" in m.group(1) and _HIDDEN_ROW.match(m.group(0)):
                    number = _ROW_NUMBER.search(m.group(1))
                    hidden.add((int(number.group(1)) if number else count) - 1)
        max_row, max_col = max(max_row, top, cell_top), max(max_col, cols)
        if _FORMULA_FAST.search(body) or (prefixed and b":f" in body and _FORMULA.search(body)):
            _formula_cells(body, bad)
        if percent:
            _percent_cells(body, percent, shown_as_percent)
        if max_row * max(max_col, 1) > limits.cells_per_sheet:
            if bounded and mode == "bounded":
                return _scan_sheet(zf, data, part, sheet, limits, percent, mode="exact")
            raise Rejected("too-many-cells", sheet=sheet, cells=f"{max_row * max_col:,}",
                           ref=f"A1:{col_letter(max(max_col, 1) - 1)}{max_row}")
    return bad, hidden, shown_as_percent


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
    plain = (_one_line(body) and b"\t" not in body and b"\r" not in body and not _single_quoted(body)
             and not (prefixed and b":row" in body))  # <x:row would hide from "<row "; a prefixed cell has its r=
    if plain and not _NOT_R_FIRST.search(body):  # then every row's number is in _ROW_FAST's reach
        numbers = _ROW_FAST.findall(body)
        rows = len(numbers)
        top = _top(numbers, rows_before + rows)
        digits = len(str(top))
        if not exact and not _beyond(digits).search(body):
            return rows, top, 26, 10 ** digits - 1, True
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
