"""Typed frames + schemas -> findings: pandera checks per column, then rules across sheets."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa

from pipeline.core.cells import ROW
from pipeline.core.issues import Issue, make
from pipeline.intake.blocks import Table
from pipeline.text import number_text
from schemas.choices import Choices
from schemas.model import Column, Kind, Sheet
from schemas.programme import Pair, Period, School

_LIST_PREVIEW = 12


@dataclass(frozen=True)
class _Rule:
    """One pandera check of a column with the finding code it produces."""

    check: pa.Check
    code: str
    expected: str


def _preview(values: tuple[str, ...]) -> str:
    shown = "、".join(values[:_LIST_PREVIEW])
    return shown + ("…" if len(values) > _LIST_PREVIEW else "")


def _fmt(number: float | None) -> str:
    return "" if number is None else number_text(number)


def _lengths(values: pd.Series) -> pd.Series:
    """Characters of each value as text (0 for a blank), vectorised: a Python call per cell cost
    seconds a run."""
    text = values if isinstance(values.dtype, pd.StringDtype) else values.astype(str)
    return text.str.len().fillna(0)


def column_rules(column: Column, allowed: tuple[str, ...]) -> list[_Rule]:
    """The checks a column's cells must pass once typed, in the order pandera numbers them."""
    rules = []
    if column.kind in (Kind.INT, Kind.DECIMAL, Kind.MONEY, Kind.PERCENT) and (
        column.minimum is not None or column.maximum is not None
    ):
        low, high = column.minimum, column.maximum
        check = pa.Check.in_range(low if low is not None else -1e18, high if high is not None else 1e18)
        rules.append(_Rule(check, "out-of-range", f"{_fmt(low)}–{_fmt(high)}"))
    if column.max_len:
        limit = column.max_len
        check = pa.Check(lambda s, n=limit: _lengths(s) <= n, element_wise=False)
        rules.append(_Rule(check, "too-long", str(limit)))
    if column.pattern:
        rules.append(_Rule(pa.Check.str_matches(column.pattern), "bad-format", column.help_zh))
    if column.kind is Kind.CHOICE and allowed:
        rules.append(_Rule(pa.Check.isin(list(allowed)), "not-in-list", _preview(allowed)))
    return rules


def allowed_values(column: Column, choices: Choices) -> tuple[str, ...]:
    if column.fixed:
        return column.fixed
    if column.choices in choices.lists:
        return choices.values(column.choices)
    return ()


def build_schema(model: type[Sheet], choices: Choices) -> tuple[pa.DataFrameSchema, dict[str, list[_Rule]]]:
    """The pandera schema of a typed sheet frame, and each column's rules by check number."""
    columns, rules = {}, {}
    for col in model.columns:
        rules[col.name] = column_rules(col, allowed_values(col, choices))
        columns[col.name] = pa.Column(
            checks=[r.check for r in rules[col.name]], nullable=not col.required, unique=col.unique, required=False
        )
    return pa.DataFrameSchema(columns, strict=False, coerce=False), rules


Locate = Callable[[object, str], tuple[str, str, str]]  # (frame index, column) -> (file, sheet, cell)


def validate_table(table: Table, choices: Choices, file: str) -> list[Issue]:
    """Validate one parsed sheet; findings name ``file`` and the sheet's own cells."""

    def locate(index: object, column: str) -> tuple[str, str, str]:
        return file, table.sheet, table.cell(column, int(table.frame.at[index, ROW]))

    return validate_rows(table.frame, table.model, choices, locate)


def validate_rows(frame: pd.DataFrame, model: type[Sheet], choices: Choices, locate: Locate) -> list[Issue]:
    """Run the sheet's schema lazily over ``frame`` (one file's rows or many files' concatenated)
    and turn every failure case into a finding at the cell ``locate`` names."""
    schema, rules = build_schema(model, choices)
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        return _failures_to_issues(exc.failure_cases, frame, model, rules, locate)
    return []


def _failures_to_issues(
    cases: pd.DataFrame, frame: pd.DataFrame, model: type[Sheet], rules: dict[str, list[_Rule]], locate: Locate
) -> list[Issue]:
    issues = []
    for case in cases.itertuples(index=False):
        if case.column not in rules or pd.isna(case.index):
            continue
        column = model.column(case.column)
        file, sheet, cell = locate(case.index, column.name)
        where = {"file": file, "sheet": sheet, "cell": cell, "column": column.zh}
        value = frame.at[case.index, column.name]
        if case.check == "not_nullable":
            issues.append(make("required", **where))
        elif case.check == "field_uniqueness":
            same = frame.index[frame[column.name] == value]
            others = [locate(i, column.name)[2] for i in same if i != case.index]
            issues.append(make("duplicate-value", value=value, cells="、".join(others), **where))
        else:
            rule = rules[column.name][int(case.check_number)]
            shown = len(str(value)) if rule.code == "too-long" else _fmt(value) if isinstance(value, float) else value
            issues.append(make(rule.code, value=shown, expected=rule.expected, **where))
    return issues


