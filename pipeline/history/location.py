"""Which store a programme's history is in: a folder (the embedded store, ``store.py``) or a
PostgreSQL URL (``postgres.py``); both answer the same calls. The place is chosen once per
programme: ``--store`` (or ``RunSettings.store``), else 项目设置's 历史数据库, else the 历史数据库
folder beside the programme workbook, so that runs into different output folders share one history."""

from __future__ import annotations

from pathlib import Path

from pipeline.core.errors import ConfigError
from pipeline.forms.programme import Programme
from pipeline.history.postgres import PostgresStore, is_url
from pipeline.history.store import META_FILE, STORE_DIR, Store
from schemas.programme import Settings

HistoryStore = Store | PostgresStore


def locate(given: str | Path | None, programme_path: Path, programme: Programme) -> str | Path:
    """The store's place: ``given``, else 项目设置's 历史数据库 (a URL, or a folder relative to
    the programme workbook), else 历史数据库 beside the programme workbook."""
    if given is not None and str(given).strip():
        return given
    setting = programme.setting(Settings.history_store.name).strip()
    if is_url(setting):
        return setting
    return programme_path.parent / Path(setting or STORE_DIR).expanduser()


def is_default(location: str | Path, programme_path: Path) -> bool:
    return not is_url(location) and Path(location) == programme_path.parent / STORE_DIR


def open_store(location: str | Path, programme: str) -> HistoryStore:
    """The store at ``location``, made when missing; a ConfigError when it is another programme's,
    damaged or (a server) unreachable."""
    if is_url(location):
        return PostgresStore.open(str(location), programme)
    return Store.open(Path(location), programme)


def existing_store(location: str | Path, programme: str) -> HistoryStore | None:
    """The store at ``location`` when there is one, else None: reading the history makes no store
    (a server's store is checked as ``open_store`` does)."""
    if is_url(location):
        return PostgresStore.open(str(location), programme)
    return Store.existing(Path(location), programme)


def attach(location: str | Path) -> HistoryStore:
    """The store at ``location``, whichever programme's (the history commands given ``--store``);
    a ConfigError when there is none."""
    if is_url(location):
        return PostgresStore.attach(str(location))
    if not (Path(location) / META_FILE).exists():
        raise ConfigError("error.store_missing", path=str(location))
    return Store(Path(location))
