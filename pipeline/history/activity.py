"""Each school's own activity history, for the outlier check: the accepted activity rows of every
period (school, activity type, 参与人次), stored small, and their median and count per school and
type over the earlier periods, computed by DuckDB over the store's files without loading the rows
into pandas (ten thousand schools leave about 0.9 M rows a period)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import duckdb
import pandas as pd

from pipeline.checks.crosscheck import HISTORY_SCHOOL, SUB
from pipeline.core.errors import ConfigError
from schemas.report import Activity

if TYPE_CHECKING:
    from pipeline.history.location import HistoryStore

TABLE = "school_activities"
KIND, PEOPLE = Activity.activity_type.name, Activity.participants.name
MEDIAN, COUNT = "median", "count"


def school_activity_rows(accepted: pd.DataFrame, schools: dict[int, str]) -> pd.DataFrame:
    """What the store keeps of the period's accepted activity rows: school code, type, 参与人次."""
    return pd.DataFrame(
        {
            "school_code": accepted[SUB].map(schools).astype("category"),
            KIND: accepted[KIND].astype("category"),
            PEOPLE: pd.to_numeric(accepted[PEOPLE], errors="coerce").astype("Int64"),
        }
    )


def school_medians(store: HistoryStore | None, periods: list[str], rows: pd.DataFrame | None = None) -> pd.DataFrame:
    """Median 参与人次 and number of rows per school and activity type over the ``store``'s
    ``periods`` and ``rows`` (earlier periods found only as CSV in an output folder: school, type,
    人次). Indexed by (school, type); empty when there is no history."""
    parts = []
    with duckdb.connect() as db:
        stored = store.source(db, TABLE, periods) if store is not None and periods else None
        if stored is not None:
            parts.append(f"SELECT school_code AS school, {KIND} AS kind, {PEOPLE}::DOUBLE AS people FROM {stored}")
        if rows is not None and not rows.empty:
            db.register("folder_rows", rows)
            parts.append(
                f"SELECT {HISTORY_SCHOOL} AS school, {KIND} AS kind, {PEOPLE}::DOUBLE AS people FROM folder_rows"
            )
        if not parts:
            return pd.DataFrame(
                columns=[MEDIAN, COUNT], index=pd.MultiIndex.from_arrays([[], []], names=["school", KIND])
            )
        try:
            stats = db.execute(
                f"SELECT school, kind, median(people) AS {MEDIAN}, count(people) AS {COUNT} "
                f"FROM ({' UNION ALL '.join(parts)}) WHERE people IS NOT NULL GROUP BY ALL"
            ).df()
        except duckdb.Error as exc:
            where = store.where if store is not None else ""
            raise ConfigError("error.store_damaged", path=where, reason=type(exc).__name__) from exc
    return stats.rename(columns={"kind": KIND}).set_index(["school", KIND])
