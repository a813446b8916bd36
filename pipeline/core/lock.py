"""One run at a time per output folder: a lock file naming the process, host and start time that
hold it. A second run says who holds it (exit 2); a lock whose process is gone is taken over."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import os
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar, cast

from pipeline.core.errors import PipelineError
from pipeline.core.files import missing_parents, remove_if_empty

LOCK_NAME = ".bangfu.lock"
F = TypeVar("F", bound=Callable[..., Any])
_HELD: dict[Path, int] = {}  # this process's locks and how deep it holds each (check inside run)


class Locked(PipelineError):
    """Another run holds the output folder."""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process, alive
    return True


def _holder(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


@contextlib.contextmanager
def locked(out: Path) -> Iterator[None]:
    """Hold ``out`` for this run (re-entered freely by the same process). A folder made for the
    lock alone is removed with it."""
    key = out.resolve()
    if key in _HELD:
        _HELD[key] += 1
        try:
            yield
        finally:
            _HELD[key] -= 1
        return
    path = key / LOCK_NAME
    made = missing_parents(key)
    key.mkdir(parents=True, exist_ok=True)
    me = {"pid": os.getpid(), "host": socket.gethostname(), "started": dt.datetime.now().isoformat(timespec="seconds")}
    _take(path, me)
    _HELD[key] = 1
    try:
        yield
    finally:
        del _HELD[key]
        with contextlib.suppress(OSError):
            if _holder(path) == me:
                path.unlink()
        remove_if_empty(made)


def _take(path: Path, me: dict) -> None:
    for _ in range(3):
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            holder = _holder(path)
            if holder is None or (holder.get("host") == me["host"] and not _alive(int(holder.get("pid", 0)))):
                path.unlink(missing_ok=True)  # a run that died, or a lock left half-written: taken over
                continue
            raise Locked(
                "error.locked", folder=str(path.parent), pid=holder.get("pid"), host=holder.get("host"),
                started=holder.get("started"),
            ) from None  # fmt: skip
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(me, fh)
        return
    raise Locked("error.locked", folder=str(path.parent), pid="?", host="?", started="?")


def holding(func: F) -> F:
    """``func(settings, …)`` run while holding ``settings.out``."""

    @functools.wraps(func)
    def wrapper(settings: Any, *args: Any, **kwargs: Any) -> Any:
        with locked(Path(settings.out)):
            return func(settings, *args, **kwargs)

    return cast(F, wrapper)
