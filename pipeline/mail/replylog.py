"""The watcher's record of every received file it answered or left alone (回复/reply_log.csv).

A reply is logged as ``sending`` (flushed to disk) before it goes to the server and as ``sent``
after, so that a crash between the two never sends it again: a restart counts an unconfirmed
reply as answered and tells the analyst. A file is answered once, whatever happens later; the
lines also give each school's replies of the day, for the daily cap.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from pipeline.core.csvsafe import append_rows

REPLY_LOG = "reply_log.csv"
COLUMNS = ["at", "sha256", "file", "school_code", "kind", "to", "outcome", "detail"]
SENDING, SENT, DRAFT, HELD = "sending", "sent", "draft", "held"
BEFORE, SUPERSEDED, DUPLICATE, REFUSED, FAILED = "before-watch", "superseded", "duplicate", "refused", "failed"
BEGUN = "begun"  # the watcher's first round on this inbox and period
GONE = "gone"  # its file was taken out of the inbox before it was answered
# A file with one of these is answered (or deliberately not): never again. A "failed" send (the
# connection broke before the server took it) is tried again next round.
FINAL = {SENDING, SENT, DRAFT, HELD, BEFORE, SUPERSEDED, DUPLICATE, REFUSED, GONE}
COUNTED = {SENDING, SENT, DRAFT}  # towards a school's replies of the day


class ReplyLog:
    def __init__(self, folder: Path) -> None:
        self.path = folder / REPLY_LOG
        self.rows: list[dict[str, str]] = []
        if self.path.exists():
            with self.path.open(encoding="utf-8-sig", newline="") as fh:
                self.rows = list(csv.DictReader(fh))

    @property
    def begun(self) -> bool:
        """Whether the watcher has run on this inbox before (files there before it began are not answered)."""
        return bool(self.rows)

    def _last(self) -> dict[tuple[str, str], str]:
        """The last outcome per (file, addressee)."""
        return {(r["sha256"], r["to"]): r["outcome"] for r in self.rows}

    def answered(self, sha256: str) -> bool:
        """Whether the file has been answered or deliberately left alone."""
        return any(sha == sha256 and outcome in FINAL for (sha, _), outcome in self._last().items())

    def done(self, sha256: str, to: str) -> bool:
        """Whether this one reply (file, addressee) needs nothing more."""
        return self._last().get((sha256, to)) in FINAL

    def unconfirmed(self) -> list[str]:
        """Files whose reply was being sent when a run stopped: never sent again."""
        return sorted({r["file"] for (sha, to), outcome in self._last().items() if outcome == SENDING
                       for r in self.rows if r["sha256"] == sha and r["to"] == to})  # fmt: skip

    def replies_on(self, day: dt.date, school: str = "", to: str = "") -> int:
        """Replies counted on ``day`` to ``school`` (or to the address ``to``)."""
        prefix = day.isoformat()
        return sum(
            1
            for r in self.rows
            if r["at"].startswith(prefix)
            and r["outcome"] in (SENT, DRAFT)
            and ((school and r["school_code"] == school) or (to and r["to"] == to))
        )

    def of_day(self, day: dt.date) -> list[dict[str, str]]:
        return [r for r in self.rows if r["at"].startswith(day.isoformat())]

    def record(self, sha256: str, file: str, school: str, kind: str, to: str, outcome: str, detail: str = "") -> None:
        """One line, on disk before this returns (flushed and synced)."""
        row = {
            "at": dt.datetime.now().replace(microsecond=0).isoformat(),
            "sha256": sha256,
            "file": file,
            "school_code": school,
            "kind": kind,
            "to": to,
            "outcome": outcome,
            "detail": detail,
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        append_rows(self.path, COLUMNS, [row], sync=True)
        self.rows.append(row)
