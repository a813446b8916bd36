"""Rules beyond one column, on rows concatenated across every counted submission: dates in the
period, partners, direction against role, duplicates, ranks, money magnitude, outliers, the
bureau's own scores, and the two sides of each pair reconciled."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.checks.validate import bad_school_years, validate_rows
from pipeline.core.cells import ROW
from pipeline.core.issues import Issue, make
from pipeline.forms.programme import PeriodInfo, Programme
from pipeline.intake.blocks import Table, stacked, typed_frame
from pipeline.text import number_text
from schemas.choices import Choices
from schemas.model import Sheet
from schemas.programme import DistrictScore
from schemas.report import Activity, Funding, Personnel, Score

SUB = "_sub"  # index of the submission a row came from
BUREAU_FUNDS = "教育局专项经费"
OUTLIER_FACTOR = 10
HISTORY_MIN = 3  # earlier rows of one activity type a school needs before its own median counts
HISTORY_SCHOOL = "school"  # the school-code column of an activity history (outputs.activity_history)
WAN_SUSPECT_BELOW = 1000  # a 资金 amount under 1,000 yuan was probably typed in 万元


@dataclass
class Batch:
    """One sheet type's rows from every counted submission, with where each row came from."""

    model: type[Sheet]
    frame: pd.DataFrame
    tables: dict[int, Table]
    files: dict[int, str]
    _columns: dict[str, np.ndarray] = field(default_factory=dict, repr=False, compare=False)

    def value(self, index: object, column: str) -> Any:
        """One cell by row label. Each column is taken out once: ``frame.at`` costs tens of
        microseconds, and a run asks for thousands of cells."""
        if column not in self._columns:
            self._columns[column] = self.frame[column].to_numpy(dtype=object)
        return self._columns[column][self.frame.index.get_loc(index)]

    def provenance(self) -> dict[int, tuple[str, str]]:
        """Submission index -> (file, sheet) of the rows."""
        return {sub: (self.files[sub], table.sheet) for sub, table in self.tables.items()}

    def locate(self, index: object, column: str) -> tuple[str, str, str]:
        sub = int(self.value(index, SUB))
        table = self.tables[sub]
        return self.files[sub], table.sheet, table.cell(column, int(self.value(index, ROW)))

    def issue(self, code: str, index: object, column: str, **facts: object) -> tuple[int, Issue]:
        """A finding at one row's cell; a warning is explained when the row's 说明 is filled."""
        file, sheet, cell = self.locate(index, column)
        found = make(code, file=file, sheet=sheet, cell=cell, column=self.model.column(column).zh, **facts)
        note = self.value(index, "note") if "note" in self.frame.columns else None
        if not found.is_error and isinstance(note, str) and note.strip():
            found = dataclasses.replace(found, explained=True)
        return int(self.value(index, SUB)), found


def month_key(dates: pd.Series) -> pd.Series:
    """yyyymm as an integer (0 where there is no date): vectorised, no strftime per row."""
    stamps = pd.to_datetime(dates, errors="coerce")
    return (stamps.dt.year * 100 + stamps.dt.month).fillna(0).astype(int)


def among(values: pd.Series, codes: Iterable[str]) -> pd.Series:
    """``values.isin(codes)``. For Arrow-backed text, by Arrow: pandas makes an Arrow scalar of
    every code first (0.15 s a call for ten thousand schools)."""
    if isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow":
        mask = pc.is_in(values.array.__arrow_array__(), value_set=pa.array(list(codes), type=pa.string()))
        return pd.Series(mask.to_numpy(zero_copy_only=False), index=values.index, dtype=bool)
    return values.isin(codes)


def month_text(key: int) -> str:
    return f"{key // 100}-{key % 100:02d}" if key else ""


def concat(model: type[Sheet], tables: dict[int, Table], files: dict[int, str]) -> Batch:
    """Concatenate one sheet type across submissions (validated once: ~0.4 ms per file)."""
    ordered = sorted(tables.items())
    if not ordered:
        return Batch(model, typed_frame(model, []).assign(**{SUB: 0}), tables, files)
    frame = stacked([t for _, t in ordered])
    frame[SUB] = np.repeat([sub for sub, _ in ordered], [t.n_rows for _, t in ordered])
    return Batch(model, frame, tables, files)


Found = list[tuple[int, Issue]]


