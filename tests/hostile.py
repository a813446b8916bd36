"""Hostile and broken workbooks of every kind the intake refuses (docs/architecture.md), made by the
tests from a real workbook."""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from pathlib import Path


def rewrite(src: Path, dst: Path, change: dict[str, bytes | None], add: dict[str, bytes] | None = None) -> Path:
    """Copy a zip, replacing (or with None, dropping) some parts and adding others."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename in change:
                if change[info.filename] is not None:
                    zout.writestr(info.filename, change[info.filename])
            else:
                zout.writestr(info, zin.read(info.filename))
        for name, data in (add or {}).items():
            zout.writestr(name, data)
    return dst


def part(src: Path, name: str) -> bytes:
    with zipfile.ZipFile(src) as zf:
        return zf.read(name)


def allocation_bomb(src: Path, dst: Path) -> Path:
    """One cell at A1 and one at XFD1048576, with an honest-looking dimension."""
    xml = part(src, "xl/worksheets/sheet1.xml")
    xml = re.sub(rb'<dimension ref="[^"]+"/>', b'<dimension ref="A1:XFD1048576"/>', xml)
    xml = xml.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>')
    return rewrite(src, dst, {"xl/worksheets/sheet1.xml": xml})


def _rows_added(src: Path, dst: Path, rows: bytes, namespaces: bytes = b"") -> Path:
    """The first sheet with ``rows`` after its own and no dimension element."""
    xml = part(src, "xl/worksheets/sheet1.xml")
    xml = re.sub(rb'<dimension ref="[^"]+"/>', b"", xml)
    xml = xml.replace(b"<worksheet ", b"<worksheet " + namespaces, 1)
    xml = xml.replace(b"</sheetData>", rows + b"</sheetData>")
    return rewrite(src, dst, {"xl/worksheets/sheet1.xml": xml})


def far_cell_without_dimension(src: Path, dst: Path) -> Path:
    return _rows_added(src, dst, b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')


def lying_shared_strings(src: Path, dst: Path) -> Path:
    xml = part(src, "xl/sharedStrings.xml")
    xml = re.sub(rb'uniqueCount="[0-9]+"', b'uniqueCount="2000000000"', xml)
    return rewrite(src, dst, {"xl/sharedStrings.xml": xml})


def zip_bomb(src: Path, dst: Path, megabytes: int = 40) -> Path:
    """A part of zeros that compresses a thousand times."""
    return rewrite(src, dst, {}, {"xl/media/image1.bin": bytes(megabytes * 1024 * 1024)})


def duplicate_part(src: Path, dst: Path) -> Path:
    rewrite(src, dst, {})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the very thing we make
        with zipfile.ZipFile(dst, "a") as zf:
            zf.writestr("xl/worksheets/sheet1.xml", part(src, "xl/worksheets/sheet1.xml"))
    return dst


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
    b"<si><t>&lol3;</t></si></sst>"
)
XXE = (
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">&xxe;</workbook>'
)


def xml_bomb(src: Path, dst: Path) -> Path:
    return rewrite(src, dst, {"xl/sharedStrings.xml": BILLION_LAUGHS})


def xxe(src: Path, dst: Path) -> Path:
    return rewrite(src, dst, {"xl/workbook.xml": XXE})


def xxe_past_the_head(src: Path, dst: Path) -> Path:
    """The DTD after 70 KB of comment: past the head that is checked for one before parsing."""
    padded = XXE.replace(b"<!DOCTYPE", b"<!--" + b" " * 70_000 + b"--><!DOCTYPE", 1)
    return rewrite(src, dst, {"xl/workbook.xml": padded})


def macro_sheet(src: Path, dst: Path) -> Path:
    return rewrite(src, dst, {}, {"xl/macrosheets/sheet1.xml": b'<?xml version="1.0"?><xm:macrosheet/>'})


def with_vba(src: Path, dst: Path) -> Path:
    return rewrite(src, dst, {}, {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 not really vba"})


def encrypted(src: Path, dst: Path) -> Path:
    import msoffcrypto.format.ooxml

    out = io.BytesIO()
    with src.open("rb") as fh:
        msoffcrypto.format.ooxml.OOXMLFile(fh).encrypt("123456", out)
    dst.write_bytes(out.getvalue())
    return dst


def truncated(src: Path, dst: Path) -> Path:
    data = src.read_bytes()
    dst.write_bytes(data[: len(data) // 2])
    return dst


def pdf_renamed(dst: Path) -> Path:
    dst.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
    return dst


def csv_renamed(dst: Path) -> Path:
    dst.write_text("学校代码,学校名称\n001,城南小学\n", encoding="utf-8")
    return dst


def html_renamed(dst: Path) -> Path:
    dst.write_text("<html><body><table><tr><td>1</td></tr></table></body></html>", encoding="utf-8")
    return dst


STRICT = {
    b"http://schemas.openxmlformats.org/spreadsheetml/2006/main": b"http://purl.oclc.org/ooxml/spreadsheetml/main",
    b"http://schemas.openxmlformats.org/officeDocument/2006/relationships": b"http://purl.oclc.org/ooxml/officeDocument/relationships",
}


def strict(src: Path, dst: Path) -> Path:
    """The same workbook in the OOXML Strict namespaces (Excel's "Strict Open XML" save-as)."""
    with zipfile.ZipFile(src) as zf:
        parts = {}
        for name in zf.namelist():
            data = zf.read(name)
            for old, new in STRICT.items():
                data = data.replace(old, new)
            parts[name] = data
    return rewrite(src, dst, parts)


def far_cell_single_quoted(src: Path, dst: Path) -> Path:
    """XML allows either quote; a reader that only looks for r="..." would miss this cell."""
    return _rows_added(src, dst, b"<row r='1048576'><c r='XFD1048576'><v>1</v></c></row>")


def far_cell_in_a_near_row(src: Path, dst: Path) -> Path:
    """A cell's reference places it, not its row element's: XFD1048576 inside row 900 is still
    there for a reader, which then sizes the sheet to it."""
    return _rows_added(src, dst, b'<row r="900"><c r="A900"><v>1</v></c><c r="XFD1048576"><v>1</v></c></row>')


def deep_cell_in_a_near_row(src: Path, dst: Path) -> Path:
    """The same within column Z: only the row number is far."""
    return _rows_added(src, dst, b'<row r="9"><c r="C1048576"><v>1</v></c><c r="Z9"><v>1</v></c></row>')


def far_rows_prefixed(src: Path, dst: Path) -> Path:
    """Rows and cells written with a namespace prefix (<x:row>), as some generators do, and
    rows without r=: they count by their place."""
    return _rows_added(
        src,
        dst,
        b'<x:row><x:c r="J1"><x:v>1</x:v></x:c></x:row>' * 3000,
        b'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ',
    )


def cells_without_references(src: Path, dst: Path, count: int = 3, far_row: int = 5) -> Path:
    """Cells with no r= sit right of the one before them: after Z5 they fill AA5, AB5, ...
    (``count`` of them, the last with a value)."""
    cells = b"<c/>" * (count - 1) + b"<c><v>2</v></c>"
    return _rows_added(src, dst, b'<row r="%d"><c r="Z%d"><v>1</v></c>%s</row>' % (far_row, far_row, cells))


def narrow_and_long(src: Path, dst: Path, rows: int) -> Path:
    """The first sheet replaced by ``rows`` rows of two cells, A and B."""
    xml = part(src, "xl/worksheets/sheet1.xml")
    xml = re.sub(rb'<dimension ref="[^"]+"/>', b"", xml)
    body = b"".join(
        b'<row r="%d"><c r="A%d"><v>1</v></c><c r="B%d"><v>2</v></c></row>' % (r, r, r) for r in range(1, rows + 1)
    )
    xml = re.sub(rb"<sheetData>.*</sheetData>|<sheetData/>", b"<sheetData>" + body + b"</sheetData>", xml, flags=re.S)
    return rewrite(src, dst, {"xl/worksheets/sheet1.xml": xml})
