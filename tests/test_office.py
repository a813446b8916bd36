"""Office-proof runs: what schools paste and what offices do to a run never stops it, hangs it or
leaves its processes behind; a user never sees a traceback."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import openpyxl
import pytest

from tests.reports import submit_all

BANGFU = shutil.which("bangfu") or str(Path(sys.executable).parent / "bangfu")


def _run(args: list[str], timeout: float = 240) -> subprocess.CompletedProcess:
    return subprocess.run([BANGFU, *args], capture_output=True, text=True, timeout=timeout)


def _edit(path: Path, sheet: str, cells: dict[str, object]) -> None:
    """What a school's own office suite does to its report: cells typed over, saved again."""
    book = openpyxl.load_workbook(path)
    for ref, value in cells.items():
        book[sheet][ref] = value
    book.save(path)


def test_a_paste_past_excel_s_limit_or_an_absurd_number_is_a_finding_not_a_stopped_run(tmp_path, programme_file):
    inbox = tmp_path / "inbox"
    files = submit_all(inbox, programme_file)
    school = next(p for p in files if p.name.startswith("003_"))
    _edit(school, "交流活动", {"B2": "讲" * 40000, "H2": "长" * 40000, "F3": 10**25})
    done = _run(["run", "--programme", str(programme_file), "--inbox", str(inbox), "--period", "2024秋",
                 "--out", str(tmp_path / "out")])  # fmt: skip
    assert done.returncode == 0 and "Traceback" not in done.stderr + done.stdout
    out = tmp_path / "out" / "2024秋"
    findings = [r for r in openpyxl.load_workbook(out / "校验报告_2024秋.xlsx")["问题清单"].iter_rows(values_only=True)]
    mine = {(r[3], r[6]): r[5] for r in findings if r[1] == school.name}
    assert set(mine) >= {("B2", "not-in-list"), ("H2", "too-long"), ("F3", "number-too-large")}
    assert mine[("B2", "not-in-list")].endswith(" characters］") and len(mine[("B2", "not-in-list")]) < 300
    feedback = openpyxl.load_workbook(out / "反馈" / "003_河西小学.xlsx")["交流活动"]
    assert feedback["B2"].value.startswith("讲") and len(feedback["B2"].value) < 32768
    assert (out / "汇总报表_2024秋.xlsx").exists()


_PARENT = textwrap.dedent(
    """
    import os, sys, time
    from pipeline.intake.isolate import run_isolated

    def task(seconds):
        print(os.getpid(), flush=True)
        time.sleep(seconds)
        return seconds

    if __name__ == "__main__":
        for outcome in run_isolated(task, [120] * 4, workers=2, memory=0, timeout=600):
            pass
    """
)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as fh:
        return fh.read().split()[2] != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_die_with_a_killed_parent_and_release_its_pipe(tmp_path):
    script = tmp_path / "parent.py"
    script.write_text(_PARENT, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)}
    parent = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True, env=env)
    workers = [int(parent.stdout.readline()) for _ in range(2)]
    assert all(_alive(w) for w in workers)
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(w) for w in workers)
    with parent.stdout:
        assert parent.stdout.read() == ""  # end of file: no worker holds the pipe open


def _args(programme_file: Path, inbox: Path, out: Path) -> list[str]:
    return ["run", "--programme", str(programme_file), "--inbox", str(inbox), "--period", "2024秋", "--out", str(out)]


@pytest.fixture
def inbox(tmp_path, programme_file) -> Path:
    submit_all(tmp_path / "inbox", programme_file)
    return tmp_path / "inbox"


def test_an_output_folder_that_is_a_file_or_cannot_be_written_is_a_message(tmp_path, programme_file, inbox):
    plain_file = tmp_path / "out.txt"
    plain_file.write_text("not a folder", encoding="utf-8")
    done = _run(_args(programme_file, inbox, plain_file / "汇总"))  # a folder under a plain file
    assert done.returncode == 2 and "不是文件夹" in done.stderr and "Traceback" not in done.stderr
    if sys.platform.startswith("linux"):
        done = _run(_args(programme_file, inbox, Path("/sys/bangfu-out")))  # refused even to root
        assert done.returncode == 2 and "没有写入权限" in done.stderr and "Traceback" not in done.stderr


