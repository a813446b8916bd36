"""`bangfu run`: the intake, then counting, aggregation, the consolidated workbook and its data,
and for a 学年 or 年度 period the assessment. The order of the stages; the rules live in them."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

import pandas as pd

from pipeline.app.intake import CheckResult, CheckSettings, Inbox, Progress, check, inbox_folder, phase, store_location
from pipeline.app.load import require_programme, require_rubric
from pipeline.assessment.scoring import Assessment, assess_period, is_assessed
from pipeline.core.files import ensure_writable
from pipeline.core.lock import holding
from pipeline.counting import aggregate, funding
from pipeline.counting.once import count_all
from pipeline.counting.scores import score_tables
from pipeline.forms.programme import Programme
from pipeline.history.location import HistoryStore, is_default, open_store
from pipeline.history.period import period_tables
from pipeline.history.store import STORE_DIR
from pipeline.intake.cache import OutputLedger, digest_of, file_digest
from pipeline.intake.submission import Submission
from pipeline.text import text
from pipeline.workbooks import earlier, run_record
from pipeline.workbooks.assessment_book import AssessmentBook, assessment_tables
from pipeline.workbooks.consolidated import Consolidated, write_consolidated, write_detail_workbook
from pipeline.workbooks.details import split_details
from pipeline.workbooks.report_data import assessment_path, write_assessment_outputs, write_data
from pipeline.workbooks.report_tables import detail_frames, report_tables
from pipeline.workbooks.tables import ReportTable
from schemas.programme import Settings
from schemas.report import Activity, Score

DETAIL_LIMIT = 200_000


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


@holding
def run(settings: RunSettings, progress: Progress | None = None) -> RunResult:
    """Intake and validation, then the consolidated workbook and data/ for the period."""
    ensure_writable(settings.out)
    inbox = Inbox(inbox_folder(settings))  # hashed while the programme loads
    try:
        programme, _ = require_programme(settings.programme)
        if is_assessed(programme.period(settings.period)):
            require_rubric(programme)  # before any output: the year's run includes the assessment
        result = check(
            CheckSettings(**{f.name: getattr(settings, f.name) for f in dataclasses.fields(CheckSettings)}),
            progress,
            background=True,
            inbox=inbox,
        )  # feedback workbooks are written while the report is
    finally:
        inbox.close()
    try:
        phase(progress, "report")
        report = write_report(result, settings)
    except KeyboardInterrupt:
        result.cancel()
        raise
    except Exception:
        with contextlib.suppress(Exception):  # the report's own error is the one to show
            result.finish()
        raise
    if result.pending is not None:
        phase(progress, "feedback")
    result.finish()
    run_record.finish(result.out, result.run_id)
    return report


def counted_rows(result: CheckResult) -> dict[str, pd.DataFrame]:
    """Activities, people and money of the intake, each counted once (pipeline.counting.once)."""
    return count_all(result.accepted, _schools(result.submissions), result.programme, result.period)


def period_scores(result: CheckResult, store: HistoryStore | None) -> dict[str, pd.DataFrame]:
    """The score tables (pipeline.counting.scores) of the intake's school year, rows keeping their
    provenance; earlier periods' reports from the history ``store`` (last year's, say)."""
    batch, prog = result.accepted[Score], result.programme
    earlier_scores = earlier.reported_scores(store, prog.earlier_periods(result.period))
    return score_tables(
        prog, batch.frame, _schools(result.submissions), result.period, batch.provenance(), earlier_scores
    )


def assessment(
    result: CheckResult, counted: dict[str, pd.DataFrame], scores: dict[str, pd.DataFrame], lang: str
) -> Assessment | None:
    """The year-end assessment for a 学年 or 年度 period with a usable rubric, else None."""
    return assess_period(result.programme, result.period, counted, result.submissions, scores, lang)


def _schools(subs: list[Submission]) -> dict[int, str]:
    return {s.index: s.school for s in subs if s.counted}


@dataclass
class _Figures:
    """What the consolidated workbook and data/ are made of, counted and aggregated."""

    counted: dict[str, pd.DataFrame]
    cumulative: dict[str, pd.DataFrame] | None
    scores: dict[str, pd.DataFrame]
    submissions: pd.DataFrame
    headline: dict[str, object]
    to_date: dict[str, object] | None
    counts: dict[str, object]
    tables: list[ReportTable]
    graded: Assessment | None
    store: HistoryStore


def history_store(settings: RunSettings, programme: Programme) -> HistoryStore:
    """The programme's history store (``intake.store_location``), made when missing."""
    return open_store(store_location(settings, programme), programme.name)


