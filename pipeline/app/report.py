"""The full run: intake, counting, aggregation, the consolidated workbook and its data."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

import pandas as pd

from pipeline.app.intake import CheckResult, CheckSettings, Inbox, check
from pipeline.app.programme import require_programme, require_rubric
from pipeline.assessment.scoring import Assessment, Inputs, assess
from pipeline.checks.crosscheck import SUB, Batch
from pipeline.core.cells import ROW
from pipeline.counting import aggregate
from pipeline.counting import once as counting
from pipeline.counting.scores import score_tables
from pipeline.forms.programme import PeriodInfo, Programme
from pipeline.intake import isolate
from pipeline.intake.cache import OutputLedger, digest_of, file_digest
from pipeline.text import column_label, status_label, text
from pipeline.workbooks.assessment_book import AssessmentBook, assessment_tables, write_assessment
from pipeline.workbooks.consolidated import (
    CENTER,
    CHANGE,
    INT,
    MONEY,
    RANK,
    SCORE,
    Consolidated,
    Table,
    write_consolidated,
    write_detail_workbook,
)
from pipeline.workbooks.csvfile import CSV_ENCODING, write_frame
from schemas.choices import YEAR_PERIODS
from schemas.programme import Period, School, Settings
from schemas.report import Activity, Funding, Personnel, Score

DETAIL_LIMIT = 200_000
ASSESSED_KINDS = YEAR_PERIODS
ASSESSMENT_SHEETS = "sheet.assessment"
COUNTED = {"activity": Activity, "personnel": Personnel, "funding": Funding}


@dataclass(frozen=True)
class RunSettings(CheckSettings):
    """A full run: the intake's settings plus the report's."""

    as_of: dt.date | None = None  # 制表日期; default: the latest file received
    detail_limit: int = DETAIL_LIMIT
    detail_workbooks: bool = False  # past the limit, also one detail workbook per 片区


@dataclass
class RunResult:
    check: CheckResult
    workbook: Path
    summary: dict[str, object]
    detail_workbooks: list[Path] = field(default_factory=list)
    assessment: Path | None = None


@isolate.batch_gc()
def run(settings: RunSettings, progress=None) -> RunResult:
    """Intake and validation, then the consolidated workbook and data/ for the period."""
    inbox = Inbox(settings.inbox)  # hashed while the programme loads
    try:
        programme, _ = require_programme(settings.programme)
        if is_assessed(programme.period(settings.period)):
            require_rubric(programme)  # before any output: the year's run includes the assessment
        result = check(CheckSettings(**{f.name: getattr(settings, f.name) for f in dataclasses.fields(CheckSettings)}),
                       progress, background=True, inbox=inbox)  # feedback workbooks are written while the report is
    finally:
        inbox.close()
    try:
        report = write_report(result, settings)
    except KeyboardInterrupt:
        result.cancel()
        raise
    except Exception:
        with contextlib.suppress(Exception):  # the report's own error is the one to show
            result.finish()
        raise
    result.finish()
    return report


def provenance(batch: Batch) -> dict[int, tuple[str, str]]:
    """Submission index -> (file, sheet) of one sheet type's rows."""
    return {sub: (batch.files[sub], table.sheet) for sub, table in batch.tables.items()}


def counted_rows(result: CheckResult) -> dict[str, pd.DataFrame]:
    """Activities, people and money of the intake, each counted once (pipeline.counting.once)."""
    subs = [s for s in result.submissions if s.counted]
    schools = {s.index: s.school for s in subs}
    acc, prog = result.accepted, result.programme
    return {
        "activity": counting.count_activities(acc[Activity].frame, schools, prog, provenance(acc[Activity])),
        "personnel": counting.count_personnel(acc[Personnel].frame, schools, prog, provenance(acc[Personnel]),
                                              result.period),
        "funding": counting.count_funding(acc[Funding].frame, schools, prog, provenance(acc[Funding])),
    }


def period_scores(result: CheckResult) -> dict[str, pd.DataFrame]:
    """The score tables (pipeline.counting.scores) of the intake's school year, rows keeping their provenance."""
    subs = {s.index: s.school for s in result.submissions if s.counted}
    batch = result.accepted[Score]
    return score_tables(result.programme, batch.frame, subs, result.period, provenance(batch))