def test_a_workbook_open_in_an_office_suite_is_left_alone_and_named(tmp_path, programme_file, inbox):
    out = tmp_path / "out"
    assert _run(_args(programme_file, inbox, out)).returncode == 0
    workbook = out / "2024秋" / "汇总报表_2024秋.xlsx"
    before = workbook.read_bytes()
    (workbook.parent / f".~lock.{workbook.name}#").write_text(",analyst,PC,2025-02-20T09:00,", encoding="utf-8")
    submit_all(inbox, programme_file)  # something new, so the workbook would be written again
    (inbox / "late.xlsx").write_bytes((inbox / "001_城南小学_2024秋.xlsx").read_bytes()[:-10])
    done = _run(_args(programme_file, inbox, out))
    assert done.returncode == 2 and "请先关闭 汇总报表_2024秋.xlsx 后重试" in done.stderr
    assert workbook.read_bytes() == before and not list(out.rglob(".~bangfu-*"))


def test_a_bug_is_one_line_naming_the_log_that_holds_its_traceback(tmp_path, programme_file, inbox, monkeypatch):
    from click.testing import CliRunner

    from pipeline import app
    from pipeline.cli import main

    def broken(*args, **kwargs):
        raise ZeroDivisionError("a bug deep inside")

    monkeypatch.setattr(app, "run", broken)
    result = CliRunner().invoke(main, _args(programme_file, inbox, tmp_path / "out"))
    assert result.exit_code == 1
    assert "Traceback" not in result.output and "bangfu.log" in result.output
    log = (tmp_path / "out" / "bangfu.log").read_text(encoding="utf-8")
    assert "Traceback" in log and "ZeroDivisionError: a bug deep inside" in log


def test_one_run_at_a_time_per_output_folder_and_a_dead_run_s_lock_is_taken_over(tmp_path, programme_file, inbox):
    import json
    import socket

    out = tmp_path / "out"
    out.mkdir()
    holder = {"pid": os.getpid(), "host": socket.gethostname(), "started": "2025-02-20T09:00:00"}
    (out / ".bangfu.lock").write_text(json.dumps(holder), encoding="utf-8")  # this test's process: alive
    done = _run(_args(programme_file, inbox, out))
    assert done.returncode == 2 and f"进程 {os.getpid()}" in done.stderr and not (out / "2024秋").exists()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    (out / ".bangfu.lock").write_text(json.dumps({**holder, "pid": int(dead.stdout)}), encoding="utf-8")
    assert _run(_args(programme_file, inbox, out)).returncode == 0
    assert not (out / ".bangfu.lock").exists()


