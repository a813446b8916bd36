"""The programme workbook: validated with one finding per problem (sheet and cell), and the
Programme's look-ups every stage relies on."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from click.testing import CliRunner

from pipeline.app import load_programme
from pipeline.cli import main
from pipeline.core.errors import ConfigError
from pipeline.core.issues import codes
from pipeline.forms.templates import write_programme_workbook
from schemas.programme import Choice, Pair, Period, School
from tests.conftest import school, small_programme_rows


def test_small_programme_is_valid_and_answers_lookups(programme_file):
    result = load_programme(programme_file)
    assert codes(result.issues) == []
    prog = result.programme
    assert prog.name == "测试区结对帮扶"
    assert list(prog.reporting_schools()[School.school_code.name]) == ["001", "002", "003", "005"]
    assert [(p.code, p.name) for p in prog.partners_of("003")] == [("001", "城南小学"), ("004", "外县实验小学")]
    assert prog.period("2024秋").deadline == dt.date(2025, 2, 15)
    with pytest.raises(ConfigError) as err:
        prog.period("2030秋")
    assert "2024秋（2024年秋季学期）、2024-10（2024年10月）" in err.value.message()
    assert prog.period("2024年秋季学期").code == "2024秋"  # by its name, as reports print it


def broken_rows() -> dict:
    rows = small_programme_rows()
    rows[School].append(school("002", "山口小学二部", "受援校"))  # duplicate code, row 7
    rows[School][2][School.level.name] = "大学"  # unknown choice, E4
    rows[Pair][1][Pair.recipient_code.name] = "999"  # unknown school, C3
    rows[Pair][2][Pair.end_date.name] = dt.date(2024, 1, 1)  # ends before start, F4
    rows[Period][1][Period.end_date.name] = dt.date(2024, 9, 30)  # period ends before it starts, E3
    rows[Choice] = [
        {Choice.list_name.name: "活动类型", Choice.value.name: "讲座"},
        {Choice.list_name.name: "学段", Choice.value.name: "小学"},
        {Choice.list_name.name: "颜色", Choice.value.name: "红"},
    ]  # unknown list, A4
    return rows


def test_broken_programme_gets_one_finding_per_problem(tmp_path):
    path = write_programme_workbook(tmp_path / "broken.xlsx", "zh", broken_rows())
    result = load_programme(path)
    assert result.programme is None
    assert sorted(codes(result.issues)) == sorted(
        [
            ("报送周期", "E3", "end-before-start"),
            ("学校名册", "A3", "duplicate-value"),
            ("学校名册", "A7", "duplicate-value"),
            ("学校名册", "E4", "not-in-list"),
            ("结对关系", "C3", "unknown-school"),
            ("结对关系", "F4", "end-before-start"),
            ("选项", "A4", "unknown-list"),
        ]
    )
    dup = next(i for i in result.issues if i.cell == "A7")
    assert dup.message() == "“学校代码”的值“002”重复（另见 A3）。该列的值不能重复。"
    assert dup.message("en") == "'School code' value '002' repeats (see also A3). Values in this column must be unique."


def test_cli_refuses_to_write_templates_from_a_broken_programme(tmp_path):
    path = write_programme_workbook(tmp_path / "broken.xlsx", "zh", broken_rows())
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["templates", "--programme", str(path), "--period", "2024秋", "--out", str(out)])
    assert result.exit_code == 2
    assert "有 7 个问题，请改正后重新运行（本次未写出任何文件）" in result.output
    assert "broken.xlsx · 结对关系!C3" in result.output and "学校代码“999”不在“学校名册”中" in result.output
    assert not out.exists() or not any(out.iterdir())


def test_missing_sheet_and_missing_file_are_named(tmp_path):
    import openpyxl

    path = write_programme_workbook(tmp_path / "p.xlsx", "zh", small_programme_rows())
    book = openpyxl.load_workbook(path)
    book["结对关系"].title = "Sheet1"
    book.save(path)
    result = load_programme(path)
    assert codes(result.issues) == [("结对关系", "", "missing-sheet")]
    assert (
        "找不到工作表“结对关系”；工作簿中有：填写说明、项目设置、学校名册、Sheet1、报送周期、选项、区县成绩、考核细则。"
        in result.issues[0].message()
    )
    with pytest.raises(ConfigError) as err:
        load_programme(tmp_path / "nope.xlsx")
    assert "找不到文件" in err.value.message()


def test_choices_sheet_replaces_a_default_list(tmp_path):
    rows = small_programme_rows()
    rows[Choice] = [{Choice.list_name.name: "活动类型", Choice.value.name: v} for v in ("讲座", "送教下乡")]
    prog = load_programme(write_programme_workbook(tmp_path / "p.xlsx", "zh", rows)).programme
    assert prog.choices.values("activity_type") == ("讲座", "送教下乡")
    assert "语文" in prog.choices.values("subject")  # lists not named keep their defaults


def test_the_programme_s_look_ups(programme):
    """What every stage asks the Programme: periods, earlier periods of the same type, partners,
    pairs either way round, the schools that report."""
    period = programme.period("2024秋")
    assert (period.name, period.kind, period.start, period.deadline) == (
        "2024年秋季学期",
        "学期",
        dt.date(2024, 9, 1),
        dt.date(2025, 2, 15),
    )
    assert programme.earlier_periods(period) == []
    assert programme.earlier_periods(programme.period("2024-10")) == []
    assert [(p.code, p.name, p.pair_code) for p in programme.partners_of("003")] == [
        ("001", "城南小学", "P2"),
        ("004", "外县实验小学", "P3"),
    ]
    assert programme.pair_of[frozenset(("005", "001"))][Pair.pair_code.name] == "P4"
    assert [r[School.school_code.name] for r in programme.reporting_records] == ["001", "002", "003", "005"]
    assert programme.names["004"] == "外县实验小学" and programme.name == "测试区结对帮扶"


def test_an_unknown_period_names_the_known_ones(programme):
    with pytest.raises(ConfigError) as caught:
        programme.period("2025春")
    assert "2024秋" in caught.value.message() and "2024-10" in caught.value.message()


def test_the_programme_digest_follows_its_content_not_its_identity(programme, programme_file):

    again = dataclasses.replace(programme)  # the same content in another object
    assert again is not programme and again.digest == programme.digest
    changed = dataclasses.replace(programme, schools=programme.schools.assign(**{School.district.name: "乡镇片"}))
    assert changed.digest != programme.digest
