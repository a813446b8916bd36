"""Points for one measured value under each scoring method, the shortfall in words, the bands."""

from __future__ import annotations

import pytest

from pipeline.assessment.metrics import Measured
from pipeline.assessment.scoring import band, score, shortfall
from pipeline.forms.programme import Rule


def rule(metric="activities", method="按比例", target=2.0, points=10.0, per_unit=0.0, name="示范课") -> Rule:
    return Rule("A1", name, "结对", metric, (), target, points, method, per_unit, veto=False, row=2)


@pytest.mark.parametrize(
    ("method", "value", "points", "met"),
    [
        ("按比例", 1.0, 5.0, False),  # half the target, half the points
        ("按比例", 5.0, 10.0, True),  # capped at the full points
        ("按比例", -3.0, 0.0, False),
        ("达标", 1.9, 0.0, False),
        ("达标", 2.0, 10.0, True),
        ("扣分", 0.0, 4.0, False),  # 2 short, 3 points off each
        ("扣分", 9.0, 10.0, True),
    ],
)
def test_each_method_scores_a_value_against_the_target(method, value, points, met):
    assert score(rule(method=method, per_unit=3.0), value) == (points, met)


def test_no_data_earns_nothing():
    assert score(rule(), None) == (0.0, False)


def test_where_less_is_better_the_target_is_the_most_allowed():
    unresolved = rule(metric="unresolved", method="扣分", target=2.0, points=10.0, per_unit=2.5)
    assert score(unresolved, 2.0) == (10.0, True)
    assert score(unresolved, 5.0) == (2.5, False)  # 3 over, 2.5 points each


def test_the_shortfall_says_what_is_missing_in_the_reader_s_language():
    short = rule(target=2.0)
    assert shortfall(short, Measured(1.0, []), False, "zh") == "示范课 1/2 次"
    assert "1" in shortfall(short, Measured(1.0, []), False, "en") and "2" in shortfall(
        short, Measured(1.0, []), False, "en"
    )
    assert shortfall(short, Measured(2.0, []), True, "zh") == ""
    assert shortfall(short, Measured(0.0, [], applies=False), False, "zh") == ""
    assert shortfall(short, Measured(None, []), False, "zh") != ""


def test_bands_and_a_veto():
    bands = (90.0, 80.0, 60.0)
    assert [band(t, False, bands) for t in (95.0, 90.0, 85.0, 60.0, 59.99)] == [
        "优秀",
        "优秀",
        "良好",
        "合格",
        "不合格",
    ]
    assert band(100.0, True, bands) == "不合格"
