"""The year-end assessment: every pair scored against the programme's rubric (考核细则).

Each indicator measures one metric of schemas.rubric.METRICS for one party of the pair (both
schools, the supporting or the recipient school) on the counted rows of the school-year report,
the submissions or the score tables, then scores it:

- 按比例: points x value / target, capped at the full points;
- 达标: the full points when the target is met, else 0;
- 扣分: the full points less 每单位扣分 for each unit short of the target (never below 0).

For a metric where less is better (unresolved findings) the target is the most allowed and
"short" means over it. A 一票否决 indicator whose target is not met makes the pair 不合格 and
ranks it after every pair that was not vetoed. A metric that does not apply (a school that does
not report to this bureau) earns its points; one without data (no score a year earlier) earns 0.
Every value keeps the rows it was measured on: the evidence, down to file, sheet and row.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pipeline.assessment.metrics import EVIDENCE, MEASURE, Inputs, Measured, active_pairs
from pipeline.checks.crosscheck import competition_ranks
from pipeline.forms.programme import PeriodInfo, Programme, Rule
from pipeline.intake.submission import Submission
from pipeline.text import text
from schemas.choices import BANDS, YEAR_PERIODS
from schemas.programme import Pair
from schemas.rubric import DEDUCT, METRICS, PROPORTIONAL


@dataclass(frozen=True)
class Assessment:
    """Scores per pair and indicator, the per-pair summary, and the evidence of every point."""

    rules: tuple[Rule, ...]
    scores: pd.DataFrame  # one row per pair x indicator
    pairs: pd.DataFrame  # one row per pair, ranked
    evidence: pd.DataFrame


def score(rule: Rule, value: float | None) -> tuple[float, bool]:
    """(points, target met) for one measured value."""
    if value is None:
        return 0.0, False
    more = METRICS[rule.metric].better == "more"
    met = value >= rule.target if more else value <= rule.target
    short = max(0.0, rule.target - value) if more else max(0.0, value - rule.target)
    if rule.method == PROPORTIONAL:
        points = rule.points * min(max(value, 0.0) / rule.target, 1.0)
    elif rule.method == DEDUCT:
        points = max(0.0, rule.points - rule.per_unit * short)
    else:
        points = rule.points if met else 0.0
    return round(points, 2), met


def _number(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value):,}"


def shortfall(rule: Rule, measured: Measured, met: bool, lang: str) -> str:
    """What is missing, in words: 示范课 1/2 次."""
    metric = METRICS[rule.metric]
    unit = metric.unit_en if lang == "en" else metric.unit_zh
    if not measured.applies or met:
        return ""
    if measured.value is None:
        return text("assess.no_data", lang, name=rule.name)
    key = "assess.short" if metric.better == "more" else "assess.over"
    return text(key, lang, name=rule.name, value=_number(measured.value), target=_number(rule.target), unit=unit)


def assess(inputs: Inputs) -> Assessment:
    """Score every pair that ran during the period against the programme's rubric."""
    prog, lang = inputs.programme, inputs.lang
    rules = prog.rubric.rules
    pairs = active_pairs(prog, inputs.period).to_dict("records")
    names = prog.names
    rows, evidence = [], []
    for rule in rules:
        measured = MEASURE[METRICS[rule.metric].source](inputs, rule, pairs)
        for pair in pairs:
            m = measured[pair[Pair.pair_code.name]]
            points, met = (rule.points, True) if not m.applies else score(rule, m.value)
            rows.append(
                {
                    "pair_code": pair[Pair.pair_code.name],
                    "indicator": rule.code,
                    "name": rule.name,
                    "value": m.value,
                    "target": rule.target,
                    "full": rule.points,
                    "points": points,
                    "met": met,
                    "applies": m.applies,
                    "shortfall": shortfall(rule, m, met, lang),
                    "vetoed": rule.veto and not met,
                }
            )
            evidence += m.evidence
    scores = pd.DataFrame(
        rows,
        columns=[
            "pair_code",
            "indicator",
            "name",
            "value",
            "target",
            "full",
            "points",
            "met",
            "applies",
            "shortfall",
            "vetoed",
        ],
    )
    summary = _summary(scores, pairs, names, rules, prog.rubric.bands, lang)
    return Assessment(rules, scores, summary, pd.DataFrame(evidence, columns=EVIDENCE))


def band(total: float, vetoed: bool, bands: tuple[float, float, float]) -> str:
    """优秀 / 良好 / 合格 / 不合格; a vetoed pair is 不合格 whatever its total."""
    if vetoed:
        return BANDS[3]
    for name, floor in zip(BANDS, bands, strict=False):
        if total >= floor:
            return name
    return BANDS[3]


def _summary(
    scores: pd.DataFrame,
    pairs: list[dict],
    names: dict[str, str],
    rules: tuple[Rule, ...],
    bands: tuple[float, float, float],
    lang: str,
) -> pd.DataFrame:
    records = []
    for pair in pairs:
        code = pair[Pair.pair_code.name]
        mine = scores[scores["pair_code"] == code]
        total = round(float(mine["points"].sum()), 2)
        vetoed = bool(mine["vetoed"].any())
        records.append(
            {
                "pair_code": code,
                "supporting": names.get(pair[Pair.supporting_code.name], pair[Pair.supporting_code.name]),
                "recipient": names.get(pair[Pair.recipient_code.name], pair[Pair.recipient_code.name]),
                **dict(zip(mine["indicator"], mine["points"], strict=True)),
                "total": total,
                "vetoed": vetoed,
                "band": band(total, vetoed, bands),
                "shortfalls": "；".join(s for s in mine["shortfall"] if s),
                "veto_by": "、".join(mine.loc[mine["vetoed"], "name"]),
            }
        )
    frame = pd.DataFrame(
        records,
        columns=[
            "pair_code",
            "supporting",
            "recipient",
            *(r.code for r in rules),
            "total",
            "vetoed",
            "band",
            "shortfalls",
            "veto_by",
        ],
    )
    if frame.empty:
        return frame.assign(rank=pd.Series(dtype=int), n=pd.Series(dtype=int))
    clear = frame[~frame["vetoed"]]
    ranks = pd.Series(competition_ranks(clear["total"]), index=clear.index)
    vetoed = frame[frame["vetoed"]]
    if len(vetoed):
        ranks = pd.concat([ranks, pd.Series(competition_ranks(vetoed["total"]), index=vetoed.index) + len(clear)])
    frame = frame.assign(rank=ranks.astype(int), n=len(frame))
    return frame.sort_values(["rank", "pair_code"]).reset_index(drop=True)


ASSESSED_KINDS = YEAR_PERIODS  # a 学年 or 年度 period is assessed


def is_assessed(period: PeriodInfo) -> bool:
    return period.kind in ASSESSED_KINDS


def assess_period(
    programme: Programme,
    period: PeriodInfo,
    counted: dict[str, pd.DataFrame],
    submissions: list[Submission],
    scores: dict[str, pd.DataFrame],
    lang: str,
) -> Assessment | None:
    """The year-end assessment of a 学年 or 年度 period with a usable rubric, else None."""
    if not is_assessed(period) or not programme.rubric.usable:
        return None
    return assess(Inputs(programme, period, counted, submissions, scores["scores"], scores["pair_gaps"], lang))
