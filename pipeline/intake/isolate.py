"""Run a reader on untrusted files in long-lived worker processes, each with a memory cap and
a wall-clock timeout. A worker that dies (a reader abort or panic) or overruns is replaced,
and only the file it was reading is marked; the run goes on.
"""

from __future__ import annotations

import contextlib
import faulthandler
import gc
import multiprocessing as mp
import os
import resource
import signal
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.reduction import ForkingPickler

GIB = 1024**3
_QUEUED_BYTES = 16 * 1024  # a task sent ahead to a busy worker is at most this big (pipes buffer more)


@dataclass(frozen=True)
class Outcome:
    """The result for one task: ``value`` or ``error`` (an exception from the reader), or a
    ``failure`` ("crashed", "timeout") when the worker itself did not survive the file."""

    index: int
    value: object = None
    error: BaseException | None = None
    failure: str = ""
    detail: str = ""


def _vm_size() -> int:
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return 0


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


def _worker(conn: Connection, func: Callable, memory: int) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    faulthandler.disable()  # a reader abort is reported by the parent, not dumped on the terminal
    gc.set_threshold(*BATCH_GC)
    if memory:
        cap = _vm_size() + memory  # on top of what the interpreter already maps
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    while True:
        try:
            task = conn.recv()
        except EOFError:
            return
        if task is None:
            return
        index, arg = task
        try:
            reply = (index, func(arg), None)
        except MemoryError:
            reply = (index, None, MemoryError("memory limit reached"))
        except Exception as exc:  # noqa: BLE001 - a reader's failure is data for the manifest
            reply = (index, None, exc)
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


class _Slot:
    def __init__(self, ctx, func: Callable, memory: int) -> None:
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker, args=(child, func, memory), daemon=True)
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
    if code is not None and code < 0:
        try:
            return f"signal {signal.Signals(-code).name}"
        except ValueError:
            return f"signal {-code}"
    return f"exit code {code}"


def run_isolated(func: Callable, args: list, workers: int = 2, memory: int = GIB,
                 timeout: float = 60.0, queued: int = 2) -> Iterator[Outcome]:
    """Apply ``func`` to each of ``args`` in worker processes; yield outcomes as they finish.

    Each worker holds up to ``queued`` tasks, so that it starts the next one while the parent
    is still reading the last one's result instead of waiting for it. When a worker dies or
    overruns, only the task it was working on is marked; the ones behind it go to another."""
    if not args:
        return
    ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    pending = list(range(len(args)))[::-1]
    def new_slot() -> _Slot:
        return _Slot(ctx, func, memory)

    def lost(slot: _Slot) -> None:
        """The tasks behind a dead worker's current one never started: back to the queue."""
        pending.extend(reversed(slot.tasks[1:]))

    slots = [new_slot() for _ in range(min(workers, len(args)))]
    messages: dict[int, bytes] = {}  # a task pickled but not sent yet
    try:
        done = 0
        while done < len(args):
            for i, slot in enumerate(slots):
                while len(slot.tasks) < queued and pending:
                    if pending[-1] not in messages:
                        messages[pending[-1]] = ForkingPickler.dumps((pending[-1], args[pending[-1]]))
                    if slot.tasks and len(messages[pending[-1]]) > _QUEUED_BYTES:
                        break  # it would not fit the pipe while the worker is busy: no waiting on each other
                    task = pending.pop()
                    message = messages.pop(task)
                    if not slot.tasks:
                        slot.started = time.monotonic()
                    slot.tasks.append(task)
                    try:
                        slot.conn.send_bytes(message)
                    except OSError:
                        pending.extend(reversed(slot.tasks))
                        slots[i] = slot = _replace(slot, new_slot)
            busy = [s for s in slots if s.tasks]
            deadline = min(s.started for s in busy) + timeout
            ready = wait([s.conn for s in busy], timeout=max(0.0, deadline - time.monotonic()))
            for i, slot in enumerate(slots):
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
                        lost(slot)
                        slots[i] = _replace(slot, new_slot)
                elif time.monotonic() - slot.started >= timeout:
                    outcome = Outcome(slot.tasks[0], failure="timeout", detail=f"{timeout:g} s")
                    lost(slot)
                    slots[i] = _replace(slot, new_slot)
                else:
                    continue
                done += 1
                yield outcome
    finally:
        for slot in slots:
            slot.stop(kill=bool(slot.tasks))


def _replace(slot: _Slot, new_slot: Callable[[], _Slot]) -> _Slot:
    slot.stop(kill=True)
    return new_slot()


def _background(conn: Connection, func: Callable, args: tuple) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
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
    """``func(*args)`` in a forked child while the parent goes on; ``join`` returns its value or
    raises its exception. The child may run a pool of its own: it forks from its main thread.
    Where fork is not available, ``func`` simply runs at once."""

    def __init__(self, func: Callable, *args: object) -> None:
        self.proc = None
        if "fork" not in mp.get_all_start_methods():
            self._value = func(*args)
            return
        ctx = mp.get_context("fork")
        self.conn, child = ctx.Pipe(duplex=False)
        self.proc = ctx.Process(target=_background, args=(child, func, args), daemon=False)
        _before_fork()
        self.proc.start()
        child.close()

    def cancel(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.join()
            self.conn.close()

    def join(self) -> object:
        if self.proc is None:
            return self._value
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
