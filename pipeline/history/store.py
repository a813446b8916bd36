"""The history store: every period's rows in one place, whichever output folder a run wrote to.

Embedded, no server: one Parquet file a table a period and run (``<table>/period=<code>/<run>.parquet``)
and a DuckDB database of views over them (``history.duckdb``) for people and tools. A run writes
its period's files beside the old run's, then replaces the period's line (``periods/period=<code>/
data.parquet``, renamed over the old one): that one rename is the commit. Readers (the views, and
``read``) take each period's rows of the run its line names, so they see the whole old period or
the whole new one, never half; a rerun never counts twice. The previous run's files are kept until
the next write, for a reader that began before the commit. The views are made once, over the
files' pattern, so a run never opens the database a BI tool may hold open.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.core.errors import ConfigError
from pipeline.core.files import replacing, write_text
from pipeline.core.lock import locked

STORE_DIR = "历史数据库"
DB_FILE = "history.duckdb"
META_FILE = "store.json"
VIEWS_VERSION = 2  # views that take each period's committed run only (store.json "views_version")
COMMIT = "periods"  # the table whose file, written last, commits a period
TABLES = (
    "activities",
    "personnel",
    "funding",
    "scores",
    "submissions",
    "findings",
    "schools",
    "pairs",
    "school_activities",
    "periods",
)


@dataclass(frozen=True)
class Store:
    """One programme's history at ``folder``."""

    folder: Path

    @classmethod
    def open(cls, folder: Path, programme: str) -> Store:
        """The store at ``folder``, made when missing; a ConfigError when it is another programme's."""
        store = cls(folder)
        meta = folder / META_FILE
        try:
            folder.mkdir(parents=True, exist_ok=True)
            if meta.exists():
                found = json.loads(meta.read_text(encoding="utf-8")).get("programme")
                if found != programme:
                    raise ConfigError("error.store_other_programme", path=str(folder), found=found, programme=programme)
            else:
                write_text(meta, json.dumps({"programme": programme}, ensure_ascii=False))
        except ValueError as exc:
            raise ConfigError("error.store_damaged", path=str(folder), reason=type(exc).__name__) from exc
        return store

    @classmethod
    def existing(cls, folder: Path, programme: str) -> Store | None:
        """The store at ``folder`` when there is one (checked as ``open`` does), else None: reading
        the history makes no store."""
        return cls.open(folder, programme) if (folder / META_FILE).exists() else None

    @property
    def where(self) -> str:
        """The store as people are told of it."""
        return str(self.folder)

    def programme(self) -> str:
        return str(json.loads((self.folder / META_FILE).read_text(encoding="utf-8")).get("programme", ""))

    def held(self, table: str, periods: list[str]) -> list[str]:
        """Those ``periods`` whose ``table`` the store holds."""
        return [period for period in periods if self._file(table, period) is not None]

    def source(self, db: duckdb.DuckDBPyConnection, table: str, periods: list[str]) -> str | None:
        """A relation DuckDB ``db`` can scan for ``table``'s rows of ``periods``, or None: the files."""
        found = [self._file(table, period) for period in periods]
        files = [path.resolve().as_posix().replace("'", "''") for path in found if path is not None]
        listed = ", ".join("'" + f + "'" for f in files)
        return f"read_parquet([{listed}])" if files else None

    def _line(self, period: str) -> Path:
        return self.folder / COMMIT / f"period={period}" / "data.parquet"

    def _run_file(self, table: str, period: str, run_id: str) -> Path:
        return self.folder / table / f"period={period}" / f"{run_id}.parquet"

    def _file(self, table: str, period: str) -> Path | None:
        """``table``'s file of ``period`` from the run that committed it, or None."""
        if table == COMMIT:
            return self._line(period) if self._line(period).exists() else None
        run_id = self.run_of(period)
        if run_id is None:
            return None
        path = self._run_file(table, period, run_id)
        if path.exists():
            return path
        legacy = path.with_name("data.parquet")  # a store written before runs had files of their own
        return legacy if legacy.exists() else None

    def _make_views(self) -> None:
        """history.duckdb: a view a table over every period's files, taking of each period only the
        rows of the run that committed it (written once, with the store)."""
        with replacing(self.folder / DB_FILE) as temp, duckdb.connect(str(temp)) as db:
            for table in (COMMIT, *(t for t in TABLES if t != COMMIT)):
                if not any((self.folder / table).glob("*/*.parquet")):
                    continue  # a view binds to its files: one a run always writes comes with the first run
                files = (self.folder.resolve() / table / "*" / "*.parquet").as_posix()
                scan = f"read_parquet('{files}', hive_partitioning = true, union_by_name = true)"
                if table == COMMIT:
                    db.execute(f"CREATE VIEW {table} AS SELECT * FROM {scan}")
                else:
                    db.execute(
                        f"CREATE VIEW {table} AS SELECT t.* FROM {scan} t SEMI JOIN {COMMIT} c "
                        "ON t.period = c.period AND t.run_id = c.run_id"
                    )

    def write_period(self, period: str, run_id: str, tables: dict[str, pd.DataFrame]) -> None:
        """Replace ``period``'s rows of every table given; each row keeps the period and run id.
        One writer at a time: another run writing to the store is told who holds it (exit 2)."""
        with locked(self.folder):
            self._write(period, run_id, tables)

    def _write(self, period: str, run_id: str, tables: dict[str, pd.DataFrame]) -> None:
        if COMMIT not in tables:
            raise ValueError(f"a period is committed by its line in {COMMIT}")
        before = self.run_of(period)
        for table, frame in sorted(tables.items(), key=lambda item: item[0] == COMMIT):  # the line last
            target = self._line(period) if table == COMMIT else self._run_file(table, period, run_id)
            target.parent.mkdir(parents=True, exist_ok=True)
            with replacing(target) as temp:
                pq.write_table(arrow_table(frame.assign(run_id=run_id)), temp, compression="zstd")
        for table in TABLES:  # older runs' files: the one just replaced stays for readers begun before
            if table != COMMIT:
                for old in (self.folder / table / f"period={period}").glob("*.parquet"):
                    if old.stem not in (run_id, before):
                        old.unlink(missing_ok=True)
        with_files = [t for t in TABLES if any((self.folder / t).glob("*/*.parquet"))]
        meta = json.loads((self.folder / META_FILE).read_text(encoding="utf-8"))
        if (
            not (self.folder / DB_FILE).exists()
            or set(with_files) - set(self._viewed())
            or meta.get("views_version") != VIEWS_VERSION
        ):
            # The views bind to files: made after the first period, and again when a table gets its
            # first file (a store begun by an import). A new file replaces the old database whole.
            try:
                self._make_views()
            except (duckdb.Error, OSError) as exc:
                raise ConfigError("error.store_damaged", path=str(self.folder), reason=type(exc).__name__) from exc
            meta = {**meta, "views": with_files, "views_version": VIEWS_VERSION}
            write_text(self.folder / META_FILE, json.dumps(meta, ensure_ascii=False))

    def _viewed(self) -> list[str]:
        """The tables history.duckdb has a view of (store.json keeps the list)."""
        try:
            return list(json.loads((self.folder / META_FILE).read_text(encoding="utf-8")).get("views", []))
        except (OSError, ValueError):
            return []

    def run_of(self, period: str) -> str | None:
        """The run id that last wrote ``period``, or None when the store lacks it."""
        frame = self.read(COMMIT, [period], ["run_id"])
        return None if frame is None or frame.empty else str(frame["run_id"].iloc[0])

    def read(self, table: str, periods: list[str], columns: list[str] | None = None) -> pd.DataFrame | None:
        """``table``'s rows of ``periods`` (those the store has), or None when it has none of them;
        only ``columns`` (those the files have) when given: text is what reading costs."""
        frames = []
        for period in periods:
            path = self._file(table, period)
            if path is not None:
                try:
                    wanted = None if columns is None else [c for c in columns if c in pq.read_schema(path).names]
                    frames.append(pq.read_table(path, columns=wanted).to_pandas())
                except (OSError, pa.ArrowException) as exc:
                    raise ConfigError("error.store_damaged", path=str(path), reason=type(exc).__name__) from exc
        return pd.concat(frames, ignore_index=True) if frames else None

    def periods(self) -> pd.DataFrame:
        """Every period the store holds, with its counts and the run that wrote it."""
        found = sorted(p.name.removeprefix("period=") for p in (self.folder / "periods").glob("period=*"))
        frame = self.read("periods", found)
        return frame if frame is not None else pd.DataFrame(columns=["period", "name", "run_id"])

    def sql(self, query: str) -> pd.DataFrame:
        """A read-only query over the views (SELECT and the like: the store cannot be changed)."""
        if not (self.folder / DB_FILE).exists():
            raise ConfigError("error.store_empty", path=str(self.folder))
        try:
            with duckdb.connect(str(self.folder / DB_FILE), read_only=True) as db:
                return db.execute(query).df()
        except duckdb.Error as exc:
            raise ConfigError("error.store_query", reason=str(exc).splitlines()[0]) from exc


def arrow_table(frame: pd.DataFrame) -> pa.Table:
    """A frame as either store writes it: text as text, days as dates (``_plain``)."""
    return pa.Table.from_pandas(_plain(frame), preserve_index=False)


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Columns Parquet keeps alike from period to period: text as text, numbers as numbers."""
    out = {}
    for col in frame.columns:
        values = frame[col]
        if values.dtype == object and values.map(lambda v: isinstance(v, (dt.date, dt.datetime))).any():
            values = pd.to_datetime(values, errors="coerce")
        if pd.api.types.is_datetime64_any_dtype(values):  # a day stays a DATE; a moment a TIMESTAMP
            days = values.dropna()
            out[col] = values.dt.date if (days == days.dt.normalize()).all() else values
        elif values.dtype == object or str(values.dtype).startswith("string"):
            out[col] = values.astype("string")
        else:
            out[col] = values
    return pd.DataFrame(out)
