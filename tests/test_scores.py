"""Score comparisons: competition ranks n/N among every school with a score (the bureau's first),
year over year on the same term, grade and subject, and the gap within each pair."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd
import pytest

from pipeline.checks.crosscheck import competition_ranks
from pipeline.counting.scores import school_year_of, score_tables, universe
from schemas.programme import DistrictScore
from schemas.report import Score
from tests.frames import batch
from tests.reports import score

SCHOOLS = {0: "001", 1: "002"}


def _district(rows):
    cols = [
        DistrictScore.school_name,
        DistrictScore.school_year,
        DistrictScore.term,
        DistrictScore.grade,
        DistrictScore.subject,
        DistrictScore.takers,
        DistrictScore.average,
    ]
    return pd.DataFrame([dict(zip((c.name for c in cols), r, strict=True)) for r in rows])


@pytest.fixture
def with_district(programme):
    rows = [
        ("城南小学", "2024-2025", "秋季", "六年级", "语文", 100, 90.0),
        ("山口小学", "2024-2025", "秋季", "六年级", "语文", 40, 80.0),
        ("外校甲", "2024-2025", "秋季", "六年级", "语文", 50, 85.0),
        ("外校乙", "2024-2025", "秋季", "六年级", "语文", 50, 80.0),
        ("城南小学", "2023-2024", "秋季", "六年级", "语文", 100, 88.0),
        ("山口小学", "2023-2024", "秋季", "六年级", "语文", 40, 70.0),
        ("外校甲", "2023-2024", "秋季", "六年级", "语文", 50, 86.0),
    ]
    return dataclasses.replace(programme, district_scores=_district(rows))


def test_competition_ranks_share_a_place_and_skip_the_next():
    assert list(competition_ranks(pd.Series([90.0, 80.0, 85.0, 80.0]))) == [1, 3, 2, 3]


def test_the_school_year_a_day_falls_in():
    assert (school_year_of(dt.date(2024, 10, 1)), school_year_of(dt.date(2025, 3, 1))) == ("2024-2025", "2024-2025")
    assert school_year_of(dt.date(2024, 8, 31)) == "2023-2024"


def test_ranks_are_among_every_school_of_the_district_and_the_bureau_s_figure_wins(with_district):
    reported = batch(Score, {1: [score("2024-2025", "秋季", "六年级", "语文", 99.0)]})
    table = universe(with_district, reported.frame, SCHOOLS, reported.provenance())
    this = table[table["school_year"] == "2024-2025"].set_index("school_name")
    assert this.loc["山口小学", "average"] == 80.0 and this.loc["山口小学", "source"] == "区县"
    assert [
        (n, int(this.loc[n, "rank"]), int(this.loc[n, "n"])) for n in ("城南小学", "外校甲", "山口小学", "外校乙")
    ] == [("城南小学", 1, 4), ("外校甲", 2, 4), ("山口小学", 3, 4), ("外校乙", 3, 4)]


def test_a_school_s_own_score_counts_where_the_bureau_has_none(with_district):
    reported = batch(Score, {1: [score("2024-2025", "秋季", "六年级", "数学", 75.0)]})
    table = universe(with_district, reported.frame, SCHOOLS, reported.provenance())
    row = table[table["subject"] == "数学"].iloc[0]
    assert (row["school_name"], row["source"], row["file"], int(row["rank"]), int(row["n"])) == (
        "山口小学",
        "学校",
        "001.xlsx",
        1,
        1,
    )


def test_year_over_year_rank_change_is_last_year_s_rank_minus_this_year_s(with_district):
    reported = batch(Score, {0: []})
    tables = score_tables(with_district, reported.frame, SCHOOLS, with_district.period("2024秋"), reported.provenance())
    scores = tables["scores"].set_index("school_name")
    assert (
        scores.loc["山口小学", "rank_last"],
        scores.loc["山口小学", "rank"],
        scores.loc["山口小学", "rank_change"],
    ) == (3, 3, 0)
    assert scores.loc["山口小学", "change"] == pytest.approx(10.0)
    gaps = tables["pair_gaps"]
    p1 = gaps[gaps["pair_code"] == "P1"].iloc[0]
    assert (p1["gap"], p1["gap_last"], p1["gap_change"]) == (10.0, 18.0, -8.0)
