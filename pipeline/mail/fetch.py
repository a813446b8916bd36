"""Collecting attachments from the bureau's mail into the inbox, each with a sidecar record.

Sources: an IMAP folder, an mbox file, a Maildir, or a folder of .eml files. Every spreadsheet
attachment (xlsx, xlsm, xls, ods, also inside .zip attachments and forwarded messages) is saved
under a safe name; the same content is stored once. The sidecar (``.bangfu-mail/<sha256>.json``)
keeps the sender, the Date header, the IMAP internal date, the subject, the Message-ID and the
original name, so the intake can use the time the school sent it. Every message is listed in
``.bangfu-mail/fetch_log.csv``, those without a spreadsheet too, so nothing sent goes unseen.
"""

from __future__ import annotations

import datetime as dt
import email
import hashlib
import io
import json
import mailbox
import os
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from email.message import Message
from email.policy import default as DEFAULT_POLICY
from email.utils import parseaddr, parsedate_to_datetime
from pathlib import Path, PurePosixPath

from pipeline.core.csvsafe import append_rows
from pipeline.core.errors import MailError
from pipeline.intake.sidecar import Sidecar, load_sidecar, sidecar_dir
from pipeline.intake.sniff import Limits, Rejected
from pipeline.intake.zipscan import check_zip

SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".ods")
_ARCHIVES = (".zip", ".rar", ".7z", ".tar", ".gz")
_MAX_BYTES = 200  # of a saved name in UTF-8: room for "(2)" under the usual 255
LOG_COLUMNS = ["message_id", "date", "sender", "subject", "attachment", "saved_as", "outcome"]
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')


@dataclass(frozen=True)
class Raw:
    """One message as fetched: its bytes and, from IMAP, the server's internal date."""

    data: bytes
    internal_date: dt.datetime | None = None


@dataclass
class FetchResult:
    saved: list[Path] = field(default_factory=list)
    duplicates: int = 0
    messages: int = 0
    without_spreadsheet: int = 0
    log: Path | None = None
    skipped: int = 0  # IMAP messages read by an earlier fetch into this inbox, not read again


def safe_name(name: str) -> str:
    """A file name that cannot leave the inbox nor mislead whoever reads it: last path part only,
    no control characters, no bidi overrides or zero-width characters (which can make
    "报表\u202excod.xlsx" show as "报表xslx.doc"), at most 120 characters and 200 bytes with its
    extension kept."""
    name = unicodedata.normalize("NFC", name or "")
    name = PurePosixPath(name.replace("\\", "/")).name
    name = "".join(ch for ch in name if unicodedata.category(ch) != "Cf")
    name = _UNSAFE.sub("_", name).strip(" .") or "attachment"
    stem, dot, ext = name.rpartition(".")
    if not dot or not 0 < len(ext) <= 5:
        stem, ext = name, ""
    suffix = f".{ext}" if ext else ""
    while len(stem) > 1 and (len(stem) + len(suffix) > 120 or len((stem + suffix).encode()) > _MAX_BYTES):
        stem = stem[:-1]  # a file system takes 255 bytes a name: 85 Chinese characters, not 120
    return stem + suffix


def _header_date(message: Message) -> str:
    try:
        when = parsedate_to_datetime(str(message.get("Date", "")))
    except (TypeError, ValueError, IndexError):
        return ""
    if when.tzinfo is None:
        when = when.astimezone()
    return when.isoformat()


def _spreadsheets(message: Message, limits: Limits) -> Iterator[tuple[str, bytes | None, str]]:
    """(file name, bytes, zip it came in or "") of every spreadsheet attachment, forwarded ones too;
    a zip refused or an archive inside one is (name, None, why), so that the log shows it."""
    for part in message.walk():
        if part.is_multipart():
            continue
        name = part.get_filename()
        if not name:
            continue
        payload = part.get_payload(decode=True)
        payload = payload if isinstance(payload, bytes) else b""
        lower = name.lower()
        if lower.endswith(SPREADSHEETS):
            yield name, payload, ""
        elif lower.endswith(".zip"):
            yield from _from_zip(name, payload, limits)


def _from_zip(name: str, payload: bytes, limits: Limits) -> Iterator[tuple[str, bytes | None, str]]:
    """Spreadsheets inside a zip attachment, after the zip-bomb guard; a refused zip, or an
    archive inside it (never opened: one level only), is (name, None, why)."""
    buffer = io.BytesIO(payload)
    try:
        check_zip(buffer, limits)
        with zipfile.ZipFile(buffer) as zf:
            for info in zf.infolist():
                member = _zip_name(info)
                if info.is_dir():
                    continue
                if member.lower().endswith(SPREADSHEETS):
                    yield member, zf.read(info), name
                elif member.lower().endswith(_ARCHIVES):
                    yield member, None, "refused: nested-archive"
    except Rejected as exc:
        yield name, None, f"refused: {exc.code}"
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError):
        yield name, None, "refused: zip-truncated"


def _zip_name(info: zipfile.ZipInfo) -> str:
    """Zip member names from Windows tools are often GBK without the UTF-8 flag."""
    if info.flag_bits & 0x800:
        return info.filename
    raw = info.filename.encode("cp437", errors="replace")
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


