"""Which file counts for a school, and what its status says: resubmission, duplicates, lateness."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from pipeline.core.issues import make
from pipeline.intake.submission import Submission, days_late, final_status, in_force, resolve_resubmissions

T = dt.datetime


def sub(index: int, school: str, sha: str, received: T, rel: str = "", filled: dt.date | None = None) -> Submission:
    rel = rel or f"{index}.xlsx"
    return Submission(index, Path(rel), rel, 100, sha, received, school=school, date_filled=filled, rows_read=4)


def test_the_latest_file_of_a_school_counts_and_the_earlier_ones_are_superseded():
    first, second, other = (
        sub(0, "001", "a", T(2025, 1, 10)),
        sub(1, "001", "b", T(2025, 1, 12)),
        sub(2, "002", "c", T(2025, 1, 11)),
    )
    resolve_resubmissions([second, other, first])
    assert [(s.status, s.reason) for s in (first, second, other)] == [("superseded", "1.xlsx"), ("", ""), ("", "")]
    assert [s.counted for s in (first, second, other)] == [False, True, True]


def test_an_identical_file_is_a_duplicate_of_the_first_and_never_replaces_a_correction():
    original = sub(0, "001", "a", T(2025, 1, 10), "报表.xlsx")
    fixed = sub(1, "001", "b", T(2025, 1, 12), "报表(更正).xlsx")
    again = sub(2, "001", "a", T(2025, 1, 13), "报表(1).xlsx")  # the faulty original sent once more
    resolve_resubmissions([original, fixed, again])
    assert (again.status, again.reason) == ("duplicate", "报表.xlsx")
    assert (original.status, fixed.status) == ("superseded", "")


def test_files_received_at_the_same_time_are_ordered_by_the_date_they_were_filled():
    later = sub(0, "001", "a", T(2025, 1, 10), filled=dt.date(2025, 1, 9))
    earlier = sub(1, "001", "b", T(2025, 1, 10), filled=dt.date(2025, 1, 2))
    resolve_resubmissions([later, earlier])
    assert (earlier.status, later.status) == ("superseded", "")


def test_a_correction_follows_what_it_answers_but_not_a_fresh_file_sent_after_both():
    original = sub(0, "001", "a" * 64, T(2025, 1, 12))  # copied last: the latest time
    fixed = dataclasses.replace(sub(1, "001", "b" * 64, T(2025, 1, 10)), answers="a" * 64)
    fresh = sub(2, "001", "c" * 64, T(2025, 1, 15))
    resolve_resubmissions([fresh, fixed, original])
    assert [s.status for s in (original, fixed, fresh)] == ["superseded", "superseded", ""]
    resolve_resubmissions([fixed, original])
    assert (original.status, original.reason) == ("superseded", "1.xlsx")


def test_answers_that_loop_by_hand_fall_back_to_the_times():
    one = dataclasses.replace(sub(0, "001", "a" * 64, T(2025, 1, 10)), answers="b" * 64)
    two = dataclasses.replace(sub(1, "001", "b" * 64, T(2025, 1, 11)), answers="a" * 64)
    resolve_resubmissions([one, two])
    assert sorted(s.status for s in (one, two)) == ["", "superseded"]


def test_status_errors_then_unexplained_warnings_then_passed():
    error = make("not-a-number", file="x", sheet="交流活动", cell="F2")
    warning = make("outlier", file="x", sheet="交流活动", cell="F3")
    cases = {
        "needs-fix": [warning, error],
        "warnings": [warning],
        "passed": [dataclasses.replace(warning, explained=True)],
    }
    for expected, issues in cases.items():
        s = sub(0, "001", "a", T(2025, 1, 10))
        s.issues = list(issues)
        final_status(s)
        assert s.status == expected
    assert s.rows_excluded == 0


def test_a_file_that_does_not_count_has_no_accepted_rows():
    s = sub(0, "001", "a", T(2025, 1, 10))
    s.reject(make("unknown-school", file="a.xlsx"))
    final_status(s)
    assert (s.status, s.reason, s.rows_accepted) == ("returned", "unknown-school", 0)


def test_the_submission_in_force_is_the_counted_one_else_the_last_returned():
    returned = sub(0, "001", "a", T(2025, 1, 10))
    returned.reject(make("unreadable", file="0.xlsx"))
    counted = sub(1, "001", "b", T(2025, 1, 9))
    only_returned = sub(2, "002", "c", T(2025, 1, 9))
    only_returned.reject(make("unreadable", file="2.xlsx"))
    assert in_force([returned, counted, only_returned]) == {"001": counted, "002": only_returned}


def test_days_late_count_whole_days_after_the_deadline_day():
    deadline = dt.date(2025, 2, 15)
    assert days_late(T(2025, 2, 15, 23, 59), deadline) == 0
    assert days_late(T(2025, 2, 16, 0, 1), deadline) == 1
    assert days_late(T(2025, 3, 1, 9, 0), deadline) == 14
