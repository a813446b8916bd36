"""考核结果_<year>.xlsx and the assessment sheets of the consolidated workbook: per pair points per
indicator, total, rank, grade and shortfalls; points per indicator; the evidence behind every
point; the rubric as applied. No scoring here (pipeline.assessment.scoring)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import pandas as pd

from pipeline.assessment.scoring import Assessment
from pipeline.forms.programme import Rule
from pipeline.text import text
from pipeline.workbooks.tables import CENTER, SCORE, Imprint, ReportTable, write_table
from pipeline.xlsx.book import Formats, ok, open_workbook, print_setup
from schemas.choices import BANDS, YES_NO
from schemas.rubric import FILTERS, METRICS, Indicator

SUMMARY_TAIL = ["total", "rank_n", "band", "shortfalls", "veto_by"]


def _points(value: float) -> str:
    return f"{value:g}"


def indicator_label(rule: Rule, lang: str) -> str:
    return text("assess.indicator_column", lang, code=rule.code, name=rule.name, points=_points(rule.points))


def summary_view(a: Assessment, lang: str) -> pd.DataFrame:
    """One row per pair in rank order, indicator columns labelled with their full points."""
    frame = a.pairs
    view = frame[["pair_code", "supporting", "recipient"]].copy()
    for rule in a.rules:
        view[indicator_label(rule, lang)] = frame[rule.code].values
    view["total"] = frame["total"].values
    view["rank_n"] = [f"{r}/{n}" for r, n in zip(frame["rank"], frame["n"], strict=True)]
    view["band"] = [text(f"band.{b}", lang) for b in frame["band"]]
    view["shortfalls"] = frame["shortfalls"].values
    view["veto_by"] = [text("assess.vetoed", lang, names=v) if v else "" for v in frame["veto_by"]]
    return view.reset_index(drop=True)


def points_view(a: Assessment, lang: str) -> pd.DataFrame:
    s = a.scores
    outcome = [
        text("assess.not_applicable", lang) if not applies else short or text("assess.met", lang)
        for applies, short in zip(s["applies"], s["shortfall"], strict=True)
    ]
    return s[["pair_code", "indicator", "name", "value", "target", "full", "points"]].assign(shortfall=outcome)


def rubric_view(rules: tuple[Rule, ...], lang: str) -> pd.DataFrame:
    """The rubric as applied, under the 考核细则 sheet's own column labels."""

    def filters(rule: Rule) -> str:
        return "；".join(f"{FILTERS[k].zh}={'、'.join(v)}" for k, v in rule.filters)

    shown = [c for c in Indicator.columns if c is not Indicator.note]
    return pd.DataFrame(
        [
            [
                r.code,
                r.name,
                r.target_object,
                METRICS[r.metric].en if lang == "en" else METRICS[r.metric].zh,
                filters(r),
                r.target,
                r.points,
                r.method,
                r.per_unit or None,
                YES_NO[0] if r.veto else YES_NO[1],
            ]
            for r in rules
        ],
        columns=[c.label(lang) for c in shown],
    )


def assessment_tables(a: Assessment, lang: str) -> list[ReportTable]:
    """The ranked results, the points per indicator and the evidence behind every point."""
    summary = summary_view(a, lang)
    kinds = {c: SCORE for c in summary.columns[3 : 3 + len(a.rules)]} | {
        "total": SCORE,
        "rank_n": CENTER,
        "band": CENTER,
    }
    tables = [
        ReportTable("sheet.assessment", summary, kinds, bars=("total",), alerts=("band", "veto_by")),
        ReportTable(
            "sheet.assessment_points",
            points_view(a, lang),
            {"value": SCORE, "target": SCORE, "full": SCORE, "points": SCORE, "indicator": CENTER},
        ),
    ]
    tables.append(ReportTable("sheet.assessment_evidence", a.evidence, {"indicator": CENTER}))
    return tables


