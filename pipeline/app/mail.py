"""Mail in (`bangfu fetch-mail`) and mail out (`bangfu drafts`)."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from pipeline.app.intake import FEEDBACK_DIR, CheckResult, CheckSettings, Progress, check
from pipeline.app.programme import require_programme
from pipeline.core.errors import MailError
from pipeline.core.issues import reading_order
from pipeline.counting import aggregate
from pipeline.forms import templates
from pipeline.forms.programme import PeriodInfo, Programme
from pipeline.mail.compose import Draft, SmtpServer, compose, fingerprint, write_drafts
from pipeline.text import text
from pipeline.workbooks.feedback import feedback_path
from schemas.programme import School, Settings

DRAFTS_DIR = "邮件草稿"
FEEDBACK_LINES = 8


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


def _fields(programme: Programme, period: PeriodInfo) -> dict[str, object]:
    return {
        "programme": programme.name,
        "period": period.name,
        "deadline": period.deadline,
        "bureau": programme.setting(Settings.bureau.name),
        "contact": programme.setting(Settings.contact.name),
        "phone": programme.setting(Settings.phone.name),
    }


def _email(programme: Programme, code: str) -> str:
    return str(programme.roster[code].get(School.email.name) or "")


def template_drafts(programme: Programme, period: PeriodInfo, folder: Path, lang: str, sender: str) -> list[Draft]:
    """To every reporting school: its personalised template and the deadline."""
    paths = templates.write_school_reports(programme, period, folder / "templates", lang)
    fields = _fields(programme, period)
    drafts = []
    for school, path in zip(programme.reporting_records, paths, strict=True):
        code, name = str(school[School.school_code.name]), str(school[School.school_name.name])
        drafts.append(
            compose(
                "template",
                code,
                name,
                _email(programme, code),
                sender,
                text("mail.template.subject", lang, **fields),
                text("mail.template.body", lang, school=name, **fields),
                [path],
            )
        )
    return drafts


def follow_up_drafts(result: CheckResult, lang: str, sender: str) -> list[Draft]:
    """Reminders to the 催报 list and feedback to every school with findings."""
    prog, period = result.programme, result.period
    fields = _fields(prog, period)
    table = aggregate.submissions_table(result.submissions, prog, period)
    drafts = []
    chase = aggregate.chase_list(table, prog, period, lang)
    fixing = set()
    for rec in chase.to_dict("records"):
        code = rec["school_code"]
        if rec["status"] == "needs-fix":
            fixing.add(code)
            continue  # the feedback mail below says what to fix, with the file
        drafts.append(
            compose(
                "reminder",
                code,
                rec["school_name"],
                _email(prog, code),
                sender,
                text("mail.reminder.subject", lang, **fields),
                rec["message"],
                [],
            )
        )
    folder = result.out / FEEDBACK_DIR
    for sub in sorted((s for s in result.submissions if s.counted and s.issues), key=lambda s: s.school):
        path = feedback_path(sub, prog, folder)
        name = str(prog.roster[sub.school][School.school_name.name])
        errors = sum(1 for i in sub.issues if i.is_error)
        lines = [
            text("mail.feedback.line", lang, where=i.where(lang), message=i.message(lang))
            for i in sorted(sub.issues, key=lambda i: (not i.is_error, reading_order(i)))[:FEEDBACK_LINES]
        ]
        body = text(
            "mail.feedback.body",
            lang,
            school=name,
            file=sub.rel,
            errors=errors,
            warnings=len(sub.issues) - errors,
            summary="\n".join(lines),
            **fields,
        )
        drafts.append(
            compose(
                "feedback",
                sub.school,
                name,
                _email(prog, sub.school),
                sender,
                text("mail.feedback.subject", lang, **fields),
                body,
                [path] if path.exists() else [],
            )
        )
    return drafts


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
        drafts += follow_up_drafts(result, settings.lang, settings.sender)
    return DraftResult(drafts, write_drafts(drafts, folder), folder, result)


SENT_LOG = "sent_log.csv"
SENT_COLUMNS = ["sent_at", "kind", "school_code", "school_name", "to", "subject", "fingerprint", "outcome"]


def _sent_today(log: Path, today: str) -> set[str]:
    """Fingerprints of the mails this log records as sent today."""
    if not log.exists():
        return set()
    with log.open(encoding="utf-8-sig", newline="") as fh:
        return {
            row["fingerprint"]
            for row in csv.DictReader(fh)
            if row["outcome"] == "sent" and row["sent_at"].startswith(today)
        }


def send_all(result: DraftResult, server: SmtpServer, sender: str) -> tuple[int, int, int, Path]:
    """Send the drafts, logging each as it goes; (sent, not sent, already sent today, log path).

    The log is appended to, one line per mail, so a run cut short loses no record, and a rerun on
    the same day skips every mail already sent (a reminder next week goes out again)."""
    log = result.folder / SENT_LOG
    now = dt.datetime.now().replace(microsecond=0)
    done = _sent_today(log, now.date().isoformat())
    new = not log.exists()
    counts = {"sent": 0, "failed": 0, "skipped": 0}
    with log.open("a", encoding="utf-8-sig" if new else "utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, SENT_COLUMNS)
        if new:
            writer.writeheader()
        with server.session() as session:
            for draft in result.drafts:
                key = fingerprint(draft)
                if key in done:
                    counts["skipped"] += 1
                    continue
                try:
                    outcome = session.send(draft, sender) if draft.to else "no-address"
                except MailError as exc:
                    exc.facts.update(sent=counts["sent"], log=log)
                    raise
                counts["sent" if outcome == "sent" else "failed"] += 1
                writer.writerow(
                    {
                        "sent_at": dt.datetime.now().replace(microsecond=0).isoformat(),
                        "kind": draft.kind,
                        "school_code": draft.school_code,
                        "school_name": draft.school_name,
                        "to": draft.to,
                        "subject": str(draft.message["Subject"]),
                        "fingerprint": key,
                        "outcome": outcome,
                    }
                )
                fh.flush()
    return counts["sent"], counts["failed"], counts["skipped"], log
