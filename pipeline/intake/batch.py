"""Every submission's FileResult: from the cache, else read in isolated workers, fifty files a
task, once per distinct content. A worker that dies takes its batch down; the batch's files are
then read again one by one, so that only the bad file is marked."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from pipeline.core.issues import make
from pipeline.forms.programme import PeriodInfo, Programme
from pipeline.intake import isolate
from pipeline.intake.cache import IntakeCache, cache_key
from pipeline.intake.submission import IGNORED, Submission
from pipeline.intake.worker import BATCH, FileResult, process_batch, setup

Progress = Callable[[int, int], None]
_TRANSIENT = {"reader-timeout"}  # worth another try next run


@dataclass(frozen=True)
class Readers:
    """How the untrusted files are read: worker processes, each one's memory cap, a file's time."""

    workers: int = 2
    memory: int = isolate.GIB
    timeout: float = 60.0
    log: Path | None = None  # where the readers' own output goes (a panic's backtrace)
    cluster: str = ""  # a Dask scheduler (tcp://host:8786) or local:N; "" reads on this machine
    remote: str = ""  # the inbox's URL when it is in object storage: a cluster's tasks fetch from it


def read_all(
    subs: list[Submission],
    programme: Programme,
    period: PeriodInfo,
    cache: IntakeCache,
    readers: Readers,
    progress: Progress | None = None,
) -> tuple[dict[str, FileResult], isolate.Background | None]:
    """FileResults by sha256. New results are saved to the cache by a child while the caller
    validates: ``join`` the Background returned (None when nothing new was read)."""
    cached = cache.load()
    results = {s.sha256: cached[s.sha256] for s in subs if s.sha256 in cached}
    todo: dict[str, Submission] = {}
    subs = [s for s in subs if s.status != IGNORED]  # litter is listed, never read
    for sub in subs:
        if sub.sha256 not in results:
            todo.setdefault(sub.sha256, sub)
    pending = list(todo.values())
    sha_of = {s.rel: s.sha256 for s in pending}
    counter = _Counter(len(subs) - len(pending), len(subs), progress)
    files = [(str(s.path), s.rel) for s in pending]
    for result in _read(files, programme, period, readers, counter):
        results[sha_of[result.file]] = result
    if not pending:  # nothing new read: the cache on disk is already right (and large at 10,000 files)
        return results, None
    keep = {sha: r for sha, r in results.items() if r.rejection is None or r.rejection.code not in _TRANSIENT}
    return results, isolate.Background(
        cache.save, keep, log=readers.log
    )  # 3 s of pickling at 10,000 files, on the idle core


def _read(
    files: list[tuple[str, str]], programme: Programme, period: PeriodInfo, readers: Readers, counter: _Counter
) -> list[FileResult]:
    batches = [files[i : i + BATCH] for i in range(0, len(files), BATCH)]
    work = setup(programme, period)
    if readers.cluster and batches:
        from pipeline.intake import cluster  # dask is an optional extra, needed only here

        return cluster.read_on_cluster(batches, work, readers, counter.add)
    return read_isolated(batches, work, readers.workers, readers.memory, readers.timeout, readers.log, counter.add)


def read_isolated(
    batches: list[list[tuple[str, str]]],
    work: isolate.Setup,
    workers: int,
    memory: int,
    timeout: float,
    log: Path | str | None,
    done: Callable[[int], None] | None = None,
    method: str | None = None,
    runner: Callable[..., Iterator[isolate.Outcome]] = isolate.run_isolated,
) -> list[FileResult]:
    """The files of ``batches`` read in isolated workers, a batch a task; a batch whose worker died
    is read again a file at a time, so that only the bad file is marked. ``done(n)``: n more read.
    The cluster's tasks call this too, each with its one batch, on the worker's machine, with
    ``runner`` the worker's resident readers (``isolate.Resident.run``)."""
    retry, results = [], []
    for outcome in runner(
        process_batch, batches, workers=workers, memory=memory, timeout=timeout * BATCH, setup=work, log=log,
        method=method,
    ):  # fmt: skip
        if outcome.failure or outcome.error is not None:
            retry += batches[outcome.index]  # one file took the worker down: find which, alone
            continue
        results += outcome.value
        if done:
            done(len(outcome.value))
    for outcome in runner(
        process_batch, [[f] for f in retry], workers=workers, memory=memory, timeout=timeout, setup=work, log=log,
        method=method,
    ):  # fmt: skip
        results.append(_alone(outcome, retry[outcome.index][1]))
        if done:
            done(1)
    return results


def _alone(outcome: isolate.Outcome, name: str) -> FileResult:
    """A file read again by itself: its result, or the reason its reader failed."""
    if outcome.failure:
        code = "reader-crashed" if outcome.failure == "crashed" else "reader-timeout"
        return FileResult(name, rejection=make(code, file=name, detail=outcome.detail))
    if outcome.error is not None:
        return FileResult(name, rejection=make("unreadable", file=name, detail=type(outcome.error).__name__))
    return outcome.value[0]


class _Counter:
    def __init__(self, done: int, total: int, progress: Progress | None) -> None:
        self.done, self.total, self.progress = done, total, progress
        self.add(0)

    def add(self, n: int) -> None:
        self.done += n
        if self.progress:
            self.progress(self.done, self.total)


def open_cache(out: Path, programme_path: Path, period: str) -> IntakeCache:
    return IntakeCache(out, cache_key(programme_path, period))
