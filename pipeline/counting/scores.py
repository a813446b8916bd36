"""Score comparisons: ranks n/N among every school with a score, year over year, pair gaps,
group averages weighted by test takers, and the recipients that moved up most.

A rank is computed among all schools with a score for the same 学年 x 学期 x 年级 x 学科
(the bureau's 区县成绩 for the whole district, plus programme schools' own reports where the
bureau has no figure), as competition ranking (1, 2, 2, 4). Last year is the same 学期 x 年级 x
学科 one 学年 earlier; rank change = last year's rank - this year's (positive = moved up).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from pipeline.checks.crosscheck import SUB, among, competition_ranks
from pipeline.core.cells import ROW
from pipeline.forms.programme import PeriodInfo, Programme
from pipeline.intake.identify import school_index
from pipeline.intake.values import fold
from schemas.programme import DistrictScore, Pair, School
from schemas.report import Score

KEY = ["term", "grade", "subject"]
NAME, CODE, YEAR, TAKERS, AVG, SOURCE = "school_name", "school_code", "school_year", "takers", "average", "source"
RANK, N = "rank", "n"
FROM_SCHOOL, FROM_DISTRICT = "学校", "区县"  # SOURCE: a school's own report, or the bureau's 区县成绩
FILE, SHEET = "file", "sheet"


def school_year_of(day: dt.date) -> str:
    """The 学年 (Sep-Jul) a date falls in: 2024-10-01 -> "2024-2025"."""
    start = day.year if day.month >= 9 else day.year - 1
    return f"{start}-{start + 1}"


def previous_year(year: str) -> str:
    first = int(year[:4])
    return f"{first - 1}-{first}"


def universe(
    programme: Programme,
    reported: pd.DataFrame,
    schools: dict[int, str],
    provenance: dict[int, tuple[str, str]] | None = None,
    earlier: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every school's score per key: the bureau's figures, then reported ones it lacks (this
    period's reports before ``earlier`` periods' (the history store's: school code, year, key,
    takers, average, file, sheet, row); ranked. Each row keeps where it came from."""
    district = _district(programme)
    own = _reported(programme, reported, schools, provenance)
    if earlier is not None and not earlier.empty:
        before = earlier.assign(**{SOURCE: FROM_SCHOOL, NAME: earlier[CODE].map(programme.names)})
        own = pd.concat([own, before[own.columns]], ignore_index=True)
    known = set(
        zip(district[NAME], district[YEAR], district["term"], district["grade"], district["subject"], strict=True)
    )
    own = own[
        [k not in known for k in zip(own[NAME], own[YEAR], own["term"], own["grade"], own["subject"], strict=True)]
    ]
    frames = [f for f in (district, own) if not f.empty]
    if not frames:
        return pd.DataFrame(columns=[NAME, CODE, YEAR, *KEY, TAKERS, AVG, SOURCE, FILE, SHEET, ROW, RANK, N])
    both = pd.concat(frames, ignore_index=True)
    both = both.assign(
        **{
            AVG: pd.to_numeric(both[AVG], errors="coerce").astype(float),
            TAKERS: pd.to_numeric(both[TAKERS], errors="coerce").astype(float),
        }
    ).dropna(subset=[AVG])
    both = both.drop_duplicates([NAME, YEAR, *KEY], keep="first")
    groups = both.groupby([YEAR, *KEY])[AVG]
    both = both.assign(**{RANK: groups.transform(competition_ranks), N: groups.transform("size")})
    return both.sort_values([YEAR, *KEY, RANK, NAME]).reset_index(drop=True)


def _district(programme: Programme) -> pd.DataFrame:
    """The bureau's results (区县成绩) of the programme workbook, schools named as in the roster."""
    index = school_index(programme)
    names = programme.names
    d = programme.district_scores
    district = pd.DataFrame(
        {
            NAME: d[DistrictScore.school_name.name],
            YEAR: d[DistrictScore.school_year.name],
            "term": d[DistrictScore.term.name],
            "grade": d[DistrictScore.grade.name],
            "subject": d[DistrictScore.subject.name],
            TAKERS: d[DistrictScore.takers.name],
            AVG: d[DistrictScore.average.name],
            SOURCE: FROM_DISTRICT,
            FILE: Path(programme.source).name,
            SHEET: DistrictScore.zh,
            ROW: d[ROW] if ROW in d.columns else None,
        }
    )
    district[CODE] = [index.get(fold(n)) for n in district[NAME]]
    district[NAME] = [names.get(c, n) for c, n in zip(district[CODE], district[NAME], strict=True)]
    return district


def _reported(
    programme: Programme, reported: pd.DataFrame, schools: dict[int, str], provenance: dict[int, tuple[str, str]] | None
) -> pd.DataFrame:
    """The scores schools reported (教学质量), with the file and sheet each row came from."""
    where = [(provenance or {}).get(int(i), ("", Score.zh)) for i in reported[SUB]]
    own = pd.DataFrame(
        {
            CODE: reported[SUB].map(schools),
            YEAR: reported[Score.school_year.name],
            "term": reported[Score.term.name],
            "grade": reported[Score.grade.name],
            "subject": reported[Score.subject.name],
            TAKERS: reported[Score.takers.name],
            AVG: reported[Score.average.name],
            SOURCE: FROM_SCHOOL,
            FILE: [w[0] for w in where],
            SHEET: [w[1] for w in where],
            ROW: reported[ROW],
        }
    )
    own[NAME] = own[CODE].map(programme.names)
    return own


