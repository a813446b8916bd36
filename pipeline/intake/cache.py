"""Parsed submissions kept between runs, keyed by file content (sha256), so that a rerun after
a late file arrives reads only new or changed files.

One cache file per key: the report schema fingerprint, the programme workbook's bytes, the
pipeline version, the pipeline's own code and the period. Change any of them and the old cache
is ignored and removed: a cache pickled by other code may not even load into this code's types.
The cache holds data only (JSON and Arrow IPC, ``cachefile``): a file planted in the folder cannot
run code; one that does not load is removed and the files are read again.
"""

from __future__ import annotations

import functools
import hashlib
import json
from importlib.metadata import version
from pathlib import Path

import pyarrow as pa

import pipeline
import schemas
from pipeline.core.files import replacing, write_text
from pipeline.intake import cachefile
from pipeline.intake.worker import FileResult
from schemas.report import REPORT_FINGERPRINT

CACHE_DIR = ".cache"


@functools.cache
def code_digest() -> str:
    """The digest of every Python source of the pipeline and its schemas: a change to the code
    that reads or types submissions must not meet a cache written by the old code."""
    digest = hashlib.sha256()
    for package in (pipeline, schemas):
        root = Path(package.__file__).parent
        for path in sorted(root.rglob("*.py")):
            digest.update(path.relative_to(root.parent).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def cache_key(programme_path: Path, period: str) -> str:
    digest = hashlib.sha256()
    for part in (REPORT_FINGERPRINT, version("bangfu"), code_digest(), period):
        digest.update(part.encode() + b"\0")
    digest.update(programme_path.read_bytes())
    return digest.hexdigest()[:20]


class IntakeCache:
    """Load and save {sha256: FileResult} for one key, as data (``cachefile``), never pickle."""

    def __init__(self, out: Path, key: str) -> None:
        self.folder = out / CACHE_DIR
        self.path = self.folder / f"intake-{key}.cache"
        self.problem = ""  # why a cache file there was not used, for the log

    def load(self) -> dict[str, FileResult]:
        if not self.path.exists():
            return {}
        try:
            return cachefile.read(self.path)
        except Exception as exc:  # noqa: BLE001 - a damaged or foreign cache is only a slower run
            self.problem = f"{self.path.name}: {type(exc).__name__}: {exc}"
            self.path.unlink(missing_ok=True)
            return {}

    def save(self, results: dict[str, FileResult]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        for stale in self.folder.glob("intake-*"):
            if stale != self.path:
                stale.unlink()
        try:
            data = cachefile.dump(results)
        except (pa.ArrowException, TypeError, ValueError) as exc:  # rows Arrow cannot hold: no cache, same results
            self.problem = f"not cached: {type(exc).__name__}: {exc}"
            return
        with replacing(self.path) as temp:
            temp.write_bytes(data)


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class OutputLedger:
    """Outputs that are pure functions of their inputs, rewritten only when an input digest
    changes (or an output is missing or altered), as make does. A rerun with nothing new
    then costs the reading of the cache and the checks, not the writing."""

    def __init__(self, out: Path, name: str) -> None:
        self.path = out / CACHE_DIR / f"outputs-{name}.json"

    def unchanged(self, digest: str) -> bool:
        if not self.path.exists():
            return False
        try:
            record = json.loads(self.path.read_text(encoding="utf-8"))
        except ValueError:
            return False
        if record.get("digest") != digest:
            return False
        return all(Path(p).exists() and file_digest(Path(p)) == sha for p, sha in record.get("files", {}).items())

    def record(self, digest: str, paths: list[Path]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        files = {str(p): file_digest(p) for p in paths if p.exists()}
        write_text(self.path, json.dumps({"digest": digest, "files": files}, ensure_ascii=False, indent=1))


def forget_outputs(out: Path, period: str) -> None:
    """Forget which outputs of ``period`` are current: the next writing rewrites them all."""
    for path in (out / CACHE_DIR).glob(f"*{period}*.json"):
        path.unlink(missing_ok=True)


def digest_of(*parts: object) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(repr(part).encode() + b"\0")
    return digest.hexdigest()
