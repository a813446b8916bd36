"""Reports filled and saved by real LibreOffice (as .xlsx and as .xls) pass intake as normal."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from pipeline.app import CheckSettings, check, write_templates
from pipeline.workbooks import office
from schemas.report import Activity

SYSTEM_PYTHON = "/usr/bin/python3"


def _uno_available() -> bool:
    if office.soffice() is None or not Path(SYSTEM_PYTHON).exists():
        return False
    return subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True).returncode == 0


@pytest.mark.skipif(not _uno_available(), reason="LibreOffice with python3-uno is not installed")
def test_reports_filled_in_libreoffice_pass_intake(tmp_path, programme_file):
    template = write_templates(programme_file, "2024秋", tmp_path / "templates")[0]  # 001 城南小学
    out_xlsx, out_xls = tmp_path / "lo" / "城南小学.xlsx", tmp_path / "lo" / "城南小学.xls"
    out_xlsx.parent.mkdir()
    subprocess.run(
        [
            SYSTEM_PYTHON,
            str(Path(__file__).parent / "lo_fill.py"),
            str(template),
            str(out_xlsx),
            str(out_xls),
            str(tmp_path / "profile"),
        ],
        check=True,
        timeout=300,
    )
    for saved in (out_xlsx, out_xls):
        inbox = tmp_path / f"inbox-{saved.suffix[1:]}"
        inbox.mkdir()
        shutil.copy(saved, inbox / saved.name)
        result = check(CheckSettings(programme_file, inbox, "2024秋", tmp_path / f"out-{saved.suffix[1:]}"))
        sub = result.submissions[0]
        assert (sub.kind, sub.school, sub.status, sub.how) == (saved.suffix[1:], "001", "passed", "meta"), sub.issues
        frame = result.accepted[Activity].frame
        assert list(frame[Activity.participants.name]) == [12, 30]
        assert [str(d) for d in frame[Activity.date.name]] == ["2024-10-10", "2024-11-05"]
        assert list(frame[Activity.partner.name]) == ["002", "003"]
