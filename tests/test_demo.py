"""The demo programme: realistic in size and shape, and carrying the faults real inboxes carry."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

from pipeline.app import load_programme
from pipeline.demo.data import IDLE_RECIPIENT, build
from pipeline.intake.read import read_workbook
from pipeline.workbooks import office
from schemas.programme import Pair, Period, School
from schemas.report import Activity


def test_demo_programme_is_valid_and_realistic(demo):
    result = load_programme(demo.programme)
    prog = result.programme
    assert prog is not None and not result.issues
    schools, pairs, periods = prog.schools, prog.pairs, prog.periods
    assert 38 <= len(schools) <= 45
    assert set(schools[School.district.name]) >= {"城区片", "乡镇片"}
    assert (schools[School.reports.name] == "否").sum() >= 2
    assert len(pairs) >= 17
    assert Counter(pairs[Pair.supporting_code.name]).most_common(1)[0][1] == 5
    kinds = Counter(periods[Period.period_type.name])
    assert kinds["月度"] == 22 and kinds["学期"] == 4 and kinds["学年"] == 2
    assert len(prog.district_scores) > 0


def test_every_reporting_school_but_one_sent_a_report_with_20_to_300_activities(demo):
    prog = load_programme(demo.programme).programme
    reporting = set(prog.reporting_schools()[School.school_code.name])
    sent = {p.school for p in demo.files}
    assert len(reporting - sent) == 1  # one late school for the 催报 list
    data = build()
    idle = {"0103001", IDLE_RECIPIENT}  # the pair that did nothing all year (the assessment's veto)
    for code, rows in data.reports.items():
        assert (len(rows[Activity]) == 0) if code in idle else (20 <= len(rows[Activity]) <= 300), code


def test_inbox_carries_the_planted_faults(demo):
    faults = {p.fault: p for p in demo.files}
    period = load_programme(demo.programme).programme.period("2024学年")
    deadline = dt.datetime.combine(period.deadline, dt.time(23, 59)).timestamp()
    assert faults["late"].path.stat().st_mtime > deadline
    assert all(p.path.stat().st_mtime < deadline for p in demo.files if p.fault != "late")
    assert faults["duplicate"].path.read_bytes() == faults["duplicate-copy"].path.read_bytes()
    assert faults["resubmission"].school == faults["resubmission-corrected"].school
    assert faults["resubmission-corrected"].path.parent.name == "更正"
    assert faults["renamed"].path.name == "新建 Microsoft Excel 工作表.xlsx"
    expected_suffix = ".xls" if office.soffice() else ".xlsx"
    assert faults["xls"].path.suffix == expected_suffix

    def activity_cells(fault: str) -> list[object]:
        book = read_workbook(faults[fault].path)
        return [v for row in book.sheets["交流活动"].rows for v in row]

    def funding_cells(fault: str) -> list[object]:
        return [v for row in read_workbook(faults[fault].path).sheets["经费物资"].rows for v in row]

    assert any(isinstance(v, str) and v.endswith("万") for v in funding_cells("money-wan"))
    assert any(isinstance(v, str) and any("０" <= ch <= "９" for ch in v) for v in activity_cells("full-width"))
    assert any(isinstance(v, str) and "年" in v and "月" in v and "日" in v for v in activity_cells("text-date"))
    assert "青山区某某实验学校" in activity_cells("unknown-partner")
    assert 8000 in activity_cells("out-of-range")


def test_demo_is_deterministic_for_a_seed():
    a, b = build(7), build(7)
    assert a.reports == b.reports and a.programme == b.programme
    assert build(8).reports != a.reports


def test_personalised_templates_for_every_reporting_school(demo):
    folder = Path(demo.templates) / "2024学年"
    prog = load_programme(demo.programme).programme
    assert len(list(folder.glob("*.xlsx"))) == len(prog.reporting_schools())
