"""The metrics of the rubric, measured for one party of each pair on the counted rows of the
school year, the submissions or the score tables; every value keeps the rows it was measured on
(the evidence, down to file, sheet and row)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from pipeline.checks.crosscheck import month_key, month_text
from pipeline.core.cells import ROW
from pipeline.counting.once import FILE, FLOW, PAIR, RECIPIENT, REPORTED_BY, SENDER, SHEET, SUPPORTING
from pipeline.forms.programme import PeriodInfo, Programme, Rule
from pipeline.intake.submission import Submission, days_late, in_force
from pipeline.text import text
from schemas.programme import Pair, School
from schemas.report import Activity, Funding, Personnel, SchoolInfo
from schemas.rubric import METRICS
from schemas.rubric import PAIR as WHOLE_PAIR
from schemas.rubric import RECIPIENT as RECIPIENT_SIDE
from schemas.rubric import SUPPORTING as SUPPORTING_SIDE

# Columns of the evidence frame
EVIDENCE = ["pair_code", "indicator", "school", "file", "sheet", "where", "evidence", "counts"]
FILTER_COLUMNS = {
    "activity": {"activity_type": Activity.activity_type.name, "subject": Activity.subject.name, "direction": FLOW},
    "personnel": {"exchange_type": Personnel.exchange_type.name, "direction": FLOW},
    "funding": {"category": Funding.category.name, "source": Funding.source.name, "direction": FLOW},
    "score": {"subject": "subject", "grade": "grade"},
}


@dataclass(frozen=True)
class Measured:
    """One metric for one pair: its value (None: no data), whether it applies, and its evidence."""

    value: float | None
    evidence: list[dict[str, object]]
    applies: bool = True


@dataclass(frozen=True)
class Inputs:
    """What the metrics are measured on."""

    programme: Programme
    period: PeriodInfo
    counted: dict[str, pd.DataFrame]  # "activity", "personnel", "funding" (pipeline.counting.once)
    submissions: list[Submission]
    scores: pd.DataFrame  # pipeline.counting.scores.school_scores, with provenance
    gaps: pd.DataFrame  # pipeline.counting.scores.pair_gaps
    lang: str = "zh"


def active_pairs(programme: Programme, period: PeriodInfo) -> pd.DataFrame:
    """Pairs that ran during the period, by pair code."""
    p = programme.pairs
    start, end = p[Pair.start_date.name], p[Pair.end_date.name]
    running = (start <= period.end) & (end.isna() | (end >= period.start))
    return p[running].sort_values(Pair.pair_code.name).reset_index(drop=True)


def _parties(rule: Rule, pair: dict) -> list[str]:
    sup, rec = pair[Pair.supporting_code.name], pair[Pair.recipient_code.name]
    return {WHOLE_PAIR: [sup, rec], SUPPORTING_SIDE: [sup], RECIPIENT_SIDE: [rec]}[rule.target_object]


def _filtered(frame: pd.DataFrame, rule: Rule, source: str) -> pd.DataFrame:
    keep = pd.Series(True, index=frame.index)
    for key, values in rule.filters:
        keep &= frame[FILTER_COLUMNS[source][key]].isin(values)
    return frame[keep]


def _rows(inputs: Inputs, rule: Rule, source: str) -> pd.DataFrame:
    """The counted rows an indicator looks at, before splitting by pair."""
    frame = _filtered(inputs.counted[source], rule, source)
    frame = frame[frame[PAIR].notna()]
    if rule.target_object == SUPPORTING_SIDE:
        frame = frame[frame[SENDER] == frame[SUPPORTING]]
    elif rule.target_object == RECIPIENT_SIDE:
        frame = frame[frame[SENDER] == frame[RECIPIENT]]
    return frame


def _describe(source: str, rec: dict, lang: str) -> str:
    if source == "activity":
        return text(
            "assess.what.activity",
            lang,
            date=rec[Activity.date.name],
            kind=rec[Activity.activity_type.name],
            subject=rec.get(Activity.subject.name) or "-",
            people=_whole(rec[Activity.participants.name]),
            sessions=_whole(rec.get(Activity.sessions.name)),
        )
    if source == "personnel":
        return text(
            "assess.what.personnel",
            lang,
            person=rec[Personnel.person.name],
            kind=rec[Personnel.exchange_type.name],
            start=rec[Personnel.start_date.name],
            end=rec.get(Personnel.end_date.name) or "-",
            months=rec.get("person_months", 0),
        )
    return text(
        "assess.what.funding",
        lang,
        date=rec[Funding.date.name],
        category=rec[Funding.category.name],
        source=rec[Funding.source.name],
        amount=f"{rec[Funding.amount.name]:,.2f}",
    )


def _whole(value: object) -> str:
    return "-" if value is None or value != value else f"{int(value)}"


COUNTED_VALUE: dict[str, Callable[[pd.DataFrame], pd.Series]] = {
    "activities": lambda f: pd.Series(1.0, index=f.index),
    "person_visits": lambda f: f[Activity.participants.name].fillna(0).astype(float),
    "sessions": lambda f: f[Activity.sessions.name].fillna(1).astype(float),
    "active_months": lambda f: month_key(f[Activity.date.name]).astype(float),
    "people": lambda f: pd.Series(1.0, index=f.index),
    "person_months": lambda f: f["person_months"].fillna(0).astype(float),
    "funding": lambda f: f[Funding.amount.name].fillna(0).astype(float) / 10000,
}


def _counted_metric(inputs: Inputs, rule: Rule, pairs: list[dict]) -> dict[str, Measured]:
    metric = METRICS[rule.metric]
    frame = _rows(inputs, rule, metric.source)
    names = inputs.programme.names
    values = COUNTED_VALUE[rule.metric](frame)
    out = {}
    by_pair = {code: idx for code, idx in frame.groupby(PAIR).groups.items()} if len(frame) else {}
    for pair in pairs:
        code = pair[Pair.pair_code.name]
        idx = by_pair.get(code, [])
        part, amounts = frame.loc[idx], values.loc[idx]
        if rule.metric == "active_months":
            value = float(amounts[amounts > 0].nunique())
            counts = [month_text(int(m)) for m in amounts]
        else:
            value = round(float(amounts.sum()), 6)
            counts = [round(float(v), 4) for v in amounts]
        evidence = [
            {
                "pair_code": code,
                "indicator": rule.code,
                "school": names.get(rec[REPORTED_BY], rec[REPORTED_BY]),
                "file": rec[FILE],
                "sheet": rec[SHEET],
                "where": int(rec[ROW]),
                "evidence": _describe(metric.source, rec, inputs.lang),
                "counts": c,
            }
            for rec, c in zip(part.to_dict("records"), counts, strict=True)
        ]
        out[code] = Measured(value, evidence)
    return out


def _submission_metric(inputs: Inputs, rule: Rule, pairs: list[dict]) -> dict[str, Measured]:
    prog, lang = inputs.programme, inputs.lang
    current = in_force(inputs.submissions)
    names = prog.names
    out = {}
    for pair in pairs:
        code = pair[Pair.pair_code.name]
        schools = [s for s in _parties(rule, pair) if prog.roster.get(s, {}).get(School.reports.name) == "是"]
        evidence, values = [], []
        for school in schools:
            sub = current.get(school)
            if rule.metric == "on_time":
                late = days_late(sub.received, inputs.period.deadline) if sub and sub.counted else None
                values.append(1.0 if late == 0 else 0.0)
                what = (
                    text("assess.what.missing", lang)
                    if sub is None or late is None
                    else text("assess.what.on_time", lang, at=f"{sub.received:%Y-%m-%d %H:%M}")
                    if late == 0
                    else text("assess.what.late", lang, at=f"{sub.received:%Y-%m-%d %H:%M}", days=late)
                )
                evidence.append(
                    {
                        "pair_code": code,
                        "indicator": rule.code,
                        "school": names[school],
                        "file": sub.rel if sub else "",
                        "sheet": SchoolInfo.zh if sub else "",
                        "where": "",
                        "evidence": what,
                        "counts": values[-1],
                    }
                )
            else:  # unresolved findings: errors left in the report in force
                errors = [i for i in (sub.issues if sub else []) if i.is_error]
                values.append(float(len(errors)))
                evidence += [
                    {
                        "pair_code": code,
                        "indicator": rule.code,
                        "school": names[school],
                        "file": sub.rel,
                        "sheet": i.sheet,
                        "where": i.cell,
                        "evidence": i.message(lang),
                        "counts": 1.0,
                    }
                    for i in errors
                ]
        if not schools:
            out[code] = Measured(None, [], applies=False)
        elif rule.metric == "on_time":
            out[code] = Measured(round(100 * sum(values) / len(values), 2), evidence)
        else:
            out[code] = Measured(sum(values), evidence)
    return out


def _score_metric(inputs: Inputs, rule: Rule, pairs: list[dict]) -> dict[str, Measured]:
    table = _filtered(inputs.scores, rule, "score")
    out = {}
    for pair in pairs:
        code = pair[Pair.pair_code.name]
        if rule.metric == "gap_narrowed":
            gaps = _filtered(inputs.gaps[inputs.gaps["pair_code"] == code], rule, "score").dropna(subset=["gap_change"])
            schools = [pair[Pair.supporting_code.name], pair[Pair.recipient_code.name]]
            keys = set(zip(gaps["term"], gaps["grade"], gaps["subject"], strict=True))
            rows = table[
                table["school_code"].isin(schools)
                & [k in keys for k in zip(table["term"], table["grade"], table["subject"], strict=True)]
            ]
            value = None if gaps.empty else round(float(-gaps["gap_change"].mean()), 3)
        else:
            rows = table[(table["school_code"] == _parties(rule, pair)[0]) & table["rank_change"].notna()]
            column = "rank_change" if rule.metric == "rank_up" else "change"
            value = None if rows.empty else round(float(rows[column].astype(float).mean()), 3)
        out[code] = Measured(value, _score_evidence(rows, code, rule, inputs.lang))
    return out


def _score_evidence(rows: pd.DataFrame, pair: str, rule: Rule, lang: str) -> list[dict[str, object]]:
    evidence = []
    for rec in rows.to_dict("records"):
        for suffix, year in (("", rec["school_year"]), ("_last", "-")):
            if pd.isna(rec.get(f"average{suffix}")):
                continue
            evidence.append(
                {
                    "pair_code": pair,
                    "indicator": rule.code,
                    "school": rec["school_name"],
                    "file": rec[f"file{suffix}"],
                    "sheet": rec[f"sheet{suffix}"],
                    "where": _whole(rec[f"{ROW}{suffix}"]),
                    "evidence": text(
                        "assess.what.score" if not suffix else "assess.what.score_last",
                        lang,
                        year=year,
                        grade=rec["grade"],
                        subject=rec["subject"],
                        average=rec[f"average{suffix}"],
                        rank=_whole(rec[f"rank{suffix}"]),
                        n=_whole(rec[f"n{suffix}"]),
                    ),
                    "counts": rec["rank_change"] if rule.metric == "rank_up" else rec["change"],
                }
            )
    return evidence


MEASURE = {
    "activity": _counted_metric,
    "personnel": _counted_metric,
    "funding": _counted_metric,
    "submission": _submission_metric,
    "findings": _submission_metric,
    "score": _score_metric,
}
