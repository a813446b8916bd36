"""Which rows count: every sheet type validated once over all counted submissions, each row
with an error left out (the rest of its file counts), then the two sides of each pair
reconciled on the rows that count."""

from __future__ import annotations

import pandas as pd

from pipeline.checks.crosscheck import SUB, Batch, check_all, concat
from pipeline.checks.reconcile import Sides, reconcile, sides
from pipeline.core.cells import ROW, place_of
from pipeline.core.issues import Issue, reading_order, without_shadowed
from pipeline.forms.programme import PeriodInfo, Programme
from pipeline.intake.submission import Submission
from schemas.model import Sheet
from schemas.programme import School
from schemas.report import REPORT_SHEETS, Activity, Funding, SchoolInfo

RowKey = tuple[int, str, int]  # (submission, sheet model zh name, Excel row)


def accept(
    counted: list[Submission], programme: Programme, period: PeriodInfo, history: pd.DataFrame | None = None
) -> tuple[dict[type[Sheet], Batch], Sides]:
    """Validate and reconcile; each submission's findings are added to it, in reading order, and
    its ``rows_excluded`` set. Returns the accepted rows by sheet type and both sides of each
    pair. ``history``: the schools' activities of earlier periods, for outliers."""
    files = {s.index: s.rel for s in counted}
    by_index = {s.index: s for s in counted}
    batches = {m: concat(m, {s.index: s.tables[m] for s in counted if m in s.tables}, files) for m in REPORT_SHEETS}
    codes = {s.index: s.school for s in counted}
    roles = {s.index: str(programme.school(s.school)[School.role.name]) for s in counted}
    _add(by_index, check_all(batches, programme, period, roles, codes, history))
    excluded: set[RowKey] = set()
    for sub in counted:
        rows = error_rows(sub)
        sub.rows_excluded = len(rows)
        excluded |= rows
    split = {model: _split(batch, excluded) for model, batch in batches.items() if model is not SchoolInfo}
    accepted = {model: kept for model, (kept, _) in split.items()}
    both = sides(accepted[Activity], accepted[Funding], codes, split[Activity][1], split[Funding][1])
    _add(by_index, reconcile(accepted[Activity], accepted[Funding], both, codes, programme.names))  # warnings only
    for sub in counted:
        sub.issues.sort(key=reading_order)
    return accepted, both


def _add(by_index: dict[int, Submission], found: list[tuple[int, Issue]]) -> None:
    for index, issue in found:
        sub = by_index[index]
        sub.issues += without_shadowed(sub.issues, [issue])


def error_rows(sub: Submission) -> set[RowKey]:
    """Every data row of a submission that carries an error finding."""
    sheets = {t.sheet: m.zh for m, t in sub.tables.items() if m is not SchoolInfo}
    rows = set()
    for issue in sub.issues:
        where = place_of(issue.cell)
        if issue.is_error and where and issue.sheet in sheets:
            rows.add((sub.index, sheets[issue.sheet], where[0]))
    return rows


def _split(batch: Batch, excluded: set[RowKey]) -> tuple[Batch, pd.DataFrame]:
    """The batch minus excluded rows, and the excluded rows."""
    mine = [(sub, row) for sub, sheet, row in excluded if sheet == batch.model.zh]
    if not mine:
        return batch, batch.frame.iloc[:0]
    keys = pd.MultiIndex.from_arrays([batch.frame[SUB].astype(int), batch.frame[ROW].astype(int)])
    keep = ~keys.isin(mine)
    return Batch(batch.model, batch.frame[keep].reset_index(drop=True), batch.tables, batch.files), batch.frame[~keep]