def school_scores(scores: pd.DataFrame, programme: Programme, year: str) -> pd.DataFrame:
    """Programme schools this year with last year's average and rank, and the changes."""
    roles = dict(zip(programme.schools[School.school_code.name], programme.schools[School.role.name], strict=True))
    this = scores[(scores[YEAR] == year) & among(scores[CODE], roles)]
    last = scores[scores[YEAR] == previous_year(year)][[NAME, *KEY, AVG, RANK, N, FILE, SHEET, ROW]]
    merged = this.merge(last, on=[NAME, *KEY], how="left", suffixes=("", "_last"))
    merged = merged.assign(
        role=merged[CODE].map(roles),
        change=(merged[AVG] - merged[f"{AVG}_last"]).round(3),
        rank_change=merged[f"{RANK}_last"] - merged[RANK],
    )
    return merged.sort_values([*KEY, RANK, NAME]).reset_index(drop=True)


def pair_gaps(table: pd.DataFrame, programme: Programme) -> pd.DataFrame:
    """Supporting minus recipient average per pair and key, this year and last."""
    columns = ["pair_code", "supporting", "recipient", *KEY, "gap", "gap_last", "gap_change"]
    pairs = programme.pairs[[Pair.pair_code.name, Pair.supporting_code.name, Pair.recipient_code.name]]
    scores = table[[CODE, NAME, *KEY, AVG, f"{AVG}_last"]]
    joined = pairs.merge(scores.add_suffix("_s"), left_on=Pair.supporting_code.name, right_on=f"{CODE}_s").merge(
        scores.add_suffix("_r"),
        left_on=[Pair.recipient_code.name, *(f"{k}_s" for k in KEY)],
        right_on=[f"{CODE}_r", *(f"{k}_r" for k in KEY)],
    )
    if joined.empty:
        return pd.DataFrame(columns=columns)
    gap = (joined[f"{AVG}_s"] - joined[f"{AVG}_r"]).round(3)
    last = (joined[f"{AVG}_last_s"] - joined[f"{AVG}_last_r"]).round(3)
    out = pd.DataFrame(
        {
            "pair_code": joined[Pair.pair_code.name],
            "supporting": joined[f"{NAME}_s"],
            "recipient": joined[f"{NAME}_r"],
            **{k: joined[f"{k}_s"] for k in KEY},
            "gap": gap,
            "gap_last": last,
            "gap_change": (gap - last).round(3),
        }
    )
    out = out.astype({"gap_last": float, "gap_change": float})
    return out[columns].sort_values(["pair_code", *KEY]).reset_index(drop=True)


def group_scores(scores: pd.DataFrame, programme: Programme, year: str) -> pd.DataFrame:
    """所属集团 averages weighted by 参考人数 (1 where unknown), ranked among groups, this year and last."""
    members: dict[str, set[str]] = {}
    for pair in programme.pairs.to_dict("records"):
        group = pair.get(Pair.group.name)
        if isinstance(group, str) and group.strip():
            members.setdefault(group, set()).update((pair[Pair.supporting_code.name], pair[Pair.recipient_code.name]))
    columns = ["group", *KEY, AVG, RANK, N, f"{AVG}_last", f"{RANK}_last", f"{N}_last", "change", "rank_change"]
    if not members:
        return pd.DataFrame(columns=columns)
    parts = []
    for when in (year, previous_year(year)):
        s = scores[scores[YEAR] == when]
        for group, codes in sorted(members.items()):
            g = s[s[CODE].isin(codes)]
            if g.empty:
                continue
            weights = g[TAKERS].fillna(1).astype(float).clip(lower=1)
            weighted = (g[AVG] * weights).groupby([g[k] for k in KEY]).sum() / weights.groupby(
                [g[k] for k in KEY]
            ).sum()
            parts.append(weighted.rename(AVG).reset_index().assign(group=group, when=when))
    if not parts:
        return pd.DataFrame(columns=columns)
    all_groups = pd.concat(parts, ignore_index=True)
    ranked = all_groups.groupby(["when", *KEY])[AVG]
    all_groups = all_groups.assign(
        **{AVG: all_groups[AVG].round(3), RANK: ranked.transform(competition_ranks), N: ranked.transform("size")}
    )
    this = all_groups[all_groups["when"] == year].drop(columns="when")
    last = all_groups[all_groups["when"] == previous_year(year)].drop(columns="when")
    merged = this.merge(last, on=["group", *KEY], how="left", suffixes=("", "_last"))
    merged = merged.assign(
        change=(merged[AVG] - merged[f"{AVG}_last"]).round(3), rank_change=merged[f"{RANK}_last"] - merged[RANK]
    )
    return merged[columns].sort_values([*KEY, RANK, "group"]).reset_index(drop=True)


def most_improved(table: pd.DataFrame, limit: int = 10) -> pd.DataFrame:
    """Recipient schools by rank change, composite scores (综合) first where there are any."""
    recipients = table[(table["role"] == "受援校") & table["rank_change"].notna()]
    composite = recipients[recipients["subject"] == "综合"]
    chosen = composite if not composite.empty else recipients
    return chosen.sort_values(["rank_change", "change", NAME], ascending=[False, False, True]).head(limit)


def score_tables(
    programme: Programme,
    reported: pd.DataFrame,
    schools: dict[int, str],
    period: PeriodInfo,
    provenance: dict[int, tuple[str, str]] | None = None,
    earlier: pd.DataFrame | None = None,
) -> dict[str, pd.DataFrame]:
    """All score tables for the school year the period falls in; ``earlier``: the scores schools
    reported in earlier periods (``universe``), so last year is there whatever folder it went to."""
    year = school_year_of(period.start)
    everyone = universe(programme, reported, schools, provenance, earlier)
    table = school_scores(everyone, programme, year)
    return {
        "scores": table,
        "pair_gaps": pair_gaps(table, programme),
        "groups": group_scores(everyone, programme, year),
        "improved": most_improved(table),
    }
