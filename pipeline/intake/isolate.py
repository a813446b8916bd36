"""Run a reader on untrusted files in long-lived worker processes, each with a memory cap and
a wall-clock timeout. A worker that dies (a reader abort or panic) or overruns is replaced,
and only the file it was reading is marked; the run goes on.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing as mp
import os
import signal
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.reduction import ForkingPickler
from pathlib import Path
from typing import Any

from pipeline.intake.children import start_child
from pipeline.intake.memcap import MEMORY_EXIT, cap_memory

GIB = 1024**3
_QUEUED_BYTES = 16 * 1024  # a task sent ahead to a busy worker is at most this big (pipes buffer more)


@dataclass(frozen=True)
class Outcome:
    """The result for one task: ``value`` or ``error`` (an exception from the reader), or a
    ``failure`` ("crashed", "timeout") when the worker itself did not survive the file."""

    index: int
    value: Any = None
    error: BaseException | None = None
    failure: str = ""
    detail: str = ""


BATCH_GC = (50_000, 20, 10)  # garbage collector thresholds for a batch run (the default: 700, 10, 10)


_BATCHES = [0]  # batch_gc blocks open in this process


@contextlib.contextmanager
def batch_gc() -> Iterator[None]:
    """The garbage collector tuned for a batch run in this process, then put back. A run
    allocates tens of millions of objects, nearly all freed by their reference counts; with the
    default thresholds the collector walks the survivors again and again (2-5 s of CPU a run
    at N = 10,000, parent and children). Children of ``run_isolated`` and ``Background`` use
    these thresholds from the start. When the outermost block ends, what forks froze
    (``_before_fork``) is handed back to the collector. Usable as a decorator."""
    before = gc.get_threshold()
    gc.set_threshold(*BATCH_GC)
    _BATCHES[0] += 1
    try:
        yield
    finally:
        _BATCHES[0] -= 1
        gc.set_threshold(*before)
        if not _BATCHES[0]:
            gc.unfreeze()


Setup = tuple[Callable[..., object], tuple] | None  # (function, args) a worker calls once before its first task


def start_method() -> str:
    """How worker processes start: fork where the platform has it (the children share the
    parent's memory until they write to it), spawn elsewhere (Windows, and macOS's default).
    ``BANGFU_START_METHOD`` forces one, so that the tests can run the spawn path on Linux too.
    Nothing reaches a child only through fork: what a worker needs comes as its setup's args."""
    forced = os.environ.get("BANGFU_START_METHOD", "")
    methods = mp.get_all_start_methods()
    if forced in methods:
        return forced
    return "fork" if "fork" in methods else "spawn"


def _worker(conn: Connection, func: Callable, memory: int, setup: Setup, parent: int, log: str | None) -> None:
    start_child(parent, log)
    gc.set_threshold(*BATCH_GC)
    if setup is not None:  # first: what it maps (imports, allocator arenas) is the worker's base, not its work
        setup[0](*setup[1])
    if memory:
        cap_memory(memory)
    while True:
        try:
            task = conn.recv()
        except EOFError:
            return
        if task is None:
            return
        index, arg = task
        reply: tuple[int, object, BaseException | None]
        try:
            reply = (index, func(arg), None)
        except MemoryError:
            reply = (index, None, MemoryError("memory limit reached"))
        except Exception as exc:  # noqa: BLE001 - a reader's failure is data for the manifest
            reply = (index, None, exc)
        except BaseException as exc:  # a Rust panic surfaces as a BaseException: data too
            if isinstance(exc, KeyboardInterrupt | SystemExit):
                raise
            traceback.print_exc()  # into the run's log (start_child), never onto the terminal
            reply = (index, None, RuntimeError(f"reader panic ({type(exc).__name__})"))
        try:
            conn.send(reply)
        except Exception as exc:  # noqa: BLE001 - e.g. an unpicklable exception
            conn.send((index, None, RuntimeError(f"{type(exc).__name__}: {exc}")))


def _before_fork() -> None:
    """What the parent holds goes to the garbage collector's permanent generation: a child's full
    collections then never walk (nor copy, page by page) the parent's millions of objects, and
    the parent's own later ones walk only what came after. Young garbage is collected first, so
    that it is not kept."""
    gc.collect(1)
    gc.freeze()


@dataclass(frozen=True)
class _Spec:
    """What every worker of one pool runs: the function, its memory cap, its setup, its log."""

    func: Callable
    memory: int
    setup: Setup
    log: str | None


