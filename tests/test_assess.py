"""The year-end assessment on a small hand-built programme: every point, total, rank, band and veto,
the evidence back to the submitted cells, and a bad rubric refused with one finding per problem."""

from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pytest
from click.testing import CliRunner

from pipeline.app import CheckSettings, RunSettings, assess_year, load_programme, run
from pipeline.cli import main
from pipeline.core.errors import ProgrammeInvalid
from pipeline.core.issues import codes
from pipeline.forms.templates import write_programme_workbook
from schemas.programme import DistrictScore, Period, Settings
from schemas.rubric import DEDUCT, PROPORTIONAL, THRESHOLD, Indicator, rule_row
from tests.conftest import small_programme_rows
from tests.reports import D, act, read_table, rows_for, submit

YEAR = "2024学年"
DEADLINE = dt.datetime(2025, 8, 31, 12, 0)
# 六年级 综合 (school, 2023-2024, 2024-2025): 山口 6th -> 4th (+2), 河西 3rd= -> 5th= (-2), 北岭 5th -> 3rd (+2)
RESULTS = [
    ("城南小学", 280.0, 281.0),
    ("山口小学", 220.0, 235.0),
    ("河西小学", 230.0, 229.0),
    ("北岭小学", 225.0, 240.0),
    ("外区甲小学", 250.0, 250.0),
    ("外区乙小学", 230.0, 229.0),
]
RUBRIC = [
    rule_row("A1", "示范课", "支援校", "activities", "活动类型=示范课", 2, 20, PROPORTIONAL),
    rule_row("A2", "活动月数", "结对", "active_months", "", 2, 20, DEDUCT, 5),
    rule_row("A3", "人员交流", "支援校", "people", "", 1, 10, THRESHOLD),
    rule_row("A4", "经费物资", "支援校", "funding", "", 1, 10, PROPORTIONAL),
    rule_row("A5", "按时报送", "结对", "on_time", "", 100, 10, THRESHOLD),
    rule_row("A6", "排名提升", "受援校", "rank_up", "学科=综合", 2, 10, PROPORTIONAL),
    rule_row("A7", "报表质量", "结对", "unresolved", "", 0, 10, DEDUCT, 2),
    rule_row("A8", "全年活动", "结对", "activities", "", 1, 10, THRESHOLD, veto="是"),
]


def year_rows(rubric=None, bands=(85, 70, 60)) -> dict:
    rows = small_programme_rows()
    rows[Settings][0].update(
        {Settings.excellent_from.name: bands[0], Settings.good_from.name: bands[1], Settings.pass_from.name: bands[2]}
    )
    rows[Period].append(
        {
            Period.period_code.name: YEAR,
            Period.period_name.name: "2024-2025学年",
            Period.period_type.name: "学年",
            Period.start_date.name: D(2024, 9, 1),
            Period.end_date.name: D(2025, 7, 31),
            Period.deadline.name: D(2025, 8, 31),
        }
    )
    rows[DistrictScore] = [
        {
            DistrictScore.school_name.name: name,
            DistrictScore.school_year.name: year,
            DistrictScore.term.name: "秋季",
            DistrictScore.grade.name: "六年级",
            DistrictScore.subject.name: "综合",
            DistrictScore.average.name: avg,
        }
        for name, last, this in RESULTS
        for year, avg in (("2023-2024", last), ("2024-2025", this))
    ]
    rows[Indicator] = RUBRIC if rubric is None else rubric
    return rows


