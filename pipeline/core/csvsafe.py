"""What a spreadsheet would run as a formula, made text: every CSV the project writes (data,
manifest, the mail logs with their attacker-chosen subjects and names) passes its cells here."""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: object) -> object:
    """Text that a spreadsheet would run as a formula is prefixed with ' (ASVS 1.2.10); numbers
    stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def append_rows(path: Path, columns: list[str], rows: Iterable[Mapping[str, object]], sync: bool = False) -> None:
    """Rows appended to a log a spreadsheet opens (a BOM and the header when the file is new),
    every cell through ``csv_safe``; flushed, and with ``sync`` on disk, before this returns."""
    new = not path.exists()
    with path.open("a", encoding="utf-8-sig" if new else "utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, columns)
        if new:
            writer.writeheader()
        writer.writerows({key: csv_safe(value) for key, value in row.items()} for row in rows)
        fh.flush()
        if sync:
            os.fsync(fh.fileno())
