"""The consolidated workbook from aggregates alone: the title block, headline figures with their
units, each table with people's column labels and number formats, charts, the 说明 sheet."""

from __future__ import annotations

import dataclasses
import datetime as dt

import openpyxl
import pandas as pd
import pytest

from pipeline.workbooks.consolidated import Consolidated, write_consolidated
from pipeline.workbooks.tables import INT, MONEY, ReportTable

HEADLINE = {
    "schools_expected": 4, "schools_reported": 3, "on_time": 2, "on_time_rate": 50.0, "activities": 120,
    "person_visits": 1530, "sessions": 140, "people_seconded": 6, "person_months": 17.25, "funding": 12.5,
    "recipients_moved_up": 1, "money_unit": "万元",
}  # fmt: skip


@pytest.fixture
def consolidated() -> Consolidated:
    funding = pd.DataFrame({"source": ["学校自筹", "合计"], "transfers": [3, 3], "amount": [12.5, 12.5]})
    return Consolidated(
        programme_name="测试区结对帮扶", bureau="测试区教育局", form_number="教基3表", period_name="2024年秋季学期",
        period_start=dt.date(2024, 9, 1), period_end=dt.date(2025, 1, 31), as_of=dt.date(2025, 2, 18), unit="万元",
        headline=HEADLINE, cumulative=None,
        tables=[ReportTable("sheet.funding_source", funding, {"transfers": INT, "amount": MONEY}, bars=("amount",))],
        by_type=pd.DataFrame({"activity_type": ["示范课", "讲座"], "count": [80, 40]}),
        by_source=funding.iloc[:1][["source", "amount"]],
        rank_changes=pd.DataFrame({"school_name": ["山口小学"], "rank_change": [2.0]}), rank_subject="综合",
        history=pd.DataFrame({"period": ["2024年秋季学期"], "on_time": [2], "late": [1], "missing": [1]}),
        detail_note="",
        inputs=pd.DataFrame({"file": ["a.xlsx"], "sha256": ["0" * 64], "status": ["passed"]}),
        version="0.1.0", run_id="0123456789abcdef", history_note="",
    )  # fmt: skip


def test_the_overview_has_the_title_block_and_the_headline_with_units(tmp_path, consolidated):
    book = openpyxl.load_workbook(write_consolidated(tmp_path / "c.xlsx", consolidated))
    ws = book[book.sheetnames[0]]
    assert ws["A1"].value == "测试区结对帮扶情况汇总表"
    assert "2024年秋季学期" in ws["A2"].value and "2025年2月18日" in ws["A3"].value and "万元" in ws["A3"].value
    assert ws["G2"].value.endswith("教基3表")
    figures = {r[0]: (r[1], r[2]) for r in ws.iter_rows(min_row=7, max_row=16, max_col=3, values_only=True)}
    assert len(figures) == 10 and (1530, "人次") in figures.values() and (12.5, "万元") in figures.values()
    assert len(ws._charts) == 4  # noqa: SLF001 - openpyxl has no public accessor


def test_a_table_sheet_labels_its_columns_and_formats_money_with_two_decimals(tmp_path, consolidated):
    book = openpyxl.load_workbook(write_consolidated(tmp_path / "c.xlsx", consolidated))
    ws = book.worksheets[1]
    assert ws["A1"].value == "表1　经费（按来源）"  # a loose printed page says what it is
    assert "报送周期：2024年秋季学期" in ws["A2"].value and "制表单位：测试区教育局" in ws["A2"].value
    assert "2025年2月18日" in ws["A2"].value and ws["A3"].value.startswith("金额单位：万元")
    assert [c.value for c in ws[4]] == ["来源", "笔数", "金额（万元）"]
    assert ws["C5"].value == 12.5 and ws["C5"].number_format == "#,##0.00" and ws["B5"].number_format == "#,##0"
    assert ws.freeze_panes == "A5" and ws.print_title_rows == "$4:$4" and book.sheetnames[-1] == "说明"
    assert "&P" in ws.oddFooter.center.text and ws.oddHeader.right.text == "2024年秋季学期"


def test_english_labels_and_the_same_bytes_for_the_same_inputs(tmp_path, consolidated):
    first = write_consolidated(tmp_path / "a.xlsx", consolidated, "en")
    second = write_consolidated(tmp_path / "b.xlsx", dataclasses.replace(consolidated), "en")
    assert first.read_bytes() == second.read_bytes()
    book = openpyxl.load_workbook(first)
    assert book.sheetnames == ["Overview", "Funding by source", "Notes"]
    assert book["Overview"]["A1"].value == "测试区结对帮扶: summary of work"  # the programme's own name stays
    assert [c.value for c in book["Funding by source"][4]] == ["Source", "Transfers", "Amount (万元)"]
