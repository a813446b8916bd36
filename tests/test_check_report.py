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