def assessment(result: CheckResult, counted: dict[str, pd.DataFrame], scores: dict[str, pd.DataFrame],
               lang: str) -> Assessment | None:
    """The year-end assessment for a 学年 or 年度 period with a usable rubric, else None."""
    if not is_assessed(result.period) or not result.programme.rubric.usable:
        return None
    return assess(Inputs(result.programme, result.period, counted, result.submissions, scores["scores"],
                         scores["pair_gaps"], lang))


def is_assessed(period: PeriodInfo) -> bool:
    return period.kind in ASSESSED_KINDS


def _load_counted(folder: Path, name: str) -> pd.DataFrame | None:
    path = folder / "data" / f"counted_{name}.csv"
    if not path.exists():
        return None
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding=CSV_ENCODING)
    for col in (Activity.participants.name, Activity.sessions.name, Funding.amount.name, "person_months"):
        if col in frame.columns:
            frame[col] = pd.to_numeric(frame[col].replace("", None))
    return frame


def _cumulative(out: Path, codes: list[str], current: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame] | None:
    """This period's counted rows plus those saved by earlier runs of earlier periods, if any."""
    earlier = {name: [f for f in (_load_counted(out / code, name) for code in codes) if f is not None]
               for name in COUNTED}
    if not any(earlier.values()):
        return None
    return {name: pd.concat([*earlier[name], current[name]], ignore_index=True) for name in COUNTED}


def _history(out: Path, codes: list[str], programme: Programme, this: dict[str, object]) -> pd.DataFrame:
    rows = []
    names = dict(zip(programme.periods[Period.period_code.name], programme.periods[Period.period_name.name],
                     strict=True))
    for code in codes:
        path = out / code / "data" / "summary.json"
        if path.exists():
            rows.append(json.loads(path.read_text(encoding="utf-8"))["submissions"])
    rows.append(this)
    frame = pd.DataFrame(rows, columns=["period", "on_time", "late", "missing"])
    return frame.assign(period=frame["period"].map(lambda c: names.get(c, c)))


def _detail_frames(result: CheckResult, lang: str) -> dict[str, pd.DataFrame]:
    """Accepted rows per sheet with their school and provenance, labelled for people."""
    by_index = {s.index: s for s in result.submissions}
    names = result.programme.names
    frames = {}
    for model, batch in result.accepted.items():
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


