"""What earlier runs of earlier periods left in the output folder, read back: their counted rows
(figures to date), their submission counts (the history chart) and their accepted activities
(each school's own history, for outliers). A file that is missing or no longer reads as ours
gives nothing, never a failed run."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from pipeline.checks.crosscheck import HISTORY_SCHOOL
from pipeline.core.cells import ROW
from pipeline.counting.once import PAIR
from pipeline.counting.scores import AVG, CODE, FILE, FROM_SCHOOL, KEY, SHEET, SOURCE, TAKERS, YEAR
from pipeline.forms.programme import Programme
from pipeline.history.location import HistoryStore
from pipeline.history.period import COUNTED_TABLES
from pipeline.text import text
from pipeline.workbooks.csvfile import CSV_ENCODING
from schemas.programme import Period
from schemas.report import Activity, Funding, Personnel

SCORE_COLUMNS = [CODE, YEAR, *KEY, TAKERS, AVG, SOURCE, FILE, SHEET, "row"]
COUNTED = {"activity": Activity, "personnel": Personnel, "funding": Funding}
# What the figures to date are made of (aggregate.headline, activities_by_type, exchange_by_pair,
# funding_by_pair): only these are read back from the store, text being what reading costs.
TO_DATE_COLUMNS = {
    "activity": [PAIR, Activity.activity_type.name, Activity.participants.name, Activity.sessions.name],
    "personnel": [PAIR, Personnel.exchange_type.name, "person_months"],
    "funding": [PAIR, Funding.category.name, Funding.source.name, Funding.amount.name],
}


def load_counted(folder: Path, name: str) -> pd.DataFrame | None:
    path = folder / "data" / f"counted_{name}.csv"
    if not path.exists():
        return None
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding=CSV_ENCODING)
    for col in (Activity.participants.name, Activity.sessions.name, Funding.amount.name, "person_months"):
        if col in frame.columns:
            frame[col] = pd.to_numeric(frame[col].replace("", None))
    return frame


def cumulative(
    out: Path, codes: list[str], current: dict[str, pd.DataFrame], store: HistoryStore | None = None
) -> dict[str, pd.DataFrame] | None:
    """This period's counted rows plus those of the earlier periods ``codes``: from the history
    store where it has them (whatever folder their runs wrote to), else from what earlier runs
    left in ``out``."""
    earlier: dict[str, list[pd.DataFrame]] = {name: [] for name in COUNTED}
    for code in codes:
        for name in COUNTED:
            stored = store.read(COUNTED_TABLES[name], [code], TO_DATE_COLUMNS[name]) if store is not None else None
            found = stored if stored is not None else load_counted(out / code, name)
            if found is not None:
                earlier[name].append(found)
    if not any(earlier.values()):
        return None
    return {
        name: pd.concat([_to_date(f, name) for f in (*earlier[name], current[name])], ignore_index=True)
        for name in COUNTED
    }


def _to_date(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """The columns figures to date are made of: aligning twenty more for millions of rows cost seconds."""
    return frame[[c for c in TO_DATE_COLUMNS[name] if c in frame.columns]].reset_index(drop=True)


def reported_scores(store: HistoryStore | None, codes: list[str]) -> pd.DataFrame | None:
    """The scores schools reported in the periods ``codes``, as the history store keeps them
    (its ``scores`` rows from a school's own report), for last year's averages and ranks."""
    stored = store.read("scores", codes, SCORE_COLUMNS) if store is not None else None
    if stored is None or not set(SCORE_COLUMNS) <= set(stored.columns):
        return None
    mine = stored[stored[SOURCE] == FROM_SCHOOL].drop(columns=[SOURCE])
    return mine.rename(columns={"row": ROW}).reset_index(drop=True)


def submission_history(
    out: Path, codes: list[str], programme: Programme, this: dict[str, object], store: HistoryStore | None = None
) -> pd.DataFrame:
    """On time, late and missing reports by period: the earlier ones from the store, else from
    the folder's summaries, then this one."""
    rows = []
    names = dict(
        zip(programme.periods[Period.period_code.name], programme.periods[Period.period_name.name], strict=True)
    )
    for code in codes:
        stored = store.read("periods", [code]) if store is not None else None
        path = out / code / "data" / "summary.json"
        if stored is not None:
            rows.append(stored.iloc[0][["period", "on_time", "late", "missing"]].to_dict())
        elif path.exists():
            rows.append(json.loads(path.read_text(encoding="utf-8"))["submissions"])
    rows.append(this)
    frame = pd.DataFrame(rows, columns=["period", "on_time", "late", "missing"])
    return frame.assign(period=frame["period"].map(lambda c: names.get(c, c)))


def _text_columns(path: Path, columns: list[str]) -> pd.DataFrame:
    """Some columns of one of our CSV files, as text, by Arrow's reader (a fifth of pandas' time
    on the 0.9 M activity rows of ten thousand schools; it skips the BOM)."""
    table = pacsv.read_csv(
        path,
        convert_options=pacsv.ConvertOptions(include_columns=columns, column_types=dict.fromkeys(columns, pa.string())),
    )
    return table.to_pandas()


def activity_history(folders: list[Path]) -> tuple[pd.DataFrame, list[Path]]:
    """The accepted activity rows that ``write_data`` left in each folder (earlier periods), in
    whichever language they were written: school code, activity type and person-visits. Also
    the files read. A file that is not there, or no longer reads as ours, gives no rows."""
    wanted = {HISTORY_SCHOOL: "col.school_code", Activity.activity_type.name: None, Activity.participants.name: None}
    frames, read = [], []
    for folder in folders:
        path = folder / "data" / "activity.csv"
        if not path.is_file():
            continue
        with path.open(encoding=CSV_ENCODING, newline="") as fh:
            header = next(csv.reader(fh), [])
        for lang in ("zh", "en"):
            labels = {
                (text(key, lang) if key else Activity.column(name).label(lang)): name for name, key in wanted.items()
            }
            if set(labels) <= set(header):
                try:
                    frames.append(_text_columns(path, list(labels)).rename(columns=labels))
                except (pa.ArrowException, OSError):  # edited by hand past reading: no history, not a failed run
                    break
                read.append(path)
                break
    if not frames:
        return pd.DataFrame(columns=list(wanted)), read
    history = pd.concat(frames, ignore_index=True)
    history[Activity.participants.name] = pd.to_numeric(history[Activity.participants.name], errors="coerce")
    return history, read
