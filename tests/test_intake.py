"""The intake as an analyst runs it: statuses, resubmission, rules, outputs, the feedback loop."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import os

import openpyxl
import pytest

from pipeline.app import CheckSettings, check
from pipeline.core.issues import codes
from schemas.report import Activity, Funding, Personnel, Score
from tests import hostile
from tests.reports import DEADLINE, act, fund, header_row, person, rows_for, score, submit, submit_all

D = dt.date


def run_check(tmp_path, programme_file, inbox, lang="zh"):
    return check(CheckSettings(programme_file, inbox, "2024秋", tmp_path / "out", lang=lang, timeout=30))


def by_school(result):
    return {s.school: s for s in result.submissions if s.counted}


def findings(result, school):
    return codes(by_school(result)[school].issues)


def test_clean_inbox_passes_and_counts_every_row(tmp_path, programme_file):
    submit_all(tmp_path / "inbox", programme_file)
    result = run_check(tmp_path, programme_file, tmp_path / "inbox")
    assert {s.school: s.status for s in result.submissions} == {
        "001": "passed",
        "002": "passed",
        "003": "passed",
        "005": "passed",
    }
    assert [s.rows_read for s in result.submissions] == [4, 3, 4, 0]
    assert len(result.accepted[Activity].frame) == 5 and len(result.accepted[Funding].frame) == 3
    with (result.out / "data" / "activity.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert rows[0]["结对学校"] == "山口小学" and rows[0]["行号"] == "2" and rows[0]["学校代码"] == "001"
    assert not (result.out / "反馈").exists() or not list((result.out / "反馈").iterdir())


def test_every_status_and_the_manifest_invariants(tmp_path, programme_file):
    inbox = tmp_path / "inbox"
    first = submit(inbox, programme_file, "001", received=DEADLINE - dt.timedelta(days=5))
    broken = rows_for("001")
    broken[Activity][0][Activity.participants.name] = 9000
    submit(
        inbox, programme_file, "001", rows=broken, name="城南小学(更正).xlsx", received=DEADLINE - dt.timedelta(days=1)
    )  # superseding, with an error
    (inbox / "copy").mkdir()
    (inbox / "copy" / "城南 副本.xlsx").write_bytes(first.read_bytes())  # identical to the first
    os.utime(inbox / "copy" / "城南 副本.xlsx", (first.stat().st_mtime + 60,) * 2)  # sent again a minute later
    warned = rows_for("002")
    warned[Funding][0][Funding.amount.name] = 500  # looks like 万元
    submit(inbox, programme_file, "002", rows=warned, received=DEADLINE + dt.timedelta(days=3))  # and late
    submit(inbox, programme_file, "003", period="2024-10")  # wrong period
    hostile.pdf_renamed(inbox / "扫描件.xlsx")
    result = run_check(tmp_path, programme_file, inbox)
    status = {s.rel: s.status for s in result.submissions}
    assert status == {
        "001_城南小学_2024秋.xlsx": "superseded",
        "城南小学(更正).xlsx": "needs-fix",
        "copy/城南 副本.xlsx": "duplicate",
        "002_山口小学_2024秋.xlsx": "warnings",
        "003_河西小学_2024-10.xlsx": "returned",
        "扫描件.xlsx": "returned",
    }
    reasons = {s.rel: s.reason for s in result.submissions}
    assert reasons["003_河西小学_2024-10.xlsx"] == "wrong-period" and reasons["扫描件.xlsx"] == "not-a-report"
    with (result.out / "manifest.csv").open(encoding="utf-8-sig") as fh:
        manifest = list(csv.DictReader(fh))
    assert sorted(r["路径"] for r in manifest) == sorted(status)  # every file exactly once
    for r in manifest:
        assert int(r["读取行数"]) == int(r["采用行数"]) + int(r["排除行数"])
    late = next(r for r in manifest if r["学校代码"] == "002")
    assert late["逾期天数"] == "3"
    summary = openpyxl.load_workbook(result.report)["报送情况"]
    rows = {r[0]: r for r in summary.iter_rows(min_row=2, values_only=True)}
    assert rows["001"][3] == "需修改" and rows["002"][7:9] == ("逾期", 3)
    assert rows["003"][3] == "已退回" and rows["005"][3] == "未报送"


def test_cell_rules_each_with_its_cell(tmp_path, programme_file):
    inbox = tmp_path / "inbox"
    rows = rows_for("001")
    rows[Activity] += [
        act(D(2025, 3, 1), "讲座", "派出", "山口小学", 5),  # A4: outside the period
        act("2024年12月3日", "交流课", "派出", "北岭小学", "１２"),  # row 5: text date, full-width: fine
        act(D(2024, 12, 4), "交流课", "派出", "某某学校", 3),  # D6: unknown partner
        act(D(2024, 12, 5), "示范课", "派出", "北岭小学", 2),
        act(D(2024, 12, 5), "示范课", "派出", "北岭小学", 2),  # row 8 repeats row 7
        act(D(2024, 12, 6), "讲座", "派出", "北岭小学", 1000, note="全校师生参加"),  # F9: outlier, explained
        act(D(2024, 12, 7), "教研活动", "外出", "北岭小学", 4),  # C10: not in list
    ]
    rows[Funding] += [
        fund(D(2024, 11, 1), "资金", "学校自筹", "拨出", None, 10000),  # E3: partner required
        fund(D(2024, 11, 2), "图书", "社会捐赠", "拨出", "北岭小学", "1.5万"),
    ]  # fine: 15000
    rows[Personnel] += [person("李四", "挂职", "派出", "河西小学", D(2024, 10, 1), D(2024, 9, 1))]  # F3: end < start
    rows[Score] = [
        score("2024-2025", "秋季", "六年级", "语文", 88, rank=5, n=3),  # I2: rank > n
        score("2023-2025", "秋季", "五年级", "数学", 80),
    ]  # A3: not one school year
    submit(inbox, programme_file, "001", rows=rows)
    recipient = rows_for("003")
    recipient[Funding].append(fund(D(2024, 10, 1), "资金", "学校自筹", "拨出", "城南小学", 3000))  # role
    submit(inbox, programme_file, "003", rows=recipient)
    result = run_check(tmp_path, programme_file, inbox)
    assert findings(result, "001") == [
        ("交流活动", "A4", "date-outside-period"),
        ("交流活动", "A8", "duplicate-row"),
        ("交流活动", "C10", "not-in-list"),
        ("交流活动", "D6", "unknown-partner"),
        ("交流活动", "F9", "outlier"),
        ("人员交流", "F3", "end-before-start"),
        ("教学质量", "A3", "bad-format"),
        ("教学质量", "I2", "rank-above-n"),
        ("经费物资", "", "reconcile-funding"),  # 003 says it gave 3000 to 001; 001 has no such row
        ("经费物资", "E3", "required"),
    ]
    sub = by_school(result)["001"]
    outlier = next(i for i in sub.issues if i.code == "outlier")
    assert outlier.explained and "中位数" in outlier.message()
    assert sub.rows_excluded == 7  # the seven rows with errors (four sheets); warnings still count
    funding = result.accepted[Funding].frame
    assert 15000.0 in list(funding[Funding.amount.name])
    assert ("经费物资", "D3", "direction-vs-role") in findings(result, "003")


def test_two_sides_reconciled_per_pair_type_and_month(tmp_path, programme_file):
    inbox = tmp_path / "inbox"
    sender = rows_for("001")
    sender[Activity].append(act(D(2024, 10, 12), "示范课", "派出", "山口小学", 6))  # receiver has no such row
    submit(inbox, programme_file, "001", rows=sender)
    receiver = rows_for("002")
    receiver[Funding][0][Funding.amount.name] = 18000
    submit(inbox, programme_file, "002", rows=receiver)
    result = run_check(tmp_path, programme_file, inbox)
    mine = [i for i in by_school(result)["001"].issues if i.code.startswith("reconcile")]
    assert [(i.code, i.cell) for i in mine] == [("reconcile-activity", "B2"), ("reconcile-funding", "B2")]
    assert mine[0].message() == "2024-10 示范课（次数 / 人次）：本校填报 2 / 18，山口小学填报 1 / 12。请与对方核对。"
    assert (
        "本校填报 18000 元，城南小学填报 20000 元"
        in next(i for i in by_school(result)["002"].issues if i.code == "reconcile-funding").message()
    )


def test_identified_from_school_info_when_meta_is_gone(tmp_path, programme_file):
    inbox = tmp_path / "inbox"
    path = submit(inbox, programme_file, "002", name="新建 Microsoft Excel 工作表.xlsx")
    book = openpyxl.load_workbook(path)
    del book["_meta"]
    book["基本信息"]["B3"].value = ""  # code wiped; the name is still there
    book.save(path)
    result = run_check(tmp_path, programme_file, inbox)
    sub = result.submissions[0]
    assert sub.school == "002" and sub.how == "info" and "identified-by-info" in [i.code for i in sub.issues]


def test_outdated_template_is_read_by_its_headers(tmp_path, programme_file):
    inbox = tmp_path / "inbox"
    path = submit(inbox, programme_file, "002")
    book = openpyxl.load_workbook(path)
    book["_meta"]["B1"].value = "0.9"
    ws = book["交流活动"]
    ws.insert_rows(1, 2)  # rows inserted above the header
    ws["A1"].value = "2024年秋季交流活动"
    book.save(path)
    result = run_check(tmp_path, programme_file, inbox)
    sub = result.submissions[0]
    assert [i.code for i in sub.issues] == ["template-outdated"] and sub.rows_read == 3


def test_unknown_school_and_non_reporting_school_are_returned(tmp_path, programme_file):
    inbox = tmp_path / "inbox"
    path = submit(inbox, programme_file, "002")
    book = openpyxl.load_workbook(path)
    book["_meta"]["B4"].value = "999"
    book.save(path)
    result = run_check(tmp_path, programme_file, inbox)
    assert (result.submissions[0].status, result.submissions[0].reason) == ("returned", "unknown-school-file")


HOSTILE = {
    "bomb.xlsx": hostile.allocation_bomb,
    "strings.xlsx": hostile.lying_shared_strings,
    "zipbomb.xlsx": hostile.zip_bomb,
    "laughs.xlsx": hostile.xml_bomb,
    "locked.xlsx": hostile.encrypted,
    "cut.xlsx": hostile.truncated,
}


def test_hostile_inbox_the_good_files_still_count(tmp_path, programme_file):
    inbox = tmp_path / "inbox"
    good = submit_all(inbox, programme_file)
    for name, make in HOSTILE.items():
        make(good[0], inbox / name)
    hostile.pdf_renamed(inbox / "report.xlsx")
    result = run_check(tmp_path, programme_file, inbox)
    status = {s.rel: (s.status, s.reason) for s in result.submissions}
    assert {k: v for k, v in status.items() if k in HOSTILE or k == "report.xlsx"} == {
        "bomb.xlsx": ("returned", "too-many-cells"),
        "strings.xlsx": ("returned", "lying-count"),
        "zipbomb.xlsx": ("returned", "zip-bomb"),
        "laughs.xlsx": ("returned", "unsafe-xml"),
        "locked.xlsx": ("returned", "encrypted"),
        "cut.xlsx": ("returned", "zip-truncated"),
        "report.xlsx": ("returned", "not-a-report"),
    }
    assert sorted(s.school for s in result.submissions if s.status == "passed") == ["001", "002", "003", "005"]
    assert len(result.submissions) == len(list(p for p in inbox.rglob("*") if p.is_file()))
    for sub in result.submissions:
        assert sub.rows_read == sub.rows_accepted + sub.rows_excluded


def test_feedback_loop_fix_the_marked_cells_and_resubmit(tmp_path, programme_file):
    inbox = tmp_path / "inbox"
    rows = rows_for("001")
    rows[Activity][0][Activity.participants.name] = "十二"  # not a number
    rows[Activity][1][Activity.partner.name] = "城南"  # its own alias, not a partner
    submit(inbox, programme_file, "001", rows=rows)
    result = run_check(tmp_path, programme_file, inbox)
    assert findings(result, "001") == [("交流活动", "D3", "unknown-partner"), ("交流活动", "F2", "not-a-number")]
    feedback = result.out / "反馈" / "001_城南小学.xlsx"
    book = openpyxl.load_workbook(feedback)
    assert book.sheetnames[0] == "校验结果" and book.active.title == "校验结果"
    front = book["校验结果"]
    top = header_row(front)
    listed = [(r[0], r[1]) for r in front.iter_rows(min_row=top + 1, values_only=True)]
    assert listed == [("交流活动!F2", "错误"), ("交流活动!D3", "错误")]  # row by row
    said = [front.cell(r, 1).value for r in range(1, top)]
    assert said[0] == "城南小学（001）2024年秋季学期报表校验结果"
    assert said[1].startswith("共 2 处错误、0 处警告") and "暂不计入统计" in said[2] and "说明" in said[3]
    assert said[4] == "请在本工作簿中直接改正，于 2025年2月19日 前发回：王老师，baobiao@test.edu.cn，0771-1234567。"
    ws = book["交流活动"]
    assert ws["F2"].value == "十二" and ws["F2"].fill.fgColor.rgb.endswith("FFC7CE")
    assert "不是数字" in ws["F2"].comment.text
    ws["F2"].value, ws["D3"].value = 12, "河西小学"  # the school fixes the marked cells
    book.save(feedback)
    corrected = inbox / "001_城南小学_更正.xlsx"
    corrected.write_bytes(feedback.read_bytes())
    os.utime(corrected, ((DEADLINE - dt.timedelta(days=1)).timestamp(),) * 2)
    result = run_check(tmp_path, programme_file, inbox)
    now = {s.rel: s.status for s in result.submissions}
    assert now == {"001_城南小学_2024秋.xlsx": "superseded", "001_城南小学_更正.xlsx": "passed"}
    assert not (result.out / "反馈" / "001_城南小学.xlsx").exists()


def test_a_corrected_feedback_workbook_supersedes_what_it_corrects_whatever_the_copy_times(tmp_path, programme_file):
    inbox = tmp_path / "inbox"
    rows = rows_for("001")
    rows[Activity][0][Activity.participants.name] = "十二"
    original = submit(inbox, programme_file, "001", rows=rows)
    result = run_check(tmp_path, programme_file, inbox)
    feedback = result.out / "反馈" / "001_城南小学.xlsx"
    book = openpyxl.load_workbook(feedback)
    assert dict(book["_meta"].values)["answers"] == hashlib.sha256(original.read_bytes()).hexdigest()
    book["交流活动"]["F2"].value = 12
    book.save(feedback)
    corrected = inbox / "更正.xlsx"
    corrected.write_bytes(feedback.read_bytes())
    later, earlier = ((DEADLINE - dt.timedelta(days=d)).timestamp() for d in (1, 5))
    os.utime(original, (later, later))  # a copy gave the faulty original the later time
    os.utime(corrected, (earlier, earlier))
    result = run_check(tmp_path, programme_file, inbox)
    assert {s.rel: s.status for s in result.submissions} == {original.name: "superseded", "更正.xlsx": "passed"}


def test_reports_in_english(tmp_path, programme_file):
    inbox = tmp_path / "inbox"
    rows = rows_for("001")
    rows[Activity][0][Activity.participants.name] = "twelve"
    submit(inbox, programme_file, "001", rows=rows)
    result = run_check(tmp_path, programme_file, inbox, lang="en")
    book = openpyxl.load_workbook(result.report)
    assert book.sheetnames == ["Submissions", "Findings", "Files", "Finding codes"]
    findings = [(r[4], r[8]) for r in book["Findings"].iter_rows(min_row=2, values_only=True)]
    assert findings == [("Person-visits", "'twelve' is not a number. Enter digits only, e.g. 12 or 3.5.")]
    results = openpyxl.load_workbook(result.out / "反馈" / "001_城南小学.xlsx").worksheets[0]
    assert [c.value for c in results[header_row(results) + 1]][1:4] == ["error", "Person-visits", "twelve"]
    assert results["A1"].value == "城南小学 (001), 2024年秋季学期: findings on your report"


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x")', "-Anna-", "@SUM(A1)"])
def test_formula_like_text_stays_text_everywhere(tmp_path, programme_file, text):
    inbox = tmp_path / "inbox"
    rows = rows_for("001")
    rows[Activity][0][Activity.topic.name] = text
    rows[Activity][0][Activity.participants.name] = "x"  # so a feedback workbook is written too
    submit(inbox, programme_file, "001", rows=rows)
    result = run_check(tmp_path, programme_file, inbox)
    ws = openpyxl.load_workbook(result.out / "反馈" / "001_城南小学.xlsx")["交流活动"]
    assert ws["H2"].value == text and ws["H2"].data_type == "s"


def test_hidden_rows_are_counted_and_reported(tmp_path, programme_file):
    inbox = tmp_path / "inbox"
    path = submit(inbox, programme_file, "001")
    book = openpyxl.load_workbook(path)
    book["交流活动"].row_dimensions[3].hidden = True
    book.save(path)
    result = run_check(tmp_path, programme_file, inbox)
    assert findings(result, "001") == [("交流活动", "A3", "hidden-row")]
    assert len(result.accepted[Activity].frame) == 2


@pytest.mark.fork_only
def test_a_reader_that_aborts_marks_only_its_file(tmp_path, programme_file, monkeypatch):
    import pipeline.intake.worker as intake_file

    inbox = tmp_path / "inbox"
    submit_all(inbox, programme_file)
    bad = submit(inbox, programme_file, "002", name="crash.xlsx", info={"filled_by": "另一位老师"})  # own content
    real = intake_file.read_untrusted

    def aborting(path, **options):
        if path.name == bad.name:
            os.abort()  # what python-calamine does on some hostile files
        return real(path, **options)

    monkeypatch.setattr(intake_file, "read_untrusted", aborting)
    result = run_check(tmp_path, programme_file, inbox)
    status = {s.rel: (s.status, s.reason) for s in result.submissions}
    assert status["crash.xlsx"] == ("returned", "reader-crashed")
    assert sorted(s.school for s in result.submissions if s.status == "passed") == ["001", "002", "003", "005"]


def test_extra_sheets_are_reported_not_read(tmp_path, programme_file):
    inbox = tmp_path / "inbox"
    path = submit(inbox, programme_file, "001")
    book = openpyxl.load_workbook(path)
    book.create_sheet("交流活动 (2)")["A1"] = "日期"
    book.save(path)
    result = run_check(tmp_path, programme_file, inbox)
    assert findings(result, "001") == [("交流活动 (2)", "", "extra-sheet")]
    assert result.submissions[0].rows_read == 4


def test_every_file_of_the_inbox_in_path_order_but_the_mail_records(tmp_path):
    """Sub-folders are searched, folders linked in are not entered, a linked file is a file, a
    broken link is not; only the inbox's own mail-record folder is left out."""
    from pipeline.intake.inbox import discover
    from pipeline.intake.sidecar import MAIL_DIR

    for rel in ("a/x.xlsx", "b.xlsx", f"{MAIL_DIR}/s.json", f"a/{MAIL_DIR}/kept.xlsx", "Z.xlsx", "a b/c.xlsx"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(rel)
    os.symlink(tmp_path / "b.xlsx", tmp_path / "link.xlsx")
    os.symlink(tmp_path / "a", tmp_path / "linked-folder")
    os.symlink(tmp_path / "missing", tmp_path / "broken.xlsx")
    pairs = discover(tmp_path)
    assert all(path == tmp_path / rel for rel, path in pairs)
    found = [rel for rel, _ in pairs]
    assert found == ["Z.xlsx", "a b/c.xlsx", f"a/{MAIL_DIR}/kept.xlsx", "a/x.xlsx", "b.xlsx", "link.xlsx"]


def test_pairs_are_reconciled_on_the_rows_that_count(tmp_path, programme_file):
    """A row with an error is left out of the totals, so also out of the two sides' figures: a
    reconcile warning never quotes a figure the consolidated workbook's 对账 table does not show.
    A pair's month and type that hold such a row wait until it is mended: neither school is
    warned about figures that cannot be compared yet."""
    inbox = tmp_path / "inbox"
    sender = rows_for("001")
    sender[Activity].append(act(D(2024, 11, 12), "示范课", "派出", "山口小学", 6000))  # above 参与人次's maximum
    submit(inbox, programme_file, "001", rows=sender)
    receiver = rows_for("002")
    receiver[Activity].append(act(D(2024, 11, 12), "示范课", "接收", "城南小学", 60))
    submit(inbox, programme_file, "002", rows=receiver)
    result = run_check(tmp_path, programme_file, inbox)
    assert ("交流活动", "F4", "out-of-range") in findings(result, "001")
    assert not [i for s in by_school(result).values() for i in s.issues if i.code == "reconcile-activity"]
    pair = result.sides.activity
    pair = pair[(pair["sender"] == "001") & (pair["receiver"] == "002")]
    assert list(pair["month"]) == [202410]  # 2024-11 示范课 waits for 001's row
    assert list(pair[["sender_count", "receiver_count", "sender_people", "receiver_people"]].iloc[0]) == [1, 1, 12, 12]


def test_a_rate_typed_with_a_percent_sign_is_read_as_shown(tmp_path, programme_file):
    """Typing 95.5% into a 及格率 cell stores 0.955 and gives the cell a percentage format; the
    school means 95.5 (rates are 0-100). A percentage-formatted cell in another column keeps its
    value, and a rate typed as 88 stays 88."""
    inbox = tmp_path / "inbox"
    rows = rows_for("003")
    rows[Score] = [score("2024-2025", "秋季", "六年级", subject, 88) for subject in ("语文", "数学", "英语")]
    path = submit(inbox, programme_file, "003", rows=rows)
    book = openpyxl.load_workbook(path)
    sheet = book[Score.zh]
    header = next(r for r in sheet.iter_rows(max_row=10) if any(c.value == Score.pass_rate.zh for c in r))
    col = {c.value: c.column for c in header}
    first, second, third = (header[0].row + n for n in (1, 2, 3))
    for row, column, value, shown in (
        (first, Score.pass_rate.zh, 0.955, "0.0%"),
        (first, Score.excellent_rate.zh, 0.3, "0%"),
        (second, Score.pass_rate.zh, 88, "0.0##"),
        (third, Score.takers.zh, 0.5, "0%"),
    ):  # shown as 50%, but not a rate
        cell = sheet.cell(row, col[column])
        cell.value, cell.number_format = value, shown
    book.save(path)
    result = run_check(tmp_path, programme_file, inbox)
    frame = result.accepted[Score].frame
    assert list(frame[Score.pass_rate.name]) == [95.5, 88.0]
    assert list(frame[Score.excellent_rate.name])[0] == 30.0
    assert ("教学质量", f"{openpyxl.utils.get_column_letter(col[Score.takers.zh])}{third}", "not-an-integer") in [
        (i.sheet, i.cell, i.code) for i in by_school(result)["003"].issues
    ]


def test_outliers_against_the_schools_own_earlier_periods(tmp_path):
    """150 person-visits at a 讲座 is not ten times the programme's median (30), but it is ten
    times 城南小学's own median over its three 讲座 of the spring term, whose data was written in
    English: the earlier period's CSV is read in either language."""
    from pipeline.forms.templates import write_programme_workbook
    from schemas.programme import Period
    from tests.conftest import small_programme_rows

    rows = small_programme_rows()
    rows[Period].append(
        {
            Period.period_code.name: "2024春",
            Period.period_name.name: "2024年春季学期",
            Period.period_type.name: "学期",
            Period.start_date.name: D(2024, 2, 1),
            Period.end_date.name: D(2024, 7, 31),
            Period.deadline.name: D(2024, 8, 15),
        }
    )
    programme = write_programme_workbook(tmp_path / "p.xlsx", "zh", rows)
    spring = {
        Activity: [
            act(D(2024, 5, day), "讲座", "派出", "河西小学", people) for day, people in ((8, 10), (9, 12), (10, 14))
        ]
    }
    submit(tmp_path / "spring", programme, "001", rows=spring, period="2024春", received=dt.datetime(2024, 8, 1, 9))
    check(CheckSettings(programme, tmp_path / "spring", "2024春", tmp_path / "out", lang="en"))
    autumn = rows_for("001")
    autumn[Activity].append(act(D(2024, 11, 6), "讲座", "派出", "河西小学", 150))
    submit(tmp_path / "autumn", programme, "001", rows=autumn)
    submit(tmp_path / "autumn", programme, "003")
    result = check(CheckSettings(programme, tmp_path / "autumn", "2024秋", tmp_path / "out"))
    found = [i for i in by_school(result)["001"].issues if i.code.startswith("outlier")]
    assert [(i.code, i.cell) for i in found] == [("outlier-history", "F4")]
    assert "本校以往同类活动的中位数 12（共 3 条）" in found[0].message()
    assert not [i for i in by_school(result)["003"].issues if i.code.startswith("outlier")]


def test_an_earlier_period_csv_broken_by_hand_gives_no_history(tmp_path):
    from pipeline.workbooks.earlier import activity_history

    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "activity.csv").write_text(
        '\ufeff学校代码,活动类型,参与人次\n001,讲座,12\n002,"unclosed\n', encoding="utf-8"
    )
    history, read = activity_history([tmp_path, tmp_path / "missing"])
    assert history.empty and read == []


def test_a_number_out_of_range_is_written_back_as_the_number_the_school_typed(tmp_path, programme_file):
    inbox = tmp_path / "inbox"
    rows = rows_for("001")
    rows[Activity][0][Activity.participants.name] = 9000  # more than 5,000
    submit(inbox, programme_file, "001", rows=rows)
    result = run_check(tmp_path, programme_file, inbox)
    assert findings(result, "001") == [("交流活动", "F2", "out-of-range")]
    ws = openpyxl.load_workbook(result.out / "反馈" / "001_城南小学.xlsx")["交流活动"]
    assert ws["F2"].value == 9000 and ws["F2"].data_type == "n"  # not the text "9000.0", left-aligned
