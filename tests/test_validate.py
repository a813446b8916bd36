"""The per-column schema rules (pandera) and the rules of validate.py, value by value and cell by cell."""

from __future__ import annotations

import pandas as pd

from pipeline.checks.validate import bad_school_years


def test_a_school_year_must_span_two_consecutive_years():
    values = pd.Series(
        ["2023-2024", "2023-2025", "2024-2023", None, "2023—2024", "二〇二三", "2023-2024\n", "2023-2025", 2023],
        index=range(10, 19),
        dtype=object,
    )
    assert list(bad_school_years(values)) == [False, True, True, False, False, False, False, True, False]
    assert list(bad_school_years(values).index) == list(range(10, 19))
    assert not bad_school_years(pd.Series(["2023-2024"] * 3, dtype="str")).any()


def test_each_column_rule_is_a_finding_at_its_cell_with_the_value_found(programme):
    import datetime as dt

    from pipeline.checks.validate import validate_table
    from schemas.report import Activity
    from tests.frames import table
    from tests.reports import act

    rows = [
        act(dt.date(2024, 10, 10), "示范课", "派出", "002", 12),  # row 2: fine
        act(dt.date(2024, 10, 11), "开会", "派出", "002", 12),  # row 3: not in the list
        act(dt.date(2024, 10, 12), "讲座", "派出", "002", 6000),  # row 4: above 5000
        act(None, "讲座", "派出", "002", 5),  # row 5: date required
    ]
    found = validate_table(table(Activity, rows), programme.choices, "001.xlsx")
    assert sorted((i.cell, i.code, i.value) for i in found) == [
        ("A5", "required", ""),
        ("B3", "not-in-list", "开会"),
        ("F4", "out-of-range", "6000"),
    ]
    assert {i.file for i in found} == {"001.xlsx"} and all(i.is_error for i in found)
