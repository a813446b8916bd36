"""The mails to schools, as drafts: each reporting school's template with the deadline, reminders
(催报) to the schools behind, and feedback with the school's marked workbook attached."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pipeline.core.issues import reading_order
from pipeline.counting import aggregate
from pipeline.forms import templates
from pipeline.forms.programme import PeriodInfo, Programme
from pipeline.intake.submission import Submission
from pipeline.mail.compose import Draft, compose
from pipeline.text import text
from schemas.programme import School, Settings

DRAFTS_DIR = "邮件草稿"
FEEDBACK_LINES = 8  # findings quoted in a feedback mail; the workbook attached has them all


def fields_of(programme: Programme, period: PeriodInfo) -> dict[str, object]:
    return {
        "programme": programme.name,
        "period": period.name,
        "deadline": period.deadline,
        "bureau": programme.setting(Settings.bureau.name),
        "contact": programme.setting(Settings.contact.name),
        "phone": programme.setting(Settings.phone.name),
    }


def school_email(programme: Programme, code: str) -> str:
    """The school's 电子邮箱 in 学校名册, or "" (no address, or no such school)."""
    return str(programme.roster[code].get(School.email.name) or "").strip() if code in programme.roster else ""


def template_drafts(programme: Programme, period: PeriodInfo, folder: Path, lang: str, sender: str) -> list[Draft]:
    """To every reporting school: its personalised template and the deadline."""
    paths = templates.write_school_reports(programme, period, folder / "templates", lang)
    fields = fields_of(programme, period)
    drafts = []
    for school, path in zip(programme.reporting_records, paths, strict=True):
        code, name = str(school[School.school_code.name]), str(school[School.school_name.name])
        drafts.append(
            compose(
                "template",
                code,
                name,
                school_email(programme, code),
                sender,
                text("mail.template.subject", lang, **fields),
                text("mail.template.body", lang, school=name, **fields),
                [path],
            )
        )
    return drafts


def follow_up_drafts(
    subs: list[Submission],
    prog: Programme,
    period: PeriodInfo,
    feedback: Callable[[Submission], Path],
    lang: str,
    sender: str,
) -> list[Draft]:
    """Reminders to the 催报 list and feedback to every school with findings; ``feedback`` gives
    a submission's feedback workbook (attached when it exists)."""
    fields = fields_of(prog, period)
    chase = aggregate.chase_list(aggregate.submissions_table(subs, prog, period), prog, period, lang)
    subject = text("mail.reminder.subject", lang, **fields)
    drafts = [
        compose("reminder", r["school_code"], r["school_name"], school_email(prog, r["school_code"]), sender, subject,
                r["message"], [])
        for r in chase.to_dict("records")
        if r["status"] != "needs-fix"  # the feedback mail says what to fix, with the file
    ]  # fmt: skip
    for sub in sorted((s for s in subs if s.counted and s.issues), key=lambda s: s.school):
        drafts.append(feedback_draft(sub, prog, feedback(sub), fields, lang, sender))
    return drafts


def feedback_draft(
    sub: Submission, prog: Programme, path: Path, fields: dict[str, object], lang: str, sender: str
) -> Draft:
    """A school's findings in brief, errors first, with its marked workbook attached."""
    name = str(prog.roster[sub.school][School.school_name.name])
    errors = sum(1 for i in sub.issues if i.is_error)
    lines = [
        text("mail.feedback.line", lang, where=i.where(lang), message=i.message(lang))
        for i in sorted(sub.issues, key=lambda i: (not i.is_error, reading_order(i)))[:FEEDBACK_LINES]
    ]
    body = text(
        "mail.feedback.body", lang, school=name, file=sub.rel, errors=errors, warnings=len(sub.issues) - errors,
        summary="\n".join(lines), **fields,
    )  # fmt: skip
    subject = text("mail.feedback.subject", lang, **fields)
    attached = [path] if path.exists() else []
    return compose("feedback", sub.school, name, school_email(prog, sub.school), sender, subject, body, attached)
