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


def _hog(size: int) -> int:
    """Grows as a parser does, a piece at a time, each written (resident, not just reserved)."""
    pieces = [b"x" * (1 << 20) for _ in range(size >> 20)]
    return sum(map(len, pieces))


def test_where_rlimit_as_is_missing_a_watchdog_caps_the_worker(monkeypatch):
    """Windows and macOS have no enforced RLIMIT_AS: the fallback ends a worker past its cap,
    the parent names the reason, and the next task runs in a new worker."""
    monkeypatch.setenv("BANGFU_MEMORY_CAP", "watchdog")
    outcomes = sorted(
        run_isolated(_hog, [2 * GIB, 1 << 20], workers=1, memory=GIB // 2, timeout=60), key=lambda o: o.index
    )
    assert (outcomes[0].failure, outcomes[0].detail) == ("crashed", "memory limit")
    assert outcomes[1].value == 1 << 20


def test_the_cap_is_the_address_space_limit_where_there_is_one():
    from pipeline.intake.memcap import cap_memory

    outcomes = list(run_isolated(cap_memory, [GIB], workers=1, memory=0))
    assert outcomes[0].value == "rlimit"


def _worker_state(_: object) -> object:
    return _SETUP.get("value")


_SETUP: dict = {}


def _remember(value: object) -> None:
    _SETUP["value"] = value


def test_a_worker_gets_its_setup_under_any_start_method():
    """What a worker needs reaches it as its setup's args, not through a module global set before
    a fork: the same under spawn (BANGFU_START_METHOD=spawn runs this file that way in make test)."""
    assert _SETUP.get("value") is None
    outcomes = list(run_isolated(_worker_state, [0, 1], workers=2, memory=0, setup=(_remember, ({"programme": 1},))))
    assert [o.value for o in outcomes] == [{"programme": 1}] * 2


def _noisy(_: object) -> int:
    os.write(2, b"thread '<unnamed>' panicked at src/lib.rs: a reader's backtrace\n")
    raise BaseException("PanicException")  # what a Rust panic surfaces as: not an Exception


def test_a_reader_panic_is_data_and_its_backtrace_goes_to_the_log_not_the_terminal(tmp_path, capfd):
    log = tmp_path / "bangfu.log"
    [outcome] = list(run_isolated(_noisy, [0], workers=1, memory=0, log=log))
    assert isinstance(outcome.error, RuntimeError) and "panic" in str(outcome.error)
    written = log.read_text(encoding="utf-8")
    assert "panicked at" in written and "PanicException" in written
    assert "panicked" not in capfd.readouterr().err