class _Slot:
    def __init__(self, ctx: Any, spec: _Spec) -> None:
        self.conn, child = ctx.Pipe()
        parent = 0 if ctx.get_start_method() == "forkserver" else os.getpid()  # a fork server's child: its server
        args = (child, spec.func, spec.memory, spec.setup, parent, spec.log)
        self.proc = ctx.Process(target=_worker, args=args, daemon=True)
        _before_fork()
        self.proc.start()
        child.close()
        self.tasks: list[int] = []  # sent, in order; the first is the one being worked on
        self.started = 0.0  # when the first began, as far as the parent can tell

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.proc.kill()
        else:
            with contextlib.suppress(OSError):
                self.conn.send(None)
        self.proc.join(timeout=5)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join()
        self.conn.close()


def _exit_reason(proc) -> str:
    code = proc.exitcode
    if code == MEMORY_EXIT:
        return "memory limit"
    if code is not None and code < 0:
        try:
            return f"signal {signal.Signals(-code).name}"
        except ValueError:
            return f"signal {-code}"
    return f"exit code {code}"


def run_isolated(
    func: Callable,
    args: list,
    workers: int = 2,
    memory: int = GIB,
    timeout: float = 60.0,
    queued: int = 2,
    setup: Setup = None,
    log: str | Path | None = None,
    method: str | None = None,
) -> Iterator[Outcome]:
    """Apply ``func`` to each of ``args`` in worker processes; yield outcomes as they finish.

    Each worker first calls ``setup`` (function, args), if given: that is how it gets what every
    task needs (the programme, say) under fork and spawn alike. Each holds up to ``queued``
    tasks, so that it starts the next one while the parent is still reading the last one's
    result instead of waiting for it. When a worker dies or overruns, only the task it was
    working on is marked; the ones behind it go to another. Workers die with this process, and
    what they would print (a reader's panic) goes to ``log``. ``method``: how they start, when
    not ``start_method()`` (a cluster's worker, which has threads of its own, uses forkserver)."""
    once = Resident()  # workers for this call only
    try:
        yield from once.run(func, args, min(workers, len(args)), memory, timeout, queued, setup, log, method)
    finally:
        once.close()


class Resident:
    """Worker processes kept from one call to the next while the function, memory cap, setup (as
    ``setup_key`` names it), log and start method stay the same: a cluster worker's readers,
    started once and used by every task it runs (starting them costs more than reading a batch).
    ``run`` has ``run_isolated``'s arguments and outcomes."""

    def __init__(self, setup_key: object = None) -> None:
        self.pool: _Pool | None = None
        self.key: tuple = ()
        self.setup_key = setup_key  # what identifies the setup (a run's token): equal setups, same readers

    def run(
        self,
        func: Callable,
        args: list,
        workers: int = 2,
        memory: int = GIB,
        timeout: float = 60.0,
        queued: int = 2,
        setup: Setup = None,
        log: str | Path | None = None,
        method: str | None = None,
    ) -> Iterator[Outcome]:
        if not args:
            return
        key = (func, memory, self.setup_key if self.setup_key is not None else id(setup), log, method, workers, queued)
        if self.pool is None or key != self.key:
            self.close()
            spec = _Spec(func, memory, setup, str(log) if log else None)
            self.pool, self.key = _Pool(spec, args, workers, timeout, queued, method), key
        else:
            self.pool.reset(args, timeout)
        pool = self.pool
        try:
            while pool.done < len(args):
                pool.feed()
                yield from pool.collect()
        except BaseException:
            self.close()  # a task cut short: its workers may hold half of it
            raise

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()
        self.pool, self.key = None, ()


