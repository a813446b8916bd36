"""The feedback folder of a run: one workbook per school with findings, written in parallel worker
processes and only when its school's file or findings changed; a fixed school's old file goes."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from pipeline.core.files import write_text
from pipeline.forms.programme import PeriodInfo, Programme
from pipeline.intake import isolate
from pipeline.intake.cache import CACHE_DIR
from pipeline.intake.submission import Submission
from pipeline.workbooks.feedback import feedback_path, write_feedback

FEEDBACK_DIR = "反馈"
CHUNK = 8  # workbooks a task: a worker never waits for the dispatcher between two

_JOB: dict = {}  # this worker's programme, period, folder, language and submissions: set by _prepare


def _prepare(programme: Programme, period: PeriodInfo, folder: Path, lang: str, subs: dict[int, Submission]) -> None:
    """A worker's setup. Under fork the submissions (and the row blocks they share) come with the
    process for free; under spawn they are pickled once a worker, never once a task."""
    _JOB.update(programme=programme, period=period, folder=folder, lang=lang, subs=subs)


def _write_some(indices: list[int]) -> list[str]:
    job = _JOB
    return [
        str(write_feedback(job["subs"][i], job["programme"], job["period"], job["folder"], job["lang"]))
        for i in indices
    ]


def _key(sub: Submission, run_key: str, lang: str) -> str:
    digest = hashlib.sha256(f"{sub.sha256}|{run_key}|{lang}".encode())
    for issue in sub.issues:
        digest.update(repr((issue, issue.args, issue.explained)).encode())
    return digest.hexdigest()


def write_all_feedback(
    subs: list[Submission],
    programme: Programme,
    period: PeriodInfo,
    out: Path,
    run_key: str,
    lang: str,
    log: Path | None = None,
) -> list[Path]:
    """Every counted submission with findings gets ``反馈/<code>_<name>.xlsx``; returns them all.
    ``run_key``: the intake's cache key (programme, code, period): a change rewrites every file."""
    folder = out / FEEDBACK_DIR
    folder.mkdir(parents=True, exist_ok=True)
    keys_path = out / CACHE_DIR / f"feedback-keys-{period.code}.json"
    previous = json.loads(keys_path.read_text(encoding="utf-8")) if keys_path.exists() else {}
    wanted = {feedback_path(sub, programme, folder).name: sub for sub in subs if sub.counted and sub.issues}
    keys = {name: _key(sub, run_key, lang) for name, sub in wanted.items()}
    for stale in folder.glob("*.xlsx"):
        if stale.name not in wanted:
            stale.unlink()
    todo = [sub for name, sub in wanted.items() if previous.get(name) != keys[name] or not (folder / name).exists()]
    indices = [sub.index for sub in todo]
    chunks = [indices[i : i + CHUNK] for i in range(0, len(indices), CHUNK)]
    setup = (_prepare, (programme, period, folder, lang, {sub.index: sub for sub in todo}))
    for outcome in isolate.run_isolated(_write_some, chunks, workers=2, memory=0, timeout=600, setup=setup, log=log):
        if outcome.failure or outcome.error is not None:
            raise RuntimeError(f"writing a feedback workbook failed: {outcome.failure or outcome.error!r}")
    keys_path.parent.mkdir(parents=True, exist_ok=True)
    write_text(keys_path, json.dumps(keys, ensure_ascii=False, sort_keys=True))
    return sorted(folder / name for name in wanted)
