"""The history store: every period of a programme in one place, whichever folder each run wrote to."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.app import RunSettings, run
from pipeline.forms.templates import write_programme_workbook
from schemas.programme import Period
from schemas.report import Activity, Funding, Personnel, Score
from tests.conftest import small_programme_rows
from tests.reports import act, rows_for, submit

BANGFU = shutil.which("bangfu") or str(Path(sys.executable).parent / "bangfu")
TERMS = [  # code, name, start, end, deadline, the day 001 sends its report
    ("2024春", "2024年春季学期", dt.date(2024, 2, 1), dt.date(2024, 7, 31), dt.date(2024, 8, 15)),
    ("2025春", "2025年春季学期", dt.date(2025, 2, 1), dt.date(2025, 7, 31), dt.date(2025, 8, 15)),
]


def _programme(folder: Path) -> Path:
    rows = small_programme_rows()
    for code, name, start, end, deadline in TERMS:
        rows[Period].append(
            {
                Period.period_code.name: code,
                Period.period_name.name: name,
                Period.period_type.name: "学期",
                Period.start_date.name: start,
                Period.end_date.name: end,
                Period.deadline.name: deadline,
            }
        )
    folder.mkdir(parents=True, exist_ok=True)
    return write_programme_workbook(folder / "项目配置.xlsx", "zh", rows)


def _inboxes(folder: Path, programme: Path) -> dict[str, Path]:
    """One report of 001 a term: a lecture in spring 2024, its usual rows in autumn, a demo lesson in 2025."""
    made = {}
    for code, day, kind, people in (
        ("2024春", dt.date(2024, 5, 8), "讲座", 40),
        ("2025春", dt.date(2025, 3, 4), "示范课", 25),
    ):
        rows = rows_for("001")
        rows[Activity] = [act(day, kind, "派出", "山口小学", people)]
        rows.pop(Personnel)
        rows.pop(Funding)
        deadline = next(t[4] for t in TERMS if t[0] == code)
        received = dt.datetime.combine(deadline - dt.timedelta(days=3), dt.time(9))
        submit(folder / code, programme, "001", rows=rows, period=code, received=received)
        made[code] = folder / code
    submit(folder / "2024秋", programme, "001")
    made["2024秋"] = folder / "2024秋"
    return {code: made[code] for code in ("2024春", "2024秋", "2025春")}


def test_three_periods_in_three_folders_give_the_to_date_figures_of_three_in_one(tmp_path):
    together, apart = tmp_path / "together", tmp_path / "apart"
    results = {}
    for name, base in (("together", together), ("apart", apart)):
        programme = _programme(base)
        inboxes = _inboxes(base / "inbox", programme)
        for code, inbox in inboxes.items():
            out = base / "out" if name == "together" else base / f"out_{code}"
            results[name] = run(RunSettings(programme, inbox, code, out))
    one, three = results["together"].summary, results["apart"].summary
    assert three["cumulative"] == one["cumulative"]
    assert one["cumulative"]["activities"] == 4 and one["cumulative"]["person_visits"] == 40 + 42 + 25


def test_a_rerun_replaces_its_period_and_never_counts_twice(tmp_path):
    programme = _programme(tmp_path)
    inboxes = _inboxes(tmp_path / "inbox", programme)
    for code in ("2024春", "2024春", "2024秋"):
        result = run(RunSettings(programme, inboxes[code], code, tmp_path / f"out_{code}_{id(code)}"))
    assert result.summary["cumulative"]["activities"] == 3
    listed = subprocess.run(
        [BANGFU, "history", "periods", "--programme", str(programme)], capture_output=True, text=True, timeout=120
    )
    assert listed.returncode == 0 and listed.stdout.count("2024春") == 1 and "2024年秋季学期" in listed.stdout
    counted = subprocess.run(
        [BANGFU, "history", "sql", "SELECT period, count(*) AS n FROM activities GROUP BY 1 ORDER BY 1",
         "--store", str(tmp_path / "历史数据库")],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert counted.returncode == 0 and counted.stdout.split() == ["period", "n", "2024春", "1", "2024秋", "2"]


def test_bad_stores_get_a_message_and_exit_2_never_a_traceback(tmp_path):
    programme = _programme(tmp_path)
    inboxes = _inboxes(tmp_path / "inbox", programme)
    run(RunSettings(programme, inboxes["2024春"], "2024春", tmp_path / "out"))
    store = tmp_path / "历史数据库"
    args = [BANGFU, "run", "--programme", str(programme), "--inbox", str(inboxes["2024秋"]), "--period", "2024秋"]
    next((store / "activities" / "period=2024春").glob("*.parquet")).write_bytes(b"PAR1 damaged")
    damaged = subprocess.run([*args, "--out", str(tmp_path / "o2")], capture_output=True, text=True, timeout=240)
    assert damaged.returncode == 2 and "已损坏" in damaged.stderr and "Traceback" not in damaged.stderr
    (store / "store.json").write_text('{"programme": "别的项目"}', encoding="utf-8")
    other = subprocess.run([*args, "--out", str(tmp_path / "o3")], capture_output=True, text=True, timeout=240)
    assert other.returncode == 2 and "属于项目“别的项目”" in other.stderr
    written = subprocess.run(
        [BANGFU, "history", "sql", "DROP VIEW activities", "--store", str(store)], capture_output=True, text=True
    )
    assert written.returncode == 2 and "查询出错" in written.stderr


@pytest.mark.parametrize("where", ["--store", "--programme"])
def test_history_commands_say_where_the_store_is_missing(tmp_path, where):
    done = subprocess.run(
        [BANGFU, "history", "periods", where, str(tmp_path / "nothing")], capture_output=True, text=True
    )
    assert done.returncode == 2 and "Traceback" not in done.stderr and done.stderr.strip()


def test_notes_say_which_store_was_used_and_which_earlier_periods_it_lacks(tmp_path):
    import openpyxl

    programme = _programme(tmp_path)
    inboxes = _inboxes(tmp_path / "inbox", programme)
    run(RunSettings(programme, inboxes["2024秋"], "2024秋", tmp_path / "a"))
    result = run(RunSettings(programme, inboxes["2025春"], "2025春", tmp_path / "b"))
    notes = openpyxl.load_workbook(result.workbook)["说明"]
    said = " ".join(str(c.value) for row in notes.iter_rows(max_row=9) for c in row if c.value)
    assert "取自历史数据库：项目配置工作簿旁的“历史数据库”文件夹" in said
    assert "累计数不含它们：2024春。" in said  # 2024秋 is in the store, 2024春 nowhere


def test_folders_of_earlier_versions_are_imported_and_then_count_to_date(tmp_path):
    programme = _programme(tmp_path)
    inboxes = _inboxes(tmp_path / "inbox", programme)
    run(RunSettings(programme, inboxes["2024春"], "2024春", tmp_path / "old"))
    shutil.rmtree(tmp_path / "历史数据库")  # as an earlier version left it: CSV files only
    args = [BANGFU, "history", "import", str(tmp_path / "old"), "--programme", str(programme)]
    done = subprocess.run(args, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "已导入历史数据库的周期：2024春" in done.stdout
    again = subprocess.run(args, capture_output=True, text=True, timeout=120)
    assert "库中已有、未改动的周期：2024春" in again.stdout
    result = run(RunSettings(programme, inboxes["2024秋"], "2024秋", tmp_path / "new"))
    assert result.summary["cumulative"]["activities"] == 3 and result.summary["cumulative"]["person_visits"] == 82
    query = "SELECT period, count(*) AS n FROM submissions GROUP BY 1"  # a view the import could not make yet
    found = subprocess.run(
        [BANGFU, "history", "sql", query, "--programme", str(programme)], capture_output=True, text=True
    )
    assert found.returncode == 0 and found.stdout.split() == ["period", "n", "2024秋", "4"], found.stderr


def test_a_range_of_periods_exports_to_a_workbook_or_csv_files(tmp_path):
    import csv

    import openpyxl

    from tests.reports import read_titled

    programme = _programme(tmp_path)
    inboxes = _inboxes(tmp_path / "inbox", programme)
    for code, inbox in inboxes.items():
        run(RunSettings(programme, inbox, code, tmp_path / f"out_{code}"))
    base = [BANGFU, "history", "export", "--from", "2024春", "--to", "2024秋", "--programme", str(programme)]
    book_path = tmp_path / "导出" / "两年" / "history.xlsx"  # folders not made yet: made for it
    done = subprocess.run([*base, "--to-file", str(book_path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "已导出 2024春、2024秋" in done.stdout, done.stderr
    book = openpyxl.load_workbook(book_path)
    assert book.sheetnames == ["各期概况", "报送情况", "交流活动", "人员交流", "经费物资", "成绩比较", "问题清单"]
    rows = read_titled(book, "交流活动")
    assert sorted(r["报送周期"] for r in rows) == ["2024春", "2024秋", "2024秋"]
    assert book["交流活动"]["A2"].value.startswith("报送周期：2024春 – 2024秋")
    folder = tmp_path / "csv"
    subprocess.run([*base, "--to-file", str(folder)], capture_output=True, text=True, timeout=120, check=True)
    with (folder / "activities.csv").open(encoding="utf-8-sig") as fh:
        exported = list(csv.DictReader(fh))
    assert sorted(r["报送周期"] for r in exported) == ["2024春", "2024秋", "2024秋"]
    assert [r["活动类型"] for r in exported if r["报送周期"] == "2024春"] == ["讲座"]
    missing = subprocess.run([*base[:4], "2023秋", "--to-file", str(book_path), "--programme", str(programme)],
                             capture_output=True, text=True)  # fmt: skip
    assert missing.returncode == 2 and "历史数据库中没有报送周期“2023秋”" in missing.stderr


def test_a_school_s_own_history_for_outliers_comes_from_the_store_whatever_the_folder(tmp_path):
    from pipeline.app import CheckSettings, check

    programme = _programme(tmp_path)
    spring = rows_for("001")
    spring[Activity] = [
        act(dt.date(2024, 5, d), "讲座", "派出", "山口小学", n) for d, n in ((8, 10), (9, 12), (10, 14))
    ]
    submit(tmp_path / "spring", programme, "001", rows=spring, period="2024春", received=dt.datetime(2024, 8, 1, 9))
    run(RunSettings(programme, tmp_path / "spring", "2024春", tmp_path / "out_spring"))
    autumn = rows_for("001")
    autumn[Activity].append(act(dt.date(2024, 11, 6), "讲座", "派出", "山口小学", 150))
    submit(tmp_path / "autumn", programme, "001", rows=autumn)
    result = check(CheckSettings(programme, tmp_path / "autumn", "2024秋", tmp_path / "out_autumn"))
    found = [i for s in result.submissions for i in s.issues if i.code.startswith("outlier")]
    assert [(i.code, i.cell) for i in found] == [("outlier-history", "F4")]
    assert "本校以往同类活动的中位数 12（共 3 条）" in found[0].message()


def test_last_year_s_scores_come_from_the_store_whatever_the_folder(tmp_path):
    from tests.reports import score

    programme = _programme(tmp_path)
    for code, year, average in (("2024春", "2023-2024", 200.0), ("2025春", "2024-2025", 230.5)):
        rows = {Score: [score(year, "春季", "六年级", "综合", average)]}
        deadline = next(t[4] for t in TERMS if t[0] == code)
        received = dt.datetime.combine(deadline - dt.timedelta(days=3), dt.time(9))
        submit(tmp_path / code, programme, "003", rows=rows, period=code, received=received)
        run(RunSettings(programme, tmp_path / code, code, tmp_path / f"out_{code}"))
    found = subprocess.run(
        [BANGFU, "history", "sql", "SELECT period, school_code, average, average_last, file_last FROM scores "
         "ORDER BY period", "--programme", str(programme)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert found.returncode == 0, found.stderr
    lines = [line.split() for line in found.stdout.splitlines()[1:]]
    assert lines[0][:3] == ["2024春", "003", "200.0"] and lines[0][3:4] in (["NaN"], ["<NA>"], ["None"])
    assert lines[1][:4] == ["2025春", "003", "230.5", "200.0"] and lines[1][4].startswith("003")


def _three_periods(base: Path, store: str | None) -> dict:
    """The three periods of ``_inboxes`` run into three folders with the history in ``store``."""
    programme = _programme(base)
    inboxes = _inboxes(base / "inbox", programme)
    return {code: run(RunSettings(programme, inbox, code, base / f"out_{code}", store=store)).summary
            for code, inbox in inboxes.items()}  # fmt: skip


def test_postgresql_gives_the_figures_of_the_embedded_store(tmp_path, postgres_url):
    embedded = _three_periods(tmp_path / "embedded", None)
    server = _three_periods(tmp_path / "server", postgres_url)
    assert server == embedded
    assert server["2025春"]["cumulative"]["activities"] == 4
    queried = subprocess.run(
        [BANGFU, "history", "sql", "SELECT period, count(*) AS n FROM activities GROUP BY 1 ORDER BY 1",
         "--store", postgres_url],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert queried.returncode == 0, queried.stderr
    assert queried.stdout.split() == ["period", "n", "2024春", "1", "2024秋", "2", "2025春", "1"]
    listed = subprocess.run([BANGFU, "history", "periods", "--store", postgres_url], capture_output=True, text=True)
    assert listed.returncode == 0 and [line.split()[0] for line in listed.stdout.splitlines()[1:]] == [
        "2024春", "2024秋", "2025春"
    ]  # fmt: skip
    refused = subprocess.run(
        [BANGFU, "history", "sql", "DELETE FROM activities", "--store", postgres_url], capture_output=True, text=True
    )
    assert refused.returncode == 2 and "查询出错" in refused.stderr and "read-only" in refused.stderr


def test_a_rerun_into_postgresql_replaces_its_period_in_one_transaction(tmp_path, postgres_url):
    programme = _programme(tmp_path)
    inboxes = _inboxes(tmp_path / "inbox", programme)
    for code in ("2024春", "2024春", "2024秋"):
        result = run(RunSettings(programme, inboxes[code], code, tmp_path / f"out_{code}", store=postgres_url))
    assert result.summary["cumulative"]["activities"] == 3


def test_a_server_set_in_the_programme_that_cannot_be_reached_gets_a_message_and_exit_2(tmp_path):
    import socket

    from pipeline.forms.templates import write_programme_workbook
    from schemas.programme import Settings

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"postgresql://bangfu:secret@127.0.0.1:{port}/history"
    rows = small_programme_rows()
    rows[Settings][0][Settings.history_store.name] = url
    programme = write_programme_workbook(tmp_path / "项目配置.xlsx", "zh", rows)
    submit(tmp_path / "inbox", programme, "001")
    args = ["--programme", str(programme), "--inbox", str(tmp_path / "inbox"), "--period", "2024秋"]
    done = subprocess.run([BANGFU, "run", *args, "--out", str(tmp_path / "out")], capture_output=True, text=True,
                          timeout=240)  # fmt: skip
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert f"无法连接历史数据库 postgresql+psycopg://bangfu:***@127.0.0.1:{port}/history" in done.stderr
    assert "secret" not in done.stderr
    listed = subprocess.run([BANGFU, "history", "periods", "--programme", str(programme), "--lang", "en"],
                            capture_output=True, text=True)  # fmt: skip
    assert listed.returncode == 2 and "Cannot reach the history store" in listed.stderr


def test_a_write_that_fails_before_its_commit_leaves_the_old_period_whole(tmp_path):
    import pandas as pd

    from pipeline.history.store import Store

    store = Store.open(tmp_path / "store", "项目")
    line = pd.DataFrame([{"period": "2024秋", "name": "2024年秋季学期", "start": dt.date(2024, 9, 1)}])
    old = {"activities": pd.DataFrame({"period": ["2024秋"] * 2, "participants": [10, 20]}),
           "findings": pd.DataFrame({"period": ["2024秋"], "code": ["required"]}), "periods": line}  # fmt: skip
    store.write_period("2024秋", "run1", old)
    broken = line.assign(start=[1 + 2j])  # no Parquet type: the line cannot be written, the run stops there
    new = {"activities": pd.DataFrame({"period": ["2024秋"], "participants": [99]}),
           "findings": pd.DataFrame({"period": [], "code": []}, dtype="string"), "periods": broken}  # fmt: skip
    with pytest.raises(Exception):  # noqa: B017 - whatever stops a run between its files and its commit
        store.write_period("2024秋", "run2", new)
    assert store.run_of("2024秋") == "run1"
    assert store.read("activities", ["2024秋"])["participants"].tolist() == [10, 20]
    viewed = store.sql("SELECT sum(participants) AS n, count(DISTINCT run_id) AS runs FROM activities")
    assert viewed.to_dict("records") == [{"n": 30, "runs": 1}]
    store.write_period("2024秋", "run3", {**new, "periods": line})
    assert store.sql("SELECT sum(participants) AS n FROM activities")["n"].tolist() == [99]
    assert store.sql("SELECT count(*) AS n FROM findings")["n"].tolist() == [0]
    left = sorted(p.name for p in (tmp_path / "store" / "activities" / "period=2024秋").iterdir())
    assert left == ["run1.parquet", "run3.parquet"]  # run2 never committed: gone; run1 kept for a late reader


def test_a_postgresql_store_another_run_is_writing_says_so(tmp_path, postgres_url):
    import pandas as pd
    import psycopg

    from pipeline.core.errors import ConfigError
    from pipeline.history.postgres import LOCK_KEY, PostgresStore

    store = PostgresStore.open(postgres_url, "项目")
    line = pd.DataFrame([{"period": "2024秋", "name": "2024年秋季学期"}])
    with psycopg.connect(postgres_url) as other:  # another run, its period not yet committed
        other.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (LOCK_KEY,))
        with pytest.raises(ConfigError) as raised:
            store.write_period("2024秋", "run1", {"periods": line})
    assert raised.value.code == "error.store_busy" and "正由另一次运行写入" in raised.value.message()
    store.write_period("2024秋", "run1", {"periods": line})  # the other run has finished
    assert store.run_of("2024秋") == "run1"