class _Pool:
    """The workers of one ``run_isolated`` call and the tasks not yet done."""

    def __init__(
        self, spec: _Spec, args: list, workers: int, timeout: float, queued: int, method: str | None = None
    ) -> None:
        self.ctx: Any = mp.get_context(method or start_method())
        self.spec, self.args = spec, args
        self.timeout, self.queued = timeout, queued
        self.pending = list(range(len(args)))[::-1]
        self.messages: dict[int, bytes | memoryview] = {}  # a task pickled but not sent yet
        self.done = 0
        self.slots: list[_Slot] = []
        self.slots = [self._new_slot() for _ in range(workers)]

    def reset(self, args: list, timeout: float) -> None:
        """New tasks for the same workers (``Resident``): they are idle, the old tasks all done."""
        self.args, self.timeout = args, timeout
        self.pending = list(range(len(args)))[::-1]
        self.messages, self.done = {}, 0

    def _new_slot(self) -> _Slot:
        return _Slot(self.ctx, self.spec)

    def _replace(self, i: int) -> None:
        """A worker that died or overran: the tasks behind its current one never started."""
        slot = self.slots[i]
        self.pending.extend(reversed(slot.tasks[1:]))
        slot.stop(kill=True)
        self.slots[i] = self._new_slot()

    def feed(self) -> None:
        """Send each worker tasks until it holds ``queued``, or the next would not fit its pipe."""
        for i, slot in enumerate(self.slots):
            while len(slot.tasks) < self.queued and self.pending:
                task = self.pending[-1]
                if task not in self.messages:
                    self.messages[task] = ForkingPickler.dumps((task, self.args[task]))
                if slot.tasks and len(self.messages[task]) > _QUEUED_BYTES:
                    break  # it would not fit the pipe while the worker is busy: no waiting on each other
                self.pending.pop()
                message = self.messages.pop(task)
                if not slot.tasks:
                    slot.started = time.monotonic()
                slot.tasks.append(task)
                try:
                    slot.conn.send_bytes(message)
                except OSError:
                    self.pending.extend(reversed(slot.tasks))
                    slot.tasks.clear()
                    self._replace(i)
                    slot = self.slots[i]

    def collect(self) -> Iterator[Outcome]:
        """Wait for the first result or the first deadline; the outcomes of every worker ready."""
        busy = [s for s in self.slots if s.tasks]
        deadline = min(s.started for s in busy) + self.timeout
        ready = wait([s.conn for s in busy], timeout=max(0.0, deadline - time.monotonic()))
        for i, slot in enumerate(self.slots):
            if not slot.tasks:
                continue
            if slot.conn in ready:
                try:
                    index, value, error = slot.conn.recv()
                    outcome = Outcome(index, value, error)
                    slot.tasks.pop(0)
                    slot.started = time.monotonic()
                except (EOFError, OSError):
                    slot.proc.join(timeout=5)
                    outcome = Outcome(slot.tasks[0], failure="crashed", detail=_exit_reason(slot.proc))
                    self._replace(i)
            elif time.monotonic() - slot.started >= self.timeout:
                outcome = Outcome(slot.tasks[0], failure="timeout", detail=f"{self.timeout:g} s")
                self._replace(i)
            else:
                continue
            self.done += 1
            yield outcome

    def close(self) -> None:
        for slot in self.slots:
            slot.stop(kill=bool(slot.tasks))


def _background(conn: Connection, func: Callable, args: tuple, parent: int, log: str | None) -> None:
    start_child(parent, log)
    gc.set_threshold(*BATCH_GC)
    try:
        reply: tuple = (func(*args), None)
    except Exception as exc:  # noqa: BLE001 - handed to the parent, which raises it
        reply = (None, exc)
    try:
        conn.send(reply)
    except Exception as exc:  # noqa: BLE001 - e.g. an unpicklable result
        conn.send((None, RuntimeError(f"{type(exc).__name__}: {exc}")))
    conn.close()


class Background:
    """``func(*args)`` in a child process while the parent goes on; ``join`` returns its value or
    raises its exception, and a child that dies is an error, never the parent's death. The child
    may run a pool of its own. Under fork the child shares the parent's memory; under spawn
    ``func`` and ``args`` are pickled to it."""

    def __init__(self, func: Callable, *args: object, log: str | Path | None = None) -> None:
        ctx: Any = mp.get_context(start_method())  # typeshed's BaseContext lacks Process
        self.conn, child = ctx.Pipe(duplex=False)
        self.proc = ctx.Process(
            target=_background, args=(child, func, args, os.getpid(), log and str(log)), daemon=False
        )
        _before_fork()
        self.proc.start()
        child.close()

    def cancel(self) -> None:
        self.proc.terminate()
        self.proc.join()
        self.conn.close()

    def join(self) -> Any:
        try:
            value, error = self.conn.recv()
        except EOFError:
            self.proc.join()
            raise RuntimeError(f"a background writer died ({_exit_reason(self.proc)})") from None
        finally:
            self.conn.close()
        self.proc.join()
        if error is not None:
            raise error
        return value
