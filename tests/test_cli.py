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
    result = runner.invoke(main, ["templates", "--programme", str(programme_file), "--period", "2024秋",
                                  "--out", str(tmp_path / "p"), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "Wrote 2024秋 report templates for 4 schools" in result.output


def test_unknown_period_is_a_clear_message_not_a_traceback(tmp_path, programme_file):
    result = CliRunner().invoke(main, ["templates", "--programme", str(programme_file), "--period", "2031秋",
                                       "--out", str(tmp_path)])
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
