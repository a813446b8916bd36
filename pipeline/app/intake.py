"""The intake: every inbox file read safely, identified, parsed, validated, given a status."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pipeline.app.programme import require_programme
from pipeline.checks.crosscheck import SUB, Batch, check_all, concat
from pipeline.checks.reconcile import Sides, reconcile, sides
from pipeline.core.cells import ROW, place_of
from pipeline.core.errors import ConfigError
from pipeline.core.issues import Issue, make, reading_order, without_shadowed
from pipeline.forms.programme import PeriodInfo, Programme
from pipeline.intake import isolate
from pipeline.intake.cache import CACHE_DIR, IntakeCache, OutputLedger, cache_key, digest_of, file_digest
from pipeline.intake.submission import Submission, final_status, resolve_resubmissions
from pipeline.intake.worker import BATCH, FileResult, prepare, process_batch
from pipeline.mail.fetch import MAIL_DIR, load_sidecar, sidecar_dir
from pipeline.workbooks.check_report import write_check_report
from pipeline.workbooks.feedback import feedback_path, write_feedback
from pipeline.workbooks.outputs import activity_history, write_data, write_manifest
from schemas.model import Sheet
from schemas.programme import School
from schemas.report import DATA_SHEETS, Activity, Funding, SchoolInfo

Progress = Callable[[int, int], None]
FEEDBACK_DIR = "反馈"


@dataclass(frozen=True)
class CheckSettings:
    """One intake run: which programme, inbox, period and output folder, and the reader limits."""

    programme: Path
    inbox: Path
    period: str
    out: Path
    lang: str = "zh"
    workers: int = 2
    memory: int = isolate.GIB
    timeout: float = 60.0


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

    def finish(self) -> None:
        """Wait for the feedback workbooks when they were written in the background."""
        if self.pending is not None:
            self.feedback, self.pending = self.pending.join(), None

    def cancel(self) -> None:
        if self.pending is not None:
            self.pending.cancel()
            self.pending = None


def discover(inbox: Path) -> list[tuple[str, Path]]:
    """Every file under the inbox as (relative path, path), recursively, in a stable order by
    relative path (not the mail fetch's records); folders linked in are not entered. One directory
    listing a folder, not a stat a file: ten thousand files."""
    found: list[tuple[str, Path]] = []

    def walk(folder: str, prefix: str) -> None:
        with os.scandir(folder) as entries:
            for entry in entries:
                if not prefix and entry.name == MAIL_DIR:
                    continue
                if entry.is_dir(follow_symlinks=False):
                    walk(entry.path, f"{prefix}{entry.name}/")
                elif entry.is_file():
                    found.append((f"{prefix}{entry.name}", Path(entry.path)))

    walk(str(inbox), "")
    return sorted(found, key=lambda f: f[0])


def _digest(path: Path) -> tuple[os.stat_result, str]:
    """A file's stat and sha256, from one open."""
    with open(path, "rb") as fh:
        return os.fstat(fh.fileno()), hashlib.file_digest(fh, "sha256").hexdigest()


def _submission(index: int, path: Path, rel: str, inbox: Path, sidecars: set[str], stat: os.stat_result,
                sha: str) -> Submission:
    """The file as received: when the school sent it (the mail's Date, else the file's time) and
    by whom. ``sidecars`` names the mail records in the inbox."""
    mail = load_sidecar(inbox, sha) if f"{sha}.json" in sidecars else None
    received = (mail.received() if mail else None) or dt.datetime.fromtimestamp(stat.st_mtime)
    return Submission(index=index, path=path, rel=rel, size=stat.st_size,
                      sha256=sha, received=received, sender=mail.sender if mail else "")


def _read_all(subs: list[Submission], settings: CheckSettings,
              progress: Progress | None) -> tuple[dict[str, FileResult], isolate.Background | None]:
    """FileResults by sha256: from the cache, else from isolated workers (one per distinct content).
    New results are saved to the cache by a child while the caller validates: ``join`` it."""
    cache = IntakeCache(settings.out, cache_key(settings.programme, settings.period))
    cached = cache.load()
    results = {s.sha256: cached[s.sha256] for s in subs if s.sha256 in cached}
    todo: dict[str, Submission] = {}
    for sub in subs:
        if sub.sha256 not in results:
            todo.setdefault(sub.sha256, sub)
    pending = list(todo.values())
    sha_of = {s.rel: s.sha256 for s in pending}
    done = len(subs) - len(pending)
    if progress:
        progress(done, len(subs))
    batches = [[(str(s.path), s.rel) for s in pending[i:i + BATCH]] for i in range(0, len(pending), BATCH)]
    retry = []
    for outcome in isolate.run_isolated(process_batch, batches, workers=settings.workers, memory=settings.memory,
                                        timeout=settings.timeout * BATCH):
        if outcome.failure or outcome.error is not None:
            retry += batches[outcome.index]  # one file took the worker down: find which, alone
            continue
        for result in outcome.value:
            results[sha_of[result.file]] = result
        done += len(outcome.value)
        if progress:
            progress(done, len(subs))
    for outcome in isolate.run_isolated(process_batch, [[f] for f in retry], workers=settings.workers,
                                        memory=settings.memory, timeout=settings.timeout):
        path, name = retry[outcome.index]
        if outcome.failure:
            code = "reader-crashed" if outcome.failure == "crashed" else "reader-timeout"
            result = FileResult(name, rejection=make(code, file=name, detail=outcome.detail))
        elif outcome.error is not None:
            result = FileResult(name, rejection=make("unreadable", file=name, detail=type(outcome.error).__name__))
        else:
            result = outcome.value[0]
        results[sha_of[name]] = result
        done += 1
        if progress:
            progress(done, len(subs))
    saving = None
    if pending:  # nothing new read: the cache on disk is already right (and large at 10,000 files)
        keep = {sha: r for sha, r in results.items() if r.rejection is None or r.rejection.code not in _TRANSIENT}
        saving = isolate.Background(cache.save, keep)  # 3 s of pickling at 10,000 files, on the idle core
    return results, saving


_TRANSIENT = {"reader-timeout"}  # worth another try next run


def _apply(sub: Submission, result: FileResult) -> None:
    result = result.renamed(sub.rel)
    sub.kind = result.kind
    if result.identity is not None:
        sub.school, sub.period, sub.how = result.identity.school, result.identity.period, result.identity.how
    sub.issues += result.issues
    if result.rejection is not None:
        sub.reject(result.rejection)
        return
    sub.tables = dict(result.tables)
    sub.rows_read = result.rows_read
    sub.date_filled = result.date_filled


def _check_sender(sub: Submission, programme: Programme) -> None:
    """A warning when a mailed file came from an address other than the school's 电子邮箱 in 学校名册."""
    if not sub.sender or not sub.school or sub.school not in programme.roster:
        return
    expected = str(programme.roster[sub.school].get(School.email.name) or "").strip().lower()
    if expected and sub.sender.lower() != expected:
        sub.issues.append(make("sender-not-school-email", file=sub.rel, value=sub.sender, expected=expected))


class Inbox:
    """The inbox's files in path order, hashed by a thread from the moment it is listed (reads
    and hashlib let go of the GIL): listed before the programme loads, it is hashed meanwhile.
    One thread in a plain loop: a pool of two took twice the CPU (a future a file, and the two
    fighting over the GIL) and longer."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        # Submissions are numbered by relative path: nothing downstream depends on the order files are found.
        found = sorted(discover(folder), key=lambda f: f[0]) if folder.is_dir() else []
        self.rels = [rel for rel, _ in found]
        self.files = [path for _, path in found]
        self._digests: list[tuple[os.stat_result, str]] = []
        self._error: BaseException | None = None
        self._stop = threading.Event()
        self._hashing = threading.Thread(target=self._hash_all, name="inbox-hashing", daemon=True)
        self._hashing.start()

    def _hash_all(self) -> None:
        try:
            for path in self.files:
                if self._stop.is_set():
                    return
                self._digests.append(_digest(path))
        except BaseException as exc:  # noqa: BLE001 - raised again in the caller's thread
            self._error = exc

    def submissions(self) -> list[Submission]:
        """Every file as received, numbered by path."""
        if not self.folder.is_dir():
            raise ConfigError("error.no_inbox", path=str(self.folder))
        mail = sidecar_dir(self.folder)
        sidecars = set(os.listdir(mail)) if mail.is_dir() else set()
        try:
            self._hashing.join()
            if self._error is not None:
                raise self._error
            return [_submission(i, path, rel, self.folder, sidecars, *digest)
                    for i, (path, rel, digest) in enumerate(zip(self.files, self.rels, self._digests, strict=True))]
        finally:
            self.close()

    def close(self) -> None:
        """Stop hashing (no thread outlives the listing: workers are forked after it)."""
        self._stop.set()
        self._hashing.join()


@isolate.batch_gc()
def check(settings: CheckSettings, progress: Progress | None = None, background: bool = False,
          inbox: Inbox | None = None) -> CheckResult:
    """Run the intake on every file of the inbox for one period. With ``background`` the feedback
    workbooks are written by a child process while the caller goes on; ``finish`` waits for them.
    ``inbox``: the inbox listed (and being hashed) already."""
    inbox = inbox or Inbox(settings.inbox)
    try:
        programme, _ = require_programme(settings.programme)
        period = programme.period(settings.period)
        prepare(programme, period)  # before the workers fork; while the last files are hashed
        subs = inbox.submissions()
    finally:
        inbox.close()
    results, saving = _read_all(subs, settings, progress)
    for sub in subs:
        _apply(sub, results[sub.sha256])
        _check_sender(sub, programme)
    resolve_resubmissions(subs)
    counted = [s for s in subs if s.counted]
    history, read = activity_history([settings.out / code for code in programme.earlier_periods(period)])
    accepted, both = _validate(counted, programme, period, history)
    for sub in subs:
        if not sub.counted:
            sub.rows_excluded = sub.rows_read
        final_status(sub)
    key = cache_key(settings.programme, settings.period)
    digest = digest_of(key, [(s.rel, s.sha256, s.received.isoformat(), s.sender) for s in subs],
                       [(str(path), file_digest(path)) for path in read])  # earlier periods' rows: outliers
    result = CheckResult(programme, period, subs, accepted, both, settings.out / period.code, key=key, digest=digest)
    write_outputs(result, settings.lang, background)
    if saving is not None:
        saving.join()
    return result


def write_outputs(result: CheckResult, lang: str, background: bool = False) -> None:
    """manifest.csv, 校验报告, 反馈/ and data/. Feedback workbooks are written in parallel and only
    when their school's file or findings changed; a fixed school's old feedback file goes."""
    folder = result.out
    folder.mkdir(parents=True, exist_ok=True)
    result.report = folder / f"校验报告_{result.period.code}.xlsx"
    if background:  # first, so that its workers share the cores with the writing below
        result.pending = isolate.Background(_write_feedback, result, lang)
    ledger = OutputLedger(result.out, f"check-{result.period.code}")
    try:
        if not ledger.unchanged(result.digest + lang):
            paths = [write_manifest(folder, result.submissions, result.programme, result.period, lang),
                     write_check_report(result.report, result.submissions, result.programme, result.period, lang),
                     *write_data(folder, result.accepted, result.submissions, result.programme, lang)]
            ledger.record(result.digest + lang, paths)
    except BaseException:
        result.cancel()  # no feedback writer outlives a failed run
        raise
    if not background:
        result.feedback = _write_feedback(result, lang)


def _feedback_key(sub: Submission, result: CheckResult, lang: str) -> str:
    digest = hashlib.sha256(f"{sub.sha256}|{result.key}|{lang}".encode())
    for issue in sub.issues:
        digest.update(repr((issue, issue.args, issue.explained)).encode())
    return digest.hexdigest()


_FEEDBACK: dict = {}  # what the feedback writers need, set before they fork


FEEDBACK_CHUNK = 8  # workbooks a task: a worker never waits for the dispatcher between two


def _write_some_feedback(indices: list[int]) -> list[str]:
    result, lang, folder = _FEEDBACK["result"], _FEEDBACK["lang"], _FEEDBACK["folder"]
    return [str(write_feedback(_FEEDBACK["by_index"][index], result.programme, result.period, folder, lang))
            for index in indices]


def _write_feedback(result: CheckResult, lang: str) -> list[Path]:
    folder = result.out / FEEDBACK_DIR
    folder.mkdir(parents=True, exist_ok=True)
    keys_path = result.out / CACHE_DIR / f"feedback-keys-{result.period.code}.json"
    previous = json.loads(keys_path.read_text(encoding="utf-8")) if keys_path.exists() else {}
    wanted = {feedback_path(sub, result.programme, folder).name: sub
              for sub in result.submissions if sub.counted and sub.issues}
    keys = {name: _feedback_key(sub, result, lang) for name, sub in wanted.items()}
    for stale in folder.glob("*.xlsx"):
        if stale.name not in wanted:
            stale.unlink()
    todo = [sub.index for name, sub in wanted.items() if previous.get(name) != keys[name] or not (folder / name).exists()]
    _FEEDBACK.update(result=result, lang=lang, folder=folder, by_index={s.index: s for s in result.submissions})
    chunks = [todo[i:i + FEEDBACK_CHUNK] for i in range(0, len(todo), FEEDBACK_CHUNK)]
    for outcome in isolate.run_isolated(_write_some_feedback, chunks, workers=2, memory=0, timeout=600):
        if outcome.failure or outcome.error is not None:
            raise RuntimeError(f"writing a feedback workbook failed: {outcome.failure or outcome.error!r}")
    keys_path.parent.mkdir(parents=True, exist_ok=True)
    keys_path.write_text(json.dumps(keys, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    return sorted(folder / name for name in wanted)


def _validate(counted: list[Submission], programme: Programme, period: PeriodInfo,
              history: pd.DataFrame | None = None) -> tuple[dict[type[Sheet], Batch], Sides]:
    """Validate every sheet type once over all counted submissions; drop rows with errors. The two
    sides of each pair are then reconciled on the rows that count, as the consolidated workbook
    shows them. ``history``: the schools' activities of earlier periods, for outliers."""
    files = {s.index: s.rel for s in counted}
    by_index = {s.index: s for s in counted}
    batches = {m: concat(m, {s.index: s.tables[m] for s in counted if m in s.tables}, files)
               for m in (SchoolInfo, *DATA_SHEETS)}
    codes = {s.index: s.school for s in counted}
    roles = {s.index: programme.school(s.school)[School.role.name] for s in counted}
    _add(by_index, check_all(batches, programme, period, roles, codes, history))
    excluded: set[RowKey] = set()
    for sub in counted:
        rows = _error_rows(sub)
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


RowKey = tuple[int, str, int]  # (submission, sheet model zh name, Excel row)


def _error_rows(sub: Submission) -> set[RowKey]:
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
