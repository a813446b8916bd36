"""The consolidated workbook's tables: each aggregate with the display kind of its columns and
its highlights, and the accepted rows labelled for people (the 明细 sheets)."""

from __future__ import annotations

import pandas as pd

from pipeline.checks.crosscheck import SUB, Batch
from pipeline.checks.reconcile import Sides
from pipeline.core.cells import ROW
from pipeline.counting import aggregate
from pipeline.forms.programme import PeriodInfo, Programme
from pipeline.intake.submission import Submission
from pipeline.text import status_label, text
from pipeline.workbooks.consolidated import CENTER, CHANGE, INT, MONEY, RANK, SCORE, ReportTable
from schemas.model import Sheet


def report_tables(
    prog: Programme,
    period: PeriodInfo,
    counted: dict[str, pd.DataFrame],
    cumulative: dict | None,
    scores: dict[str, pd.DataFrame],
    submissions: pd.DataFrame,
    sides: Sides,
    lang: str,
) -> list[ReportTable]:
    """Every aggregate sheet of the consolidated workbook, in the workbook's order."""
    events, people, funds = counted["activity"], counted["personnel"], counted["funding"]
    types = list(prog.choices.values("activity_type"))
    counts = {t: INT for t in types} | {
        "count": INT,
        "people": INT,
        "sessions": INT,
        "cum_count": INT,
        "cum_people": INT,
    }
    shown = aggregate.shown(submissions, lang)
    chase = aggregate.chase_list(submissions, prog, period, lang)
    chase = chase.assign(status=chase["status"].map(lambda s: status_label(s, lang)))
    money = {
        "transfers": INT,
        "amount": MONEY,
        "cash": MONEY,
        "goods": MONEY,
        "cum_amount": MONEY,
        "given": MONEY,
        "got": MONEY,
    }
    score_kinds = {
        "takers": INT,
        "average": SCORE,
        "average_last": SCORE,
        "change": CHANGE,
        "rank_change": RANK,
        "gap": SCORE,
        "gap_last": SCORE,
        "gap_change": CHANGE,
        "rank_n": CENTER,
        "rank_last_n": CENTER,
        "term": CENTER,
        "grade": CENTER,
        "subject": CENTER,
        "role": CENTER,
    }
    return [
        ReportTable(
            "sheet.by_pair",
            aggregate.exchange_by_pair(events, prog, cumulative and cumulative["activity"]),
            counts,
            bars=("count", "people"),
        ),
        ReportTable("sheet.by_month", aggregate.exchange_by_month(events, prog), counts, bars=("count",)),
        ReportTable("sheet.by_area", aggregate.exchange_by_area(events, prog), counts, bars=("count",)),
        ReportTable("sheet.by_flow", aggregate.exchange_by_flow(events), counts),
        ReportTable(
            "sheet.personnel",
            aggregate.personnel_table(people, prog),
            {"people": INT, "person_months": SCORE, "on_site": INT},
        ),
        ReportTable("sheet.funding_source", aggregate.funding_by_source(funds, prog), money, bars=("amount",)),
        ReportTable("sheet.funding_category", aggregate.funding_by_category(funds, prog), money),
        ReportTable(
            "sheet.funding_pair",
            aggregate.funding_by_pair(funds, prog, cumulative and cumulative["funding"]),
            money,
            bars=("amount",),
        ),
        ReportTable("sheet.funding_school", aggregate.funding_by_school(funds, prog), money),
        ReportTable("sheet.scores", _score_view(scores["scores"]), score_kinds, updown=("rank_change", "change")),
        ReportTable("sheet.pair_gaps", scores["pair_gaps"], score_kinds, updown=()),
        ReportTable("sheet.groups", _score_view(scores["groups"]), score_kinds, updown=("rank_change", "change")),
        ReportTable("sheet.improved", _score_view(scores["improved"]), score_kinds, updown=("rank_change",)),
        ReportTable(
            "sheet.submissions",
            shown,
            {"days_late": INT, "rows_accepted": INT, "errors": INT, "warnings": INT},
            alerts=("status", "timeliness", "days_late", "received"),
        ),
        ReportTable("sheet.chase", chase, {}, alerts=("status",)),
        ReportTable("sheet.reconcile", aggregate.reconciliation_table(sides.activity, sides.funding, prog, lang), {}),
    ]


def _score_view(frame: pd.DataFrame) -> pd.DataFrame:
    """Ranks shown as n/N; the columns an official reads, in reading order."""
    if frame.empty:
        return pd.DataFrame(columns=["school_name", "term", "grade", "subject", "average", "rank_n"])

    def n_of(rank, n):
        return "" if pd.isna(rank) else f"{int(rank)}/{int(n)}"

    first = "group" if "group" in frame.columns else "school_name"
    view = pd.DataFrame({first: frame[first]})
    if "role" in frame.columns:
        view["role"] = frame["role"]
    for col in ("term", "grade", "subject", "takers", "average"):
        if col in frame.columns:
            view[col] = frame[col]
    view["rank_n"] = [n_of(r, n) for r, n in zip(frame["rank"], frame["n"], strict=True)]
    view["average_last"] = frame["average_last"]
    view["rank_last_n"] = [n_of(r, n) for r, n in zip(frame["rank_last"], frame["n_last"], strict=True)]
    view["change"] = frame["change"]
    view["rank_change"] = frame["rank_change"]
    return view.reset_index(drop=True)


def detail_frames(
    accepted: dict[type[Sheet], Batch], submissions: list[Submission], programme: Programme, lang: str
) -> dict[str, pd.DataFrame]:
    """Accepted rows per sheet with their school and provenance, labelled for people."""
    by_index = {s.index: s for s in submissions}
    names = programme.names
    frames = {}
    for model, batch in accepted.items():
        frame = batch.frame
        codes = frame[SUB].map(lambda i: by_index[int(i)].school)
        shown = pd.DataFrame({text("col.school_code", lang): codes, text("col.school_name", lang): codes.map(names)})
        for col in model.columns:
            values = frame[col.name].map(lambda v: names.get(v, v)) if col.choices == "partner" else frame[col.name]
            shown[col.label(lang)] = values.values
        shown[text("col.file", lang)] = frame[SUB].map(lambda i: by_index[int(i)].rel).values
        shown[text("col.sheet", lang)] = [batch.tables[int(i)].sheet for i in frame[SUB]]
        shown[text("col.sheet_row", lang)] = frame[ROW].astype(int).values
        frames[model.title(lang)] = shown.reset_index(drop=True)
    return frames
