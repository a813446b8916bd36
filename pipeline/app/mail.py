"""`bangfu drafts`: the templates, and with an inbox the intake's reminders and feedback, as mail
drafts; with --send, sent and logged."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from pipeline.app.intake import FEEDBACK_DIR, CheckResult, CheckSettings, Progress, check
from pipeline.app.load import require_programme
from pipeline.core.lock import holding
from pipeline.mail import send
from pipeline.mail.compose import Draft, SmtpServer, write_drafts
from pipeline.mail.drafts import DRAFTS_DIR, follow_up_drafts, template_drafts
from pipeline.workbooks.feedback import feedback_path


@dataclass(frozen=True)
class DraftSettings:
    programme: Path
    period: str
    out: Path
    inbox: Path | None = None  # with an inbox: reminders and feedback from its check
    lang: str = "zh"
    sender: str = ""


@dataclass
class DraftResult:
    drafts: list[Draft]
    paths: list[Path]
    folder: Path
    check: CheckResult | None = None


@holding
def write_all_drafts(settings: DraftSettings, progress: Progress | None = None) -> DraftResult:
    """Template mails always; with an inbox, the check's reminders and feedback mails too."""
    programme, _ = require_programme(settings.programme)
    period = programme.period(settings.period)
    folder = settings.out / period.code / DRAFTS_DIR
    drafts = template_drafts(programme, period, folder, settings.lang, settings.sender)
    result = None
    if settings.inbox is not None:
        result = check(
            CheckSettings(settings.programme, settings.inbox, settings.period, settings.out, lang=settings.lang),
            progress,
        )
        feedback = functools.partial(feedback_path, programme=programme, folder=result.out / FEEDBACK_DIR)
        drafts += follow_up_drafts(result.submissions, programme, period, feedback, settings.lang, settings.sender)
    return DraftResult(drafts, write_drafts(drafts, folder), folder, result)


def send_all(result: DraftResult, server: SmtpServer, sender: str) -> tuple[int, int, int, Path]:
    """Send the drafts, logging each as it goes; (sent, not sent, already sent today, log path)."""
    return send.send_all(result.drafts, result.folder, server, sender)
