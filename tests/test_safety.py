"""Hostile and broken files one by one: each gets one clear refusal, before any parser."""

from __future__ import annotations

import datetime as dt

import pytest
import xlsxwriter

from pipeline.forms.templates import ReportSpec, write_report
from pipeline.intake.read import read_untrusted
from pipeline.intake.safety import inspect
from pipeline.intake.sniff import Limits, Rejected
from tests import hostile


@pytest.fixture
def good(tmp_path):
    return write_report(tmp_path / "good.xlsx", ReportSpec())


def refused(path, limits=None):
    with pytest.raises(Rejected) as err:
        read_untrusted(path, limits) if limits else read_untrusted(path)
    return err.value.code, err.value.facts


def test_the_template_itself_reads(good):
    book = read_untrusted(good)
    assert book.kind == "xlsx" and "交流活动" in book.sheets and book.warnings == []


@pytest.mark.parametrize(
    "make, code",
    [
        (hostile.allocation_bomb, "too-many-cells"),
        (hostile.far_cell_without_dimension, "too-many-cells"),
        (hostile.far_cell_single_quoted, "too-many-cells"),
        (hostile.far_cell_in_a_near_row, "too-many-cells"),
        (hostile.lying_shared_strings, "lying-count"),
        (hostile.zip_bomb, "zip-bomb"),
        (hostile.duplicate_part, "zip-duplicate-name"),
        (hostile.xml_bomb, "unsafe-xml"),
        (hostile.xxe, "unsafe-xml"),
        (hostile.xxe_past_the_head, "unsafe-xml"),
        (hostile.macro_sheet, "macro-sheet"),
        (hostile.encrypted, "encrypted"),
        (hostile.truncated, "zip-truncated"),
    ],
)
def test_hostile_workbooks_are_refused_before_parsing(good, tmp_path, make, code):
    path = make(good, tmp_path / "bad.xlsx")
    assert refused(path)[0] == code


def test_the_cell_limit_is_exact_though_the_scan_only_bounds_columns(good, tmp_path):
    """The scan bounds a sheet with no two-letter reference at 26 columns; a sheet only that bound
    would refuse is scanned again exactly, so 3,000 rows × 2 columns pass a limit of 6,000."""
    path = hostile.narrow_and_long(good, tmp_path / "long.xlsx", rows=3000)
    assert read_untrusted(path, Limits(cells_per_sheet=6000)).sheets["填报说明"].rows[-1] == [1, 2]
    code, facts = refused(path, Limits(cells_per_sheet=5999))
    assert code == "too-many-cells" and facts == {"sheet": "填报说明", "cells": "6,000", "ref": "A1:B3000"}


def test_a_cell_counts_where_its_own_reference_puts_it(good, tmp_path):
    """Row elements say 900 and 9, the cells XFD1048576 and C1048576: the extent is the cells'.
    The deep one in column C is refused with its exact extent; a limit it fits in lets it through."""
    code, facts = refused(hostile.far_cell_in_a_near_row(good, tmp_path / "a.xlsx"))
    assert facts == {"sheet": "填报说明", "cells": "17,179,869,184", "ref": "A1:XFD1048576"}
    path = hostile.deep_cell_in_a_near_row(good, tmp_path / "b.xlsx")
    code, facts = refused(path)
    assert code == "too-many-cells" and facts == {"sheet": "填报说明", "cells": "27,262,976", "ref": "A1:Z1048576"}
    scan, _ = inspect(path, Limits(cells_per_sheet=27_262_976))  # the scan only: a reader would fill 27 M cells
    assert scan.kind == "xlsx"
    code, facts = refused(hostile.far_rows_prefixed(good, tmp_path / "c.xlsx"), Limits(cells_per_sheet=20_000))
    assert code == "too-many-cells" and facts["ref"].startswith("A1:J") and int(facts["ref"][4:]) > 3000


