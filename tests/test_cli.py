"""The command line as an analyst uses it, and the README that documents it."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from click.testing import CliRunner

from pipeline.cli import main

ROOT = Path(__file__).parent.parent


def test_templates_blank_and_personalised(tmp_path, programme_file):
    runner = CliRunner()
    result = runner.invoke(main, ["templates", "--out", str(tmp_path / "blank")])
    assert result.exit_code == 0 and "已写出空白模板" in result.output
    result = runner.invoke(
        main,
        [
            "templates",
            "--programme",
            str(programme_file),
            "--period",
            "2024秋",
            "--out",
            str(tmp_path / "p"),
            "--lang",
            "en",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Wrote 2024秋 report templates for 4 schools" in result.output


def test_unknown_period_is_a_clear_message_not_a_traceback(tmp_path, programme_file):
    result = CliRunner().invoke(
        main, ["templates", "--programme", str(programme_file), "--period", "2031秋", "--out", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert "报送周期“2031秋”不在项目配置的“报送周期”表中。可用的周期：2024秋、2024-10。" in result.output
    assert "Traceback" not in result.output


def test_programme_without_period_is_a_usage_error(tmp_path, programme_file):
    result = CliRunner().invoke(main, ["templates", "--programme", str(programme_file), "--out", str(tmp_path)])
    assert result.exit_code == 2 and "--period is required" in result.output


def test_installed_entry_point_runs():
    exe = shutil.which("bangfu") or str(Path(__file__).parent.parent / ".venv" / "bin" / "bangfu")
    result = subprocess.run([exe, "--help"], capture_output=True, text=True, check=True)
    assert "templates" in result.stdout and "demo" in result.stdout


def test_readme_shows_every_command_and_the_two_setup_commands():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make demo" in readme and "make test" in readme
    for name in main.commands:
        assert re.search(rf"bangfu {re.escape(name)}\b", readme), f"README does not show `bangfu {name}`"


def test_check_command_summarises_and_exits_zero_whatever_it_found(tmp_path, programme_file):
    from tests.hostile import pdf_renamed
    from tests.reports import submit

    inbox = tmp_path / "inbox"
    submit(inbox, programme_file, "001")
    pdf_renamed(inbox / "scan.xlsx")
    result = CliRunner().invoke(
        main,
        [
            "check",
            "--programme",
            str(programme_file),
            "--inbox",
            str(inbox),
            "--period",
            "2024秋",
            "--out",
            str(tmp_path / "out"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "2024秋 校验完成：2 个文件，4 所学校应报送。" in result.output
    assert "已通过 1" in result.output and "已退回 1" in result.output and "not-a-report 1" in result.output
    assert (tmp_path / "out" / "2024秋" / "manifest.csv").exists()


def test_check_cannot_run_without_an_inbox_or_with_a_broken_programme(tmp_path, programme_file):
    result = CliRunner().invoke(
        main,
        [
            "check",
            "--programme",
            str(programme_file),
            "--inbox",
            str(tmp_path / "nope"),
            "--period",
            "2024秋",
            "--out",
            str(tmp_path / "out"),
        ],
    )
    assert result.exit_code == 2 and "找不到收件箱文件夹" in result.output
    blank = tmp_path / "blank"
    CliRunner().invoke(main, ["templates", "--out", str(blank)])
    result = CliRunner().invoke(
        main,
        [
            "check",
            "--programme",
            str(blank / "项目配置_模板.xlsx"),
            "--inbox",
            str(tmp_path),
            "--period",
            "2024秋",
            "--out",
            str(tmp_path / "out"),
        ],
    )
    assert result.exit_code == 2 and "本次未写出任何文件" in result.output and "项目设置!B3" in result.output
    assert not (tmp_path / "out").exists()
