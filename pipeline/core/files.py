"""Writing an output so that nobody ever sees half of it: each file is written under a temporary
name in its own folder and renamed over the old one when complete. A file held open by Excel,
WPS or LibreOffice, a folder that cannot be written, a full disk: a message for the analyst
(exit 2), never a traceback, and never a 0-byte file under the output's name."""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterator
from pathlib import Path

from pipeline.core.errors import PipelineError

TEMP_PREFIX = ".~bangfu-"  # a file being written; a folder's leftovers of a killed run are removed


class OutputError(PipelineError):
    """An output cannot be written; ``code`` says why and ``facts`` name the path."""


def temp_for(path: Path) -> Path:
    """The temporary name ``path`` is written under, beside it (a rename stays on one disk)."""
    return path.with_name(f"{TEMP_PREFIX}{os.getpid()}-{path.name}")


def open_elsewhere(path: Path) -> bool:
    """Whether an office suite holds ``path`` open: Excel and WPS leave an owner file ``~$…``
    beside it, LibreOffice a ``.~lock.…#``."""
    folder, name = path.parent, path.name
    owners = {f"~${name}", f"~${name[2:]}", f".~lock.{name}#"}
    return any((folder / owner).exists() for owner in owners)


def check_closed(path: Path) -> None:
    if open_elsewhere(path):
        raise OutputError("error.output_open", path=str(path), name=path.name)


@contextlib.contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """Yield the temporary path to write ``path`` under; on success it replaces ``path``, on any
    failure it is removed and the old ``path`` (if any) is left as it was."""
    check_closed(path)
    temp = temp_for(path)
    try:
        yield temp
        publish(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise


def publish(temp: Path, path: Path) -> None:
    """``temp`` renamed over ``path``; a file locked by an office suite (Windows) says so."""
    try:
        os.replace(temp, path)
    except PermissionError as exc:
        raise OutputError("error.output_open", path=str(path), name=path.name) from exc


def output_error(exc: OSError) -> OutputError:
    """What an analyst is told for an output that could not be written."""
    path = exc.filename or ""
    if exc.errno == errno.ENOSPC:
        return OutputError("error.output_full", path=path)
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return OutputError("error.output_denied", path=path)
    if exc.errno in (errno.ENOTDIR, errno.EEXIST):
        return OutputError("error.output_not_folder", path=path)
    return OutputError("error.output_failed", path=path, reason=exc.strerror or type(exc).__name__)


def ensure_writable(folder: Path) -> None:
    """The output folder can be made and takes a file: checked before any input is read, so that
    a run never does its work only to fail at the end. Folders made for the probe are removed
    again (a run that then stops for a broken programme workbook leaves nothing behind)."""
    made = missing_parents(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = temp_for(folder / "probe")
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise output_error(exc) from exc
    finally:
        remove_if_empty(made)


def missing_parents(folder: Path) -> list[Path]:
    """``folder`` and those of its parents that do not exist yet, deepest first."""
    made = []
    for path in (folder, *folder.parents):
        if path.exists():
            break
        made.append(path)
    return made


def remove_if_empty(folders: list[Path]) -> None:
    for path in folders:
        with contextlib.suppress(OSError):
            path.rmdir()  # only an empty folder goes


def clear_leftovers(folder: Path) -> None:
    """Temporary files a killed run left in ``folder`` (never a finished output)."""
    with contextlib.suppress(OSError):
        for leftover in folder.rglob(f"{TEMP_PREFIX}*"):
            with contextlib.suppress(OSError):
                leftover.unlink()


def write_text(path: Path, text: str) -> Path:
    """``text`` as UTF-8, under a temporary name first."""
    return write_bytes(path, text.encode("utf-8"))


def write_bytes(path: Path, data: bytes) -> Path:
    with replacing(path) as temp:
        temp.write_bytes(data)
    return path
