"""Sending the drafts through SMTP, each mail logged as it goes (sent_log.csv), so that a run cut
short loses no record and a rerun the same day sends nothing twice."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from pipeline.core.csvsafe import append_rows
from pipeline.core.errors import MailError
from pipeline.mail.compose import Draft, SmtpServer, fingerprint

SENT_LOG = "sent_log.csv"
SENT_COLUMNS = ["sent_at", "kind", "school_code", "school_name", "to", "subject", "fingerprint", "outcome"]


def _sent_today(log: Path, today: str) -> set[str]:
    """Fingerprints of the mails this log records as sent today."""
    if not log.exists():
        return set()
    with log.open(encoding="utf-8-sig", newline="") as fh:
        return {
            row["fingerprint"]
            for row in csv.DictReader(fh)
            if row["outcome"] == "sent" and row["sent_at"].startswith(today)
        }


def send_all(drafts: list[Draft], folder: Path, server: SmtpServer, sender: str) -> tuple[int, int, int, Path]:
    """Send the drafts, logging each as it goes; (sent, not sent, already sent today, log path).

    The log is appended to, one line per mail, so a run cut short loses no record, and a rerun on
    the same day skips every mail already sent (a reminder next week goes out again)."""
    log = folder / SENT_LOG
    now = dt.datetime.now().replace(microsecond=0)
    done = _sent_today(log, now.date().isoformat())
    counts = {"sent": 0, "failed": 0, "skipped": 0}
    with server.session() as session:
        for draft in drafts:
            key = fingerprint(draft)
            if key in done:
                counts["skipped"] += 1
                continue
            try:
                outcome = session.send(draft, sender) if draft.to else "no-address"
            except MailError as exc:
                exc.facts.update(sent=counts["sent"], log=log)
                raise
            counts["sent" if outcome == "sent" else "failed"] += 1
            row = {
                "sent_at": dt.datetime.now().replace(microsecond=0).isoformat(),
                "kind": draft.kind,
                "school_code": draft.school_code,
                "school_name": draft.school_name,
                "to": draft.to,
                "subject": str(draft.message["Subject"]),
                "fingerprint": key,
                "outcome": outcome,
            }
            append_rows(log, SENT_COLUMNS, [row])  # line by line: a run cut short keeps its record
    return counts["sent"], counts["failed"], counts["skipped"], log