def _figures(result: CheckResult, settings: RunSettings, store: HistoryStore) -> _Figures:
    prog, period, lang = result.programme, result.period, settings.lang
    counted = counted_rows(result)
    cumulative = earlier.cumulative(settings.out, prog.earlier_periods(period), counted, store)
    scores = period_scores(result, store)
    submissions = aggregate.submissions_table(result.submissions, prog, period)
    head = aggregate.headline(
        counted["activity"], counted["personnel"], counted["funding"], submissions, scores["improved"], prog
    )
    to_date = None
    if cumulative is not None:
        to_date = aggregate.to_date(
            aggregate.headline(
                cumulative["activity"],
                cumulative["personnel"],
                cumulative["funding"],
                submissions,
                scores["improved"],
                prog,
            )
        )
    assert result.sides is not None
    tables = report_tables(prog, period, counted, cumulative, scores, submissions, result.sides, lang)
    graded = assessment(result, counted, scores, lang)
    if graded is not None:  # the ranked results; points and evidence are in 考核结果 and its 附表
        tables += assessment_tables(graded, lang)[:1]
    return _Figures(
        counted,
        cumulative,
        scores,
        submissions,
        head,
        to_date,
        aggregate.submission_counts(submissions, period.code),
        tables,
        graded,
        store,
    )


def _details(result: CheckResult, settings: RunSettings, title: str) -> tuple[list, list[Path], str]:
    """The 明细 (every accepted row with its provenance): a workbook of their own beside the
    report, so that printing the report prints the report; past the row limit (docs/performance.md)
    data/*.csv only, with workbooks per 片区 on request. Returns the frames for the workbook, the
    per-片区 files, and the note on 说明 that says where the detail is."""
    lang = settings.lang
    rows = {m: len(b.frame) for m, b in result.accepted.items()}
    if max(rows.values(), default=0) <= settings.detail_limit:
        frames = detail_frames(result.accepted, result.submissions, result.programme, lang)
        return list(frames.items()), [], text("detail.attached", lang, file=detail_path(result).name)
    files: list[Path] = []
    if settings.detail_workbooks:
        frames = detail_frames(result.accepted, result.submissions, result.programme, lang)
        files = split_details(frames, result.programme, result.period.code, result.out, lang, title)
    where = "、".join(p.name for p in files) or "data/*.csv"
    return [], files, text("detail.moved", lang, rows=sum(rows.values()), limit=settings.detail_limit, files=where)


def detail_path(result: CheckResult) -> Path:
    return result.out / f"明细_{result.period.code}.xlsx"


def _workbook(result: CheckResult, settings: RunSettings, f: _Figures, details: list, note: str) -> Consolidated:
    prog, period = result.programme, result.period
    improved = f.scores["improved"]
    composite = not improved.empty and (improved["subject"] == "综合").all()
    by_source = next(t.frame for t in f.tables if t.key == "sheet.funding_source")
    return Consolidated(
        programme_name=prog.name,
        bureau=prog.setting(Settings.bureau.name),
        form_number=prog.setting(Settings.form_number.name),
        period_name=period.name,
        period_start=period.start,
        period_end=period.end,
        as_of=as_of(result, settings.as_of),
        unit=str(f.headline["money_unit"]),
        headline=f.headline,
        cumulative=f.to_date,
        tables=f.tables,
        by_type=next(t.frame for t in f.tables if t.key == "sheet.by_type"),
        by_source=funding.funding_sources(by_source),
        rank_changes=improved.assign(rank_change=improved["rank_change"].astype(float))[["school_name", "rank_change"]],
        rank_subject="综合" if composite else "各学科",
        history=_history(result, settings, f),
        detail_note=note,
        history_note=_history_note(result, settings, f.store),
        inputs=pd.DataFrame(
            [{"file": s.rel, "sha256": s.sha256, "status": s.status} for s in result.submissions],
            columns=["file", "sha256", "status"],
        ),
        version=version("bangfu"),
        run_id=result.run_id,
        banner=banner_for(result, settings.lang),
    )


