"""Orchestration: the only package that knows the order of the stages."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from pipeline.app.assess import AssessResult, assess_year
from pipeline.app.intake import CheckResult, CheckSettings, check
from pipeline.app.load import ProgrammeResult, load_programme, require_programme
from pipeline.app.mail import DraftSettings, send_all, write_all_drafts
from pipeline.app.report import RunResult, RunSettings, run
from pipeline.demo import data as demo_data
from pipeline.demo import inbox as demo
from pipeline.forms import templates
from pipeline.mail.compose import SmtpServer
from pipeline.mail.fetch import fetch as fetch_mail
from schemas.programme import Period

__all__ = [
    "DraftSettings",
    "SmtpServer",
    "fetch_mail",
    "send_all",
    "write_all_drafts",
    "AssessResult",
    "assess_year",
    "RunResult",
    "RunSettings",
    "run",
    "CheckResult",
    "CheckSettings",
    "ProgrammeResult",
    "check",
    "load_programme",
    "write_templates",
    "write_demo",
    "DemoResult",
]


def write_templates(
    programme_path: str | Path | None, period: str | None, out: str | Path, lang: str = "zh"
) -> list[Path]:
    """Blank templates (no programme), or one personalised report per reporting school."""
    out = Path(out)
    if programme_path is None:
        return templates.write_blank_templates(out, lang)
    programme, _ = require_programme(programme_path)
    return templates.write_school_reports(programme, programme.period(period or ""), out, lang)


@dataclass(frozen=True)
class DemoResult:
    programme: Path
    inbox: Path
    templates: Path
    files: list[demo.Planted]


def write_demo(out: str | Path, lang: str = "zh", seed: int = 2024) -> DemoResult:
    """The demo programme workbook, blank and personalised templates, and a filled inbox."""
    out = Path(out)
    data = demo_data.build(seed)
    out.mkdir(parents=True, exist_ok=True)
    programme_path = templates.write_programme_workbook(out / "项目配置_示例.xlsx", lang, data.programme)
    result = load_programme(programme_path)
    if result.programme is None:  # the generator and the schemas disagree: a bug, not a user error
        raise RuntimeError("demo programme is invalid:\n" + "\n".join(i.render() for i in result.issues))
    period = result.programme.period(str(data.period[Period.period_code.name]))
    template_dir = out / "templates"
    templates.write_blank_templates(template_dir, lang)
    templates.write_school_reports(result.programme, period, template_dir / period.code, lang)
    inbox = out / "inbox"
    if inbox.exists():
        shutil.rmtree(inbox)
    files = demo.write_inbox(result.programme, data, inbox, lang)
    return DemoResult(programme_path, inbox, template_dir, files)