def test_cells_without_references_count_where_the_reader_puts_them(good, tmp_path):
    """The scan places a cell without r= as calamine does, right of the one before it: the
    extent it reports is the one calamine reads, and 5,000 such cells in one row are refused."""
    path = hostile.cells_without_references(good, tmp_path / "a.xlsx")
    rows = read_untrusted(path).sheets["填报说明"].rows
    assert rows[4][25:] == [1, "", "", 2] and len(rows[0]) == 29  # Z5, then AA5 and AB5 empty, AC5
    code, facts = refused(path, Limits(cells_per_sheet=len(rows) * 29 - 1))
    assert code == "too-many-cells" and facts["ref"] == f"A1:AC{len(rows)}"
    code, facts = refused(hostile.cells_without_references(good, tmp_path / "b.xlsx", count=5000, far_row=5000))
    assert code == "too-many-cells" and facts["ref"] == "A1:GKH5000"  # 26 + 5,000 columns


def test_refusals_say_what_and_where(good, tmp_path):
    code, facts = refused(hostile.allocation_bomb(good, tmp_path / "a.xlsx"))
    assert facts == {"sheet": "填报说明", "cells": "17,179,869,184", "ref": "A1:XFD1048576"}
    code, facts = refused(hostile.xml_bomb(good, tmp_path / "b.xlsx"))
    assert facts == {"part": "xl/sharedStrings.xml"}
    code, facts = refused(hostile.zip_bomb(good, tmp_path / "c.xlsx"))
    assert facts["detail"].startswith("xl/media/image1.bin") and facts["limit"] == "×300"
    code, facts = refused(
        hostile.zip_bomb(good, tmp_path / "d.xlsx", megabytes=3), Limits(total_uncompressed=2 * 1024 * 1024)
    )
    assert code == "zip-bomb" and facts["limit"] == "2 MB"


@pytest.mark.parametrize(
    "make, code, found",
    [
        (hostile.pdf_renamed, "not-a-report", "PDF"),  # a document: not a report at all
        (hostile.csv_renamed, "wrong-type", "CSV"),  # data in another format: save it as .xlsx
        (hostile.html_renamed, "wrong-type", "HTML"),
    ],
)
def test_renamed_files_are_named_for_what_they_are(tmp_path, make, code, found):
    assert refused(make(tmp_path / "report.xlsx")) == (code, {"found": found})


def test_empty_and_old_biff_files(tmp_path):
    (tmp_path / "empty.xlsx").write_bytes(b"")
    assert refused(tmp_path / "empty.xlsx")[0] == "file-empty"
    (tmp_path / "old.xls").write_bytes(b"\x09\x04\x06\x00\x00\x00\x10\x00" + bytes(100))
    assert refused(tmp_path / "old.xls")[0] == "legacy-excel"


def test_macros_are_never_run_and_the_values_are_read(good, tmp_path):
    book = read_untrusted(hostile.with_vba(good, tmp_path / "m.xlsm"))
    assert book.kind == "xlsm" and [w[0] for w in book.warnings] == ["macros-ignored"]
    assert "交流活动" in book.sheets


def test_formula_cells_with_errors_or_no_cached_value_are_marked(tmp_path):
    path = tmp_path / "f.xlsx"
    book = xlsxwriter.Workbook(path)
    ws = book.add_worksheet("交流活动")
    ws.write_row(0, 0, ["日期", "参与人次"])
    ws.write_formula(1, 1, "=1/0", None, "#DIV/0!")
    ws.write_formula(2, 1, "=B2*2", None, 7)
    ws.write_formula(3, 1, "=SUM(B2:B3)")
    book.close()
    xml = hostile.part(path, "xl/worksheets/sheet1.xml").replace(b"<v>0</v>", b"")
    hostile.rewrite(path, tmp_path / "g.xlsx", {"xl/worksheets/sheet1.xml": xml})
    sheet = read_untrusted(tmp_path / "g.xlsx").sheets["交流活动"]
    assert sheet.bad_cells == {(1, 1): "formula-error", (3, 1): "formula-no-value"}
    assert sheet.rows[2][1] == 7.0  # a formula with a cached value is read, never evaluated


def test_1904_workbooks_give_the_right_dates(tmp_path):
    path = tmp_path / "mac.xlsx"
    book = xlsxwriter.Workbook(path, {"date_1904": True})
    book.add_worksheet("交流活动").write_datetime(
        0, 0, dt.datetime(2024, 10, 13), book.add_format({"num_format": "yyyy-mm-dd"})
    )
    book.close()
    value = read_untrusted(path).sheets["交流活动"].rows[0][0]
    assert value in (dt.date(2024, 10, 13), dt.datetime(2024, 10, 13))


