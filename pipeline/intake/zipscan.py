"""The zip container of an untrusted workbook: the bomb guard on its central directory,
encryption, each member inflated straight from the file's bytes, and the checks of XML heads
(no DTD or entity), shared-string counts and percentage styles."""

from __future__ import annotations

import re
import struct
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO
from xml.etree import ElementTree as XmlElementTree
from xml.etree.ElementTree import Element as XmlElement

from defusedxml import DefusedXmlException, ElementTree
from isal import isal_zlib

from pipeline.intake.sniff import DEFAULT_LIMITS, MB, Limits, Rejected

UNSAFE_XML = (b"<!DOCTYPE", b"<!ENTITY")


def check_zip(file: Path | IO[bytes], limits: Limits = DEFAULT_LIMITS) -> None:
    """Zip-bomb guard from the central directory alone: sizes, ratio, count, duplicate names."""
    try:
        with zipfile.ZipFile(file) as zf:
            infos = zf.infolist()
    except zipfile.BadZipFile as exc:
        raise Rejected("zip-truncated") from exc
    check_entries(infos, limits)


def check_entries(infos: list[zipfile.ZipInfo], limits: Limits) -> None:
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
            raise Rejected(
                "zip-bomb",
                detail=f"{info.filename} {info.file_size // MB} MB",
                limit=f"{limits.largest_entry // MB} MB",
            )
        if info.file_size > limits.ratio_floor and info.file_size > limits.ratio * max(info.compress_size, 1):
            raise Rejected(
                "zip-bomb",
                detail=f"{info.filename} ×{info.file_size // max(info.compress_size, 1)}",
                limit=f"×{int(limits.ratio)}",
            )
    if total > limits.total_uncompressed:
        raise Rejected("zip-bomb", detail=f"{total // MB} MB", limit=f"{limits.total_uncompressed // MB} MB")


def check_ods_encryption(zf: zipfile.ZipFile) -> None:
    if "META-INF/manifest.xml" in zf.namelist() and b"encryption-data" in zf.read("META-INF/manifest.xml"):
        raise Rejected("encrypted")


_FEED = 1 << 16  # compressed bytes given to the inflater at a time
XML_HEAD = 65536  # a DTD can only sit in the prolog; this much of a part is checked for one


def check_xml_head(part: str, head: bytes) -> None:
    if UNSAFE_XML[0] in head or UNSAFE_XML[1] in head:
        raise Rejected("unsafe-xml", part=part)


def stream(zf: zipfile.ZipFile, data: bytes, name: str, chunk: int = 1 << 20) -> Iterator[bytes]:
    """A member's bytes in pieces of at most ``chunk``, never past its declared size, checked
    against its CRC when read to the end (as zipfile checks). Inflated straight from the file's
    bytes: zipfile's reader costs ~50 µs a member to set up, and a workbook has 25 members.
    Inflated by ISA-L (python-isal), a third faster than zlib here. Anything but a plain stored
    or deflated member goes through zipfile."""
    info = zf.getinfo(name)
    start = info.header_offset
    if (
        info.flag_bits & 0x1
        or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
        or data[start : start + 4] != b"PK\x03\x04"
    ):
        with zf.open(info) as fh:
            while piece := fh.read(chunk):
                yield piece
        return
    name_len, extra_len = struct.unpack_from("<HH", data, start + 26)
    if (
        data[start + 30 : start + 30 + name_len].decode(
            "cp437" if not info.flag_bits & 0x800 else "utf-8", errors="replace"
        )
        != info.orig_filename
    ):
        raise zipfile.BadZipFile(f"file name in directory {info.orig_filename!r} and header differ")
    body = start + 30 + name_len + extra_len
    raw = memoryview(data)[body : body + info.compress_size]
    left, crc, at = info.file_size, 0, 0
    inflate = isal_zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    pending = b""
    while left > 0:  # input is taken in bounded slices: nothing left over is copied again and again
        if inflate is None:
            piece = bytes(raw[at : at + min(chunk, left)])
            at += len(piece)
        else:
            if not pending and at < len(raw):
                pending, at = raw[at : at + _FEED], at + _FEED
            try:
                piece = inflate.decompress(pending, min(chunk, left))
            except isal_zlib.error as exc:
                raise Rejected("corrupt-part", part=name) from exc
            pending = inflate.unconsumed_tail
            if not piece and (pending or at < len(raw)) and not inflate.eof:
                continue
        if not piece:
            raise Rejected("corrupt-part", part=name)  # ends before its declared size
        left -= len(piece)
        crc = isal_zlib.crc32(piece, crc)
        yield piece
    if crc != info.CRC:
        raise Rejected("corrupt-part", part=name)  # the school's text would arrive changed


def read_head(zf: zipfile.ZipFile, data: bytes, name: str) -> bytes:
    """A part's first bytes, checked for a DTD; the part is read to its end all the same, so that
    its CRC is checked: calamine would read a damaged part without a word."""
    pieces = stream(zf, data, name, XML_HEAD)
    head = next(pieces, b"")
    check_xml_head(name, head)
    for _ in pieces:
        pass
    return head


_UNIQUE_COUNT = re.compile(rb'\buniqueCount=["\']([0-9]+)["\']')


def check_shared_strings(zf: zipfile.ZipFile, name: str, head: bytes) -> None:
    """A declared string count the part could not possibly hold makes readers over-allocate."""
    size = zf.getinfo(name).file_size
    head = head[:4096]
    for m in _UNIQUE_COUNT.finditer(head[: head.find(b">", head.find(b"<sst")) + 1 or 4096]):
        if int(m.group(1)) > size // 7 + 1:  # every <si> takes at least 7 bytes
            raise Rejected("lying-count", part=name, count=m.group(1).decode(), size=size)


def sheet_parts(zf: zipfile.ZipFile, heads: dict[str, bytes]) -> dict[str, str]:
    """Sheet name -> worksheet part, from workbook.xml and its relationships (any namespace)."""
    workbook = parsed_part(zf, "xl/workbook.xml", heads)
    rels_xml = parsed_part(zf, "xl/_rels/workbook.xml.rels", heads)
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


def parsed_part(zf: zipfile.ZipFile, name: str, heads: dict[str, bytes]) -> XmlElement:
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


_PERCENT_BUILTIN = frozenset(("9", "10"))  # 0% and 0.00%
_PERCENT_HINT = re.compile(rb'%|numFmtId=["\'](?:9|10)["\']')
_FORMAT_LITERALS = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')  # quoted text, escaped characters, [colour] and [conditions]


def percent_styles(zf: zipfile.ZipFile, name: str, head: bytes) -> frozenset[int]:
    """The cell formats (indices into cellXfs) that show a number as a percentage: built-in
    formats 9 and 10, or a format code with a % of its own. Typing 95% into a cell stores 0.95
    and gives the cell such a format; calamine passes on the 0.95 alone."""
    whole = len(head) == zf.getinfo(name).file_size
    if whole and not _PERCENT_HINT.search(head):
        return frozenset()
    try:
        root = parsed_part(zf, name, {name: head})
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
    shown = {i for i, code in codes.items() if "%" in _FORMAT_LITERALS.sub("", code)} | (
        _PERCENT_BUILTIN - codes.keys()
    )
    return frozenset(n for n, xf in enumerate(xfs) if xf.get("numFmtId", "0") in shown)
