"""What a run puts into the history store for its period: the counted rows, the scores with their
ranks, every submission and finding, the roster and pairs as they stood, each school's accepted
activities (the outlier check's history) and the period's own line; every row with its period and
provenance (file, SHA-256, sheet, row, school, received time, template version; the run id is
added by the store)."""

from __future__ import annotations

import pandas as pd

from pipeline.core.cells import ROW
from pipeline.counting.aggregate import submission_counts
from pipeline.forms.programme import PeriodInfo, Programme
from pipeline.history.activity import TABLE as SCHOOL_ACTIVITIES
from pipeline.history.activity import school_activity_rows
from pipeline.intake.submission import Submission

COUNTED_TABLES = {"activity": "activities", "personnel": "personnel", "funding": "funding"}


def period_tables(
    programme: Programme,
    period: PeriodInfo,
    subs: list[Submission],
    counted: dict[str, pd.DataFrame],
    submissions: pd.DataFrame,
    scores: pd.DataFrame,
    accepted_activity: pd.DataFrame,
) -> dict[str, pd.DataFrame]:
    """The store's tables for one period, from the run's counted rows, submissions, scores
    (``counting.scores.school_scores``) and accepted activity rows."""
    by_file = {s.rel: s for s in subs}
    sha = {rel: s.sha256 for rel, s in by_file.items()}
    received = {rel: s.received for rel, s in by_file.items()}
    version = {rel: s.how for rel, s in by_file.items()}
    tables = {}
    for name, table in COUNTED_TABLES.items():
        frame = counted[name]
        tables[table] = frame.rename(columns={"_row": "row"}).assign(
            period=period.code,
            sha256=frame["file"].map(sha),
            received_at=frame["file"].map(received),
            identified_by=frame["file"].map(version),
        )
    received_at = pd.to_datetime(submissions["received_at"].replace("", None), format="%Y-%m-%d %H:%M")
    tables["submissions"] = submissions.assign(period=period.code, received_at=received_at)
    tables["findings"] = findings_table(subs, period.code)
    tables["scores"] = scores.rename(columns={ROW: "row", f"{ROW}_last": "row_last"}).assign(period=period.code)
    tables["schools"] = programme.schools.drop(columns=[ROW], errors="ignore").assign(period=period.code)
    tables["pairs"] = programme.pairs.drop(columns=[ROW], errors="ignore").assign(period=period.code)
    schools = {s.index: s.school for s in subs if s.counted}
    tables[SCHOOL_ACTIVITIES] = school_activity_rows(accepted_activity, schools).assign(period=period.code)
    counts = submission_counts(submissions, period.code)
    extra = {"activities": len(counted["activity"]), "files": len(subs)}
    tables["periods"] = period_line(period, counts, len(submissions), **extra)
    return tables


def period_line(
    period: PeriodInfo, counts: dict[str, object], schools: int | None = None, **extra: object
) -> pd.DataFrame:
    """The period's own row in ``periods``: its dates and on time / late / missing
    (``counting.aggregate.submission_counts``), then what the caller adds."""
    line = {
        "period": period.code,
        "name": period.name,
        "kind": period.kind,
        "start": period.start,
        "end": period.end,
        "deadline": period.deadline,
        **({} if schools is None else {"schools": schools}),
        **{k: int(counts.get(k, 0) or 0) for k in ("on_time", "late", "missing")},  # type: ignore[call-overload]
        **extra,
    }
    return pd.DataFrame([line])


def findings_table(subs: list[Submission], period: str) -> pd.DataFrame:
    rows = [
        {
            "period": period,
            "school_code": s.school,
            "file": s.rel,
            "sha256": s.sha256,
            "sheet": i.sheet,
            "cell": i.cell,
            "column": i.column,
            "value": i.value,
            "code": i.code,
            "severity": i.severity,
            "explained": i.explained,
        }
        for s in subs
        for i in s.issues
    ]
    columns = ["period", "school_code", "file", "sha256", "sheet", "cell", "column", "value", "code"]
    return pd.DataFrame(rows, columns=[*columns, "severity", "explained"])
