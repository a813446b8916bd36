"""A submission: one inbox file's record through the intake, and the rules that pick which
submission counts for each school (resubmission, duplicates) and what its status is."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.core.issues import Issue
from pipeline.intake.blocks import Table
from schemas.model import Sheet

if TYPE_CHECKING:
    from pipeline.intake.worker import FileResult

RETURNED, SUPERSEDED, DUPLICATE, IGNORED = "returned", "superseded", "duplicate", "ignored"
PASSED, WARNINGS, NEEDS_FIX = "passed", "warnings", "needs-fix"


@dataclass
class Submission:
    """One file of the inbox, from the bytes on disk to its status."""

    index: int
    path: Path
    rel: str
    size: int
    sha256: str
    received: dt.datetime
    sender: str = ""  # the e-mail address it came from (mail fetch), else ""
    kind: str = ""
    school: str = ""
    period: str = ""
    how: str = ""  # "meta" or "info": how the school was recognised
    answers: str = ""  # a feedback workbook sent back: the sha256 of the file it answers
    lang: str = ""  # the language of the school's template (its meta sheet), "" when unknown
    date_filled: dt.date | None = None
    tables: dict[type[Sheet], Table] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    status: str = ""
    reason: str = ""
    rows_read: int = 0
    rows_excluded: int = 0

    @property
    def rows_accepted(self) -> int:
        return self.rows_read - self.rows_excluded

    @property
    def counted(self) -> bool:
        """Its rows go into validation and the totals."""
        return self.status not in (RETURNED, SUPERSEDED, DUPLICATE, IGNORED)

    def reject(self, issue: Issue) -> None:
        self.issues.append(issue)
        self.status, self.reason = RETURNED, issue.code

    def take(self, result: FileResult) -> None:
        """What a reader learned from this file's bytes (maybe from an identical file's)."""
        result = result.renamed(self.rel)
        self.kind = result.kind
        if result.identity is not None:
            self.school, self.period, self.how = result.identity.school, result.identity.period, result.identity.how
            self.answers, self.lang = result.identity.answers, result.identity.lang
        self.issues += result.issues
        if result.rejection is not None:
            self.reject(result.rejection)
            return
        self.tables = dict(result.tables)
        self.rows_read = result.rows_read
        self.date_filled = result.date_filled


def resolve_resubmissions(subs: list[Submission]) -> None:
    """Per school: the latest file replaces the earlier ones; a file identical (sha256) to an
    earlier one is a duplicate. Every file stays on record.

    Latest: a feedback workbook sent back comes after the file it answers (its _meta says which),
    whatever times copying gave them; otherwise by time received (the mail's Date, else the file's
    time), then 填报日期."""
    by_school: dict[str, list[Submission]] = {}
    for sub in subs:
        if sub.status not in (RETURNED, IGNORED):
            by_school.setdefault(sub.school, []).append(sub)
    for group in by_school.values():
        group.sort(key=_order(group))
        seen: dict[str, Submission] = {}
        originals = []
        for sub in group:
            if sub.sha256 in seen:
                sub.status, sub.reason = DUPLICATE, seen[sub.sha256].rel
            else:
                seen[sub.sha256] = sub
                originals.append(sub)
        for sub in originals[:-1]:
            sub.status, sub.reason = SUPERSEDED, originals[-1].rel


Order = tuple[dt.datetime, dt.date, int, str]


def _order(group: list[Submission]) -> Callable[[Submission], tuple[Order, int]]:
    """The sort key of one school's files: a file's own (received, 填报日期, then the shorter name,
    as copies are named "…(1)", "副本…"), raised to its answered file's where that is later, with
    how many answers deep it is to break the tie: a correction follows what it corrects."""
    by_sha = {sub.sha256: sub for sub in group}
    keys: dict[int, tuple[Order, int]] = {}

    def key(sub: Submission, seen: frozenset[int] = frozenset()) -> tuple[Order, int]:
        if sub.index not in keys:
            own: Order = (sub.received, sub.date_filled or dt.date.min, len(sub.rel), sub.rel)
            answered = by_sha.get(sub.answers)
            if answered is None or answered is sub or answered.index in seen:  # none, or a loop made by hand
                keys[sub.index] = (own, 0)
            else:
                before, depth = key(answered, seen | {sub.index})
                keys[sub.index] = (max(own, before), depth + 1)
        return keys[sub.index]

    return key


def final_status(sub: Submission) -> None:
    """需修改 with any error; 有警告 with an unexplained warning; else 已通过. None of the rows of
    a file that does not count (returned, superseded, duplicate) is accepted."""
    if not sub.counted:
        sub.rows_excluded = sub.rows_read
        return
    errors = [i for i in sub.issues if i.is_error]
    unexplained = [i for i in sub.issues if not i.is_error and not i.explained]
    if errors:
        sub.status, sub.reason = NEEDS_FIX, errors[0].code
    elif unexplained:
        sub.status, sub.reason = WARNINGS, unexplained[0].code
    else:
        sub.status, sub.reason = PASSED, ""


def in_force(subs: list[Submission]) -> dict[str, Submission]:
    """Each school's submission in force: the counted one, else its (last) returned one."""
    current = {s.school: s for s in subs if s.status == RETURNED and s.school}
    current.update({s.school: s for s in subs if s.counted and s.school})
    return current


def days_late(received: dt.datetime, deadline: dt.date) -> int:
    """Whole days after the end of the deadline day (0 when on time)."""
    end = dt.datetime.combine(deadline + dt.timedelta(days=1), dt.time())
    return max(0, math.ceil((received - end).total_seconds() / 86400))
