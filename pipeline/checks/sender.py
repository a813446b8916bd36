"""Who sent a mailed file: a warning when it is not the school's 电子邮箱 in 学校名册."""

from __future__ import annotations

from pipeline.core.issues import Issue, make
from pipeline.forms.programme import Programme
from pipeline.intake.submission import Submission
from schemas.programme import School


def check_sender(sub: Submission, programme: Programme) -> list[Issue]:
    """A warning when a mailed file came from an address other than the school's 电子邮箱."""
    if not sub.sender or not sub.school or sub.school not in programme.roster:
        return []
    expected = str(programme.roster[sub.school].get(School.email.name) or "").strip().lower()
    if expected and sub.sender.lower() != expected:
        return [make("sender-not-school-email", file=sub.rel, value=sub.sender, expected=expected)]
    return []
