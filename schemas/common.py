"""Columns that two forms share: a score's key and figures (区县成绩 and 教学质量)."""

from __future__ import annotations

from schemas import choices as ch
from schemas.model import Column, Kind

SCHOOL_YEAR_PATTERN = r"^\d{4}-\d{4}$"


def school_year() -> Column:
    return Column(
        "学年",
        "School year",
        required=True,
        pattern=SCHOOL_YEAR_PATTERN,
        width=11,
        help_zh="例如 2023-2024。",
        help_en="e.g. 2023-2024.",
    )


def term() -> Column:
    return Column(
        "学期",
        "Term",
        Kind.CHOICE,
        required=True,
        fixed=ch.TERM,
        width=8,
        help_zh="秋季、春季或全年。",
        help_en="秋季, 春季 or 全年.",
    )


def grade() -> Column:
    return Column(
        "年级",
        "Grade",
        Kind.CHOICE,
        required=True,
        choices="grade",
        width=9,
        help_zh="从下拉列表中选择。",
        help_en="Choose from the list.",
    )


def subject() -> Column:
    return Column(
        "学科",
        "Subject",
        Kind.CHOICE,
        required=True,
        choices="subject",
        width=10,
        help_zh="从下拉列表中选择；综合积分选“综合”。",
        help_en="Choose; 综合 for a composite.",
    )


def takers() -> Column:
    return Column(
        "参考人数",
        "Test takers",
        Kind.INT,
        minimum=0,
        maximum=100000,
        width=10,
        help_zh="整数。",
        help_en="Whole number.",
    )


def average() -> Column:
    return Column(
        "平均分",
        "Average",
        Kind.DECIMAL,
        required=True,
        minimum=0,
        maximum=1000,
        width=10,
        help_zh="数字，可含小数。",
        help_en="A number.",
    )
