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
    said = result.output
    assert "报送周期“2031秋”不在项目配置的“报送周期”表中。您是不是要用：2024-10、2024秋？" in said
    assert "可用的周期（代码或名称都可以）：2024秋（2024年秋季学期）、2024-10（2024年10月）。" in said
    assert "Traceback" not in result.output


def test_programme_without_period_is_a_usage_error(tmp_path, programme_file):
    result = CliRunner().invoke(main, ["templates", "--programme", str(programme_file), "--out", str(tmp_path)])
    assert result.exit_code == 2 and "用了 --programme 就要给出 --period" in result.output


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


BANGFU = shutil.which("bangfu") or str(Path(__import__("sys").executable).parent / "bangfu")


def _bangfu(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([BANGFU, *args], capture_output=True, text=True, timeout=300, cwd=cwd)


def test_usage_errors_and_help_speak_chinese_by_default_and_english_with_lang_en(tmp_path):
    missing = _bangfu("run", "--programme", "p.xlsx")
    assert missing.returncode == 2 and "错误：缺少选项 '--inbox'" in missing.stderr and "查看用法" in missing.stderr
    english = _bangfu("run", "--programme", "p.xlsx", "--lang", "en")
    assert "Error: Missing option '--inbox'" in english.stderr
    helped = _bangfu("run", "--help")
    assert "用法：" in helped.stdout and "项目配置工作簿" in helped.stdout and "[必填]" in helped.stdout
    assert "The programme workbook" in _bangfu("run", "--help", "--lang", "en").stdout
    bad = _bangfu("check", "--programme", "p.xlsx", "--inbox", ".", "--period", "x", "--out", ".", "--workers", "0")
    assert "'--workers' 的值不对：0 不在范围 1<=x<=64 之内。" in bad.stderr


def test_a_period_by_its_name_and_paths_of_the_wrong_kind(tmp_path, programme_file):
    from tests.reports import submit_all

    inbox = tmp_path / "inbox"
    submit_all(inbox, programme_file)
    by_name = _bangfu("check", "--programme", str(programme_file), "--inbox", str(inbox), "--period", "2024年秋季学期",
                      "--out", str(tmp_path / "out"))  # fmt: skip
    assert by_name.returncode == 0 and (tmp_path / "out" / "2024秋" / "manifest.csv").exists()
    pdf = tmp_path / "项目配置.xlsx"
    pdf.write_bytes(b"%PDF-1.4 a scan")
    wrong = _bangfu(
        "check", "--programme", str(pdf), "--inbox", str(inbox), "--period", "2024秋", "--out", str(tmp_path)
    )
    assert wrong.returncode == 2 and "是一个 PDF 文件，不是 Excel 工作簿" in wrong.stderr
    file_inbox = _bangfu("check", "--programme", str(programme_file), "--inbox", str(pdf), "--period", "2024秋",
                         "--out", str(tmp_path / "o2"))  # fmt: skip
    assert file_inbox.returncode == 2 and "--inbox 给的是一个文件" in file_inbox.stderr


def test_progress_is_plain_lines_off_a_terminal_and_quiet_says_only_the_result(tmp_path, programme_file):
    from tests.reports import submit_all

    inbox = tmp_path / "inbox"
    submit_all(inbox, programme_file)
    args = ["run", "--programme", str(programme_file), "--inbox", str(inbox), "--period", "2024秋"]
    told = _bangfu(*args, "--out", str(tmp_path / "a"))
    assert "\r" not in told.stderr and "读取 4/4 个文件" in told.stderr
    assert "正在校验各校数据" in told.stderr and "正在汇总并写出汇总报表" in told.stderr
    assert "汇总报表：" in told.stdout and "明细（附表）：" in told.stdout
    quiet = _bangfu(*args, "--out", str(tmp_path / "b"), "--quiet")
    assert quiet.returncode == 0 and quiet.stderr == "" and "汇总报表：" in quiet.stdout


def test_the_next_step_printed_by_demo_works_when_pasted(tmp_path):
    done = _bangfu("demo", "--out", str(tmp_path / "d"), cwd=tmp_path)
    step = next(line.strip() for line in done.stdout.splitlines() if " run --programme " in line)
    pasted = subprocess.run(step, shell=True, capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert pasted.returncode == 0, pasted.stderr
    assert (tmp_path / "d" / "out" / "2024学年" / "汇总报表_2024学年.xlsx").exists()


def test_every_command_and_option_has_its_help_in_both_languages():
    import click

    from pipeline.text.help import help_text

    def walk(command: click.Command, name: str) -> list[str]:
        missing = [name] if help_text(name, None, "zh") is None else []
        for param in command.params:
            if isinstance(param, click.Option) and param.name not in ("help",):
                for lang in ("zh", "en"):
                    if help_text(name, param.name, lang) is None:
                        missing.append(f"{name} {param.name} {lang}")
        for sub_name, sub in getattr(command, "commands", {}).items():
            missing += walk(sub, sub_name)
        return missing

    assert walk(main, "main") == []