_SCHOOL_YEAR = re.compile(r"^([0-9]{4})-([0-9]{4})$")


def bad_school_years(values: pd.Series) -> pd.Series:
    """True where a school year "yyyy-yyyy" does not span two consecutive years; other text is
    the schema's to judge."""
    bad = set()
    for value in pd.unique(values.dropna()):  # a handful of distinct years among a million rows
        m = _SCHOOL_YEAR.search(str(value))
        if m and int(m[2]) != int(m[1]) + 1:
            bad.add(value)
    return values.isin(bad) if bad else pd.Series(False, index=values.index)


def check_school_years(table: Table, column: Column, file: str) -> list[Issue]:
    """A school year "2023-2024" must span two consecutive years."""
    bad = table.frame[bad_school_years(table.frame[column.name])]
    return [
        make(
            "bad-format",
            file=file,
            sheet=table.sheet,
            cell=table.cell(column.name, int(row)),
            column=column.zh,
            value=value,
            expected=column.help_zh,
        )
        for row, value in zip(bad[ROW], bad[column.name], strict=True)
    ]


def _end_before_start(table: Table, start: Column, end: Column, code: str, file: str) -> list[Issue]:
    issues = []
    for row, s, e in zip(table.frame[ROW], table.frame[start.name], table.frame[end.name], strict=True):
        if s is not None and e is not None and not pd.isna(s) and not pd.isna(e) and e < s:
            issues.append(
                make(
                    code,
                    file=file,
                    sheet=table.sheet,
                    cell=table.cell(end.name, int(row)),
                    column=end.zh,
                    value=e,
                    expected=s,
                )
            )
    return issues


def check_programme(tables: dict[type[Sheet], Table], file: str) -> list[Issue]:
    """Rules across the programme workbook's sheets (pairs, periods, roster)."""
    schools, pairs, periods = tables.get(School), tables.get(Pair), tables.get(Period)
    issues: list[Issue] = []
    if schools is not None:
        frame = schools.frame
        if not (frame[School.reports.name] == "是").any():
            issues.append(make("no-reporting-school", file=file, sheet=schools.sheet, cell="A1"))
    if pairs is not None and schools is not None:
        issues += _check_pairs(pairs, schools, file)
        issues += _end_before_start(pairs, Pair.start_date, Pair.end_date, "end-before-start", file)
    if periods is not None:
        issues += _end_before_start(periods, Period.start_date, Period.end_date, "end-before-start", file)
        issues += _end_before_start(periods, Period.start_date, Period.deadline, "deadline-before-start", file)
    return issues


def _check_pairs(pairs: Table, schools: Table, file: str) -> list[Issue]:
    roles = dict(zip(schools.frame[School.school_code.name], schools.frame[School.role.name], strict=True))
    issues = []
    paired: set[str] = set()
    for rec in pairs.frame.to_dict("records"):
        row = int(rec[ROW])
        codes = {}
        for col, role in ((Pair.supporting_code, "支援校"), (Pair.recipient_code, "受援校")):
            code = rec[col.name]
            if code is None:
                continue
            where = {"file": file, "sheet": pairs.sheet, "cell": pairs.cell(col.name, row), "column": col.zh}
            if code not in roles:
                issues.append(make("unknown-school", value=code, **where))
            elif roles[code] != role:
                issues.append(make("role-mismatch", value=code, expected=roles[code], **{**where, "column": role}))
            codes[col.name] = code
            paired.add(code)
        if len(codes) == 2 and len(set(codes.values())) == 1:
            issues.append(
                make(
                    "self-pair",
                    file=file,
                    sheet=pairs.sheet,
                    value=rec[Pair.recipient_code.name],
                    cell=pairs.cell(Pair.recipient_code.name, row),
                    column=Pair.recipient_code.zh,
                )
            )
    frame = schools.frame
    for rec in frame.to_dict("records"):
        if (
            rec[School.reports.name] == "是"
            and rec[School.school_code.name] not in paired
            and rec[School.school_code.name]
        ):
            issues.append(
                make(
                    "unpaired-school",
                    file=file,
                    sheet=schools.sheet,
                    value=rec[School.school_name.name],
                    cell=schools.cell(School.school_code.name, int(rec[ROW])),
                    column=School.school_code.zh,
                )
            )
    return issues
