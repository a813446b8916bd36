"""Checking the 考核细则 sheet: one finding per problem with its cell, and the Rubric to score with.

Cell-level checks (types, choices, required cells) are the schema's, as on every sheet; this module
adds the rules across cells: the filter syntax and values, which metrics fit which party and
scoring, targets above 0, points summing to 100, and the grade bands in order.
"""

from __future__ import annotations

import re

from pipeline.core.cells import ROW
from pipeline.core.issues import Issue, make
from pipeline.forms.programme import Rubric, Rule
from pipeline.intake.blocks import Table
from pipeline.intake.values import fold
from schemas.choices import YES_NO, Choices
from schemas.model import Column
from schemas.programme import Settings
from schemas.rubric import DEDUCT, FILTERS, FLOW_SYNONYMS, METRIC_BY_NAME, PROPORTIONAL, Filter, Indicator, Metric

_CLAUSES = re.compile(r"[；;\n]+")
_KEY_VALUE = re.compile(r"^\s*([^=＝:：]+?)\s*[=＝:：]\s*(.+?)\s*$")
_VALUES = re.compile(r"[、,，/|｜]+")
TOTAL = 100.0


def _filter_by_label(label: str) -> Filter | None:
    wanted = fold(label)
    for f in FILTERS.values():
        if wanted in {fold(n) for n in (f.zh, f.en, f.key, *f.synonyms)}:
            return f
    return None


def _accepted(f: Filter, choices: Choices) -> tuple[str, ...]:
    return f.fixed or choices.values(f.choices or "")


def parse_filters(
    typed: object, metric: Metric, choices: Choices, where: dict[str, str]
) -> tuple[tuple[tuple[str, tuple[str, ...]], ...], list[Issue]]:
    """``活动类型=示范课；学科=语文、数学`` as ((key, values), ...), with a finding per problem."""
    if not isinstance(typed, str) or not typed.strip():
        return (), []
    parsed: dict[str, list[str]] = {}
    issues: list[Issue] = []
    usable = "、".join(FILTERS[k].zh for k in metric.filters) or "-"
    for clause in filter(str.strip, _CLAUSES.split(typed)):
        match = _KEY_VALUE.match(clause)
        if match is None:
            issues.append(make("rubric-filter-syntax", value=clause, **where))
            continue
        f = _filter_by_label(match.group(1))
        if f is None or f.key not in metric.filters:
            issues.append(make("rubric-filter-key", value=match.group(1), found=metric.zh, expected=usable, **where))
            continue
        accepted = _accepted(f, choices)
        by_fold = {fold(v): v for v in accepted} | {fold(k): v for k, v in FLOW_SYNONYMS.items() if f.fixed}
        for value in filter(str.strip, _VALUES.split(match.group(2))):
            known = by_fold.get(fold(value))
            if known is None:
                issues.append(
                    make("rubric-filter-value", value=value.strip(), found=f.zh, expected="、".join(accepted), **where)
                )
            elif known not in parsed.setdefault(f.key, []):
                parsed[f.key].append(known)
    return tuple((k, tuple(v)) for k, v in parsed.items() if v), issues


def _number(value: object, default: float) -> float:
    return default if value is None or value != value else float(value)


def _bands(
    settings: dict[str, object], table: Table | None, file: str
) -> tuple[tuple[float, float, float], list[Issue]]:
    cols = (Settings.excellent_from, Settings.good_from, Settings.pass_from)
    bands = tuple(_number(settings.get(c.name), float(c.default)) for c in cols)
    if bands[0] > bands[1] > bands[2]:
        return bands, []
    sheet = table.sheet if table is not None else Settings.zh
    cell = table.cell(Settings.excellent_from.name, 0) if table is not None else ""
    found = " > ".join(f"{c.zh} {b:g}" for c, b in zip(cols, bands, strict=True))
    return bands, [
        make("rubric-bands", file=file, sheet=sheet, cell=cell, column=Settings.excellent_from.zh, found=found)
    ]


def check_rubric(
    table: Table | None,
    settings: dict[str, object],
    settings_table: Table | None,
    choices: Choices,
    file: str,
    earlier: list[Issue],
) -> Rubric:
    """The rubric from the parsed 考核细则 sheet; ``earlier`` are that sheet's cell findings."""
    bands, issues = _bands(settings, settings_table, file)
    issues = [*earlier, *issues]
    if table is None or table.frame.empty:
        return Rubric((), bands, (*issues, make("rubric-missing", file=file, sheet=Indicator.zh)), Indicator.zh)
    bad_cells = {(i.sheet, i.cell) for i in earlier if i.is_error}
    rules = []
    for rec in table.frame.to_dict("records"):
        row = int(rec[ROW])
        metric = METRIC_BY_NAME.get(rec[Indicator.metric.name] or "")
        if metric is None or any((table.sheet, table.cell(c.name, row)) in bad_cells for c in Indicator.columns):
            continue  # the schema has reported the cell
        rule, found = _rule(rec, row, metric, table, choices, file)
        rules.append(rule)
        issues += found
    issues += _points_sum(table, file)
    return Rubric(tuple(rules), bands, tuple(issues), table.sheet)


def _rule(rec: dict, row: int, metric: Metric, table: Table, choices: Choices, file: str) -> tuple[Rule, list[Issue]]:
    """One indicator row as a Rule, and a finding for each way it does not fit its metric."""

    def where(column: Column) -> dict[str, str]:
        return {"file": file, "sheet": table.sheet, "cell": table.cell(column.name, row), "column": column.zh}

    filters, issues = parse_filters(rec[Indicator.filters.name], metric, choices, where(Indicator.filters))
    obj, method, target = rec[Indicator.target_object.name], rec[Indicator.method.name], rec[Indicator.target.name]
    if obj not in metric.objects:
        expected = "、".join(metric.objects)
        issues.append(
            make("rubric-object", value=obj, found=metric.zh, expected=expected, **where(Indicator.target_object))
        )
    if target <= 0 if metric.better == "more" else target < 0:
        code = "rubric-target" if metric.better == "more" else "rubric-target-negative"
        issues.append(make(code, value=f"{target:g}", found=metric.zh, **where(Indicator.target)))
    if metric.better == "less" and method == PROPORTIONAL:
        issues.append(make("rubric-method", value=method, found=metric.zh, **where(Indicator.method)))
    per_unit = _number(rec[Indicator.per_unit.name], 0.0)
    if method == DEDUCT and per_unit <= 0:
        issues.append(make("rubric-per-unit", **where(Indicator.per_unit)))
    rule = Rule(
        code=rec[Indicator.code.name],
        name=rec[Indicator.name.name],
        target_object=obj,
        metric=metric.key,
        filters=filters,
        target=float(target),
        points=float(rec[Indicator.points.name]),
        method=method,
        per_unit=per_unit,
        veto=rec[Indicator.veto.name] == YES_NO[0],
        row=row,
    )
    return rule, issues


def _points_sum(table: Table, file: str) -> list[Issue]:
    """A finding over the whole 分值 column unless the points add up to 100."""
    total = round(sum(_number(p, 0.0) for p in table.frame[Indicator.points.name]), 6)
    if total == TOTAL:
        return []
    rows = [int(r) for r in table.frame[ROW]]
    cells = f"{table.cell(Indicator.points.name, min(rows))}:{table.cell(Indicator.points.name, max(rows))}"
    found = f"{total:g}"
    return [
        make(
            "rubric-points-sum",
            file=file,
            sheet=table.sheet,
            cell=cells,
            column=Indicator.points.zh,
            found=found,
            cells=cells,
        )
    ]
