"""The record the mail fetch keeps beside each file it saves into the inbox: who sent it, when,
under what subject and name. The intake reads it for a file's received time and sender."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

MAIL_DIR = ".bangfu-mail"  # inside the inbox; the intake skips it


@dataclass
class Sidecar:
    """Where a saved attachment came from."""

    sha256: str
    file: str
    original_name: str
    sender: str
    date: str  # the Date header, ISO 8601 with offset ("" when missing or unreadable)
    internal_date: str
    subject: str
    message_id: str
    inside_zip: str = ""
    also_in: list[str] = field(default_factory=list)  # Message-IDs of later messages with the same file

    def received(self) -> dt.datetime | None:
        """When the school sent it, in local time without zone: the Date header, else the internal date."""
        for value in (self.date, self.internal_date):
            if value:
                return dt.datetime.fromisoformat(value).astimezone().replace(tzinfo=None)
        return None


def sidecar_dir(inbox: Path) -> Path:
    return inbox / MAIL_DIR


def load_sidecar(inbox: Path, sha256: str) -> Sidecar | None:
    path = sidecar_dir(inbox) / f"{sha256}.json"
    if not path.exists():
        return None
    return Sidecar(**json.loads(path.read_text(encoding="utf-8")))