def _tables(result: CheckResult, counted: dict[str, pd.DataFrame], cumulative: dict | None,
            scores: dict[str, pd.DataFrame], submissions: pd.DataFrame, lang: str) -> list[Table]:
    prog, period = result.programme, result.period
    events, people, funds = counted["activity"], counted["personnel"], counted["funding"]
    types = list(prog.choices.values("activity_type"))
    counts = {t: INT for t in types} | {"count": INT, "people": INT, "sessions": INT, "cum_count": INT,
                                        "cum_people": INT}
    shown = aggregate.shown(submissions, lang)
    chase = aggregate.chase_list(submissions, prog, period, lang)
    chase = chase.assign(status=chase["status"].map(lambda s: status_label(s, lang)))
    money = {"transfers": INT, "amount": MONEY, "cash": MONEY, "goods": MONEY, "cum_amount": MONEY,
             "given": MONEY, "got": MONEY}
    score_kinds = {"takers": INT, "average": SCORE, "average_last": SCORE, "change": CHANGE, "rank_change": RANK,
                   "gap": SCORE, "gap_last": SCORE, "gap_change": CHANGE, "rank_n": CENTER, "rank_last_n": CENTER,
                   "term": CENTER, "grade": CENTER, "subject": CENTER, "role": CENTER}
    return [
        Table("sheet.by_pair", aggregate.exchange_by_pair(events, prog, cumulative and cumulative["activity"]),
              counts, bars=("count", "people")),
        Table("sheet.by_month", aggregate.exchange_by_month(events, prog), counts, bars=("count",)),
        Table("sheet.by_area", aggregate.exchange_by_area(events, prog), counts, bars=("count",)),
        Table("sheet.by_flow", aggregate.exchange_by_flow(events), counts),
        Table("sheet.personnel", aggregate.personnel_table(people, prog),
              {"people": INT, "person_months": SCORE, "on_site": INT}),
        Table("sheet.funding_source", aggregate.funding_by_source(funds, prog), money, bars=("amount",)),
        Table("sheet.funding_category", aggregate.funding_by_category(funds, prog), money),
        Table("sheet.funding_pair", aggregate.funding_by_pair(funds, prog, cumulative and cumulative["funding"]),
              money, bars=("amount",)),
        Table("sheet.funding_school", aggregate.funding_by_school(funds, prog), money),
        Table("sheet.scores", _score_view(scores["scores"]), score_kinds, updown=("rank_change", "change")),
        Table("sheet.pair_gaps", scores["pair_gaps"], score_kinds, updown=()),
        Table("sheet.groups", _score_view(scores["groups"]), score_kinds, updown=("rank_change", "change")),
        Table("sheet.improved", _score_view(scores["improved"]), score_kinds, updown=("rank_change",)),
        Table("sheet.submissions", shown, {"days_late": INT, "rows_accepted": INT, "errors": INT, "warnings": INT},
              alerts=("status", "timeliness", "days_late", "received")),
        Table("sheet.chase", chase, {}, alerts=("status",)),
        Table("sheet.reconcile", aggregate.reconciliation_table(result.sides.activity, result.sides.funding, prog, lang),
              {}),
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


def write_report(result: CheckResult, settings: RunSettings) -> RunResult:
    lang, prog, period = settings.lang, result.programme, result.period
    counted = counted_rows(result)
    earlier = prog.earlier_periods(period)
    cumulative = _cumulative(settings.out, earlier, counted)
    scores = period_scores(result)
    submissions = aggregate.submissions_table(result.submissions, prog, period)
    head = aggregate.headline(counted["activity"], counted["personnel"], counted["funding"], submissions,
                              scores["improved"], prog)
    cum_head = None
    if cumulative is not None:
        cum_head = aggregate.headline(cumulative["activity"], cumulative["personnel"], cumulative["funding"],
                                      submissions, scores["improved"], prog)
        cum_head = {k: cum_head[k] for k in ("activities", "person_visits", "sessions", "people_seconded",
                                             "person_months", "funding")}
    received = submissions[submissions["received"]]
    this = {"period": period.code, "on_time": int((received["timeliness"] == "on_time").sum()),
            "late": int((received["timeliness"] == "late").sum()), "missing": int((~submissions["received"]).sum())}
    tables = _tables(result, counted, cumulative, scores, submissions, lang)
    graded = assessment(result, counted, scores, lang)
    if graded is not None:
        tables += assessment_tables(graded, lang, evidence=len(graded.evidence) <= settings.detail_limit)
    folder = result.out
    detail_files: list[Path] = []
    note = ""
    title = text("report.workbook_title", lang, programme=prog.name)
    detail_rows = {m: len(b.frame) for m, b in result.accepted.items()}
    if max(detail_rows.values(), default=0) <= settings.detail_limit:
        shown_details = list(_detail_frames(result, lang).items())
    else:  # PERFORMANCE.md: past the limit the detail is data/*.csv, workbooks per 片区 on request
        shown_details = []
        if settings.detail_workbooks:
            detail_files = _split_details(_detail_frames(result, lang), result, folder, lang, title)
        where = "、".join(p.name for p in detail_files) or "data/*.csv"
        note = text("detail.moved", lang, rows=sum(detail_rows.values()), limit=settings.detail_limit, files=where)
    improved = scores["improved"]
    composite = not improved.empty and (improved["subject"] == "综合").all()
    as_of = settings.as_of or max((s.received.date() for s in result.submissions if s.counted), default=period.end)
    unit = head["money_unit"]
    c = Consolidated(
        programme_name=prog.name, bureau=prog.setting(Settings.bureau.name),
        form_number=prog.setting(Settings.form_number.name), period_name=period.name, period_start=period.start,
        period_end=period.end, as_of=as_of, unit=unit, headline=head, cumulative=cum_head, tables=tables,
        by_type=aggregate.activities_by_type(counted["activity"], prog)[["activity_type", "count"]],
        by_source=tables[5].frame[tables[5].frame["source"] != aggregate.TOTAL][["source", "amount"]],
        rank_changes=improved.assign(rank_change=improved["rank_change"].astype(float))[["school_name", "rank_change"]],
        rank_subject="综合" if composite else "各学科",
        history=_history(settings.out, earlier, prog, this), details=shown_details, detail_note=note,
        inputs=pd.DataFrame([{"file": s.rel, "sha256": s.sha256, "status": s.status} for s in result.submissions],
                            columns=["file", "sha256", "status"]),
        version=version("bangfu"))
    path = folder / f"汇总报表_{period.code}.xlsx"
    summary = {"programme": prog.name, "period": period.code, "period_name": period.name, "as_of": str(as_of),
               "headline": head, "cumulative": cum_head, "submissions": this}
    earlier_data = [(code, file_digest(p)) for code in earlier for p in sorted((settings.out / code / "data").glob("*"))
                    if p.is_file()]
    digest = digest_of(result.digest, lang, as_of, settings.detail_limit, settings.detail_workbooks, earlier_data)
    ledger = OutputLedger(settings.out, f"report-{period.code}")
    if not ledger.unchanged(digest) or (settings.detail_workbooks and detail_files and
                                        not all(p.exists() for p in detail_files)):
        write_consolidated(path, c, lang)
        paths = [path, *_write_data(folder, tables, counted, summary, lang, unit)]
        if graded is not None:
            paths += write_assessment_outputs(graded, result, lang, unit, settings.detail_limit)
        ledger.record(digest, paths)
    return RunResult(result, path, summary, detail_files, assessment_path(result) if graded is not None else None)


def assessment_path(result: CheckResult) -> Path:
    return result.out / f"考核结果_{result.period.code}.xlsx"


def write_assessment_outputs(graded: Assessment, result: CheckResult, lang: str, unit: str,
                             detail_limit: int) -> list[Path]:
    """考核结果_<year>.xlsx, and the evidence as CSV whatever its size (in the workbook up to the limit)."""
    period = result.period
    fits = len(graded.evidence) <= detail_limit
    note = "" if fits else text("detail.moved", lang, rows=len(graded.evidence), limit=detail_limit,
                                files="data/assessment_evidence.csv")
    info = AssessmentBook(result.programme.name, period.name, period.start, period.end, unit, note)
    path = write_assessment(assessment_path(result), graded, info, lang, fits)
    data = result.out / "data"
    data.mkdir(parents=True, exist_ok=True)
    return [path, *(_table_csv(table, data / f"{table.key.removeprefix('sheet.')}.csv", lang, unit)
                    for table in assessment_tables(graded, lang))]


def _table_csv(table: Table, path: Path, lang: str, unit: str) -> Path:
    """One aggregation table as CSV with people's column labels."""
    return write_frame(table.frame.rename(columns=lambda c: column_label(c, lang, unit)), path)


_SPLIT: dict = {}  # what the detail writers need, set before they fork


def _write_district(district: str) -> str:
    details, roster, code_col, folder, period, lang, title = (_SPLIT[k] for k in (
        "details", "roster", "code_col", "folder", "period", "lang", "title"))
    parts = [(name, frame[frame[code_col].map(roster) == district]) for name, frame in details.items()]
    return str(write_detail_workbook(folder / f"明细_{period}_{district}.xlsx", parts, lang, title))


def _split_details(details: dict[str, pd.DataFrame], result: CheckResult, folder: Path, lang: str,
                   title: str) -> list[Path]:
    """One detail workbook per 片区, written in parallel worker processes."""
    roster = {code: str(rec.get(School.district.name) or "-") for code, rec in result.programme.roster.items()}
    code_col = text("col.school_code", lang)
    districts = sorted({roster[c] for f in details.values() for c in f[code_col]})
    _SPLIT.update(details=details, roster=roster, code_col=code_col, folder=folder, period=result.period.code,
                  lang=lang, title=title)
    for outcome in isolate.run_isolated(_write_district, districts, workers=2, memory=0, timeout=3600):
        if outcome.failure or outcome.error is not None:
            raise RuntimeError(f"writing a detail workbook failed: {outcome.failure or outcome.error!r}")
    return [folder / f"明细_{result.period.code}_{d}.xlsx" for d in districts]


def _write_data(folder: Path, tables: list[Table], counted: dict[str, pd.DataFrame], summary: dict, lang: str,
                unit: str) -> list[Path]:
    data = folder / "data"
    data.mkdir(parents=True, exist_ok=True)
    (data / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2, default=str) + "\n",
                                       encoding="utf-8")
    for table in tables:
        if table.key.startswith(ASSESSMENT_SHEETS):
            continue  # written with 考核结果 (write_assessment_outputs)
        _table_csv(table, data / f"agg_{table.key.removeprefix('sheet.')}.csv", lang, unit)
    for name, frame in counted.items():  # machine-readable, read back for cumulative figures
        write_frame(frame, data / f"counted_{name}.csv")
    return sorted(p for p in data.iterdir() if p.name == "summary.json" or p.name.startswith(("agg_", "counted_")))
