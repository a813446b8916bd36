"""The validation report from submissions alone: every reporting school with its status and
timeliness (also the ones that sent nothing), every finding errors first, the files, the codes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

from pipeline.core.issues import make
from pipeline.intake.submission import Submission, final_status
from pipeline.workbooks.check_report import write_check_report


def _sub(index, school, received, issues=(), rel=None) -> Submission:
    rel = rel or f"{school}.xlsx"
    s = Submission(index, Path(rel), rel, 100, f"{index:064d}", received, school=school, rows_read=3)
    s.issues = list(issues)
    final_status(s)
    return s


def test_every_school_its_status_timeliness_and_every_finding_at_its_cell(tmp_path, programme):
    warning = make("outlier", file="001.xlsx", sheet="交流活动", cell="F3", column="参与人次", value="900")
    error = make("not-a-number", file="001.xlsx", sheet="交流活动", cell="F9", column="参与人次", value="十二")
    subs = [
        _sub(0, "001", dt.datetime(2025, 2, 14, 9), [error, warning]),
        _sub(1, "002", dt.datetime(2025, 2, 18, 9)),  # three days late
    ]
    period = programme.period("2024秋")
    book = openpyxl.load_workbook(write_check_report(tmp_path / "r.xlsx", subs, programme, period, "zh"))
    assert book.sheetnames == ["报送情况", "问题清单", "文件清单", "代码说明"]
    status = {r[0]: r for r in book["报送情况"].iter_rows(min_row=2, values_only=True)}
    assert set(status) == {"001", "002", "003", "005"}  # 004 does not report to this bureau
    assert "需修改" in status["001"] and "已通过" in status["002"] and "未报送" in status["003"]
    assert 3 in status["002"]  # days late
    findings = [r for r in book["问题清单"].iter_rows(min_row=2, values_only=True)]
    assert [(r[1], r[2], r[3], r[5]) for r in findings] == [
        ("001.xlsx", "交流活动", "F9", "十二"),
        ("001.xlsx", "交流活动", "F3", "900"),
    ]
    codes = [r[0] for r in book["代码说明"].iter_rows(min_row=2, values_only=True)]
    assert codes == ["not-a-number", "outlier"]


def test_people_read_words_times_and_filled_in_examples_not_codes_and_placeholders(tmp_path, programme):
    period = programme.period("2024秋")
    at = dt.datetime(2025, 2, 12, 9, 30)
    wrong = make("out-of-range", file="001.xlsx", sheet="交流活动", cell="F2", value="9000", expected="0–5,000")
    first, fixed = _sub(0, "001", at, [wrong]), _sub(1, "001", at + dt.timedelta(days=1), rel="001_更正.xlsx")
    first.status, first.reason = "superseded", "001_更正.xlsx"
    book = openpyxl.load_workbook(write_check_report(tmp_path / "r.xlsx", [first, fixed], programme, period, "zh"))
    files = {r[0]: r for r in book["文件清单"].iter_rows(min_row=2, values_only=True)}
    header = [c.value for c in book["文件清单"][1]]
    row = dict(zip(header, files["001.xlsx"], strict=True))
    assert (
        row["状态"] == "已被替代" and row["原因"] == "已被 001_更正.xlsx 替代" and row["接收时间"] == "2025-02-12 09:30"
    )
    codes = list(book["代码说明"].iter_rows(min_row=2, values_only=True))
    assert codes[0][0] == "out-of-range" and codes[0][5] == "“9000”超出允许范围（0–5,000）。"
    assert not any("{" in str(v) for r in codes for v in r)


def test_limits_in_validation_prompts_are_written_as_people_write_them(tmp_path):
    from pipeline.app import write_templates

    _, report = write_templates(None, None, tmp_path, "zh")
    book = openpyxl.load_workbook(report)
    said = [dv.error for ws in book.worksheets for dv in ws.data_validations.dataValidation if dv.error]
    assert said and not [s for s in said if "e+" in s]
    assert any("5,000" in s for s in said)
