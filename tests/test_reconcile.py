"""The two sides of a pair reconciled: per pair, month and activity type, and per pair and category."""

from __future__ import annotations

import datetime as dt

from pipeline.checks.reconcile import differing, reconcile, sides
from schemas.report import Activity, Funding
from tests.frames import batch
from tests.reports import act, fund

D = dt.date
SCHOOLS = {0: "001", 1: "002"}  # submission index -> school code
NAMES = {"001": "城南小学", "002": "山口小学"}


def _sides(activities, funding=None):
    acts = batch(Activity, activities)
    funds = batch(Funding, funding or {0: [], 1: []})
    return acts, funds, sides(acts, funds, SCHOOLS)


def test_agreeing_reports_give_one_row_a_key_and_no_warning():
    acts, funds, both = _sides(
        {
            0: [act(D(2024, 10, 10), "示范课", "派出", "002", 12), act(D(2024, 10, 20), "示范课", "派出", "002", 8)],
            1: [act(D(2024, 10, 11), "示范课", "接收", "001", 12), act(D(2024, 10, 21), "示范课", "接收", "001", 8)],
        }
    )
    row = both.activity.iloc[0]
    assert len(both.activity) == 1 and (row["sender"], row["receiver"]) == ("001", "002")
    assert (row["sender_count"], row["receiver_count"], row["sender_people"], row["receiver_people"]) == (2, 2, 20, 20)
    assert differing(both.activity, ["count", "people"]).empty
    assert reconcile(acts, funds, both, SCHOOLS, NAMES) == []


def test_a_disagreement_warns_both_schools_at_their_first_row_with_each_side_s_figures():
    acts, funds, both = _sides(
        {
            0: [act(D(2024, 11, 5), "讲座", "派出", "002", 30), act(D(2024, 11, 6), "讲座", "派出", "002", 10)],
            1: [act(D(2024, 11, 5), "讲座", "接收", "001", 30)],
        }
    )
    found = reconcile(acts, funds, both, SCHOOLS, NAMES)
    assert [(sub, i.code, i.cell) for sub, i in found] == [
        (0, "reconcile-activity", "B2"),
        (1, "reconcile-activity", "B2"),
    ]
    sender, receiver = (dict(i.args) for _, i in found)
    assert (sender["ours"], sender["theirs"], sender["partner"]) == ("2 / 40", "1 / 30", "山口小学")
    assert (receiver["ours"], receiver["theirs"], receiver["partner"]) == ("1 / 30", "2 / 40", "城南小学")


def test_months_and_types_are_separate_keys():
    _, _, both = _sides(
        {
            0: [act(D(2024, 10, 31), "示范课", "派出", "002", 5), act(D(2024, 11, 1), "示范课", "派出", "002", 5)],
            1: [act(D(2024, 10, 31), "示范课", "接收", "001", 5), act(D(2024, 11, 1), "讲座", "接收", "001", 5)],
        }
    )
    assert len(both.activity) == 3
    assert len(differing(both.activity, ["count", "people"])) == 2  # November: 示范课 on one side, 讲座 on the other


def test_money_is_compared_per_pair_and_category_and_bureau_funds_are_left_out():
    _, _, both = _sides(
        {0: [], 1: []},
        {
            0: [fund(D(2024, 10, 1), "资金", "学校自筹", "拨出", "002", 20000)],
            1: [
                fund(D(2024, 10, 2), "资金", "学校自筹", "收到", "001", 15000),
                fund(D(2024, 10, 3), "资金", "教育局专项经费", "收到", None, 50000),
            ],
        },
    )
    rows = both.funding.to_dict("records")
    assert [
        (r["sender"], r["receiver"], r[Funding.category.name], r["sender_amount"], r["receiver_amount"]) for r in rows
    ] == [("001", "002", "资金", 20000.0, 15000.0)]


def test_a_key_with_a_refused_row_waits_until_the_row_is_mended():
    acts = batch(Activity, {0: [act(D(2024, 11, 5), "讲座", "派出", "002", 30)], 1: []})
    refused = batch(Activity, {1: [act(D(2024, 11, 5), "讲座", "接收", "001", 30)]}).frame
    both = sides(acts, batch(Funding, {0: [], 1: []}), SCHOOLS, refused)
    assert both.activity.empty
