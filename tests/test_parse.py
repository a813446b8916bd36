"""Parsing cells into typed values, and finding tables by their header labels."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.core.cells import col_letter
from pipeline.core.issues import codes
from pipeline.intake.read import RawSheet
from pipeline.intake.tables import locate_header, parse_table
from pipeline.intake.values import CellError, Context, parse_choice, parse_date, parse_int, parse_number
from schemas.model import Kind
from schemas.report import Activity

PERIOD = (dt.date(2024, 9, 1), dt.date(2025, 1, 31))


@pytest.mark.parametrize(
    "raw, kind, expected",
    [
        (12.0, Kind.INT, 12),
        ("１２", Kind.INT, 12),
        (" 42 ", Kind.INT, 42),
        ("1,234", Kind.INT, 1234),
        ("30人次", Kind.INT, 30),
        ("2节", Kind.INT, 2),
        ("5万", Kind.MONEY, 50000),
        ("1.2万元", Kind.MONEY, 12000),
        ("3000元", Kind.MONEY, 3000),
        ("1,234.5", Kind.MONEY, 1234.5),
        ("95%", Kind.PERCENT, 95),
        ("\u00a042\u200b", Kind.DECIMAL, 42),
    ],
)
def test_numbers_typed_as_schools_type_them(raw, kind, expected):
    assert parse_number(raw, kind) == expected


@pytest.mark.parametrize("raw", ["87,5", "٣", "abc", "5万", "1.2.3", True, "12-3"])
def test_text_that_is_not_a_number_is_refused(raw):
    with pytest.raises(CellError) as err:
        parse_number(raw, Kind.DECIMAL)
    assert err.value.code == "not-a-number"


def test_a_fraction_in_a_whole_number_column_is_its_own_finding():
    with pytest.raises(CellError) as err:
        parse_int("2.5")
    assert err.value.code == "not-an-integer"


@pytest.mark.parametrize(
    "raw, expected",
    [
        (dt.datetime(2024, 10, 13, 9, 30), dt.date(2024, 10, 13)),
        (dt.date(2024, 10, 13), dt.date(2024, 10, 13)),
        (45578.0, dt.date(2024, 10, 13)),
        ("2024年10月13日", dt.date(2024, 10, 13)),
        ("2024.10.13", dt.date(2024, 10, 13)),
        ("2024/10/13", dt.date(2024, 10, 13)),
        ("2024-10-13", dt.date(2024, 10, 13)),
        ("20241013", dt.date(2024, 10, 13)),
        ("２０２４年１０月１３日", dt.date(2024, 10, 13)),
        ("10月13日", dt.date(2024, 10, 13)),
        ("1月5日", dt.date(2025, 1, 5)),  # the year comes from the period
    ],
)
def test_dates_in_every_form_schools_use(raw, expected):
    assert parse_date(raw, PERIOD) == expected


@pytest.mark.parametrize("raw", ["03/04/2012", "2024年13月1日", "明天", 12.0, "10月13日"])
def test_ambiguous_impossible_or_yearless_dates_are_refused(raw):
    period = None if raw == "10月13日" else PERIOD
    with pytest.raises(CellError) as err:
        parse_date(raw, period)
    assert err.value.code == "not-a-date"


def test_choices_ignore_width_spaces_case_and_known_synonyms():
    allowed = ("派出", "接收")
    assert parse_choice(" 派 出 ", allowed) == "派出"
    assert parse_choice("Sent", allowed) == "派出"
    assert parse_choice("外出", allowed) == "外出"  # left as typed for the schema to report


def test_column_letters():
    assert [col_letter(i) for i in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]


def _sheet(rows):
    return RawSheet("交流活动", rows)


def test_header_found_below_inserted_title_rows_with_columns_reordered():
    rows = [
        ["2024年秋季 交流活动登记表", ""],
        ["", ""],
        ["参与人次", "日期", "方向", "活动类型", "结对学校*", "备注"],
        [12, "2024-10-13", "派出", "示范课", "山口小学", "ok"],
    ]
    table, issues = parse_table(_sheet(rows), Activity, Context("f.xlsx", period=PERIOD))
    assert issues == []
    rec = table.frame.iloc[0]
    assert (rec["_row"], rec["participants"], rec["date"], rec["note"]) == (4, 12, dt.date(2024, 10, 13), "ok")
    assert table.cell("participants", 4) == "A4"


def test_duplicate_and_missing_columns_are_named_with_their_cells():
    rows = [["日期", "活动类型", "方向", "结对学校", "参与人次", "参与人次", "课时数"]]
    header, mapping, issues = locate_header(_sheet(rows), Activity, "f.xlsx")
    assert codes(issues) == [("交流活动", "F1", "duplicate-column"), ("交流活动", "G1", "extra-column")]
    rows = [["日期", "活动类别", "方向", "结对学校", "参与人次"]]
    _, _, issues = locate_header(_sheet(rows), Activity, "f.xlsx")
    assert codes(issues) == [("交流活动", "B1", "extra-column"), ("交流活动", "B1", "missing-column")]
    missing = next(i for i in issues if i.code == "missing-column")
    assert "B1 活动类别" in missing.message() and "活动类型" in missing.message()


def test_no_header_at_all_is_one_finding():
    _, _, issues = locate_header(_sheet([["a", "b"], [1, 2]]), Activity, "f.xlsx")
    assert codes(issues) == [("交流活动", "A1", "header-not-found")]


def test_unreadable_cells_become_findings_and_blank_rows_are_skipped():
    rows = [
        ["日期", "活动类型", "方向", "结对学校", "参与人次"],
        ["2024-13-45", "示范课", "派出", "山口小学", "十二"],
        ["", "", "", "", ""],
        ["2024-10-01", "讲座", "接收", "山口小学", 30],
    ]
    table, issues = parse_table(_sheet(rows), Activity, Context("f.xlsx", period=PERIOD))
    assert codes(issues) == [("交流活动", "A2", "not-a-date"), ("交流活动", "E2", "not-a-number")]
    assert list(table.frame["_row"]) == [2, 4]
    assert issues[0].message() == "“2024-13-45”不是可识别的日期。请按 2024-09-01 的格式填写。"


def test_findings_come_row_by_row_and_each_cell_of_a_repeated_bad_value_is_named():
    """Columns are parsed one at a time, each distinct value once; findings still read row by
    row, a hidden row's finding before its cells', and a bad value repeated down a column is
    reported at every cell. Rows may be ragged (not every reader pads them)."""
    rows = [
        ["日期", "活动类型", "方向", "结对学校", "参与人次", "备注"],
        ["2024-10-01", "示范课", "派出", "山口小学", "十二"],
        ["2024-13-45", "示范课", "派出", "山口小学", "十二", "x"],
        ["\u200b ", " ", "", "", ""],
        ["2024-10-02", "讲座", "接收", "山口小学", 30, "  "],
    ]
    sheet = RawSheet("交流活动", rows, hidden_rows=frozenset({2}), bad_cells={(4, 0): "formula-error"})
    table, issues = parse_table(sheet, Activity, Context("f.xlsx", period=PERIOD))
    assert [(i.cell, i.code) for i in issues] == [
        ("E2", "not-a-number"),
        ("A3", "hidden-row"),
        ("A3", "not-a-date"),
        ("E3", "not-a-number"),
        ("A5", "formula-error"),
    ]
    assert list(table.frame["_row"]) == [2, 3, 5]
    assert list(table.frame["participants"].astype(object).fillna(-1)) == [-1, -1, 30]
    assert list(table.frame["note"].astype(object).fillna("-")) == ["-", "x", "-"]


def test_equal_numbers_of_other_types_are_parsed_each_as_itself():
    """A column's distinct values are parsed once each; 1, 1.0 and True are equal in Python, so
    where numbers of two types meet they are told apart by type (a cell holding TRUE is no 1)."""
    rows = [
        ["日期", "活动类型", "方向", "结对学校", "参与人次", "备注"],
        ["2024-10-01", "示范课", "派出", "山口小学", 1, 1.0],
        ["2024-10-01", "示范课", "派出", "山口小学", 1.0, True],
        ["2024-10-01", "示范课", "派出", "山口小学", True, "1"],
    ]
    table, issues = parse_table(_sheet(rows), Activity, Context("f.xlsx", period=PERIOD))
    assert list(table.frame["note"]) == ["1", "True", "1"]
    assert [(i.cell, i.code) for i in issues] == [("E4", "not-a-number")]


def test_what_no_cell_or_figure_can_hold_is_refused_at_the_cell():
    """Text past Excel's 32,767 characters cannot be written back anywhere; a number past 10^15
    (or not finite) is no real figure and would overflow the integer columns."""
    import math

    from pipeline.intake.values import CellError, Context, parse_value
    from schemas.report import Activity

    ctx = Context(file="a.xlsx")
    for value, column, code in [
        ("讲" * 40000, Activity.activity_type, "cell-too-long"),
        ("长" * 32768, Activity.topic, "cell-too-long"),
        (10**25, Activity.participants, "number-too-large"),
        ("1" * 20, Activity.participants, "number-too-large"),
        (math.inf, Activity.sessions, "number-too-large"),
    ]:
        with pytest.raises(CellError) as caught:
            parse_value(value, column, ctx)
        assert caught.value.code == code
    assert parse_value("长" * 32767, Activity.topic, ctx) == "长" * 32767  # the limit itself is fine


def test_a_long_value_is_quoted_shortened_with_a_mark_in_findings():
    from pipeline.core.issues import make

    issue = make("not-in-list", file="a.xlsx", value="讲" * 40000)
    assert issue.value.startswith("讲" * 200) and issue.value.endswith("［共 40,000 字 / 40,000 characters］")
    assert make("not-in-list", value="示范课").value == "示范课"


def test_a_date_serial_that_is_no_day_is_quoted_as_the_school_saw_it():
    """Excel shows serial 60 as 1900-02-29, a day that never was; a negative serial shows no date."""
    from pipeline.intake.read import RawSheet
    from pipeline.intake.tables import _read_cell
    from pipeline.intake.values import Context
    from schemas.report import Activity

    issues: list = []
    sheet = RawSheet("交流活动", [])
    ctx = Context(file="a.xlsx")
    assert _read_cell(sheet, 1, 0, 60, Activity.date, ctx, issues) is None
    assert _read_cell(sheet, 2, 0, -5.0, Activity.date, ctx, issues) is None
    assert [(i.cell, i.code, i.value) for i in issues] == [
        ("A2", "not-a-date", "60 → 1900-02-29"),
        ("A3", "not-a-date", "-5"),
    ]
