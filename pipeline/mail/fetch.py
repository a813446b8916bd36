"""Collecting attachments from the bureau's mail into the inbox, each with a sidecar record.

Sources: an IMAP folder, an mbox file, a Maildir, or a folder of .eml files. Every spreadsheet
attachment (xlsx, xlsm, xls, ods, also inside .zip attachments and forwarded messages) is saved
under a safe name; the same content is stored once. The sidecar (``.bangfu-mail/<sha256>.json``)
keeps the sender, the Date header, the IMAP internal date, the subject, the Message-ID and the
original name, so the intake can use the time the school sent it. Every message is listed in
``.bangfu-mail/fetch_log.csv``, those without a spreadsheet too, so nothing sent goes unseen.
"""

from __future__ import annotations

import base64
import contextlib
import csv
import datetime as dt
import email
import hashlib
import imaplib
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

from pipeline.core.errors import MailError
from pipeline.intake.sidecar import Sidecar, load_sidecar, sidecar_dir
from pipeline.intake.sniff import Limits, Rejected
from pipeline.intake.zipscan import check_zip

SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".ods")
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
    """A file name that cannot leave the inbox: last path part only, no control characters."""
    name = unicodedata.normalize("NFC", name or "")
    name = PurePosixPath(name.replace("\\", "/")).name
    name = _UNSAFE.sub("_", name).strip(" .")
    return name[:120] or "attachment"


def _header_date(message: Message) -> str:
    try:
        when = parsedate_to_datetime(str(message.get("Date", "")))
    except (TypeError, ValueError, IndexError):
        return ""
    if when.tzinfo is None:
        when = when.astimezone()
    return when.isoformat()


def _spreadsheets(message: Message, limits: Limits) -> Iterator[tuple[str, bytes, str]]:
    """(file name, bytes, zip member or "") of every spreadsheet attachment, forwarded ones too."""
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