def check_all(
    batches: dict[type[Sheet], Batch],
    programme: Programme,
    period: PeriodInfo,
    roles: dict[int, str],
    schools: dict[int, str],
    history: pd.DataFrame | None = None,
) -> Found:
    """Every row rule for the batch; ``roles`` and ``schools`` give each submission's role and code,
    ``history`` each school's earlier periods: median 参与人次 and rows per activity type, indexed
    by (school, type) (pipeline.history.activity.school_medians)."""
    found: Found = []
    for batch in batches.values():
        found += _schema(batch, programme.choices)
    if Activity in batches:
        found += _in_period(batches[Activity], Activity.date.name, period)
        found += _duplicates(batches[Activity])
        found += _outliers(batches[Activity], schools, history)
    if Funding in batches:
        found += _in_period(batches[Funding], Funding.date.name, period)
        found += _funding_rules(batches[Funding], roles)
        found += _duplicates(batches[Funding])
    if Personnel in batches:
        found += _personnel_rules(batches[Personnel], period, roles)
    if Score in batches:
        found += _school_years(batches[Score], Score.school_year.name)
        found += _score_rules(batches[Score], programme, schools)
    return found


def _school_years(batch: Batch, column: str) -> Found:
    """validate.check_school_years on every file's rows at once."""
    values = batch.frame[column]
    expected = batch.model.column(column).help_zh
    return [
        batch.issue("bad-format", i, column, value=values[i], expected=expected)
        for i in batch.frame.index[bad_school_years(values)]
    ]


def _schema(batch: Batch, choices: Choices) -> Found:
    issues = validate_rows(batch.frame, batch.model, choices, batch.locate)
    sub_of = {file: sub for sub, file in batch.files.items()}
    return [(sub_of[i.file], i) for i in issues]


def _in_period(batch: Batch, column: str, period: PeriodInfo) -> Found:
    dates = batch.frame[column]
    span = f"{period.start}–{period.end}"
    known = dates.notna()
    inside = known & (dates.where(known, period.start) >= period.start) & (dates.where(known, period.end) <= period.end)
    hits = batch.frame.index[known & ~inside]
    return [batch.issue("date-outside-period", i, column, value=dates[i], expected=span) for i in hits]


def _duplicates(batch: Batch) -> Found:
    """Rows of one submission identical in every data column but the note."""
    data = [c.name for c in batch.model.columns if c.name != "note"]
    frame = batch.frame
    if frame.empty:
        return []
    # Hash whole rows, each column by its own type (blanks hash alike, though NA never equals
    # itself), to find repeats and their first row. Only rows whose hash repeats are looked at.
    hashed = pd.util.hash_pandas_object(frame[[SUB, *data]], index=False)
    repeated = hashed[hashed.duplicated(keep=False)]
    first_of = {h: i for i, h in repeated[~repeated.duplicated()].items()}
    return [
        batch.issue("duplicate-row", i, data[0], cells=int(batch.value(first_of[repeated[i]], ROW)))
        for i in repeated.index[repeated.duplicated()]
    ]


def _outliers(batch: Batch, schools: dict[int, str], history: pd.DataFrame | None) -> Found:
    """参与人次 more than ten times the programme's median for the activity type, or else more than
    ten times the school's own median for that type in earlier periods (given enough of them):
    ``history`` has that median and the number of rows per (school, type)."""
    frame = batch.frame
    people, kind = Activity.participants.name, Activity.activity_type.name
    if frame.empty:
        return []
    medians = frame.groupby(kind)[people].transform("median")
    wide = ((medians >= 1) & (frame[people] > OUTLIER_FACTOR * medians)).fillna(False)
    found = [
        batch.issue("outlier", i, people, value=int(batch.value(i, people)), expected=number_text(medians[i]))
        for i in frame.index[wide]
    ]
    if history is None or history.empty:
        return found
    stats = history[(history["count"] >= HISTORY_MIN) & (history["median"] >= 1)]
    keys = pd.MultiIndex.from_arrays([frame[SUB].map(schools), frame[kind].astype(object)])
    own = stats.reindex(keys).set_axis(frame.index)
    mine = (~wide & (frame[people].astype("Float64") > OUTLIER_FACTOR * own["median"])).fillna(False)
    return found + [
        batch.issue(
            "outlier-history",
            i,
            people,
            value=int(batch.value(i, people)),
            expected=number_text(own["median"][i]),
            found=int(own["count"][i]),
        )
        for i in frame.index[mine]
    ]


