"""The intake: every inbox file read safely, identified, parsed, validated, given a status."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pipeline.app.load import require_programme
from pipeline.checks.accept import accept
from pipeline.checks.crosscheck import Batch
from pipeline.checks.reconcile import Sides
from pipeline.checks.sender import check_sender
from pipeline.core.files import clear_leftovers, ensure_writable
from pipeline.core.lock import holding
from pipeline.core.runlog import run_log
from pipeline.forms.programme import PeriodInfo, Programme
from pipeline.history.activity import TABLE as SCHOOL_ACTIVITIES
from pipeline.history.activity import school_medians
from pipeline.history.location import existing_store, locate
from pipeline.intake import isolate
from pipeline.intake.batch import Readers, open_cache, read_all
from pipeline.intake.cache import OutputLedger, cache_key, digest_of, file_digest, forget_outputs
from pipeline.intake.identify import school_guesser
from pipeline.intake.inbox import Inbox, copied_in_bulk
from pipeline.intake.remote import is_remote, mirror
from pipeline.intake.submission import IGNORED, Submission, final_status, resolve_resubmissions
from pipeline.workbooks import run_record
from pipeline.workbooks.check_report import write_check_report
from pipeline.workbooks.earlier import activity_history
from pipeline.workbooks.feedback_files import FEEDBACK_DIR, write_all_feedback
from pipeline.workbooks.outputs import write_data, write_manifest
from schemas.model import Sheet

Progress = Callable[[int, int], None]  # files read of all; may also have .phase(key): a phase begins


def phase(progress: Progress | None, key: str) -> None:
    """Tell the user a phase begins (``cli.phase.<key>``): no run is silent for seconds."""
    begin = getattr(progress, "phase", None)
    if begin is not None:
        begin(key)


__all__ = ["FEEDBACK_DIR", "CheckResult", "CheckSettings", "Inbox", "Progress", "check", "phase", "write_outputs"]


@dataclass(frozen=True)
class CheckSettings:
    """One intake run: which programme, inbox, period and output folder, and the reader limits."""

    programme: Path
    inbox: Path | str  # a folder, or an fsspec URL such as s3://bucket/inbox (intake.remote)
    period: str
    out: Path
    lang: str = "zh"
    workers: int = 2
    memory: int = isolate.GIB
    timeout: float = 60.0
    store: str | Path | None = None  # the history store: a folder or a PostgreSQL URL (history.location.locate)
    cluster: str = ""  # read the files on a Dask cluster: tcp://host:8786 or local:N (intake.cluster)


@dataclass
class CheckResult:
    programme: Programme
    period: PeriodInfo
    submissions: list[Submission]
    accepted: dict[type[Sheet], Batch] = field(default_factory=dict)
    sides: Sides | None = None  # both sides of each pair, of the accepted rows (pipeline.checks.reconcile)
    out: Path = Path()
    report: Path | None = None
    feedback: list[Path] = field(default_factory=list)
    key: str = ""
    digest: str = ""  # of everything the outputs depend on: file contents and times, programme, version
    pending: isolate.Background | None = None  # feedback workbooks still being written
    unfinished: str | None = None  # when a run that began here earlier did not finish
    copied: int = 0  # files that share one time, as a bulk copy leaves them (intake.inbox.copied_in_bulk)

    @property
    def run_id(self) -> str:
        """The run's id: a digest of its inputs, so that the same inputs give the same outputs."""
        return self.digest[:16]

    def finish(self) -> None:
        """Wait for the feedback workbooks when they were written in the background."""
        if self.pending is not None:
            self.feedback, self.pending = self.pending.join(), None

    def cancel(self) -> None:
        if self.pending is not None:
            self.pending.cancel()
            self.pending = None


