"""What an untrusted file really is, from its first bytes and its zip directory, whatever it
is named; the limits a workbook must keep and the exception that refuses it."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass

from pipeline.core.errors import BangfuError

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


DEFAULT_LIMITS = Limits()


class Rejected(BangfuError):
    """The file cannot be read safely or at all; ``code`` is a finding code."""

    def __init__(self, code: str, **facts: object) -> None:
        super().__init__(code, **{k: str(v) for k, v in facts.items()})


OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGES = ((b"\x89PNG", "PNG"), (b"\xff\xd8\xff", "JPEG"), (b"GIF8", "GIF"))
_BIFF_OLD = (b"\x09\x00", b"\x09\x02", b"\x09\x04")  # BIFF2, BIFF3, BIFF4 BOF records


def sniff_head(data: bytes) -> str:
    """The type of a file that is not a zip, from its first bytes: xls, or a Rejected."""
    head = data[:4096]
    if head.startswith(OLE2):
        return sniff_ole(data[: 4 * MB])
    if head.startswith(b"%PDF"):
        raise Rejected("not-a-report", found="PDF")
    for magic, kind in _IMAGES:
        if head.startswith(magic):
            raise Rejected("not-a-report", found=kind)
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


def sniff_zip(zf: zipfile.ZipFile) -> str:
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
        raise Rejected("not-a-report", found="Word")
    if "ppt/presentation.xml" in names:
        raise Rejected("not-a-report", found="PowerPoint")
    if mimetype:
        raise Rejected("wrong-type", found=mimetype.decode(errors="replace"))
    raise Rejected("wrong-type", found="ZIP")


def sniff_ole(data: bytes) -> str:
    if "EncryptedPackage".encode("utf-16-le") in data:
        raise Rejected("encrypted")
    if "WordDocument".encode("utf-16-le") in data:
        raise Rejected("not-a-report", found="Word (.doc)")
    if any(name.encode("utf-16-le") in data for name in ("Workbook", "Book")):
        return "xls"
    raise Rejected("wrong-type", found="OLE2")
