"""The consolidated workbook's tables: each aggregate with the display kind of its columns and
its highlights, and the accepted rows labelled for people (the 明细 sheets)."""

from __future__ import annotations

import pandas as pd

from pipeline.checks.crosscheck import SUB, Batch
from pipeline.checks.reconcile import Sides
from pipeline.core.cells import ROW
from pipeline.counting import aggregate, funding
from pipeline.forms.programme import PeriodInfo, Programme
from pipeline.intake.submission import Submission
from pipeline.text import status_label, text
from pipeline.workbooks.tables import CENTER, CHANGE, INT, MONEY, RANK, SCORE, ReportTable
from schemas.model import Sheet

MONEY_KINDS = {k: MONEY for k in ("amount", "cash", "goods", "cum_amount", "given", "got")} | {"transfers": INT}
SCORE_KINDS = (
    {"takers": INT, "average": SCORE, "average_last": SCORE, "gap": SCORE, "gap_last": SCORE}
    | {"change": CHANGE, "gap_change": CHANGE, "rank_change": RANK}
    | {k: CENTER for k in ("rank_n", "rank_last_n", "term", "grade", "subject", "role")}
)


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
    return [
        *_exchange_tables(prog, counted, cumulative),
        *_funding_tables(prog, counted["funding"], cumulative),
        *_score_tables(scores),
        *_submission_tables(prog, period, submissions, lang),
        ReportTable("sheet.reconcile", aggregate.reconciliation_table(sides.activity, sides.funding, prog, lang), {}),
    ]


def _exchange_tables(prog: Programme, counted: dict[str, pd.DataFrame], cumulative: dict | None) -> list[ReportTable]:
    events = counted["activity"]
    counts = {t: INT for t in prog.choices.values("activity_type")}
    counts |= {k: INT for k in ("count", "people", "sessions", "cum_count", "cum_people", "cum_sessions")}
    earlier = cumulative and cumulative["activity"]
    by_pair = aggregate.exchange_by_pair(events, prog, earlier)
    people = {"people": INT, "person_months": SCORE, "on_site": INT}
    return [
        ReportTable("sheet.by_type", aggregate.activities_by_type(events, prog, earlier), counts, bars=("count",)),
        ReportTable("sheet.by_pair", by_pair, counts, bars=("count", "people")),
        ReportTable("sheet.by_month", aggregate.exchange_by_month(events, prog), counts, bars=("count",)),
        ReportTable("sheet.by_area", aggregate.exchange_by_area(events, prog), counts, bars=("count",)),
        ReportTable("sheet.by_flow", aggregate.exchange_by_flow(events), counts),
        ReportTable("sheet.personnel", aggregate.personnel_table(counted["personnel"], prog), people),
    ]


def _funding_tables(prog: Programme, funds: pd.DataFrame, cumulative: dict | None) -> list[ReportTable]:
    by_pair = funding.funding_by_pair(funds, prog, cumulative and cumulative["funding"])
    goods = funding.goods_by_item(funds, prog)
    whole = bool((goods["quantity"].dropna() % 1 == 0).all())  # 台 and 册 show no decimals
    return [
        ReportTable("sheet.funding_source", funding.funding_by_source(funds, prog), MONEY_KINDS, bars=("amount",)),
        ReportTable("sheet.funding_category", funding.funding_by_category(funds, prog), MONEY_KINDS),
        ReportTable("sheet.goods", goods, MONEY_KINDS | {"quantity": INT if whole else SCORE}),
        ReportTable("sheet.funding_pair", by_pair, MONEY_KINDS, bars=("amount",)),
        ReportTable("sheet.funding_school", funding.funding_by_school(funds, prog), MONEY_KINDS),
    ]


def _score_tables(scores: dict[str, pd.DataFrame]) -> list[ReportTable]:
    both, rank = ("rank_change", "change"), ("rank_change",)
    return [
        ReportTable("sheet.scores", _score_view(scores["scores"]), SCORE_KINDS, updown=both),
        ReportTable("sheet.pair_gaps", scores["pair_gaps"], SCORE_KINDS, updown=()),
        ReportTable("sheet.groups", _score_view(scores["groups"]), SCORE_KINDS, updown=both),
        ReportTable("sheet.improved", _score_view(scores["improved"]), SCORE_KINDS, updown=rank),
    ]


def _submission_tables(prog: Programme, period: PeriodInfo, submissions: pd.DataFrame, lang: str) -> list[ReportTable]:
    chase = aggregate.chase_list(submissions, prog, period, lang)
    chase = chase.assign(status=chase["status"].map(lambda s: status_label(s, lang)))
    kinds = {"days_late": INT, "rows_accepted": INT, "errors": INT, "warnings": INT}
    alerts = ("status", "timeliness", "days_late", "received")
    return [
        ReportTable("sheet.submissions", aggregate.shown(submissions, lang), kinds, alerts=alerts),
        ReportTable("sheet.chase", chase, {}, alerts=("status",)),
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
