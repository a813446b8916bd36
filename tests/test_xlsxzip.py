"""Workbooks zipped by PartsZip are ordinary zips: zipfile, calamine and openpyxl read them."""

import io
import zipfile

import openpyxl
import pytest
import xlsxwriter.packager
import xlsxwriter.sharedstrings
import xlsxwriter.workbook
from python_calamine import CalamineWorkbook

from pipeline.xlsx import container as xlsxzip
from pipeline.xlsx.book import open_workbook


def _write(path, parts_zip: bool) -> None:
    book = open_workbook(path)
    if not parts_zip:
        book.__class__ = xlsxwriter.workbook.Workbook  # xlsxwriter's own close and zipfile
    ws = book.add_worksheet("学校")
    ws.write_rows(0, [["名称", "人次"], *[[f"学校{i}", i] for i in range(500)]], [None, None])
    ws.write_comment(1, 0, "注释")
    special = ["a\x01b", " lead", "trail ", "_x0041_", 'a & b < c > "d"', "line\nbreak", "x\ufffe", "\t"]
    ws.write_rows(501, [[text, None] for text in special], [None, None])
    ws.write_rich_string(510, 0, book.add_format({"bold": True}), "粗", "细")
    book.close()


def test_parts_read_back_as_zipfile_writes_them(tmp_path):
    """Byte for byte as xlsxwriter's own close writes them, shared strings of every kind included."""
    ours, theirs = tmp_path / "ours.xlsx", tmp_path / "theirs.xlsx"
    _write(ours, True)
    _write(theirs, False)
    with zipfile.ZipFile(ours) as a, zipfile.ZipFile(theirs) as b:
        assert a.testzip() is None
        assert a.namelist() == b.namelist()
        assert all(a.read(n) == b.read(n) for n in a.namelist())
        assert all(
            i.compress_type == zipfile.ZIP_DEFLATED and i.date_time == (1980, 1, 1, 0, 0, 0) for i in a.infolist()
        )
    rows = CalamineWorkbook.from_path(str(ours)).get_sheet_by_name("学校").to_python()
    assert rows[0] == ["名称", "人次"] and rows[500] == ["学校499", 499.0]
    assert openpyxl.load_workbook(ours)["学校"]["A2"].comment.text.startswith("注释")
    assert xlsxwriter.workbook.ZipFile is zipfile.ZipFile  # put back after the close
    assert xlsxwriter.packager.SharedStrings is xlsxwriter.sharedstrings.SharedStrings


def test_names_stored_and_file_objects(tmp_path):
    sink = io.BytesIO()
    z = xlsxzip.PartsZip(sink, "w", compression=zipfile.ZIP_STORED)
    z.writestr(zipfile.ZipInfo("目录/部分.xml", (2024, 9, 1, 13, 30, 16)), "<x>文本</x>")
    z.writestr("b.bin", b"\x00" * 10)
    z.close()
    with zipfile.ZipFile(io.BytesIO(sink.getvalue())) as zf:
        assert zf.testzip() is None
        assert zf.read("目录/部分.xml").decode() == "<x>文本</x>" and zf.read("b.bin") == b"\x00" * 10
        assert zf.getinfo("目录/部分.xml").date_time == (2024, 9, 1, 13, 30, 16)
    with pytest.raises(ValueError):
        xlsxzip.PartsZip(sink, "r")
