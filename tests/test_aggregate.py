"""The consolidated workbook's tables from counted rows: per pair, month and source, with a 合计
row, money in the programme's unit, and the headline figures."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.counting import aggregate, funding
from pipeline.counting.once import count_activities, count_funding
from schemas.report import Activity, Funding
from tests.frames import batch
from tests.reports import act, fund

D = dt.date
SCHOOLS = {0: "001", 1: "002", 2: "003"}


@pytest.fixture
def events(programme):
    rows = batch(
        Activity,
        {
            0: [
                act(D(2024, 10, 10), "示范课", "派出", "002", 12, sessions=2),
                act(D(2024, 11, 5), "讲座", "派出", "003", 30),
            ],
            1: [act(D(2024, 10, 10), "示范课", "接收", "001", 12)],
            2: [act(D(2024, 11, 20), "教研活动", "派出", "001", 6, sessions=None)],
        },
    )
    return count_activities(rows.frame, SCHOOLS, programme, rows.provenance())


@pytest.fixture
def funds(programme):
    rows = batch(
        Funding,
        {
            0: [
                fund(D(2024, 10, 20), "资金", "学校自筹", "拨出", "002", 20000),
                fund(D(2024, 10, 21), "图书", "社会捐赠", "拨出", "003", 5000, item="课外读物", qty=500, unit="册"),
            ],
            1: [fund(D(2024, 10, 30), "资金", "教育局专项经费", "收到", None, 100000)],
        },
    )
    return count_funding(rows.frame, SCHOOLS, programme, rows.provenance())


def test_exchanges_per_pair_count_each_event_once_with_a_total_row(events, programme):
    table = aggregate.exchange_by_pair(events, programme).set_index("pair_code")
    assert list(table.index) == ["P1", "P2", "P3", "P4", "合计"]
    assert (
        table.loc["P1", "示范课"],
        table.loc["P1", "count"],
        table.loc["P1", "people"],
        table.loc["P1", "sessions"],
    ) == (1, 1, 12, 2)
    assert (table.loc["P2", "讲座"], table.loc["P2", "教研活动"], table.loc["P2", "count"]) == (1, 1, 2)
    assert table.loc["合计", "count"] == 3 and table.loc["合计", "people"] == 48 and table.loc["合计", "sessions"] == 4
    assert table.loc["P1", "supporting"] == "城南小学" and table.loc["P4", "count"] == 0


def test_to_date_figures_are_those_of_this_and_earlier_periods(events, programme):
    import pandas as pd

    to_date = pd.concat([events, events], ignore_index=True)  # an earlier period just like this one
    table = aggregate.exchange_by_pair(events, programme, to_date).set_index("pair_code")
    assert (table.loc["P1", "cum_count"], table.loc["合计", "cum_people"]) == (2, 96)


def test_months_in_order_and_types_in_the_programme_s_order(events, programme):
    table = aggregate.exchange_by_month(events, programme)
    assert list(table["month"]) == ["2024-10", "2024-11", "合计"]
    assert list(table.columns[1:4]) == list(programme.choices.values("activity_type"))[:3]


def test_money_by_source_in_wan_yuan_with_two_decimals(funds, programme):
    table = funding.funding_by_source(funds, programme).set_index("source")
    assert funding.money_unit(programme) == "万元" and funding.money_factor(programme) == 10_000
    assert (
        table.loc["学校自筹", "amount"],
        table.loc["社会捐赠", "amount"],
        table.loc["教育局专项经费", "amount"],
    ) == (2.0, 0.5, 10.0)
    assert (table.loc["合计", "amount"], table.loc["合计", "transfers"]) == (12.5, 3)
    assert list(funding.funding_sources(table.reset_index())["source"]) == ["教育局专项经费", "学校自筹", "社会捐赠"]


def test_goods_show_their_quantities_beside_the_cash(funds, programme):
    table = funding.funding_by_category(funds, programme).set_index("category")
    assert (table.loc["资金", "kind"], table.loc["图书", "kind"], table.loc["图书", "quantities"]) == (
        "现金",
        "实物",
        "500 册",
    )


def test_submission_counts_split_received_reports_into_on_time_and_late():
    import pandas as pd

    table = pd.DataFrame({"received": [True, True, True, False], "timeliness": ["on_time", "late", "on_time", ""]})
    assert aggregate.submission_counts(table, "2024秋") == {"period": "2024秋", "on_time": 2, "late": 1, "missing": 1}
