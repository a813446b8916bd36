"""The watcher's answers to schools, one per received file: a receipt (回执) for a report that
passed, the feedback mail with the marked workbook for one with findings, and for a file that
cannot be used what went wrong and the template to use.

Who is answered (docs/watch.md): a reply that says anything about a school's data goes only to
that school's address in 学校名册, whoever sent the file; when the sender is another address, the
sender gets a neutral receipt that names no school, file or finding. A file of no known school
from an address not in the roster gets that neutral receipt only and is held for the analyst.
So a stranger learns only that the mail arrived, and a school sees only its own data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parseaddr
from pathlib import Path

from pipeline.forms.programme import PeriodInfo, Programme
from pipeline.intake.submission import NEEDS_FIX, PASSED, RETURNED, WARNINGS, Submission
from pipeline.mail.compose import Draft, compose
from pipeline.mail.drafts import feedback_draft, fields_of, school_email
from pipeline.text import date_text, text
from schemas.model import Sheet
from schemas.programme import School

RECEIPT, FEEDBACK, UNUSABLE, NEUTRAL = "receipt", "feedback", "unusable", "neutral"


@dataclass(frozen=True)
class Reply:
    """One answer to one received file: the mail, the file it answers, and whether it is held
    for the analyst instead of sent (``held``: why)."""

    draft: Draft
    sha256: str
    file: str
    held: str = ""


def roster_owner(programme: Programme, address: str) -> str:
    """The school whose 电子邮箱 in 学校名册 is ``address``, or ""."""
    wanted = parseaddr(address)[1].strip().lower()
    if not wanted:
        return ""
    for code, rec in programme.roster.items():
        if str(rec.get(School.email.name) or "").strip().lower() == wanted:
            return code
    return ""


def _name(programme: Programme, code: str) -> str:
    return str(programme.roster[code][School.school_name.name]) if code in programme.roster else ""


def _counted_rows(sub: Submission, lang: str) -> str:
    parts = [
        text("mail.receipt.rows", lang, sheet=model.zh if lang == "zh" else model.en, rows=table.n_rows)
        for model, table in sub.tables.items()
        if _is_data(model) and table.n_rows
    ]
    return ("、" if lang == "zh" else ", ").join(parts) or text("mail.receipt.no_rows", lang)


def _is_data(model: type[Sheet]) -> bool:
    return getattr(model, "layout", "table") != "form"


def replies_for(
    sub: Submission,
    programme: Programme,
    period: PeriodInfo,
    feedback: Callable[[Submission], Path],
    template: Callable[[str, str], Path],
    default_lang: str,
    sender: str,
) -> list[Reply]:
    """The answers to one received file (``sub``, checked): to its school's roster address, and a
    neutral receipt to the sender when that is another address. ``template(school, lang)`` gives
    the template to attach to an unusable file's answer ("" school: the blank report)."""
    owner = roster_owner(programme, sub.sender)
    school = sub.school if sub.school in programme.roster else owner
    lang = sub.lang or default_lang
    fields = {**fields_of(programme, period), "deadline": date_text(period.deadline, lang)}
    received = sub.received.strftime("%Y-%m-%d %H:%M")
    to = school_email(programme, school)
    replies: list[Reply] = []
    if school:
        name = _name(programme, school)
        if sub.status == PASSED:
            body = text("mail.receipt.body", lang, school=name, file=sub.rel, received=received,
                        rows=_counted_rows(sub, lang), **fields)  # fmt: skip
            subject = text("mail.receipt.subject", lang, school=name, **fields)
            draft = compose(RECEIPT, school, name, to, sender, subject, body, [])
        elif sub.status in (WARNINGS, NEEDS_FIX):
            draft = feedback_draft(sub, programme, feedback(sub), fields, lang, sender)
        else:  # returned: cannot be used as it is
            reason = next((i.message(lang) for i in sub.issues if i.code == sub.reason), sub.reason)
            body = text("mail.unusable.body", lang, school=name, file=sub.rel, received=received, reason=reason,
                        **fields)  # fmt: skip
            subject = text("mail.unusable.subject", lang, school=name, **fields)
            draft = compose(UNUSABLE, school, name, to, sender, subject, body, [template(school, lang)])
        replies.append(Reply(draft, sub.sha256, sub.rel, "" if to else "no-address"))
    if not school or owner != school:  # the sender is not the school's registered address
        neutral = _neutral(sub, programme, period, default_lang, sender, received)
        replies.append(Reply(neutral, sub.sha256, sub.rel, "" if school else "unknown-sender"))
    return replies


def _neutral(sub: Submission, programme: Programme, period: PeriodInfo, lang: str, sender: str, received: str) -> Draft:
    """To whoever sent it: the mail arrived and the answer goes to the school's registered address.
    No school, file name or finding: the sender may be anyone."""
    fields = fields_of(programme, period)
    body = text("mail.neutral.body", lang, received=received, **fields)
    to = parseaddr(sub.sender)[1]
    return compose(NEUTRAL, "", "", to, sender, text("mail.neutral.subject", lang, **fields), body, [])


def is_answered_status(status: str) -> bool:
    """Files that get an answer: a report checked (passed, warnings, to fix) or returned; not a
    duplicate, a file replaced by a later one, or litter."""
    return status in (PASSED, WARNINGS, NEEDS_FIX, RETURNED)


def summary_draft(
    programme: Programme,
    period: PeriodInfo,
    day: str,
    counts: dict[str, int],
    chase: list[tuple[str, str, str, bool]],
    places: dict[str, str],
    to: str,
    lang: str,
    sender: str,
) -> Draft:
    """The analyst's daily summary: files and replies of the day, and the schools still missing
    or to correct (``chase``: code, name, what is wanted, whether nothing came)."""
    fields = fields_of(programme, period)
    lines = "\n".join(text("mail.feedback.line", lang, where=f"{code} {name}", message=why)
                      for code, name, why, _ in chase) or text("mail.summary.none", lang)  # fmt: skip
    missing = sum(1 for *_, is_missing in chase if is_missing)
    body = text(
        "mail.summary.body", lang, day=day, chase=lines, missing=missing, to_fix=len(chase) - missing,
        **{k: counts.get(k, 0) for k in ("files", RECEIPT, FEEDBACK, UNUSABLE, NEUTRAL, "held")}, **places,
    )  # fmt: skip
    subject = text("mail.summary.subject", lang, day=day, **fields)
    return compose("summary", "", "", to, sender, subject, body, [])
