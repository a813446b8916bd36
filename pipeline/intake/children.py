"""What every child process of a run does first: die with its parent, leave Ctrl-C to the parent,
and write what it would print on the terminal (a reader's panic and its backtrace, a fatal error)
to the run's log file instead."""

from __future__ import annotations

import contextlib
import ctypes
import faulthandler
import os
import signal
import sys
import threading
import time

_PR_SET_PDEATHSIG = 1  # linux/prctl.h
_WATCH = 0.5  # seconds between two looks at the parent, where the kernel cannot be asked


def start_child(parent: int, log: str | None) -> None:
    """Called first in a child; ``parent`` is the pid of the process that started it (0: the one
    it was forked from, a fork server, which ends with the process that started it)."""
    parent = parent or os.getppid()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    faulthandler.disable()  # a reader abort is reported by the parent, not dumped on the terminal
    die_with(parent)
    if log:
        to_log(log)


def die_with(parent: int) -> None:
    """End this process when ``parent`` ends, however it ends (killed, crashed, Ctrl-C): on Linux
    the kernel sends SIGKILL (PR_SET_PDEATHSIG); elsewhere a thread watches the parent's pid.
    Orphaned workers would otherwise wait on their pipe for good and hold a piped run open."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    else:
        threading.Thread(target=_watch, args=(parent,), name="parent-watch", daemon=True).start()
    if os.getppid() != parent:  # it died before the request above took effect
        os._exit(0)


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(_WATCH)
    os._exit(0)


def to_log(path: str) -> None:
    """This process's stderr (Python's and native code's alike) appended to ``path``."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    except OSError:
        return  # no log: stderr stays where it was rather than the child failing
    sys.stderr.flush()
    os.dup2(fd, 2)
    os.close(fd)
    sys.stderr = open(2, "w", encoding="utf-8", errors="replace", closefd=False, buffering=1)  # noqa: SIM115
