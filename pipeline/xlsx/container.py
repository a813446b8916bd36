"""The zip container of every workbook the project writes, without zipfile's per-member cost.

xlsxwriter hands each part of a workbook to ``zipfile.ZipFile.writestr``, which deflates it at
level 6 and sets up a member writer for each of some 28 parts. For the thousands of small
feedback workbooks of a run that is about a fifth of each workbook's time. ``PartsZip`` takes
the same calls and writes each part deflated in one piece, by ISA-L at its level 1 (python-isal:
three to four times zlib's speed, files no larger than zlib's level 1 makes).

``PartsBook`` is a workbook that closes through it: ``storing_parts`` puts it in place of
zipfile for the duration of one workbook's close, and ``PlainSharedStrings`` in place of the
shared-string writer, which makes a few calls per string. It relies on the names xlsxwriter's
workbook and packager modules use (``ZipFile``, ``ZipInfo``, ``SharedStrings``) and the calls
made on them in memory mode (``compression``, ``writestr(ZipInfo, bytes)``, ``close``;
``_write_sst_strings``, ``_write_si``), pinned with xlsxwriter in pyproject.toml and covered by
tests/test_xlsxzip.py.
"""

from __future__ import annotations

import contextlib
import re
import struct
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import xlsxwriter.packager
import xlsxwriter.workbook
from isal import isal_zlib
from xlsxwriter.sharedstrings import SharedStrings
from xlsxwriter.workbook import Workbook

LEVEL = 1
_VERSION = 20  # 2.0: deflate
_MAX = 0xFFFFFFFF  # beyond this a member or the archive needs zip64, which xlsxwriter's parts never do


_PACKED: dict[bytes, tuple[bytes, int]] = {}  # a part's bytes -> deflated, CRC-32 (PartsZip.writestr's again)
_KEPT = 256


def _deflated(data: bytes) -> tuple[bytes, int]:
    """Raw deflate by ISA-L: three to four times zlib's speed at level 1, and no larger."""
    packer = isal_zlib.compressobj(LEVEL, isal_zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush(), isal_zlib.crc32(data)


class PartsZip:
    """Writes a zip of deflated parts, as zipfile would with fixed times and no extra fields."""

    def __init__(
        self,
        file: str | Path | IO[bytes],
        mode: str = "w",
        compression: int = zipfile.ZIP_DEFLATED,
        allowZip64: bool = True,
    ) -> None:  # noqa: N803 (zipfile's own keyword)
        if mode != "w":
            raise ValueError("PartsZip only writes")
        self.file = file
        self.compression = compression
        self._out = bytearray()
        self._directory: list[bytes] = []

    def writestr(self, info: zipfile.ZipInfo | str, data: bytes | str, again: bool = False) -> None:
        """Add a part. With ``again``, a part likely to be written again with the same bytes:
        its deflated form is kept (a few hundred at most) and reused."""
        if isinstance(info, str):
            info = zipfile.ZipInfo(info, (1980, 1, 1, 0, 0, 0))
        if isinstance(data, str):
            data = data.encode("utf-8")
        name = info.filename.encode("utf-8")
        flags = 0x800 if not name.isascii() else 0
        if self.compression == zipfile.ZIP_DEFLATED:
            body, crc = _PACKED.get(data) if again and data in _PACKED else _deflated(data)
            if again and len(_PACKED) < _KEPT:
                _PACKED[data] = (body, crc)
            method = zipfile.ZIP_DEFLATED
        else:
            body, crc, method = data, isal_zlib.crc32(data), zipfile.ZIP_STORED
        year, month, day, hour, minute, second = info.date_time
        when = struct.pack(
            "<HH", (hour << 11) | (minute << 5) | (second // 2), ((year - 1980) << 9) | (month << 5) | day
        )
        offset = len(self._out)
        if max(len(data), len(body), offset) > _MAX:
            raise zipfile.LargeZipFile(f"{info.filename}: a part or workbook past 4 GiB")
        common = struct.pack("<HHH", _VERSION, flags, method) + when + struct.pack("<III", crc, len(body), len(data))
        self._out += b"PK\x03\x04" + common + struct.pack("<HH", len(name), 0) + name
        self._out += body
        self._directory.append(
            b"PK\x01\x02"
            + struct.pack("<H", _VERSION)
            + common
            + struct.pack("<HHHHHII", len(name), 0, 0, 0, 0, info.external_attr, offset)
            + name
        )

    def write(self, filename: str, arcname: str | None = None) -> None:
        raise NotImplementedError("PartsZip takes parts in memory only")

    def close(self) -> None:
        start = len(self._out)
        directory = b"".join(self._directory)
        count = len(self._directory)
        if count > 0xFFFF or start > _MAX:
            raise zipfile.LargeZipFile("a workbook past the plain zip limits")
        self._out += directory + b"PK\x05\x06" + struct.pack("<HHHHIIH", 0, 0, count, count, len(directory), start, 0)
        if hasattr(self.file, "write"):
            self.file.write(self._out)
        else:
            with open(self.file, "wb") as fh:
                fh.write(self._out)
        self._out = bytearray()


_SPECIAL = re.compile(r"_x[0-9a-fA-F]{4}_|[\x00-\x08\x0b-\x1f\ufffe\uffff]|^\s|\s$|^<r>")


class PlainSharedStrings(SharedStrings):
    """xlsxwriter's shared-string part, its plain strings written in one join instead of a few
    calls each (a check report holds a hundred thousand); a string with control characters,
    space at an end, or rich text goes through xlsxwriter's own writer."""

    def _write_sst_strings(self) -> None:
        out = []
        for string in self.string_table.string_array:
            if _SPECIAL.search(string):
                self.fh.write("".join(out))
                out = []
                self._write_si(string)
                continue
            out.append(f"<si><t>{string.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')}</t></si>")
            if len(out) >= 4096:
                self.fh.write("".join(out))
                out = []
        self.fh.write("".join(out))


@contextlib.contextmanager
def storing_parts() -> Iterator[None]:
    """xlsxwriter writes its zip through PartsZip, and its shared strings through
    PlainSharedStrings, inside this block."""
    before = xlsxwriter.workbook.ZipFile, xlsxwriter.packager.SharedStrings
    xlsxwriter.workbook.ZipFile, xlsxwriter.packager.SharedStrings = PartsZip, PlainSharedStrings
    try:
        yield
    finally:
        xlsxwriter.workbook.ZipFile, xlsxwriter.packager.SharedStrings = before


class PartsBook(Workbook):
    """An xlsxwriter workbook whose parts are zipped by PartsZip (in memory mode; else as is)."""

    def _store_workbook(self) -> None:
        if not self.in_memory:
            return super()._store_workbook()
        with storing_parts():
            return super()._store_workbook()
