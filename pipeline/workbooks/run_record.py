"""run.json, the record of a period's run: begun and not finished while a run writes, then, when
everything is written, the run's id (a digest of its inputs), the time and every output with its
SHA-256. A run that finds its predecessor begun but not finished (interrupted, killed, a full disk)
says so and writes every output again, so no older output is left beside a newer one unnamed."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

from pipeline.core.files import TEMP_PREFIX, write_text
from pipeline.core.lock import LOCK_NAME
from pipeline.core.runlog import RUN_LOG

RUN_FILE = "run.json"
_SKIP = {RUN_FILE, LOCK_NAME, RUN_LOG}


def begin(folder: Path) -> str | None:
    """Mark ``folder``'s run as begun; returns when an earlier run began there without finishing."""
    path = folder / RUN_FILE
    unfinished = None
    try:
        earlier = json.loads(path.read_text(encoding="utf-8"))
        if not earlier.get("complete"):
            unfinished = str(earlier.get("started") or "?")
    except FileNotFoundError:
        pass
    except (OSError, ValueError):
        unfinished = "?"  # a record that does not read is no proof the outputs agree
    now = dt.datetime.now().isoformat(timespec="seconds")
    write_text(path, json.dumps({"complete": False, "started": now}, ensure_ascii=False, indent=1) + "\n")
    return unfinished


def finish(folder: Path, run_id: str) -> Path:
    """The record of a finished run: written last, after every output."""
    outputs = {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name not in _SKIP and not p.name.startswith(TEMP_PREFIX) and ".cache" not in p.parts
    }
    now = dt.datetime.now().isoformat(timespec="seconds")
    record = {"complete": True, "run": run_id, "finished": now, "outputs": outputs}
    return write_text(folder / RUN_FILE, json.dumps(record, ensure_ascii=False, indent=1) + "\n")