def _from_zip(name: str, payload: bytes, limits: Limits) -> Iterator[tuple[str, bytes, str]]:
    """Spreadsheets inside a zip attachment, after the zip-bomb guard; a bad zip yields nothing."""
    buffer = io.BytesIO(payload)
    try:
        check_zip(buffer, limits)
        with zipfile.ZipFile(buffer) as zf:
            for info in zf.infolist():
                member = _zip_name(info)
                if not info.is_dir() and member.lower().endswith(SPREADSHEETS):
                    yield member, zf.read(info), name
    except (Rejected, zipfile.BadZipFile, RuntimeError, NotImplementedError):
        return


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
        base = {"message_id": str(message.get("Message-ID", "")).strip(), "date": _header_date(message),
                "sender": sender, "subject": str(message.get("Subject", "")).strip()}
        found = False
        for name, payload, zip_name in _spreadsheets(message, self.limits):
            found = True
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
        car = Sidecar(sha256=sha, file=target.relative_to(self.inbox).as_posix(), original_name=name,
                      sender=base["sender"], date=base["date"], internal_date=internal, subject=base["subject"],
                      message_id=base["message_id"], inside_zip=zip_name)
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
        new = not log.exists()
        with log.open("a", encoding="utf-8-sig" if new else "utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, LOG_COLUMNS)
            if new:
                writer.writeheader()
            writer.writerows(self.rows)
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


def from_eml(folder: Path) -> Iterator[Raw]:
    for path in sorted(folder.rglob("*.eml")):
        yield Raw(path.read_bytes())


@dataclass(frozen=True)
class ImapSource:
    host: str
    user: str
    password: str
    port: int | None = None
    security: str = "ssl"  # "ssl", "starttls" or "plain"
    folder: str = "INBOX"
    since: dt.date | None = None
    inbox: Path | None = None  # where the last UID read is remembered (imap_state.csv among the mail records)
    refetch: bool = False  # read every message again, whatever was read before

    def messages(self) -> ImapMessages:
        return ImapMessages(self)

    @property
    def key(self) -> str:
        """The mailbox folder, as the state file names it."""
        return f"{self.user}@{self.host}:{self.port or ''}/{self.folder}"

    def login(self) -> imaplib.IMAP4:
        port = self.port or (993 if self.security == "ssl" else 143)
        try:
            if self.security == "ssl":
                client: imaplib.IMAP4 = imaplib.IMAP4_SSL(self.host, port, timeout=60)
            else:
                client = imaplib.IMAP4(self.host, port, timeout=60)
                if self.security == "starttls":
                    client.starttls()
        except (imaplib.IMAP4.error, OSError) as exc:
            raise MailError("mail.connect-failed", host=self.host, port=port, reason=exc) from exc
        try:
            client.login(self.user, self.password)
        except (imaplib.IMAP4.error, OSError) as exc:
            with contextlib.suppress(OSError):
                client.shutdown()
            raise MailError("mail.login-failed", host=self.host, user=self.user, variable="BANGFU_IMAP_PASSWORD",
                            reason=_imap_reason(exc)) from exc
        return client


class ImapMessages:
    """Every message of the folder (since ``since``), read-only: nothing is marked or moved. With
    an inbox, only the messages after the last UID an earlier fetch into it saw through
    (``skipped`` counts the others), as long as the folder's UIDVALIDITY is the same; the last UID
    is saved as each message is done with, so a dropped connection loses nothing."""

    def __init__(self, source: ImapSource) -> None:
        self.source = source
        self.skipped = 0

    def __iter__(self) -> Iterator[Raw]:
        src = self.source
        client = src.login()
        try:
            typ, _ = client.select(imap_folder(src.folder), readonly=True)
            if typ != "OK":
                raise MailError("mail.folder-missing", folder=src.folder, folders="、".join(_folders(client)))
            validity = (client.response("UIDVALIDITY")[1] or [b""])[0]
            validity = validity.decode() if isinstance(validity, bytes) else str(validity or "")
            state = _read_state(src.inbox) if src.inbox is not None else {}
            known = state.get(src.key, {})
            last = int(known.get("last_uid", 0)) if not src.refetch and validity and known.get("uidvalidity") == validity else 0
            criteria = ["SINCE", src.since.strftime("%d-%b-%Y")] if src.since else ["ALL"]
            try:
                _, data = client.uid("SEARCH", *criteria)
                uids = sorted(int(u) for u in (data[0] or b"").split())
                self.skipped = sum(1 for u in uids if u <= last)
                for uid in (u for u in uids if u > last):
                    _, parts = client.uid("FETCH", str(uid), "(INTERNALDATE BODY.PEEK[])")
                    for item in parts:
                        if isinstance(item, tuple):
                            internal = imaplib.Internaldate2tuple(item[0])
                            when = dt.datetime(*internal[:6]).astimezone() if internal else None
                            yield Raw(item[1], when)
                    if src.inbox is not None and validity:  # done with: the next fetch starts after it
                        state[src.key] = {"uidvalidity": validity, "last_uid": max(uid, last)}
                        _write_state(src.inbox, state)
            except (imaplib.IMAP4.error, OSError) as exc:
                raise MailError("mail.imap-broken", host=src.host, reason=exc) from exc
        finally:
            with contextlib.suppress(imaplib.IMAP4.error, OSError):
                client.logout()


IMAP_STATE = "imap_state.csv"  # beside fetch_log.csv: mailbox folder, UIDVALIDITY, last UID read
_STATE_COLUMNS = ["folder", "uidvalidity", "last_uid"]


def _read_state(inbox: Path) -> dict[str, dict]:
    path = sidecar_dir(inbox) / IMAP_STATE
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:  # a row edited past use is left out: read all again
            return {row["folder"]: row for row in csv.DictReader(fh)
                    if row.get("folder") and (row.get("last_uid") or "").isdigit()}
    except (OSError, csv.Error, UnicodeDecodeError):
        return {}


def _write_state(inbox: Path, state: dict[str, dict]) -> None:
    folder = sidecar_dir(inbox)
    folder.mkdir(parents=True, exist_ok=True)
    temp = folder / f"{IMAP_STATE}.tmp"
    with temp.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, _STATE_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows({**row, "folder": key} for key, row in sorted(state.items()))
    temp.replace(folder / IMAP_STATE)


def _imap_reason(exc: Exception) -> str:
    return exc.args[0].decode(errors="replace") if exc.args and isinstance(exc.args[0], bytes) else str(exc)


def _folders(client: imaplib.IMAP4) -> list[str]:
    """The mailbox's folder names, decoded from modified UTF-7 for the error message."""
    _, lines = client.list()
    names = []
    for line in lines or []:
        if isinstance(line, bytes):
            name = line.decode("ascii", errors="replace").rsplit(" ", 1)[-1].strip('"')
            names.append(_imap_folder_decode(name))
    return names


def _imap_folder_decode(name: str) -> str:
    return re.sub(r"&([^-]*)-", lambda m: "&" if not m.group(1) else base64.b64decode(
        m.group(1).replace(",", "/") + "=" * (-len(m.group(1)) % 4)).decode("utf-16-be"), name)


def imap_folder(name: str) -> str:
    """A folder name in IMAP's modified UTF-7 (RFC 3501 §5.1.3), quoted: 收件箱 -> "&ZTZO9nux-"."""
    out, run = [], ""

    def flush() -> None:
        nonlocal run
        if run:
            out.append("&" + base64.b64encode(run.encode("utf-16-be")).decode().rstrip("=").replace("/", ",") + "-")
            run = ""

    for ch in name:
        if 0x20 <= ord(ch) <= 0x7E:
            flush()
            out.append("&-" if ch == "&" else ch)
        else:
            run += ch
    flush()
    return '"' + "".join(out).replace("\\", "\\\\").replace('"', '\\"') + '"'


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
