"""The history store for the `bangfu history` commands: found by --store, else beside the programme."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.app.load import require_programme
from pipeline.core.errors import ConfigError
from pipeline.history.store import DB_FILE, META_FILE, STORE_DIR, Store


def open_history(store: Path | None, programme: Path | None) -> Store:
    """The store at ``store``, or the one beside the ``programme`` workbook (its name checked)."""
    if store is None and programme is None:
        raise ConfigError("error.store_where")
    if store is None:
        assert programme is not None
        loaded, _ = require_programme(programme)
        return Store.open(programme.parent / STORE_DIR, loaded.name)
    if not (store / META_FILE).exists():
        raise ConfigError("error.store_missing", path=str(store))
    return Store(store)


def periods(store: Store) -> pd.DataFrame:
    """Each period the store holds: its counts and the run that wrote it, oldest first."""
    frame = store.periods()
    return frame.sort_values("start") if "start" in frame.columns else frame


def query(store: Store, sql: str) -> pd.DataFrame:
    """A read-only SQL query over the store's views (DuckDB)."""
    if not (store.folder / DB_FILE).exists():
        raise ConfigError("error.store_empty", path=str(store.folder))
    return store.sql(sql)