class Collector:
    """Saves attachments into one inbox, once per content, and logs every message."""

    def __init__(self, inbox: Path, limits: Limits | None = None) -> None:
        self.inbox = inbox
        self.limits = limits or Limits()
        self.meta = sidecar_dir(inbox)
        self.meta.mkdir(parents=True, exist_ok=True)
        self.rows: list[dict[str, str]] = []
        self.result = FetchResult()

    def add(self, raw: Raw) -> None:
        message = email.message_from_bytes(raw.data, policy=DEFAULT_POLICY)
        self.result.messages += 1
        sender = parseaddr(str(message.get("From", "")))[1].lower()
        base = {
            "message_id": str(message.get("Message-ID", "")).strip(),
            "date": _header_date(message),
            "sender": sender,
            "subject": str(message.get("Subject", "")).strip(),
        }
        found = False
        for name, payload, zip_name in _spreadsheets(message, self.limits):
            found = True
            if payload is None:  # refused: zip_name says why
                self.rows.append({**base, "attachment": name, "saved_as": "", "outcome": zip_name})
                continue
            outcome, saved = self._save(name, payload, zip_name, base, raw)
            self.rows.append({**base, "attachment": name, "saved_as": saved, "outcome": outcome})
        if not found:
            self.result.without_spreadsheet += 1
            self.rows.append({**base, "attachment": "", "saved_as": "", "outcome": "no-spreadsheet"})

    def _save(self, name: str, payload: bytes, zip_name: str, base: dict[str, str], raw: Raw) -> tuple[str, str]:
        if len(payload) > self.limits.file_size:
            return "too-large", ""
        sha = hashlib.sha256(payload).hexdigest()
        known = load_sidecar(self.inbox, sha)
        if known is not None:
            if base["message_id"] and base["message_id"] not in known.also_in:
                known.also_in.append(base["message_id"])
                self._write_sidecar(known)
            self.result.duplicates += 1
            return "duplicate", known.file
        target = self._free_path(safe_name(name))
        target.write_bytes(payload)
        internal = raw.internal_date.isoformat() if raw.internal_date else ""
        car = Sidecar(
            sha256=sha,
            file=target.relative_to(self.inbox).as_posix(),
            original_name=name,
            sender=base["sender"],
            date=base["date"],
            internal_date=internal,
            subject=base["subject"],
            message_id=base["message_id"],
            inside_zip=zip_name,
        )
        self._write_sidecar(car)
        when = car.received()
        if when is not None:  # the file's time is the sending time too, for anyone browsing the folder
            os.utime(target, (when.timestamp(), when.timestamp()))
        self.result.saved.append(target)
        return "saved", car.file

    def _free_path(self, name: str) -> Path:
        path = self.inbox / name
        stem, suffix = path.stem, path.suffix
        n = 2
        while path.exists():
            path = self.inbox / f"{stem}({n}){suffix}"
            n += 1
        return path

    def _write_sidecar(self, car: Sidecar) -> None:
        path = self.meta / f"{car.sha256}.json"
        path.write_text(json.dumps(asdict(car), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    def close(self) -> FetchResult:
        log = self.meta / "fetch_log.csv"
        append_rows(log, LOG_COLUMNS, self.rows)
        self.result.log = log
        return self.result


def from_mbox(path: Path) -> Iterator[Raw]:
    box = mailbox.mbox(str(path), create=False)
    try:
        for key in box.iterkeys():
            yield Raw(box.get_bytes(key))
    finally:
        box.close()


def from_maildir(path: Path) -> Iterator[Raw]:
    box = mailbox.Maildir(str(path), create=False)
    for key in sorted(box.keys()):
        yield Raw(box.get_bytes(key))


class MaildirMessages:
    """A Maildir's messages not read by an earlier fetch into ``inbox`` (their keys kept in
    ``maildir_seen.txt`` among the mail records, each as soon as it is handled), so that a watcher
    polling the folder reads each message once. ``skipped``: those read before."""

    def __init__(self, path: Path, inbox: Path) -> None:
        self.path, self.state = path, sidecar_dir(inbox) / "maildir_seen.txt"
        self.skipped = 0

    def __iter__(self) -> Iterator[Raw]:
        seen = set(self.state.read_text(encoding="utf-8").split()) if self.state.exists() else set()
        box = mailbox.Maildir(str(self.path), create=False)
        self.state.parent.mkdir(parents=True, exist_ok=True)
        for key in sorted(box.keys()):
            if key in seen:
                self.skipped += 1
                continue
            yield Raw(box.get_bytes(key))
            with self.state.open("a", encoding="utf-8") as fh:  # handled: never read again
                fh.write(key + "\n")


def from_eml(folder: Path) -> Iterator[Raw]:
    for path in sorted(folder.rglob("*.eml")):
        yield Raw(path.read_bytes())


def fetch(inbox: Path, messages: Iterable[Raw]) -> FetchResult:
    """Save every spreadsheet attachment of ``messages`` into ``inbox`` and log every message."""
    inbox.mkdir(parents=True, exist_ok=True)
    collector = Collector(inbox)
    try:
        for raw in messages:
            collector.add(raw)
    except MailError as exc:  # what was saved stays, and is logged; the message says how many
        done = collector.close()
        exc.facts.update(saved=len(done.saved), log=done.log)
        raise
    result = collector.close()
    result.skipped = getattr(messages, "skipped", 0)  # an IMAP folder's messages read by an earlier fetch
    return result
