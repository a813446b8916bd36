"""An inbox at an fsspec URL (``s3://bucket/prefix`` and any other store fsspec knows), for a cluster
whose workers share object storage rather than a mounted folder.

The parent mirrors the objects into a local folder before the run (only those new or changed since
the last mirror: size and modification time), each under a temporary name then renamed, with the
object's time as the file's (the received time when no mail record says otherwise); an object
gone from the store goes from the mirror. The intake then lists, hashes and reads the mirror like
any inbox. On a cluster each task fetches its own batch's objects from the store, so that the
workers need the store, not the parent's disk. Credentials and endpoints come from the
environment, as for every tool of the store (AWS_ACCESS_KEY_ID, AWS_ENDPOINT_URL, …).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pipeline.core.errors import ConfigError

URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
MIRROR_DIR = ".inbox-mirror"  # in the output folder: one mirror a URL


def is_remote(location: object) -> bool:
    text = str(location)
    return bool(URL.match(text)) and not text.lower().startswith("file://")


def _fs(url: str) -> tuple[Any, str]:
    try:
        import fsspec
    except ImportError as exc:
        raise ConfigError("error.remote_needs_fsspec", url=url) from exc
    try:
        return fsspec.core.url_to_fs(url)
    except (ImportError, ValueError) as exc:  # a scheme whose driver is missing (s3fs), or unknown
        raise ConfigError("error.remote_needs_fsspec", url=url) from exc


def _when(info: dict[str, Any]) -> float | None:
    for key in ("LastModified", "mtime", "last_modified", "modified", "created"):
        value = info.get(key)
        if isinstance(value, dt.datetime):
            return value.timestamp()
        if isinstance(value, int | float):
            return float(value)
    return None


def mirror_folder(url: str, out: Path) -> Path:
    return out / MIRROR_DIR / hashlib.sha256(url.encode()).hexdigest()[:16]


def mirror(url: str, out: Path) -> Path:
    """The objects under ``url`` in a local folder (``OUT/.inbox-mirror/<url digest>``), brought up
    to date; a store that cannot be read is a ConfigError naming it (exit 2)."""
    fs, root = _fs(url)
    folder = mirror_folder(url, out)
    folder.mkdir(parents=True, exist_ok=True)
    root = root.rstrip("/")
    try:
        listing = fs.find(root, detail=True)
        wanted = set()
        for path, info in sorted(listing.items()):
            if info.get("type", "file") != "file":
                continue
            rel = path[len(root) :].lstrip("/")
            if not rel or ".." in Path(rel).parts:
                continue
            wanted.add(rel)
            target, stamp, size = folder / rel, _when(info), info.get("size")
            if target.is_file() and target.stat().st_size == size and stamp and abs(target.stat().st_mtime - stamp) < 1:
                continue  # unchanged since the last mirror
            target.parent.mkdir(parents=True, exist_ok=True)
            with _temporary(target) as temp:
                fs.get_file(path, str(temp))
            if stamp:
                os.utime(target, (stamp, stamp))
    except ConfigError:
        raise
    except Exception as exc:  # noqa: BLE001 - botocore, aiohttp, OSError: the store could not be read
        raise ConfigError("error.remote_unreadable", url=url, reason=str(exc).splitlines()[0][:300]) from exc
    for path in sorted(folder.rglob("*"), reverse=True):  # gone from the store: gone from the mirror
        rel = path.relative_to(folder).as_posix()
        if path.is_file() and rel not in wanted:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return folder


@contextlib.contextmanager
def _temporary(target: Path) -> Iterator[Path]:
    temp = target.with_name(f".~bangfu-{os.getpid()}-{target.name}")
    try:
        yield temp
        temp.replace(target)
    finally:
        temp.unlink(missing_ok=True)


@contextlib.contextmanager
def fetched(url: str, batch: list[tuple[str, str]]) -> Iterator[list[tuple[str, str]]]:
    """On a worker: the batch's objects (by their inbox-relative names) in a temporary folder,
    removed afterwards; the batch with each file's local path."""
    fs, root = _fs(url)
    folder = Path(tempfile.mkdtemp(prefix="bangfu-batch-"))
    try:
        local = []
        for i, (_, rel) in enumerate(batch):
            target = folder / f"{i}{Path(rel).suffix}"
            fs.get_file(f"{root.rstrip('/')}/{rel}", str(target))
            local.append((str(target), rel))
        yield local
    finally:
        shutil.rmtree(folder, ignore_errors=True)