def _funding_rules(batch: Batch, roles: dict[int, str]) -> Found:
    frame = batch.frame
    if frame.empty:
        return []
    source, partner, amount = frame[Funding.source.name], frame[Funding.partner.name], frame[Funding.amount.name]
    recipient_gives = (
        (frame[Funding.direction.name] == "拨出") & (source != BUREAU_FUNDS) & (frame[SUB].map(roles) == "受援校")
    )
    small_cash = (frame[Funding.category.name] == "资金") & (amount > 0) & (amount < WAN_SUSPECT_BELOW)
    found = [
        batch.issue("required", i, Funding.partner.name) for i in frame.index[(source != BUREAU_FUNDS) & partner.isna()]
    ]
    found += [
        batch.issue("direction-vs-role", i, Funding.direction.name, value="拨出", expected="受援校")
        for i in frame.index[recipient_gives]
    ]
    found += [
        batch.issue("amount-looks-like-wan", i, Funding.amount.name, value=number_text(amount[i]))
        for i in frame.index[small_cash.fillna(False)]
    ]
    return found


def _personnel_rules(batch: Batch, period: PeriodInfo, roles: dict[int, str]) -> Found:
    frame = batch.frame
    if frame.empty:
        return []
    start_col, end_col = Personnel.start_date.name, Personnel.end_date.name
    start, end = frame[start_col], frame[end_col]
    has_start, has_end = start.notna(), end.notna()
    backwards = has_start & has_end & (end.where(has_end, start) < start)
    outside = (
        has_start & ~backwards & ((start > period.end) | (has_end & (end.where(has_end, period.end) < period.start)))
    )
    sends = (
        (frame[Personnel.direction.name] == "派出")
        & frame[Personnel.exchange_type.name].isin(("支教", "挂职"))
        & (frame[SUB].map(roles) == "受援校")
    )
    span = f"{period.start}–{period.end}"
    found = [
        batch.issue("end-before-start", i, end_col, value=end[i], expected=start[i]) for i in frame.index[backwards]
    ]
    found += [
        batch.issue("date-outside-period", i, start_col, value=start[i], expected=span) for i in frame.index[outside]
    ]
    found += [
        batch.issue("direction-vs-role", i, Personnel.direction.name, value="派出", expected="受援校")
        for i in frame.index[sends]
    ]
    return found


def district_key(year: object, term: object, grade: object, subject: object) -> tuple:
    return (str(year), str(term), str(grade), str(subject))


def competition_ranks(scores: pd.Series) -> pd.Series:
    """1, 2, 2, 4 ranking, highest score first."""
    return scores.rank(method="min", ascending=False).astype("Int64")


def _score_rules(batch: Batch, programme: Programme, schools: dict[int, str]) -> Found:
    frame, found = batch.frame, []
    rank, n = Score.district_rank.name, Score.district_n.name
    above = frame[rank].notna() & frame[n].notna() & (frame[rank] > frame[n])
    for i, r, of in zip(frame.index[above], frame.loc[above, rank], frame.loc[above, n], strict=True):
        found.append(batch.issue("rank-above-n", i, rank, value=int(r), expected=int(of)))
    district = programme.district_scores
    if district.empty or frame.empty:
        return found
    names = programme.names
    d = district.assign(
        _key=[
            district_key(*k)
            for k in district[
                [
                    DistrictScore.school_year.name,
                    DistrictScore.term.name,
                    DistrictScore.grade.name,
                    DistrictScore.subject.name,
                ]
            ].itertuples(index=False)
        ]
    )
    d = d.assign(_rank=d.groupby("_key")[DistrictScore.average.name].transform(competition_ranks))
    lookup = {
        (k, s): (avg, r)
        for k, s, avg, r in zip(
            d["_key"], d[DistrictScore.school_name.name], d[DistrictScore.average.name], d["_rank"], strict=True
        )
    }
    keys = [Score.school_year.name, Score.term.name, Score.grade.name, Score.subject.name]
    columns = [frame[c].to_numpy(dtype=object) for c in (*keys, SUB, Score.average.name, rank)]
    for i, (year, term, grade, subject, sub, average, given) in zip(
        frame.index, zip(*columns, strict=True), strict=True
    ):
        hit = lookup.get((district_key(year, term, grade, subject), names.get(schools.get(int(sub), ""), "")))
        if hit is None:
            continue
        avg, computed = hit
        if not pd.isna(average) and abs(average - avg) > 0.005:
            found.append(batch.issue("score-differs", i, Score.average.name, value=f"{average:g}", expected=f"{avg:g}"))
        if not pd.isna(given) and int(given) != int(computed):
            found.append(batch.issue("rank-differs", i, rank, value=int(given), expected=int(computed)))
    return found