def test_a_run_that_did_not_finish_is_named_and_its_outputs_written_again(tmp_path, programme_file, inbox):
    import json

    out = tmp_path / "out"
    assert _run(_args(programme_file, inbox, out)).returncode == 0
    folder = out / "2024秋"
    record = json.loads((folder / "run.json").read_text(encoding="utf-8"))
    assert record["complete"] and record["outputs"]["汇总报表_2024秋.xlsx"] and len(record["run"]) == 16
    workbook = folder / "汇总报表_2024秋.xlsx"
    good = workbook.read_bytes()
    workbook.write_bytes(b"left half-written by a killed run")  # with a record begun, never finished
    (folder / "run.json").write_text(json.dumps({"complete": False, "started": "2025-02-20T09:00:00"}), "utf-8")
    done = _run(_args(programme_file, inbox, out))
    assert done.returncode == 0 and "2025-02-20T09:00:00" in done.stderr and "没有正常结束" in done.stderr
    assert workbook.read_bytes() == good
    assert json.loads((folder / "run.json").read_text(encoding="utf-8"))["run"] == record["run"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary_one(tmp_path):
    import errno

    from pipeline.core.files import output_error, replacing

    target = tmp_path / "manifest.csv"
    target.write_text("the previous run's", encoding="utf-8")
    with pytest.raises(OSError), replacing(target) as temp:
        temp.write_text("half", encoding="utf-8")
        raise OSError(errno.ENOSPC, "No space left on device", str(target))
    assert target.read_text(encoding="utf-8") == "the previous run's" and os.listdir(tmp_path) == ["manifest.csv"]
    message = output_error(OSError(errno.ENOSPC, "No space left on device", str(target))).message()
    assert message.startswith("磁盘已满") and str(target) in message


def test_litter_is_listed_as_ignored_and_a_school_s_document_is_told_it_is_not_a_report(tmp_path, programme_file):
    import csv

    from pipeline.app import CheckSettings, check
    from pipeline.counting.aggregate import chase_list, submissions_table
    from tests import hostile

    inbox = tmp_path / "inbox"
    files = submit_all(inbox, programme_file)
    next(p for p in files if p.name.startswith("003_")).unlink()  # 003 sent a scan instead
    hostile.pdf_renamed(inbox / "003_河西小学_2024秋.pdf")
    owner = inbox / "~$1_城南小学_2024秋.xlsx"
    owner.write_bytes(b"\x0aanalyst" + b"\x00" * 40)  # Excel's owner file while the report was open
    for name in (".DS_Store", "Thumbs.db", "desktop.ini", ".~lock.002_山口小学_2024秋.xlsx#"):
        (inbox / name).write_bytes(b"\x00\x01 litter")
    result = check(CheckSettings(programme_file, inbox, "2024秋", tmp_path / "out"))
    status = {s.rel: (s.status, s.reason, s.school) for s in result.submissions}
    assert status["~$1_城南小学_2024秋.xlsx"] == ("ignored", "ignored", "")
    assert status["Thumbs.db"] == status[".DS_Store"] == ("ignored", "ignored", "")
    assert status["003_河西小学_2024秋.pdf"] == ("returned", "not-a-report", "003")
    ignored = [s for s in result.submissions if s.status == "ignored"]
    assert len(ignored) == 5 and all(s.issues == [] for s in ignored)
    with (result.out / "manifest.csv").open(encoding="utf-8-sig") as fh:
        listed = {r["路径"]: r["状态"] for r in csv.DictReader(fh)}
    assert listed["Thumbs.db"] == "已忽略" and len(listed) == len(result.submissions)
    table = submissions_table(result.submissions, result.programme, result.period)
    chase = chase_list(table, result.programme, result.period).set_index("school_code")
    assert chase.loc["003", "status"] == "returned"
    assert "003_河西小学_2024秋.pdf" in chase.loc["003", "message"] and "不是报表" in chase.loc["003", "message"]


def test_mail_names_subjects_and_refused_attachments_are_logged_safely(tmp_path, programme_file):
    import csv
    import io
    import zipfile
    from email.message import EmailMessage

    from pipeline.mail.fetch import Raw, fetch
    from tests.reports import submit

    report = submit(tmp_path / "made", programme_file, "002").read_bytes()
    nested = io.BytesIO()
    with zipfile.ZipFile(nested, "w") as zf:
        zf.writestr("inner.zip", b"PK\x05\x06" + b"\x00" * 18)
        zf.writestr("002_山口小学.xlsx", report)
    msg = EmailMessage()
    msg["From"], msg["Subject"] = "school@example.cn", '=HYPERLINK("http://evil/","点击")'
    msg["Message-ID"] = "<m1@example.cn>"
    msg.set_content("见附件")
    xlsx = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    msg.add_attachment(report, maintype=xlsx[0], subtype=xlsx[1], filename="报表\u202excod.xlsx")
    msg.add_attachment(report + b" ", maintype=xlsx[0], subtype=xlsx[1], filename="长" * 200 + ".xlsx")
    msg.add_attachment(b"PK\x03\x04 cut short", maintype="application", subtype="zip", filename="报表.zip")
    msg.add_attachment(nested.getvalue(), maintype="application", subtype="zip", filename="打包.zip")
    inbox = tmp_path / "inbox"
    result = fetch(inbox, iter([Raw(bytes(msg))]))
    names = sorted(p.name for p in result.saved)
    assert all("\u202e" not in n and n.endswith(".xlsx") and len(n) <= 120 for n in names), names
    with result.log.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["subject"] for r in rows} == {'\'=HYPERLINK("http://evil/","点击")'}
    outcomes = {(r["attachment"], r["outcome"]) for r in rows}
    assert ("报表.zip", "refused: zip-truncated") in outcomes and ("inner.zip", "refused: nested-archive") in outcomes


def test_an_inbox_with_no_usable_report_says_so_instead_of_a_silent_row_of_vetoes(tmp_path, programme_file):
    from tests import hostile

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    hostile.pdf_renamed(inbox / "扫描件.xlsx")
    (inbox / "Thumbs.db").write_bytes(b"\x00")
    done = _run(_args(programme_file, inbox, tmp_path / "out"))
    assert done.returncode == 0 and "没有一份可用的报表" in done.stderr
    overview = openpyxl.load_workbook(tmp_path / "out" / "2024秋" / "汇总报表_2024秋.xlsx").worksheets[0]
    assert "没有一份可用的报表" in overview["A4"].value and overview["A4"].font.color.rgb.endswith("C00000")


def test_an_inbox_copied_in_bulk_is_told_how_to_keep_its_times(tmp_path, programme_file):
    inbox = tmp_path / "inbox"
    files = submit_all(inbox, programme_file)
    for n, extra in enumerate(("甲", "乙")):
        copy = inbox / f"副本{extra}.xlsx"
        copy.write_bytes(files[n].read_bytes() + b" ")  # other bytes, same school: a resubmission
    moment = time.time() - 3600
    for path in inbox.iterdir():
        os.utime(path, (moment, moment))  # what a plain copy of the whole folder does
    done = _run(["check", *_args(programme_file, inbox, tmp_path / "out")[1:]])
    assert done.returncode == 0 and "6 个文件的时间完全相同" in done.stderr and "robocopy" in done.stderr
