"""Reading an IMAP folder without changing it: read-only SELECT, messages after the last UID an
earlier fetch into the same inbox read (kept with the folder's UIDVALIDITY in imap_state.csv),
modified UTF-7 folder names, and a refused login or a missing folder said as such."""

from __future__ import annotations

import base64
import contextlib
import csv
import datetime as dt
import imaplib
import re
import select
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.core.errors import MailError
from pipeline.intake.sidecar import sidecar_dir
from pipeline.mail import tls
from pipeline.mail.fetch import Raw


@dataclass(frozen=True)
class ImapSource:
    host: str
    user: str
    password: str = field(repr=False)  # never in a repr, a log or a message
    port: int | None = None
    security: str = "ssl"  # "ssl", "starttls" or "plain"
    folder: str = "INBOX"
    since: dt.date | None = None
    inbox: Path | None = None  # where the last UID read is remembered (imap_state.csv among the mail records)
    refetch: bool = False  # read every message again, whatever was read before
    verify: bool = True  # the server's certificate and host name (False only with --insecure-tls)

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
                client: imaplib.IMAP4 = imaplib.IMAP4_SSL(
                    self.host, port, ssl_context=tls.context(self.verify), timeout=60
                )
            else:
                client = imaplib.IMAP4(self.host, port, timeout=60)
                if self.security == "starttls":
                    client.starttls(ssl_context=tls.context(self.verify))
        except (imaplib.IMAP4.error, OSError) as exc:
            raise MailError("mail.connect-failed", host=self.host, port=port, reason=exc) from exc
        try:
            client.login(self.user, self.password)
        except (imaplib.IMAP4.error, OSError) as exc:
            with contextlib.suppress(OSError):
                client.shutdown()
            raise MailError(
                "mail.login-failed",
                host=self.host,
                user=self.user,
                variable="BANGFU_IMAP_PASSWORD",
                reason=_imap_reason(exc),
            ) from exc
        return client

    def idle(self, seconds: float, stop: threading.Event) -> bool:
        """Wait up to ``seconds`` for new mail in the folder with IMAP IDLE (RFC 2177), or until
        ``stop`` is set. True when the server said mail came; False at the time limit, when stopped,
        or when the server has no IDLE (the caller then just waits). A server that goes away is
        a MailError, as for a fetch."""
        client = self.login()
        tag = b"BFIDLE"
        try:
            if "IDLE" not in client.capabilities:
                stop.wait(seconds)
                return False
            typ, _ = client.select(imap_folder(self.folder), readonly=True)
            if typ != "OK":
                raise MailError("mail.folder-missing", folder=self.folder, folders="、".join(_folders(client)))
            client.send(tag + b" IDLE\r\n")
            if not client.readline().startswith(b"+"):
                stop.wait(seconds)
                return False
            came, deadline = False, time.monotonic() + seconds
            while not came and not stop.is_set() and time.monotonic() < deadline:
                pending = getattr(client.sock, "pending", lambda: 0)()  # TLS: bytes already decrypted
                if not pending and not select.select([client.sock], [], [], 1.0)[0]:
                    continue  # nothing yet: look at ``stop`` every second
                line = client.readline()
                if not line:
                    raise MailError("mail.imap-broken", host=self.host, reason="connection closed")
                came = line.rstrip().endswith((b"EXISTS", b"RECENT"))
            client.send(b"DONE\r\n")
            while (line := client.readline()) and not line.startswith(tag):  # the server ends the IDLE
                pass
            return came
        except (imaplib.IMAP4.error, OSError) as exc:
            raise MailError("mail.imap-broken", host=self.host, reason=exc) from exc
        finally:
            with contextlib.suppress(imaplib.IMAP4.error, OSError):
                client.logout()


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
            last = (
                int(known.get("last_uid", 0))
                if not src.refetch and validity and known.get("uidvalidity") == validity
                else 0
            )
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
            return {
                row["folder"]: row
                for row in csv.DictReader(fh)
                if row.get("folder") and (row.get("last_uid") or "").isdigit()
            }
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
    return re.sub(
        r"&([^-]*)-",
        lambda m: (
            "&"
            if not m.group(1)
            else base64.b64decode(m.group(1).replace(",", "/") + "=" * (-len(m.group(1)) % 4)).decode("utf-16-be")
        ),
        name,
    )


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
