"""What officials print: the demo's reports printed through LibreOffice as an office prints them.
The report prints as a report (evidence and detail are annex workbooks), every table says on its
page what it is, and the assessment's grades are on its first page."""

from __future__ import annotations

import re

import openpyxl
import pytest

from pipeline.workbooks import office
from tests.reports import header_row

PAGE = re.compile(rb"/Type\s*/Page(?!s)")


@pytest.fixture(scope="module")
def printed(demo, tmp_path_factory):
    from pipeline.app import RunSettings, run

    out = tmp_path_factory.mktemp("printed")
    return run(RunSettings(demo.programme, demo.inbox, "2024学年", out))


def pages(path, tmp_path) -> int:
    """Pages of the workbook printed to PDF by LibreOffice (LibreOffice writes no object streams)."""
    return len(PAGE.findall(office.convert(path, "pdf", tmp_path).read_bytes()))


@pytest.mark.skipif(office.soffice() is None, reason="LibreOffice is not installed")
def test_the_demo_report_prints_in_at_most_30_pages_and_the_assessment_in_at_most_15(printed, tmp_path):
    report, assessment = pages(printed.workbook, tmp_path), pages(printed.assessment, tmp_path)
    assert 10 <= report <= 30, report
    assert 3 <= assessment <= 15, assessment


def test_evidence_and_detail_are_annex_workbooks_named_in_the_notes(printed):
    book = openpyxl.load_workbook(printed.workbook)
    assert not [n for n in book.sheetnames if n.startswith("明细_") or n in ("评分依据", "指标得分")]
    notes = " ".join(str(c.value) for row in book["说明"].iter_rows() for c in row if c.value)
    assert "明细_2024学年.xlsx" in notes
    assert (printed.workbook.parent / "评分依据_2024学年.xlsx").exists()
    assert book["说明"].print_area == "'说明'!$A$1:$C$9"  # not every input file's row


def test_every_table_sheet_has_a_title_block_and_a_page_header_and_footer(printed):
    for path in (printed.workbook, printed.assessment):
        book = openpyxl.load_workbook(path)
        for ws in book.worksheets:
            assert "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text, (path.name, ws.title)
            assert ws.oddHeader.right.text == "2024-2025学年", (path.name, ws.title)
            if ws.title in ("总览", "说明"):
                continue
            top = header_row(ws) if ws.freeze_panes else 4  # small tables sharing a sheet: no panes
            block = " ".join(str(ws.cell(r, 1).value) for r in range(1, top))
            assert ws["A1"].value.startswith(("表", "附表")) or ws.title == "考核评分", ws.title
            if ws.freeze_panes:
                assert top >= 3 and ws.print_title_rows == f"${top}:${top}", ws.title
            for said in ("报送周期：2024-2025学年", "制表单位：", "制表日期：2025年", "单位："):
                assert said in block, (ws.title, said)


def test_small_related_tables_share_a_printed_page(printed):
    book = openpyxl.load_workbook(printed.workbook)
    ws = book["经费_按来源类别品名"]
    titles = [c.value for (c,) in ws.iter_rows(max_col=1) if isinstance(c.value, str) and c.value.startswith("表")]
    assert [t.split("　")[1] for t in titles] == ["经费（按来源）", "经费（按类别）", "物资（按品名）"]
    assert ws.print_title_rows is None and ws.freeze_panes is None
    assert {"交流活动_按片区和方向", "集团成绩和进步受援校"} <= set(book.sheetnames)


def test_the_assessment_s_title_and_grade_counts_open_its_first_page(printed):
    first = openpyxl.load_workbook(printed.assessment).worksheets[0]
    assert first["A1"].value.endswith("年度考核结果")
    assert re.search(r"共 \d+ 个结对  优秀 \d+ 个、良好 \d+ 个、合格 \d+ 个、不合格 \d+ 个", first["A2"].value)
