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
