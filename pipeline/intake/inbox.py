"""The inbox: every file under a folder, listed once, hashed by a thread while the programme
loads, and made into submissions with their received time and sender."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import threading
from pathlib import Path

from pipeline.core.errors import ConfigError
from pipeline.intake.sidecar import MAIL_DIR, load_sidecar, sidecar_dir
from pipeline.intake.submission import IGNORED, Submission


def discover(inbox: Path) -> list[tuple[str, Path]]:
    """Every file under the inbox as (relative path, path), recursively, in a stable order by
    relative path (not the mail fetch's records); folders linked in are not entered. One directory
    listing a folder, not a stat a file: ten thousand files."""
    found: list[tuple[str, Path]] = []

    def walk(folder: str, prefix: str) -> None:
        with os.scandir(folder) as entries:
            for entry in entries:
                if not prefix and entry.name == MAIL_DIR:
                    continue
                if entry.is_dir(follow_symlinks=False):
                    walk(entry.path, f"{prefix}{entry.name}/")
                elif entry.is_file():
                    found.append((f"{prefix}{entry.name}", Path(entry.path)))

    walk(str(inbox), "")
    return sorted(found, key=lambda f: f[0])


_LITTER_NAMES = frozenset({".ds_store", "thumbs.db", "desktop.ini", "ehthumbs.db", ".localized"})


def is_litter(rel: str) -> bool:
    """A file an office suite or an operating system leaves beside the real ones: Excel's and WPS's
    owner files (~$…), LibreOffice's locks (.~lock.…#), macOS's ._ and .DS_Store, Windows's
    Thumbs.db and desktop.ini, editors' temporary files. Listed as ignored, never a submission."""
    name = rel.rsplit("/", 1)[-1]
    lower = name.lower()
    return (
        lower in _LITTER_NAMES
        or name.startswith(("~$", ".~lock.", "._", "~WRL", ".~"))
        or lower.endswith((".tmp", ".swp", ".crdownload", ".part"))
    )


def copied_in_bulk(subs: list[Submission]) -> int:
    """How many files share one received minute when most of the inbox does (at least five and
    four in five of the files without a mail record): copied with a tool that set every file's
    time to the copy's, so lateness and the order of resubmissions cannot be told. 0 otherwise."""
    stamped = [s.received.replace(second=0, microsecond=0) for s in subs if not s.sender and s.status != IGNORED]
    if len(stamped) < 5:
        return 0
    top = max(stamped.count(t) for t in set(stamped))
    return top if top * 5 >= len(stamped) * 4 else 0


def _digest(path: Path) -> tuple[os.stat_result, str]:
    """A file's stat and sha256, from one open."""
    with open(path, "rb") as fh:
        return os.fstat(fh.fileno()), hashlib.file_digest(fh, "sha256").hexdigest()


def received(
    index: int, path: Path, rel: str, inbox: Path, sidecars: set[str], stat: os.stat_result, sha: str
) -> Submission:
    """The file as received: when the school sent it (the mail's Date, else the file's time) and
    by whom. ``sidecars`` names the mail records in the inbox."""
    mail = load_sidecar(inbox, sha) if f"{sha}.json" in sidecars else None
    when = (mail.received() if mail else None) or dt.datetime.fromtimestamp(stat.st_mtime)
    return Submission(
        index=index,
        path=path,
        rel=rel,
        size=stat.st_size,
        sha256=sha,
        received=when,
        sender=mail.sender if mail else "",
    )


class Inbox:
    """The inbox's files in path order, hashed by a thread from the moment it is listed (reads
    and hashlib let go of the GIL): listed before the programme loads, it is hashed meanwhile.
    One thread in a plain loop: a pool of two took twice the CPU (a future a file, and the two
    fighting over the GIL) and longer."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        # Submissions are numbered by relative path: nothing downstream depends on the order files are found.
        found = sorted(discover(folder), key=lambda f: f[0]) if folder.is_dir() else []
        self.rels = [rel for rel, _ in found]
        self.files = [path for _, path in found]
        self._digests: list[tuple[os.stat_result, str]] = []
        self._error: BaseException | None = None
        self._stop = threading.Event()
        self._hashing = threading.Thread(target=self._hash_all, name="inbox-hashing", daemon=True)
        self._hashing.start()

    def _hash_all(self) -> None:
        try:
            for path in self.files:
                if self._stop.is_set():
                    return
                self._digests.append(_digest(path))
        except BaseException as exc:  # noqa: BLE001 - raised again in the caller's thread
            self._error = exc

    def submissions(self) -> list[Submission]:
        """Every file as received, numbered by path."""
        if self.folder.is_file():
            raise ConfigError("error.inbox_is_a_file", path=str(self.folder))
        if not self.folder.is_dir():
            raise ConfigError("error.no_inbox", path=str(self.folder))
        mail = sidecar_dir(self.folder)
        sidecars = set(os.listdir(mail)) if mail.is_dir() else set()
        try:
            self._hashing.join()
            if self._error is not None:
                raise self._error
            subs = [
                received(i, path, rel, self.folder, sidecars, *digest)
                for i, (path, rel, digest) in enumerate(zip(self.files, self.rels, self._digests, strict=True))
            ]
            for sub in subs:
                if is_litter(sub.rel):
                    sub.status, sub.reason = IGNORED, IGNORED
            return subs
        finally:
            self.close()

    def close(self) -> None:
        """Stop hashing (no thread outlives the listing: workers are forked after it)."""
        self._stop.set()
        self._hashing.join()
