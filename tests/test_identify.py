"""Which school and period a file belongs to: its hidden _meta sheet first, else 基本信息 by code,
name or alias; a file of an unknown school, a school that does not report or another period is
returned."""

from __future__ import annotations

import dataclasses

import pytest

from pipeline.core.issues import codes
from pipeline.intake.identify import identify, partner_index, school_index
from pipeline.intake.read import RawWorkbook, read_untrusted
from schemas.report import Meta, SchoolInfo
from tests.reports import submit


@pytest.fixture
def book(tmp_path, programme_file) -> RawWorkbook:
    """003's report for 2024秋, read as the intake reads it."""
    return read_untrusted(submit(tmp_path / "inbox", programme_file, "003"))


def _without_meta(book: RawWorkbook) -> RawWorkbook:
    return dataclasses.replace(book, sheets={n: s for n, s in book.sheets.items() if n != Meta.zh})


def _with_info(book: RawWorkbook, label: str, value: str) -> RawWorkbook:
    """基本信息 with the value beside ``label`` replaced, as a school might type it."""
    sheet = book.sheets[SchoolInfo.zh]
    rows = [[*r[:1], value, *r[2:]] if r and r[0] == label else list(r) for r in sheet.rows]
    return dataclasses.replace(book, sheets={**book.sheets, SchoolInfo.zh: dataclasses.replace(sheet, rows=rows)})


def test_a_report_is_recognised_by_its_meta_sheet(book, programme):
    identity, found = identify(book, programme, school_index(programme), "any name.xlsx", "2024秋")
    assert (identity.school, identity.period, identity.how) == ("003", "2024秋", "meta") and found == []


def test_without_meta_the_school_info_sheet_names_the_school_and_says_so(book, programme):
    identity, found = identify(_without_meta(book), programme, school_index(programme), "f.xlsx", "2024秋")
    assert (identity.school, identity.how) == ("003", "info")
    assert codes(found) == [("基本信息", "", "identified-by-info")]


def test_a_school_typed_by_its_alias_with_a_space_is_found(book, programme):
    schools = school_index(programme)
    assert schools["南小"] == schools["城南"] == schools["001"] == "001"
    edited = _with_info(
        _with_info(_without_meta(book), SchoolInfo.school_code.zh, ""), SchoolInfo.school_name.zh, "城 南"
    )
    identity, _ = identify(edited, programme, schools, "f.xlsx", "2024秋")
    assert identity.school == "001"


def test_another_period_or_an_unknown_school_is_returned(book, programme):
    schools = school_index(programme)
    _, found = identify(book, programme, schools, "f.xlsx", "2024-10")
    assert [(i.code, i.value) for i in found] == [("wrong-period", "2024秋")]
    unknown = _with_info(
        _with_info(_without_meta(book), SchoolInfo.school_code.zh, "999"), SchoolInfo.school_name.zh, "某某学校"
    )
    identity, found = identify(unknown, programme, schools, "f.xlsx", "2024秋")
    assert identity is None and [(i.code, i.value) for i in found] == [("unidentified", "999 / 某某学校")]


def test_a_school_s_partners_are_recognised_by_code_name_or_alias_and_no_one_else(programme):
    index, names = partner_index(programme, "002", school_index(programme))
    assert names == ("城南小学",)
    assert {v for v in index.values()} == {"001"} and {"001", "城南小学", "南小"} <= set(index)
    assert "003" not in index.values()
