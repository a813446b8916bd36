"""The history store for the `bangfu history` commands: found by --store, else beside the programme."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pandas as pd

from pipeline.app.load import require_programme
from pipeline.checks.crosscheck import HISTORY_SCHOOL
from pipeline.core.errors import ConfigError
from pipeline.core.files import ensure_writable
from pipeline.history.activity import TABLE as SCHOOL_ACTIVITIES
from pipeline.history.location import HistoryStore, attach, locate, open_store
from pipeline.history.period import COUNTED_TABLES, findings_table, period_line
from pipeline.workbooks import earlier
from pipeline.workbooks.history_book import VIEW_SHEETS, write_export


def open_history(store: str | None, programme: Path | None) -> HistoryStore:
    """The store at ``store`` (a folder or a PostgreSQL URL), or the ``programme``'s
    (``history.location.locate``: 项目设置's 历史数据库, else beside the workbook; its name checked)."""
    if store is None and programme is None:
        raise ConfigError("error.store_where")
    if store is None:
        assert programme is not None
        loaded, _ = require_programme(programme)
        return open_store(locate(None, programme, loaded), loaded.name)
    return attach(store)


def create(store: str, programme: Path) -> HistoryStore:
    """The store at ``store`` for ``programme``, made when missing (import into a new store)."""
    loaded, _ = require_programme(programme)
    return open_store(store, loaded.name)


def periods(store: HistoryStore) -> pd.DataFrame:
    """Each period the store holds: its counts and the run that wrote it, oldest first."""
    frame = store.periods()
    return frame.sort_values("start") if "start" in frame.columns else frame


def query(store: HistoryStore, sql: str) -> pd.DataFrame:
    """A read-only SQL query over the store's views (DuckDB)."""
    return store.sql(sql)


def import_folders(store: HistoryStore, programme: Path, folders: list[Path]) -> tuple[list[str], list[str]]:
    """Periods that earlier versions left in output folders (``OUT`` or ``OUT/<period>``, their
    data/counted_*.csv and summary.json) written into the store; a period the store already holds
    is left as it is. Returns the periods imported and those left."""
    loaded, _ = require_programme(programme)
    found = sorted(
        {p.parent.parent for f in folders for p in [*f.glob("data/summary.json"), *f.glob("*/data/summary.json")]}
    )
    imported, left = [], []
    for folder in found:
        summary_path = folder / "data" / "summary.json"
        summary = json.loads(summary_path.read_text(encoding="utf-8"))
        code = str(summary.get("period") or folder.name)
        if store.run_of(code) is not None:
            left.append(code)
            continue
        period = loaded.period(code)
        counted = {name: earlier.load_counted(folder, name) for name in COUNTED_TABLES}
        counts = summary.get("submissions", {})
        tables = {COUNTED_TABLES[n]: _typed(f) for n, f in counted.items() if f is not None}
        rows, _ = earlier.activity_history([folder])
        if not rows.empty:  # each school's accepted activities: its own history for outliers
            school = rows.rename(columns={HISTORY_SCHOOL: "school_code"})
            tables[SCHOOL_ACTIVITIES] = school.astype({"school_code": "string"}).assign(period=code)
        tables["findings"] = findings_table([], code)  # an earlier version kept none: the view still has them all
        activities = len(tables.get("activities", []))
        tables["periods"] = period_line(period, counts, activities=activities, imported_from=str(folder))
        run_id = "import-" + hashlib.sha256(summary_path.read_bytes()).hexdigest()[:9]
        store.write_period(code, run_id, tables)
        imported.append(code)
    return imported, left


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Counted rows read back from CSV, typed as a run stores them: days as dates, flags as flags."""
    frame = frame.rename(columns={"_row": "row"})
    for col in ("date", "start_date", "end_date"):
        if col in frame.columns:
            frame[col] = pd.to_datetime(frame[col].replace("", None), errors="coerce")
    if "on_site" in frame.columns:
        frame["on_site"] = frame["on_site"].map({"True": True, "False": False})
    if "row" in frame.columns:
        frame["row"] = pd.to_numeric(frame["row"], errors="coerce").astype("Int64")
    return frame


def export(store: HistoryStore, first: str, last: str | None, path: Path, lang: str) -> tuple[list[Path], list[str]]:
    """The periods from ``first`` to ``last`` (by start date; ``first`` alone when no ``last``)
    written to ``path``: a workbook (.xlsx) or a folder of CSV files. Returns them and the periods."""
    held = periods(store)
    starts = dict(zip(held["period"], held["start"], strict=True)) if "start" in held.columns else {}
    for code in (first, last):
        if code is not None and code not in starts:
            raise ConfigError("error.store_no_period", period=code, known="、".join(starts) or "-")
    low, high = starts[first], starts[last or first]
    codes = [c for c, start in starts.items() if min(low, high) <= start <= max(low, high)]
    frames = {}
    for view in VIEW_SHEETS:
        frame = store.read(view, codes)
        if frame is not None:
            frames[view] = frame.drop(columns=["run_id"], errors="ignore")
    span = codes[0] if len(codes) == 1 else f"{codes[0]} – {codes[-1]}"
    programme = store.programme()
    folder = path.parent if path.suffix.lower() == ".xlsx" else path
    ensure_writable(folder)  # a folder that cannot take the file is a message (exit 2), before any work
    folder.mkdir(parents=True, exist_ok=True)  # a folder named for the export is made, as people expect
    return write_export(path, frames, programme, span, lang, dt.date.today()), codes
