"""Workers that die, hang or overrun memory mark only their own task; the run goes on."""

from __future__ import annotations

import os
import time

import pytest

from pipeline.intake.isolate import GIB, run_isolated


def reader(task: int) -> int:
    if task == 1:
        os.abort()  # what python-calamine does on some hostile files
    if task == 2:
        time.sleep(30)
    if task == 3:
        bytearray(3 * GIB)
    if task == 4:
        raise ValueError("broken")
    return task * 10


def test_abort_hang_memory_and_errors_mark_one_task_each():
    outcomes = sorted(run_isolated(reader, list(range(7)), workers=2, memory=GIB, timeout=2), key=lambda o: o.index)
    assert [o.value for o in outcomes] == [0, None, None, None, None, 50, 60]
    assert (outcomes[1].failure, outcomes[1].detail) == ("crashed", "signal SIGABRT")
    assert (outcomes[2].failure, outcomes[2].detail) == ("timeout", "2 s")
    assert isinstance(outcomes[3].error, MemoryError)
    assert isinstance(outcomes[4].error, ValueError)


def test_no_tasks_no_workers():
    assert list(run_isolated(reader, [])) == []


def _square(x):
    return x * x


def _fail(x):
    raise ValueError(f"bad {x}")


def _die(x):
    os._exit(3)


def test_background_returns_raises_and_reports_a_death():
    from pipeline.intake.isolate import Background

    assert Background(_square, 7).join() == 49
    with pytest.raises(ValueError, match="bad 2"):
        Background(_fail, 2).join()
    with pytest.raises(RuntimeError, match="died"):
        Background(_die, 0).join()


def _echo(x):
    return x


def test_large_tasks_and_results_do_not_wait_on_each_other():
    """A worker holds a second task while it works, but only a small one: a large task sent to a
    worker that is itself sending a large result would leave both waiting on a full pipe."""
    args = [str(i) * 300_000 for i in range(6)] + list(range(20))
    outcomes = sorted(run_isolated(_echo, args, workers=2, memory=0, timeout=20), key=lambda o: o.index)
    assert [o.value for o in outcomes] == args


def _thresholds(_: object) -> tuple[int, int, int]:
    import gc

    return gc.get_threshold()


def test_batch_children_and_runs_tune_the_garbage_collector_and_put_it_back():
    """Nested as check() is in run(): only the outermost block hands back what forks froze."""
    import gc

    from pipeline.intake.isolate import BATCH_GC, Background, batch_gc

    before = gc.get_threshold()
    assert [o.value for o in run_isolated(_thresholds, [0], workers=1, memory=0)] == [BATCH_GC]
    with pytest.raises(ValueError), batch_gc():
        with batch_gc():
            assert Background(_thresholds, None).join() == BATCH_GC
        assert gc.get_threshold() == BATCH_GC and gc.get_freeze_count() > 0  # frozen before the fork
        raise ValueError("a run that fails")
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0  # the collector has all of it back
