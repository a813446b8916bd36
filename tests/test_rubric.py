"""The 考核细则 sheet checked: filters in the analyst's words, a finding per problem at its cell,
and only a rubric without errors is used for scoring."""

from __future__ import annotations

from pipeline.checks.rubric import check_rubric, parse_filters
from schemas.rubric import METRICS, Indicator
from tests.frames import table

WHERE = {"file": "项目配置.xlsx", "sheet": "考核细则", "cell": "E2", "column": "筛选"}


def indicator(code, metric, points, target=2.0, method="按比例", obj="结对", filters=None, per_unit=None, veto="否"):
    return {
        Indicator.code.name: code, Indicator.name.name: f"指标{code}", Indicator.target_object.name: obj,
        Indicator.metric.name: METRICS[metric].zh, Indicator.filters.name: filters, Indicator.target.name: target,
        Indicator.points.name: points, Indicator.method.name: method, Indicator.per_unit.name: per_unit,
        Indicator.veto.name: veto,
    }  # fmt: skip


def test_filters_are_read_in_the_analyst_s_words(programme):
    parsed, found = parse_filters("活动类型=示范课、讲座；方向=送教", METRICS["activities"], programme.choices, WHERE)
    assert found == [] and parsed == (("activity_type", ("示范课", "讲座")), ("direction", ("支援校→受援校",)))


def test_a_filter_the_metric_cannot_take_or_a_value_not_in_its_list_is_a_finding_at_the_cell(programme):
    _, found = parse_filters("经费类别=资金；活动类型=开会", METRICS["activities"], programme.choices, WHERE)
    assert [(i.code, i.cell, i.value) for i in found] == [
        ("rubric-filter-key", "E2", "经费类别"),
        ("rubric-filter-value", "E2", "开会"),
    ]
    _, found = parse_filters("活动类型", METRICS["activities"], programme.choices, WHERE)
    assert [i.code for i in found] == ["rubric-filter-syntax"]


def test_a_sound_rubric_is_usable(programme):
    rows = [
        indicator("A1", "activities", 60.0, filters="活动类型=示范课"),
        indicator("A2", "on_time", 40.0, target=1.0),
    ]
    rubric = check_rubric(table(Indicator, rows), {}, None, programme.choices, "p.xlsx", [])
    assert rubric.usable and [r.code for r in rubric.rules] == ["A1", "A2"]
    assert rubric.rules[0].filters == (("activity_type", ("示范课",)),) and rubric.bands == (90.0, 80.0, 60.0)


def test_every_problem_is_a_finding_at_its_cell_and_the_rubric_is_not_used(programme):
    rows = [
        indicator("A1", "gap_narrowed", 50.0, obj="支援校"),  # a pair's gap, not a school's
        indicator("A2", "unresolved", 30.0, method="按比例"),  # fewer is better: no proportional points
        indicator("A3", "activities", 10.0, target=0.0, method="扣分"),  # no target, no deduction per unit
    ]
    rubric = check_rubric(table(Indicator, rows), {}, None, programme.choices, "p.xlsx", [])
    assert [(i.code, i.cell) for i in rubric.issues] == [
        ("rubric-object", "C2"),
        ("rubric-method", "H3"),
        ("rubric-target", "F4"),
        ("rubric-per-unit", "I4"),
        ("rubric-points-sum", "G2:G4"),
    ]
    assert not rubric.usable


def test_no_rubric_sheet_is_one_finding(programme):
    rubric = check_rubric(None, {}, None, programme.choices, "p.xlsx", [])
    assert [i.code for i in rubric.issues] == ["rubric-missing"] and not rubric.usable
