"""Rules of validate.py that the end-to-end tests do not pin down value by value."""

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