def test_an_xls_named_xlsx_is_read_by_content_with_a_warning(tmp_path, good):
    from pipeline.workbooks import office

    if office.soffice() is None:
        pytest.skip("LibreOffice is not installed")
    xls = office.convert(good, "xls", tmp_path / "xls")
    renamed = tmp_path / "report.xlsx"
    renamed.write_bytes(xls.read_bytes())
    book = read_untrusted(renamed)
    assert book.kind == "xls" and book.warnings == [("extension-mismatch", {"found": "xls", "value": "xlsx"})]


def test_strict_ooxml_reads_like_transitional(good, tmp_path):
    book = read_untrusted(hostile.strict(good, tmp_path / "strict.xlsx"))
    assert book.sheets["基本信息"].rows == read_untrusted(good).sheets["基本信息"].rows


def test_hidden_rows_are_found(tmp_path):
    import openpyxl

    path = write_report(tmp_path / "r.xlsx", ReportSpec())
    book = openpyxl.load_workbook(path)
    ws = book["交流活动"]
    ws["A3"], ws["F3"] = "2024-10-01", 5
    ws.row_dimensions[3].hidden = True
    book.save(path)
    assert read_untrusted(path).sheets["交流活动"].hidden_rows == frozenset({2})


def test_members_inflate_from_the_file_bytes_as_zipfile_reads_them(tmp_path):
    import io
    import os
    import zipfile

    from pipeline.intake.zipscan import stream as _stream

    path = tmp_path / "m.zip"
    body = b"<row>" + b"x" * 300_000 + b"</row>"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("deflated.xml", body, compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr("stored.xml", body, compress_type=zipfile.ZIP_STORED)
        zf.writestr("empty.xml", b"")
        zf.writestr("noise.bin", os.urandom(300_000), compress_type=zipfile.ZIP_DEFLATED)  # several feeds
    data = path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for name in zf.namelist():
            pieces = list(_stream(zf, data, name, chunk=65536))
            assert b"".join(pieces) == zf.read(name) and all(len(p) <= 65536 for p in pieces)
    corrupt = bytearray(data)  # one byte of the stored member changed: its CRC no longer holds
    corrupt[data.index(b"x" * 100, data.index(b"stored.xml")) + 10] = ord("y")
    with zipfile.ZipFile(io.BytesIO(bytes(corrupt))) as zf, pytest.raises(Rejected) as caught:
        list(_stream(zf, bytes(corrupt), "stored.xml"))
    assert (caught.value.code, caught.value.facts) == ("corrupt-part", {"part": "stored.xml"})
    cut = data.replace(b"stored.xml", b"stored.xm_", 1)  # the local header's name differs from the directory's
    with zipfile.ZipFile(io.BytesIO(cut)) as zf, pytest.raises(zipfile.BadZipFile, match="differ"):
        list(_stream(zf, cut, "stored.xml"))


def test_only_the_sheets_intake_needs_are_parsed(good):
    book = read_untrusted(good, wanted=lambda name: name == "交流活动")
    assert book.sheets["交流活动"].loaded and book.sheets["交流活动"].rows
    assert not book.sheets["填报说明"].loaded and book.sheets["填报说明"].rows == []


def test_a_damaged_shared_strings_part_is_refused_not_read_changed(tmp_path, good):
    """A byte changed in a part calamine reads (the school's text): its CRC fails, the file is refused."""
    import zipfile

    stored = tmp_path / "stored.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(stored, "w") as dst:
        for info in src.infolist():
            kind = zipfile.ZIP_STORED if info.filename == "xl/sharedStrings.xml" else zipfile.ZIP_DEFLATED
            dst.writestr(info.filename, src.read(info.filename), compress_type=kind)
    data = bytearray(stored.read_bytes())
    at = data.index("交流活动".encode())  # a sheet's header, in the stored shared strings
    data[at : at + 3] = "域".encode()  # one character changed in the text
    damaged = tmp_path / "damaged.xlsx"
    damaged.write_bytes(bytes(data))
    assert refused(damaged) == ("corrupt-part", {"part": "xl/sharedStrings.xml"})