@pytest.fixture(scope="module")
def year(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("assess")
    programme = write_programme_workbook(tmp / "programme.xlsx", "zh", year_rows())
    inbox = tmp / "inbox"
    submit(inbox, programme, "001", period=YEAR)
    bad = rows_for("002")  # one row with an activity type not on the list: an error left unfixed
    bad[next(iter(bad))].append(act(D(2024, 10, 12), "参观", "接收", "城南小学", 5))
    submit(inbox, programme, "002", rows=bad, received=DEADLINE + dt.timedelta(days=2), period=YEAR)
    submit(inbox, programme, "003", period=YEAR)  # 005 sends nothing
    result = run(RunSettings(programme, inbox, YEAR, tmp / "out"))
    return result, programme, inbox, tmp


def sheet(path, name):
    return read_table(openpyxl.load_workbook(path)[name])


def points(result) -> dict[str, dict[str, float]]:
    rows = sheet(result.assessment, "指标得分")
    table: dict[str, dict[str, float]] = {}
    for r in rows:
        table.setdefault(r["结对编号"], {})[r["指标编号"]] = r["得分"]
    return table


def test_every_point(year):
    result, *_ = year
    assert points(result) == {
        # 示范课 1/2; one month of 2 (-5); 张伟; 2万 of 1万; 002 late; 山口 +2 places; 002's one error (-2); active
        "P1": {"A1": 10, "A2": 15, "A3": 10, "A4": 10, "A5": 0, "A6": 10, "A7": 8, "A8": 10},
        # 讲座 only; one month; no one; no money (bureau funds are not the pair's); both on time; 河西 -2; clean
        "P2": {"A1": 0, "A2": 15, "A3": 0, "A4": 0, "A5": 10, "A6": 0, "A7": 10, "A8": 10},
        # 004 reports nothing (outside the bureau): 003's 接收 row counts; only 003's report is due
        "P3": {"A1": 0, "A2": 15, "A3": 0, "A4": 0, "A5": 10, "A6": 0, "A7": 10, "A8": 10},
        # 005 sends nothing: no activity at all (veto), two months short (-10), 001 on time but 005 missing
        "P4": {"A1": 0, "A2": 10, "A3": 0, "A4": 0, "A5": 0, "A6": 10, "A7": 10, "A8": 0},
    }


def test_totals_ranks_bands_and_veto(year):
    result, *_ = year
    rows = sheet(result.assessment, "考核评分")
    assert [(r["结对编号"], r["总分"], r["排名"], r["等级"], r["一票否决"]) for r in rows] == [
        ("P1", 73, "1/4", "良好", None),  # bands from 项目设置: 85 / 70 / 60
        ("P2", 45, "2/4", "不合格", None),
        ("P3", 45, "2/4", "不合格", None),  # a tie shares the rank
        ("P4", 30, "4/4", "不合格", "否决：全年活动"),  # vetoed: after every pair not vetoed
    ]
    p1 = rows[0]
    assert p1["未达标项"] == "示范课 1/2 次；活动月数 1/2 个月；按时报送 50/100 %；报表质量 1 个（应不超过 0）"
    assert rows[1]["未达标项"] == (
        "示范课 0/2 次；活动月数 1/2 个月；人员交流 0/1 人；经费物资 0/1 万元；排名提升 -2/2 名"
    )
    assert p1["A1\n示范课\n（20分）"] == 10


def test_consolidated_workbook_carries_the_ranked_results_and_the_points_and_evidence_stay_in_their_books(year):
    result, *_ = year
    book = openpyxl.load_workbook(result.workbook)
    assert "考核评分" in book.sheetnames and not {"指标得分", "评分依据"} & set(book.sheetnames)
    assert [r["总分"] for r in sheet(result.workbook, "考核评分")] == [73, 45, 45, 30]
    first = openpyxl.load_workbook(result.assessment).worksheets[0]
    assert first["A1"].value == "测试区结对帮扶年度考核结果"
    assert "优秀 0 个、良好 1 个、合格 0 个、不合格 3 个" in first["A2"].value  # on the first printed page
    notes = openpyxl.load_workbook(result.assessment)["说明"]["A4"].value
    assert "评分依据_2024学年.xlsx" in notes


def test_both_notes_sheets_name_the_run_that_run_json_records(year):
    result, *_ = year
    run_id = json.loads((result.workbook.parent / "run.json").read_text(encoding="utf-8"))["run"]
    for path in (result.workbook, result.assessment):
        notes = openpyxl.load_workbook(path)["说明"]
        said = [c.value for row in notes.iter_rows() for c in row if isinstance(c.value, str) and "运行编号" in c.value]
        assert len(said) == 1 and f"运行编号：{run_id}" in said[0], path.name


def test_evidence_leads_back_to_the_submitted_cells(year):
    result, _, inbox, _ = year
    evidence = sheet(result.assessment.with_name("评分依据_2024学年.xlsx"), "评分依据")
    p1_a1 = [e for e in evidence if (e["结对编号"], e["指标编号"]) == ("P1", "A1")]
    assert [(e["文件"], e["工作表"], e["计入值"]) for e in p1_a1] == [("001_城南小学_2024学年.xlsx", "交流活动", 1)]
    checked = 0
    for e in evidence:
        if e["工作表"] in ("交流活动", "人员交流", "经费物资") and isinstance(e["行/单元格"], int):
            ws = openpyxl.load_workbook(inbox / e["文件"])[e["工作表"]]
            header = {c.value: c.column for c in ws[1]}
            first = ws.cell(int(e["行/单元格"]), header.get("日期") or header["姓名"]).value
            shown = first.date().isoformat() if hasattr(first, "date") else str(first)
            assert str(e["内容"]).startswith(shown), (e, shown)
            checked += 1
    assert checked == 9  # A1 1, A2 3, A3 1, A4 1, A8 3
    unresolved = [e for e in evidence if (e["结对编号"], e["指标编号"]) == ("P1", "A7")]
    assert [(e["文件"], e["工作表"]) for e in unresolved] == [("002_山口小学_2024学年.xlsx", "交流活动")]
    cell = unresolved[0]["行/单元格"]
    ws = openpyxl.load_workbook(inbox / unresolved[0]["文件"])["交流活动"]
    assert ws[cell].value == "参观"
    scores = [e for e in evidence if (e["结对编号"], e["指标编号"]) == ("P1", "A6")]
    assert [(e["文件"], e["工作表"]) for e in scores] == [("programme.xlsx", "区县成绩")] * 2
    on_time = [e["内容"] for e in evidence if (e["结对编号"], e["指标编号"]) == ("P4", "A5")]
    assert on_time[1] == "未收到有效报表" and on_time[0].endswith("按时")


def test_assess_command_writes_the_results(year, tmp_path):
    _, programme, inbox, _ = year
    result = assess_year(CheckSettings(programme, inbox, YEAR, tmp_path / "out"))
    assert result.workbook.name == "考核结果_2024学年.xlsx"
    assert openpyxl.load_workbook(result.workbook).sheetnames == ["考核评分", "指标得分", "考核细则", "说明"]
    assert (tmp_path / "out" / YEAR / "评分依据_2024学年.xlsx").exists()
    assert (tmp_path / "out" / YEAR / "data" / "assessment_evidence.csv").exists()
    english = CliRunner().invoke(
        main,
        [
            "assess",
            "--programme",
            str(programme),
            "--inbox",
            str(inbox),
            "--year",
            YEAR,
            "--out",
            str(tmp_path / "en"),
            "--lang",
            "en",
        ],
    )
    assert english.exit_code == 0, english.output
    assert "Assessment done: 4 pairs" in english.output
    rows = sheet(tmp_path / "en" / YEAR / "考核结果_2024学年.xlsx", "Assessment")
    assert [(r["Pair"], r["Grade"]) for r in rows] == [("P1", "Good"), ("P2", "Fail"), ("P3", "Fail"), ("P4", "Fail")]


def test_a_term_is_not_assessed(year, tmp_path):
    _, programme, inbox, _ = year
    out = CliRunner().invoke(
        main,
        ["assess", "--programme", str(programme), "--inbox", str(inbox), "--year", "2024秋", "--out", str(tmp_path)],
    )
    assert out.exit_code == 2
    assert "周期“2024秋”的类型是“学期”；年度考核需要类型为“学年”或“年度”的周期：2024学年。" in out.output


def test_a_bad_rubric_gets_one_finding_per_problem_and_no_scoring(tmp_path):
    rubric = [
        rule_row("B1", "示范课", "支援校", "activities", "活动类型=参观", 2, 30, PROPORTIONAL),  # unknown value
        rule_row("B2", "月数", "结对", "active_months", "颜色=红", 0, 30, THRESHOLD),  # key; target 0
        rule_row("B3", "排名", "结对", "rank_up", "", 1, 20, PROPORTIONAL),  # a school, not a pair
        rule_row("B4", "问题", "结对", "unresolved", "", 0, 10, PROPORTIONAL),  # less: no 按比例
        rule_row("B5", "扣分", "结对", "activities", "活动类型：示范课 讲座", 3, 5, DEDUCT),  # no per-unit
    ]
    rubric[0][Indicator.metric.name] = "访问量"  # not a metric: the schema's choice check, on its cell
    programme = write_programme_workbook(tmp_path / "programme.xlsx", "zh", year_rows(rubric, bands=(80, 85, 60)))
    loaded = load_programme(programme)
    assert loaded.programme is not None  # intake and reports still run; only the assessment is refused
    assert codes(list(loaded.programme.rubric.issues)) == [
        ("考核细则", "C4", "rubric-object"),
        ("考核细则", "D2", "not-in-list"),
        ("考核细则", "E3", "rubric-filter-key"),
        ("考核细则", "E6", "rubric-filter-value"),
        ("考核细则", "F3", "rubric-target"),
        ("考核细则", "G2:G6", "rubric-points-sum"),
        ("考核细则", "H5", "rubric-method"),
        ("考核细则", "I6", "rubric-per-unit"),
        ("项目设置", "B11", "rubric-bands"),
    ]
    with pytest.raises(ProgrammeInvalid) as err:
        assess_year(CheckSettings(programme, tmp_path / "inbox", YEAR, tmp_path / "out"))
    assert "各指标分值合计为 95，应为 100" in err.value.message()
    assert not (tmp_path / "out").exists()