def assessment_book(result: CheckResult, unit: str, banner: str, as_of: dt.date) -> AssessmentBook:
    """What 考核结果 says besides its tables."""
    prog, period = result.programme, result.period
    bureau = prog.setting(Settings.bureau.name)
    return AssessmentBook(
        prog.name, period.name, period.start, period.end, unit, bureau, as_of, banner=banner, run_id=result.run_id
    )


def _history_note(result: CheckResult, settings: RunSettings, store: HistoryStore) -> str:
    """说明's word on the history: the store used, and the earlier periods of this kind that
    neither it nor the output folder holds (the figures to date leave them out)."""
    lang, prog = settings.lang, result.programme
    beside = is_default(store_location(settings, prog), settings.programme)
    where = text("history.beside", lang, folder=STORE_DIR) if beside else store.where
    codes = prog.earlier_periods(result.period)
    lacking = [c for c in codes if store.run_of(c) is None and not (settings.out / c / "data").is_dir()]
    said = text("history.used", lang, store=where)
    return said + (text("history.lacking", lang, periods="、".join(lacking)) if lacking else "")


def _history(result: CheckResult, settings: RunSettings, f: _Figures) -> pd.DataFrame:
    """Submissions by period for the chart; a first period (a 学年 has no earlier 学年 here) by 片区."""
    prog, period = result.programme, result.period
    history = earlier.submission_history(settings.out, prog.earlier_periods(period), prog, f.counts, f.store)
    return history if len(history) > 1 else aggregate.submissions_by_district(f.submissions)


def banner_for(result: CheckResult, lang: str) -> str:
    """An inbox with no report that counts says so where officials look first."""
    if any(s.counted for s in result.submissions):
        return ""
    return text("report.no_reports", lang, files=len(result.submissions))


def as_of(result: CheckResult, given: dt.date | None = None) -> dt.date:
    """制表日期: --as-of, else the latest counted file's day, else the period's end."""
    return given or max((s.received.date() for s in result.submissions if s.counted), default=result.period.end)


def write_report(result: CheckResult, settings: RunSettings) -> RunResult:
    """汇总报表, data/ and, for an assessed period, 考核结果: rewritten only when what they depend on changed."""
    lang, prog, period = settings.lang, result.programme, result.period
    store = history_store(settings, prog)
    f = _figures(result, settings, store)
    details, detail_files, note = _details(result, settings, text("report.workbook_title", lang, programme=prog.name))
    book = _workbook(result, settings, f, details, note)
    path = result.out / f"汇总报表_{period.code}.xlsx"
    summary: dict[str, object] = {
        "programme": prog.name,
        "period": period.code,
        "period_name": period.name,
        "as_of": str(book.as_of),
        "headline": f.headline,
        "cumulative": f.to_date,
        "submissions": f.counts,
    }
    earlier_data = [
        (code, file_digest(p))
        for code in prog.earlier_periods(period)
        for p in sorted((settings.out / code / "data").glob("*"))
        if p.is_file()
    ]
    stored = [(code, store.run_of(code)) for code in prog.earlier_periods(period)]
    digest = digest_of(
        result.digest, lang, book.as_of, settings.detail_limit, settings.detail_workbooks, earlier_data, stored
    )
    ledger = OutputLedger(settings.out, f"report-{period.code}")
    missing = settings.detail_workbooks and detail_files and not all(p.exists() for p in detail_files)
    if not ledger.unchanged(digest) or missing:
        write_consolidated(path, book, lang)
        paths = [path, *write_data(result.out, f.tables, f.counted, summary, lang, book.unit)]
        if details:
            detail_title = text("detail.workbook_title", lang, programme=prog.name)
            paths.append(write_detail_workbook(detail_path(result), details, lang, detail_title, book.imprint))
        if f.graded is not None:
            info = assessment_book(result, book.unit, book.banner, book.as_of)
            paths += write_assessment_outputs(f.graded, result.out, period, info, lang, settings.detail_limit)
        ledger.record(digest, paths)
    if store.run_of(period.code) != result.run_id:  # this period's rows, replacing a rerun's
        tables = period_tables(
            prog, period, result.submissions, f.counted, f.submissions, f.scores["scores"],
            result.accepted[Activity].frame,
        )  # fmt: skip
        store.write_period(period.code, result.run_id, tables)
    assessed = assessment_path(result.out, period) if f.graded is not None else None
    if details:
        detail_files = [detail_path(result)]
    return RunResult(result, path, summary, detail_files, assessed)
