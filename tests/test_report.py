"""The consolidated workbook for a small hand-built programme, every figure asserted."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from pipeline.app import RunSettings, run
from pipeline.forms.templates import write_programme_workbook
from schemas.programme import DistrictScore
from schemas.report import Activity, Funding, Personnel
from tests.conftest import small_programme_rows
from tests.reports import DEADLINE, read_table, read_titled, submit

OTHER_A, OTHER_B = "外区甲小学", "外区乙小学"
# 六年级 综合 for two autumns: (school, takers, 2023-2024, 2024-2025). Ties: 河西 = 外区乙 in 2024.
RESULTS = [
    ("城南小学", 100, 280.0, 281.0),
    ("山口小学", 50, 220.0, 235.0),
    ("河西小学", 40, 230.0, 229.0),
    ("北岭小学", 60, 225.0, 240.0),
    (OTHER_A, 70, 250.0, 250.0),
    (OTHER_B, 80, 230.0, 229.0),
]


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("report")
    rows = small_programme_rows()
    rows[DistrictScore] = [
        {
            DistrictScore.school_name.name: name,
            DistrictScore.school_year.name: year,
            DistrictScore.term.name: "秋季",
            DistrictScore.grade.name: "六年级",
            DistrictScore.subject.name: "综合",
            DistrictScore.takers.name: takers,
            DistrictScore.average.name: avg,
        }
        for name, takers, last, this in RESULTS
        for year, avg in (("2023-2024", last), ("2024-2025", this))
    ]
    programme = write_programme_workbook(tmp / "programme.xlsx", "zh", rows)
    inbox = tmp / "inbox"
    submit(inbox, programme, "001")  # on time
    submit(inbox, programme, "002", received=DEADLINE + dt.timedelta(days=3))  # 3 days late
    submit(inbox, programme, "003")  # 005 sends nothing
    result = run(RunSettings(programme, inbox, "2024秋", tmp / "out"))
    return result, openpyxl.load_workbook(result.workbook)


def table(book, sheet):
    return read_table(book[sheet]) if sheet in book.sheetnames else read_titled(book, sheet)


def test_headline_figures(report):
    result, _ = report
    head = result.summary["headline"]
    assert {
        k: head[k]
        for k in (
            "schools_expected",
            "schools_reported",
            "on_time",
            "on_time_rate",
            "activities",
            "person_visits",
            "sessions",
            "people_seconded",
            "person_months",
            "funding_yuan",
            "funding",
            "recipients_moved_up",
        )
    } == {
        "schools_expected": 4,
        "schools_reported": 3,
        "on_time": 2,
        "on_time_rate": 50.0,
        "activities": 3,  # 示范课 and 讲座 from 001 (the receivers' rows match), 交流课 from 003 (004 sends none)
        "person_visits": 50,
        "sessions": 3,
        "people_seconded": 1,
        "person_months": 5.03,  # 2024-09-01..2025-01-31: 153 days / 30.44
        "funding_yuan": 70000.0,
        "funding": 7.0,  # 20,000 from 001 to 002, 50,000 bureau funds to 003
        "recipients_moved_up": 2,
    }


def test_activities_by_pair_count_each_event_once(report):
    _, book = report
    rows = {r["结对编号"]: r for r in table(book, "交流活动_按结对")}
    assert (rows["P1"]["示范课"], rows["P1"]["活动次数"], rows["P1"]["参与人次"]) == (1, 1, 12)
    assert (rows["P2"]["讲座"], rows["P2"]["参与人次"]) == (1, 30)
    assert (rows["P3"]["交流课"], rows["P3"]["支援校"], rows["P3"]["参与人次"]) == (1, "外县实验小学", 8)
    assert rows["P4"]["活动次数"] == 0
    assert (rows["合计"]["活动次数"], rows["合计"]["参与人次"], rows["合计"]["课时/场次"]) == (3, 50, 3)


def test_funding_in_wan_yuan(report):
    _, book = report
    by_source = {r["来源"]: r for r in table(book, "经费_按来源")}
    assert by_source["学校自筹"]["金额（万元）"] == 2.0 and by_source["教育局专项经费"]["金额（万元）"] == 5.0
    assert by_source["合计"]["金额（万元）"] == 7.0 and by_source["合计"]["笔数"] == 2
    pairs = {r["结对编号"]: r for r in table(book, "经费_按结对")}
    assert (pairs["P1"]["资金（万元）"], pairs["P1"]["金额（万元）"]) == (2.0, 2.0)


def test_personnel_person_months_and_on_site(report):
    _, book = report
    rows = table(book, "人员交流")
    assert rows[0]["交流类型"] == "支教" and rows[0]["人月"] == 5.03 and rows[0]["期末在岗"] == 1


def test_ranks_with_ties_and_year_over_year(report):
    _, book = report
    rows = {r["学校名称"]: r for r in table(book, "教学质量")}
    # 2024: 城南 281, 外区甲 250, 北岭 240, 山口 235, 河西 229 = 外区乙 229 -> 1, 2, 3, 4, 5, 5 of 6
    assert {k: (v["排名"], v["去年排名"], v["名次变化"], v["分数变化"]) for k, v in rows.items()} == {
        "城南小学": ("1/6", "1/6", 0, 1.0),
        "北岭小学": ("3/6", "5/6", 2, 15.0),
        "山口小学": ("4/6", "6/6", 2, 15.0),
        "河西小学": ("5/6", "3/6", -2, -1.0),
    }
    assert OTHER_A not in rows  # district schools rank, but only programme schools are listed


def test_pair_gaps_and_group_average(report):
    _, book = report
    gaps = {r["结对编号"]: (r["分差（支援校−受援校）"], r["去年分差"], r["分差变化"]) for r in table(book, "结对分差")}
    assert gaps == {"P1": (46.0, 60.0, -14.0), "P2": (52.0, 50.0, 2.0), "P4": (41.0, 55.0, -14.0)}
    group = table(book, "集团成绩")[0]
    # (281*100 + 235*50 + 229*40) / 190 and (280*100 + 220*50 + 230*40) / 190
    assert (group["所属集团"], group["平均分"], group["去年平均分"], group["排名"]) == (
        "城南集团",
        257.947,
        253.684,
        "1/1",
    )
    improved = [r["学校名称"] for r in table(book, "进步受援校")]
    assert improved == ["北岭小学", "山口小学", "河西小学"]


def test_submissions_on_time_late_missing_and_chase_list(report):
    _, book = report
    rows = {r["学校代码"]: r for r in table(book, "报送情况")}
    assert (rows["001"]["是否按时"], rows["001"]["逾期天数"]) == ("按时", 0)
    assert (rows["002"]["是否按时"], rows["002"]["逾期天数"]) == ("逾期", 3)
    assert (rows["005"]["是否收到"], rows["005"]["状态"]) == ("否", "未报送")
    chase = table(book, "催报名单")
    assert [(r["学校名称"], r["状态"]) for r in chase] == [("北岭小学", "未报送")]
    assert "尚未收到有效文件（截止日期 2025-02-15）" in chase[0]["催报内容"]


def test_overview_title_block_charts_and_notes(report):
    result, book = report
    ws = book["总览"]
    assert ws["A1"].value == "测试区结对帮扶情况汇总表"
    assert ws["A2"].value == "报送周期：2024年秋季学期（2024-09-01 至 2025-01-31）"
    assert ws["A3"].value == "制表单位：测试区教育局　　制表日期：2025年2月18日　　金额单位：万元"
    assert [type(c).__name__ for c in ws._charts]  # noqa: SLF001 - openpyxl has no public accessor == ["BarChart", "PieChart", "BarChart", "BarChart"]
    notes = "\n".join(str(c.value) for row in book["说明"].iter_rows() for c in row if c.value)
    assert "以派出方填报为准" in notes and "Bangfu" in notes
    assert book.sheetnames[0] == "总览" and book.sheetnames[-1] == "说明"
    assert not [n for n in book.sheetnames if n.startswith("明细_")]  # printing the report prints the report
    assert "明细_2024秋.xlsx" in notes and [p.name for p in result.detail_workbooks] == ["明细_2024秋.xlsx"]
    annex = openpyxl.load_workbook(result.detail_workbooks[0])
    assert annex.sheetnames == ["明细_交流活动", "明细_人员交流", "明细_经费物资", "明细_教学质量"]
    assert annex["明细_交流活动"]["A1"].value == "附表1　明细：交流活动"


def test_summary_json_and_aggregate_csv(report):
    result, _ = report
    data = result.workbook.parent / "data"
    summary = json.loads((data / "summary.json").read_text(encoding="utf-8"))
    assert summary["headline"]["activities"] == 3 and summary["submissions"] == {
        "period": "2024秋",
        "on_time": 2,
        "late": 1,
        "missing": 1,
    }
    assert (data / "agg_by_pair.csv").read_text(encoding="utf-8-sig").startswith("结对编号,支援校,受援校")


def test_detail_past_the_limit_goes_to_csv_and_on_request_one_workbook_per_district(tmp_path, programme_file):
    inbox = tmp_path / "inbox"
    submit(inbox, programme_file, "001")
    submit(inbox, programme_file, "003")
    result = run(RunSettings(programme_file, inbox, "2024秋", tmp_path / "csv", detail_limit=1))
    assert result.detail_workbooks == []
    notes = "\n".join(
        str(c.value) for row in openpyxl.load_workbook(result.workbook)["说明"].iter_rows() for c in row if c.value
    )
    assert "超过每表 1 行的上限，未放入本工作簿，见：data/*.csv" in notes
    result = run(RunSettings(programme_file, inbox, "2024秋", tmp_path / "out", detail_limit=1, detail_workbooks=True))
    assert [p.name for p in result.detail_workbooks] == ["明细_2024秋_城区片.xlsx"]
    book = openpyxl.load_workbook(result.workbook)
    assert not [n for n in book.sheetnames if n.startswith("明细_")]
    notes = "\n".join(str(c.value) for row in book["说明"].iter_rows() for c in row if c.value)
    assert "超过每表 1 行的上限，未放入本工作簿，见：明细_2024秋_城区片.xlsx" in notes
    detail = openpyxl.load_workbook(result.detail_workbooks[0])
    assert detail["明细_交流活动"].max_row == 5  # header + 4 rows from 001 and 003
    sheet = detail["明细_交流活动"]
    date_col = next(c.column_letter for c in sheet[1] if c.value == "日期")
    assert sheet[f"{date_col}2"].is_date and sheet[f"{date_col}2"].number_format == "yyyy-mm-dd"  # not a serial


def test_consolidated_workbook_prints_through_libreoffice(report, tmp_path):
    from pipeline.workbooks import office

    if office.soffice() is None:
        pytest.skip("LibreOffice is not installed")
    result, _ = report
    pdf = office.convert(result.workbook, "pdf", tmp_path)
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 20_000


def test_cumulative_figures_add_earlier_periods_of_the_same_type(tmp_path):
    from schemas.programme import Period
    from tests.conftest import small_programme_rows as rows_
    from tests.reports import act, rows_for

    rows = rows_()
    rows[Period].append(
        {
            Period.period_code.name: "2024春",
            Period.period_name.name: "2024年春季学期",
            Period.period_type.name: "学期",
            Period.start_date.name: dt.date(2024, 2, 1),
            Period.end_date.name: dt.date(2024, 7, 31),
            Period.deadline.name: dt.date(2024, 8, 15),
        }
    )
    programme = write_programme_workbook(tmp_path / "p.xlsx", "zh", rows)
    spring = rows_for("001")
    spring[Activity] = [act(dt.date(2024, 5, 8), "讲座", "派出", "山口小学", 40)]
    spring.pop(Personnel)
    spring.pop(Funding)
    submit(tmp_path / "spring", programme, "001", rows=spring, period="2024春", received=dt.datetime(2024, 8, 1, 9, 0))
    run(RunSettings(programme, tmp_path / "spring", "2024春", tmp_path / "out"))
    submit(tmp_path / "autumn", programme, "001")
    result = run(RunSettings(programme, tmp_path / "autumn", "2024秋", tmp_path / "out"))
    assert result.summary["cumulative"]["activities"] == 3 and result.summary["headline"]["activities"] == 2
    assert result.summary["cumulative"]["person_visits"] == 82
    book = openpyxl.load_workbook(result.workbook)
    p1 = next(r for r in table(book, "交流活动_按结对") if r["结对编号"] == "P1")
    assert (p1["活动次数"], p1["累计次数"], p1["累计人次"]) == (1, 2, 52)
    history = [
        (r[0], r[1]) for r in book["总览"].iter_rows(values_only=True) if r[0] in ("2024年春季学期", "2024年秋季学期")
    ]
    assert history == [("2024年春季学期", 1), ("2024年秋季学期", 1)]


def _log_reads(monkeypatch, log: Path) -> Callable[[], list[str]]:
    """The files the intake reads from now on, by name (the workers are other processes: they
    report through a file)."""
    import pipeline.intake.worker as intake_file

    real = intake_file.read_untrusted

    def logged(path, **options):
        with log.open("a", encoding="utf-8") as fh:
            fh.write(path.name + "\n")
        return real(path, **options)

    monkeypatch.setattr(intake_file, "read_untrusted", logged)
    return lambda: log.read_text(encoding="utf-8").split() if log.exists() else []


@pytest.mark.fork_only
def test_rerun_reads_nothing_new_and_rewrites_only_what_changed(tmp_path, programme_file, monkeypatch):
    inbox = tmp_path / "inbox"
    submit(inbox, programme_file, "001")
    rows = __import__("tests.reports", fromlist=["rows_for"]).rows_for("002")
    rows[Activity][0][Activity.participants.name] = "x"  # a finding, so a feedback workbook exists
    submit(inbox, programme_file, "002", rows=rows)
    first = run(RunSettings(programme_file, inbox, "2024秋", tmp_path / "out"))
    outputs = [first.workbook, first.check.report, *first.check.feedback]
    stamps = [p.stat().st_mtime_ns for p in outputs]
    read = _log_reads(monkeypatch, tmp_path / "reads.log")
    second = run(RunSettings(programme_file, inbox, "2024秋", tmp_path / "out"))
    assert read() == [] and [p.stat().st_mtime_ns for p in outputs] == stamps  # nothing read, nothing rewritten
    assert second.summary == first.summary
    submit(inbox, programme_file, "003")  # a late file arrives
    third = run(RunSettings(programme_file, inbox, "2024秋", tmp_path / "out"))
    assert read() == ["003_河西小学_2024秋.xlsx"]
    assert third.workbook.stat().st_mtime_ns != stamps[0] and third.summary["headline"]["schools_reported"] == 3


@pytest.mark.fork_only
def test_a_cache_written_by_other_code_is_not_used(tmp_path, programme_file, monkeypatch):
    """Cached submissions are read back into the types of the code that wrote them: after any
    change to the pipeline's code every file is read again and the old cache is removed."""
    import pipeline.intake.cache as cache

    inbox = tmp_path / "inbox"
    submit(inbox, programme_file, "001")
    first = run(RunSettings(programme_file, inbox, "2024秋", tmp_path / "out"))
    old = sorted((tmp_path / "out" / cache.CACHE_DIR).glob("intake-*.cache"))
    read = _log_reads(monkeypatch, tmp_path / "reads.log")
    monkeypatch.setattr(cache, "code_digest", lambda: "code of a later version")
    second = run(RunSettings(programme_file, inbox, "2024秋", tmp_path / "out"))
    assert read() == ["001_城南小学_2024秋.xlsx"]
    new = sorted((tmp_path / "out" / cache.CACHE_DIR).glob("intake-*.cache"))
    assert len(old) == len(new) == 1 and old != new
    assert second.summary == first.summary