@holding
def check(
    settings: CheckSettings, progress: Progress | None = None, background: bool = False, inbox: Inbox | None = None
) -> CheckResult:
    """Run the intake on every file of the inbox for one period. With ``background`` the feedback
    workbooks are written by a child process while the caller goes on; ``finish`` waits for them.
    ``inbox``: the inbox listed (and being hashed) already."""
    ensure_writable(settings.out)  # before any work: a run must not fail at its end for its folder
    inbox = inbox or Inbox(inbox_folder(settings))
    try:
        programme, _ = require_programme(settings.programme)
        period = programme.period(settings.period)
        subs = inbox.submissions()
    finally:
        inbox.close()
    settings = dataclasses.replace(settings, period=period.code)  # given by its name, maybe
    cache = open_cache(settings.out, settings.programme, settings.period)
    remote = str(settings.inbox) if is_remote(settings.inbox) else ""
    readers = Readers(
        settings.workers, settings.memory, settings.timeout, run_log(settings.out), settings.cluster, remote
    )
    results, saving = read_all(subs, programme, period, cache, readers, progress)
    guess_school = school_guesser(programme)
    for sub in subs:
        if sub.status == IGNORED:
            continue
        sub.take(results[sub.sha256])
        sub.issues += check_sender(sub, programme)
        if not sub.school:  # a file that is no report may still say whose it is
            sub.school = guess_school(sub.rel, sub.sender)
    resolve_resubmissions(subs)
    phase(progress, "validate")
    counted = [s for s in subs if s.counted]
    history, stored, read = school_history(settings, programme, programme.earlier_periods(period))
    accepted, both = accept(counted, programme, period, history)
    for sub in subs:
        final_status(sub)
    key = cache_key(settings.programme, settings.period)
    digest = digest_of(
        key,
        [(s.rel, s.sha256, s.received.isoformat(), s.sender) for s in subs],
        [(str(path), file_digest(path)) for path in read],
        stored,
    )  # earlier periods' rows: outliers
    result = CheckResult(programme, period, subs, accepted, both, settings.out / period.code, key=key, digest=digest)
    result.out.mkdir(parents=True, exist_ok=True)
    result.unfinished = run_record.begin(result.out)
    result.copied = copied_in_bulk(subs)
    if result.unfinished is not None:  # an interrupted run's outputs may disagree: write them all again
        forget_outputs(settings.out, period.code)
    phase(progress, "outputs")
    write_outputs(result, settings.lang, background)
    if saving is not None:
        saving.join()
    if not background:  # else the caller finishes the run (the report, then the feedback)
        run_record.finish(result.out, result.run_id)
    return result


def inbox_folder(settings: CheckSettings) -> Path:
    """The inbox as a folder: itself, or for a URL (s3://…) its local mirror (intake.remote)."""
    if is_remote(settings.inbox):
        return mirror(str(settings.inbox), settings.out)
    return Path(settings.inbox)


def store_location(settings: CheckSettings, programme: Programme) -> str | Path:
    """Where the programme's history is (``history.location.locate``): one place for every run of
    the programme, whichever output folder each writes to."""
    return locate(settings.store, settings.programme, programme)


def school_history(
    settings: CheckSettings, programme: Programme, codes: list[str]
) -> tuple[pd.DataFrame, list[tuple[str, str | None]], list[Path]]:
    """Each school's earlier activity, for outliers (median 人次 and rows per activity type): from
    the history store where it holds the period, else from the CSV an earlier run left in the output
    folder. Also what was read, for the digest: the stored periods' run ids and the files."""
    store = existing_store(store_location(settings, programme), programme.name)
    held = store.held(SCHOOL_ACTIVITIES, codes) if store is not None else []
    rows, read = activity_history([settings.out / code for code in codes if code not in held])
    stored = [(code, store.run_of(code)) for code in held] if store is not None else []
    return school_medians(store, held, rows), stored, read


def write_outputs(result: CheckResult, lang: str, background: bool = False) -> None:
    """manifest.csv, 校验报告, 反馈/ and data/. Feedback workbooks are written in parallel and only
    when their school's file or findings changed; a fixed school's old feedback file goes."""
    folder = result.out
    folder.mkdir(parents=True, exist_ok=True)
    clear_leftovers(folder)
    result.report = folder / f"校验报告_{result.period.code}.xlsx"
    log = run_log(folder.parent)  # OUT/bangfu.log, beside the periods
    feedback = (result.submissions, result.programme, result.period, result.out, result.key, lang, log)
    if background:  # first, so that its workers share the cores with the writing below
        result.pending = isolate.Background(write_all_feedback, *feedback, log=log)
    ledger = OutputLedger(result.out, f"check-{result.period.code}")
    try:
        if not ledger.unchanged(result.digest + lang):
            paths = [
                write_manifest(folder, result.submissions, result.programme, result.period, lang),
                write_check_report(result.report, result.submissions, result.programme, result.period, lang),
                *write_data(folder, result.accepted, result.submissions, result.programme, lang),
            ]
            ledger.record(result.digest + lang, paths)
    except BaseException:
        result.cancel()  # no feedback writer outlives a failed run
        raise
    if not background:
        result.feedback = write_all_feedback(*feedback)
