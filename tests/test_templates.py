"""The templates as a school or analyst opens them: drop-downs, validations, protection, print."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest

from pipeline.app import load_programme, write_templates
from pipeline.forms.templates import BLANK_NAMES
from pipeline.workbooks import office
from schemas.report import REPORT_FINGERPRINT, TEMPLATE_VERSION, Activity, SchoolInfo


@pytest.fixture
def report(programme_file, tmp_path) -> Path:
    paths = write_templates(programme_file, "2024秋", tmp_path / "out")
    assert [p.name for p in paths] == [
        "001_城南小学_2024秋.xlsx",
        "002_山口小学_2024秋.xlsx",
        "003_河西小学_2024秋.xlsx",
        "005_北岭小学_2024秋.xlsx",
    ]
    return paths[2]  # 河西小学: two partners, one of them outside the district


def _validations(ws):
    return {str(dv.sqref).split(":")[0]: dv for dv in ws.data_validations.dataValidation}


def test_sheets_in_order_with_lists_and_meta_hidden(report):
    book = openpyxl.load_workbook(report)
    assert book.sheetnames == [
        "填报说明",
        "基本信息",
        "交流活动",
        "人员交流",
        "经费物资",
        "教学质量",
        "_lists",
        "_meta",
    ]
    assert [book[n].sheet_state for n in ("_lists", "_meta")] == ["hidden", "hidden"]
    assert book.active.title == "填报说明"
    meta = {r[0]: r[1] for r in book["_meta"].iter_rows(values_only=True)}
    assert meta == {
        "template_version": TEMPLATE_VERSION,
        "schema_fingerprint": REPORT_FINGERPRINT,
        "programme": "测试区结对帮扶",
        "school_code": "003",
        "period_code": "2024秋",
        "lang": "zh",
        "answers": None,  # a blank template answers no file; a feedback workbook names its file's sha256
    }


def test_identity_prefilled_and_locked_while_the_rest_is_editable(report):
    ws = openpyxl.load_workbook(report)["基本信息"]
    values = {ws.cell(r, 1).value: ws.cell(r, 2) for r in range(3, ws.max_row + 1)}
    assert values["学校代码"].value == "003" and values["学校代码"].number_format == "@"
    assert values["学校名称"].value == "河西小学"
    assert values["报送周期"].value == "2024秋"
    assert values["本校角色"].value == "受援校"
    assert values["结对学校"].value == "城南小学；外县实验小学"
    assert ws.protection.sheet
    assert all(values[k].protection.locked for k in ("学校代码", "学校名称", "报送周期", "本校角色", "结对学校"))
    assert not values["填报人"].protection.locked and not values["填报日期"].protection.locked
    dv = _validations(ws)["B10"]
    assert (dv.type, dv.operator or "between", dv.formula1) == ("date", "between", "45536")  # from 2024-09-01


def test_activity_sheet_drop_downs_and_validations(report):
    book = openpyxl.load_workbook(report)
    ws = book["交流活动"]
    assert [c.value for c in ws[1]] == [c.zh for c in Activity.columns]
    assert ws.freeze_panes == "A2"
    assert list(ws.tables) == ["T_Activity"]
    assert ws.protection.sheet and not ws.protection.insertRows and not ws.protection.autoFilter
    assert not ws["A2"].protection.locked and ws["A1"].protection.locked
    dvs = _validations(ws)
    partner = dvs["D2"]
    assert partner.type == "list" and partner.formula1.startswith("'_lists'!$")
    column = partner.formula1.split("!$")[1].split("$")[0]
    lists = book["_lists"]
    listed = [c.value for c in lists[column][1:] if c.value]
    assert listed == ["城南小学", "外县实验小学"]
    date = dvs["A2"]
    assert (date.type, date.formula1, date.formula2) == ("date", "45536", "45688")  # the period: 2024-09-01..2025-01-31
    assert date.errorStyle in (None, "stop") and "须在本报送周期内" in date.prompt
    people = dvs["F2"]
    assert (people.type, people.formula1, people.formula2) == ("whole", "0", "5000")
    activity_types = dvs["B2"]
    column = activity_types.formula1.split("!$")[1].split("$")[0]
    assert [c.value for c in lists[column][1:] if c.value][:3] == ["讲座", "示范课", "交流课"]


def test_print_setup_is_a4_landscape_fit_to_width_with_repeated_header(report):
    ws = openpyxl.load_workbook(report)["交流活动"]
    assert (ws.page_setup.orientation, ws.page_setup.paperSize) == ("landscape", 9)
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToHeight == 0  # one page wide
    assert ws.print_title_rows == "$1:$1"
    assert "&P" in ws.oddFooter.center.text and ws.oddHeader.left.text == "测试区结对帮扶"


def test_instructions_name_the_deadline_and_whom_to_call(report):
    ws = openpyxl.load_workbook(report)["填报说明"]
    text = "\n".join(str(c.value) for c in ws["A"] if c.value)
    assert "截止日期：2025-02-15 前将本表通过电子邮件报送教育局" in text
    assert "联系人：王老师　电话：0771-1234567（测试区教育局）" in text
    assert "不要重命名、删除或移动工作表" in text and "在表格内插入行" in text


def test_blank_templates_in_both_languages(tmp_path):
    zh = write_templates(None, None, tmp_path / "zh")
    en = write_templates(None, None, tmp_path / "en", lang="en")
    assert [p.name for p in zh] == list(BLANK_NAMES["zh"]) and [p.name for p in en] == list(BLANK_NAMES["en"])
    ws = openpyxl.load_workbook(en[1])["Activities"]
    assert [c.value for c in ws[1]][:3] == ["Date", "Activity type", "Direction"]
    programme = openpyxl.load_workbook(zh[0])
    assert programme["学校名册"]["A2"].number_format == "@"  # codes keep their leading zeros
    assert load_programme(zh[0]).programme is None  # blank: nothing to run on yet


def test_no_macros_and_no_external_links_in_what_we_write(report):
    names = zipfile.ZipFile(report).namelist()
    assert not [n for n in names if "vbaProject" in n or "externalLink" in n]


@pytest.mark.skipif(office.soffice() is None, reason="LibreOffice is not installed")
def test_templates_open_in_libreoffice(report, tmp_path):
    blank = write_templates(None, None, tmp_path / "blank")[1]
    for path in (blank, report):
        pdf = office.convert(path, "pdf", tmp_path / "pdf")
        assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 10_000
    # A LibreOffice round trip keeps the identity and the partner drop-down.
    xlsx = office.convert(report, "xlsx:Calc MS Excel 2007 XML", tmp_path / "lo")
    book = openpyxl.load_workbook(xlsx)
    assert book["基本信息"]["B3"].value == "003"
    assert any(dv.type == "list" for dv in book["交流活动"].data_validations.dataValidation)


def test_every_column_has_labels_help_and_a_width():
    from schemas import PROGRAMME_SHEETS, REPORT_SHEETS

    for model in (*PROGRAMME_SHEETS, *REPORT_SHEETS):
        for col in model.columns:
            assert col.zh and col.en and col.help_zh and col.help_en and col.width > 0, (model.zh, col.name)
    assert SchoolInfo.date_filled.kind.value == "date" and dt.date  # the form sheet has a real date row