def test_the_english_workbook_has_no_chinese_words_of_its_own(tmp_path, programme_file):
    """With --lang en, the words the report itself writes are English: received, on time, the
    chase messages and the reconciliation figures (names and choices stay as the schools wrote them)."""
    from tests.reports import act, rows_for

    sender = rows_for("001")
    sender[Activity].append(act(dt.date(2024, 10, 12), "示范课", "派出", "山口小学", 6))  # 002 has no such row
    submit(tmp_path / "inbox", programme_file, "001", rows=sender)
    submit(tmp_path / "inbox", programme_file, "002", received=DEADLINE + dt.timedelta(days=2))
    result = run(RunSettings(programme_file, tmp_path / "inbox", "2024秋", tmp_path / "out", lang="en"))
    book = openpyxl.load_workbook(result.workbook)
    received = {r["School code"]: (r["Received"], r["On time"]) for r in table(book, "Submissions")}
    assert received == {"001": ("yes", "on time"), "002": ("yes", "late"), "003": ("no", None), "005": ("no", None)}
    chase = {r["School code"]: r["Message to send"] for r in table(book, "To chase")}
    assert chase["003"].startswith("河西小学: we have not received a valid") and "2025-02-15" in chase["003"]
    figures = table(book, "Reconciliation")[0]
    assert (figures["Sender reports"], figures["Receiver reports"]) == (
        "activities 2 / person-visits 18",
        "activities 1 / person-visits 12",
    )