@dataclass(frozen=True)
class AssessmentBook:
    """What the results workbook shows besides the tables."""

    programme_name: str
    period_name: str
    start: dt.date
    end: dt.date
    unit: str
    bureau: str = ""
    as_of: dt.date | None = None  # 制表日期; the period's end when not given
    evidence_note: str = ""
    banner: str = ""  # said first: e.g. that no report could be used, so every pair scored 0
    run_id: str = ""  # the run's id, as run.json names it

    @property
    def imprint(self) -> Imprint:
        as_of = self.as_of or self.end
        return Imprint(self.period_name, self.start, self.end, self.bureau, as_of, self.unit)


def write_assessment(path: Path, a: Assessment, book_info: AssessmentBook, lang: str = "zh") -> Path:
    """考核结果_<year>.xlsx: the ranked results first (its title and the count of each grade on
    the first printed page), then points per indicator, the rubric and notes. The evidence behind
    every point is an annex of its own (``write_evidence``), so printing this prints the results."""
    title = text("assess.title", lang, programme=book_info.programme_name)
    book = open_workbook(path)
    fmt = Formats(book)
    summary, points, _ = assessment_tables(a, lang)
    kinds = {Indicator.target: SCORE, Indicator.points: SCORE, Indicator.per_unit: SCORE, Indicator.code: CENTER}
    rubric = ReportTable("sheet.rubric", rubric_view(a.rules, lang), {c.label(lang): k for c, k in kinds.items()})
    imprint = book_info.imprint
    first = imprint.heading(title, lang, money=False)
    lines = (_subtitle(a, book_info, lang), *([book_info.banner] if book_info.banner else ()), *first.lines)
    write_table(book, fmt, summary, lang, book_info.unit, title, dataclasses.replace(first, lines=lines))
    for number, table in enumerate((points, rubric), start=2):
        write_table(book, fmt, table, lang, book_info.unit, title, imprint.numbered(number, table, lang))
    ws = book.add_worksheet(text("sheet.notes", lang))
    ws.set_column(0, 0, 110)
    wrap = fmt.get(text_wrap=True, valign="top")
    ok(ws.write_string(0, 0, title, fmt.get(bold=True, font_size=14)))
    if book_info.banner:
        ws.set_row(0, 36)
        ok(ws.write_string(0, 0, f"{title}\n{book_info.banner}", fmt.get(bold=True, font_size=14, text_wrap=True)))
    ok(ws.write_string(1, 0, _subtitle(a, book_info, lang), wrap))
    ok(ws.write_string(2, 0, text("assess.notes", lang), wrap))
    ws.set_row(2, 90)
    if book_info.evidence_note:
        ok(ws.write_string(3, 0, book_info.evidence_note, wrap))
        ws.set_row(3, 36)
    run = text("notes.version", lang, version=version("bangfu"), run=book_info.run_id or "-")
    ok(ws.write_string(5, 0, run, fmt.get(italic=True)))
    print_setup(ws, lang, title, period=book_info.period_name)
    book.close()
    return path


def write_evidence(path: Path, a: Assessment, book_info: AssessmentBook, lang: str = "zh") -> Path:
    """评分依据_<year>.xlsx, the annex: every point's evidence, down to the submitted cell."""
    title = text("assess.evidence_title", lang, programme=book_info.programme_name)
    book = open_workbook(path)
    evidence = assessment_tables(a, lang)[2]
    heading = book_info.imprint.heading(text("assess.evidence_heading", lang), lang, money=False)
    write_table(book, Formats(book), evidence, lang, book_info.unit, title, heading)
    book.close()
    return path


def _subtitle(a: Assessment, book_info: AssessmentBook, lang: str) -> str:
    counts = a.pairs["band"].value_counts()
    return text(
        "assess.subtitle",
        lang,
        period=book_info.period_name,
        start=book_info.start,
        end=book_info.end,
        pairs=len(a.pairs),
        excellent=int(counts.get(BANDS[0], 0)),
        good=int(counts.get(BANDS[1], 0)),
        passed=int(counts.get(BANDS[2], 0)),
        failed=int(counts.get(BANDS[3], 0)),
    )
