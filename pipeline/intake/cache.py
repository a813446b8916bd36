"""Parsed submissions kept between runs, keyed by file content (sha256), so that a rerun after
a late file arrives reads only new or changed files.

One cache file per key: the report schema fingerprint, the programme workbook's bytes, the
pipeline version, the pipeline's own code and the period. Change any of them and the old cache
is ignored and removed: a cache pickled by other code may not even load into this code's types.
The cache is the pipeline's own state in the analyst's output folder (pickle: never copy a
cache from elsewhere into it).
"""

from __future__ import annotations

import functools
import hashlib
import json
import pickle
from importlib.metadata import version
from pathlib import Path

import pipeline
import schemas
from pipeline.core.files import replacing, write_text
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
    """Load and save {sha256: FileResult} for one key."""

    def __init__(self, out: Path, key: str) -> None:
        self.folder = out / CACHE_DIR
        self.path = self.folder / f"intake-{key}.pkl"

    def load(self) -> dict[str, FileResult]:
        if not self.path.exists():
            return {}
        try:
            with self.path.open("rb") as fh:
                return pickle.load(fh)
        except Exception:  # noqa: BLE001 - a damaged cache is only a slower run
            return {}

    def save(self, results: dict[str, FileResult]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        for stale in self.folder.glob("intake-*.pkl"):
            if stale != self.path:
                stale.unlink()
        with replacing(self.path) as temp, temp.open("wb") as fh:
            pickle.dump(results, fh, protocol=pickle.HIGHEST_PROTOCOL)


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