def test_the_cache_holds_data_and_a_planted_file_runs_nothing(tmp_path, programme_file, monkeypatch):
    """A pickle planted in OUT/.cache/ (a shared drive) is never loaded: the cache is JSON and
    Arrow, and a file that is not one is removed and the inbox read again."""
    import pickle

    import pipeline.intake.cache as cache
    from pipeline.intake import cachefile

    inbox = tmp_path / "inbox"
    submit(inbox, programme_file, "001")
    first = run(RunSettings(programme_file, inbox, "2024秋", tmp_path / "out"))
    [saved] = sorted((tmp_path / "out" / cache.CACHE_DIR).glob("intake-*.cache"))
    assert saved.read_bytes().startswith(cachefile.MAGIC)
    again = cachefile.read(saved)  # the results read back as they were
    assert [(r.file, r.rows_read, len(r.issues)) for r in again.values()] == [("001_城南小学_2024秋.xlsx", 4, 0)]

    class Planted:
        def __reduce__(self):
            return (Path.write_text, (tmp_path / "pwned", "code ran"))

    saved.write_bytes(pickle.dumps(Planted()))
    second = run(RunSettings(programme_file, inbox, "2024秋", tmp_path / "out2"))  # another folder: a fresh run
    assert second.summary["headline"] == first.summary["headline"]
    third = run(RunSettings(programme_file, inbox, "2024秋", tmp_path / "out"))
    assert not (tmp_path / "pwned").exists() and third.summary["headline"] == first.summary["headline"]
    assert cachefile.read(saved)  # rebuilt, as data
