"""The run's log file in the output folder: what child processes would print (a reader's panic),
and the traceback of a bug, which the analyst sees as one line naming this file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

RUN_LOG = "bangfu.log"


def run_log(out: Path) -> Path:
    """``OUT/bangfu.log``; the folder is made if it can be."""
    out.mkdir(parents=True, exist_ok=True)
    return out / RUN_LOG


def append(path: Path, text: str) -> None:
    """One entry, stamped with the time."""
    with path.open("a", encoding="utf-8") as fh:
        fh.write(f"--- {dt.datetime.now().isoformat(timespec='seconds')}\n{text.rstrip()}\n")
