"""Per-stage seconds for `make bench`: wraps the run's stage functions with timers, where they are
called, without touching the pipeline. Also notes the parent's peak RSS after each stage, to show
where memory grows."""

from __future__ import annotations

import functools
import importlib
import resource
import time
from collections import defaultdict

# (module, attribute): the stages of `bangfu run`, in order, at the place they are looked up.
# Saving the intake cache and, under `run`, writing the feedback workbooks happen in children,
# which these timers do not see; CheckResult.finish is the parent's wait for the feedback.
STAGES = [
    ("pipeline.intake.inbox", "received"),
    ("pipeline.intake.cache", "IntakeCache.load"),
    ("pipeline.app.intake", "read_all"),
    ("pipeline.app.intake", "accept"),
    ("pipeline.app.intake", "write_manifest"),
    ("pipeline.app.intake", "write_check_report"),
    ("pipeline.app.intake", "write_data"),
    ("pipeline.app.intake", "write_all_feedback"),
    ("pipeline.app.report", "counted_rows"),
    ("pipeline.app.report", "period_scores"),
    ("pipeline.app.report", "report_tables"),
    ("pipeline.app.report", "assessment"),
    ("pipeline.app.report", "detail_frames"),
    ("pipeline.app.report", "write_consolidated"),
    ("pipeline.app.report", "write_data"),
    ("pipeline.app.report", "write_assessment_outputs"),
    ("pipeline.app.intake", "CheckResult.finish"),  # `run` writes feedback in a child: this is the wait
]


class Stages:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.rss_mib: dict[str, float] = {}
        self._undo: list[tuple[object, str, object]] = []

    def __enter__(self) -> Stages:
        for module_name, attr in STAGES:
            owner: object = importlib.import_module(module_name)
            *path, name = attr.split(".")
            for part in path:
                owner = getattr(owner, part)
            original = getattr(owner, name)
            self._undo.append((owner, name, original))
            setattr(owner, name, self._timed(attr.rsplit(".", 1)[-1] if not path else attr, original))
        return self

    def __exit__(self, *exc: object) -> None:
        for owner, name, original in reversed(self._undo):
            setattr(owner, name, original)

    def _timed(self, label: str, func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                self.seconds[label] += time.perf_counter() - start
                self.rss_mib[label] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

        return wrapper

    def report(self) -> dict[str, float]:
        return {k: round(v, 2) for k, v in self.seconds.items()}
