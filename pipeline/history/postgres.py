"""The history store in PostgreSQL, for a province: the same tables and columns as the embedded
store (``store.py``), one database (or schema, by the URL's ``options=-csearch_path=…``) a programme.

A period is written in one transaction: its earlier rows of every table deleted, the new ones
copied in (COPY), and committed together, so a reader (a BI tool, a warehouse job) sees the whole
old period or the whole new one. One writer at a time: a transaction-level advisory lock; a second
run is told the store is busy (exit 2). Rows travel by COPY as CSV and are typed by the table's
columns, so a frame read back is the one the embedded store gives (school codes stay text).
SQLAlchemy makes the connections (psycopg); it is an optional extra: ``pip install 'bangfu[postgres]'``.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from pipeline.core.errors import ConfigError
from pipeline.history.store import arrow_table

SCHEMES = ("postgresql://", "postgres://", "postgresql+psycopg://")
META, PARTS = "bangfu_store", "bangfu_parts"  # the programme; which table of which period is written
LOCK_KEY = "bangfu-history"
NULL = r"\N"
PG_TYPES = {"string": "text", "int": "bigint", "float": "double precision", "bool": "boolean", "date": "date",
            "timestamp": "timestamp"}  # fmt: skip
ARROW_TYPES = {
    "text": pa.string(),
    "bigint": pa.int64(),
    "double precision": pa.float64(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
    "timestamp without time zone": pa.timestamp("us"),
}


def is_url(location: object) -> bool:
    return str(location).startswith(SCHEMES)


def _kind(arrow: pa.DataType) -> str:
    if pa.types.is_boolean(arrow):
        return "bool"
    if pa.types.is_integer(arrow):
        return "int"
    if pa.types.is_floating(arrow):
        return "float"
    if pa.types.is_date(arrow):
        return "date"
    if pa.types.is_timestamp(arrow):
        return "timestamp"
    return "string"  # text, a category's labels, a column of blanks only


class PostgresStore:
    """One programme's history in the PostgreSQL database at ``url``."""

    def __init__(self, url: str) -> None:
        try:
            import sqlalchemy
            from sqlalchemy.pool import NullPool
        except ImportError as exc:
            raise ConfigError("error.store_needs_postgres") from exc
        self._sa = sqlalchemy
        parsed = sqlalchemy.engine.make_url(url).set(drivername="postgresql+psycopg")
        self.where = parsed.render_as_string(hide_password=True)
        self._engine = sqlalchemy.create_engine(parsed, poolclass=NullPool, connect_args={"connect_timeout": 10})

    @classmethod
    def open(cls, url: str, programme: str) -> PostgresStore:
        """The store at ``url``, its tables of record made when missing; a ConfigError when it is
        another programme's or the server cannot be reached."""
        store = cls(url)
        with store._begin() as conn:
            conn.exec_driver_sql(f"CREATE TABLE IF NOT EXISTS {META} (key text PRIMARY KEY, value text)")
            conn.exec_driver_sql(
                f"CREATE TABLE IF NOT EXISTS {PARTS} (table_name text, period text, run_id text, "
                "PRIMARY KEY (table_name, period))"
            )
            found = conn.exec_driver_sql(f"SELECT value FROM {META} WHERE key = 'programme'").scalar()
            if found is None:
                conn.exec_driver_sql(f"INSERT INTO {META} VALUES ('programme', %(p)s)", {"p": programme})
            elif found != programme:
                raise ConfigError("error.store_other_programme", path=store.where, found=found, programme=programme)
        return store

    @classmethod
    def attach(cls, url: str) -> PostgresStore:
        """The store at ``url`` whichever programme's; a ConfigError when the database has none."""
        store = cls(url)
        with store._begin(read_only=True) as conn:
            if conn.exec_driver_sql(f"SELECT to_regclass('{META}')").scalar() is None:
                raise ConfigError("error.store_missing", path=store.where)
        return store

    @contextmanager
    def _begin(self, read_only: bool = False) -> Iterator[Any]:
        """A transaction; the server unreachable or refusing the login is a message (exit 2)."""
        sa = self._sa
        try:
            with self._engine.begin() as conn:
                if read_only:
                    conn.exec_driver_sql("SET TRANSACTION READ ONLY")
                yield conn
        except sa.exc.OperationalError as exc:
            reason = str(exc.orig or exc).strip().splitlines()[0]
            raise ConfigError("error.store_unreachable", path=self.where, reason=reason) from exc
        except sa.exc.DBAPIError as exc:
            reason = str(exc.orig or exc).strip().splitlines()[0]
            raise ConfigError("error.store_query", reason=reason) from exc

    def programme(self) -> str:
        with self._begin(read_only=True) as conn:
            return str(conn.exec_driver_sql(f"SELECT value FROM {META} WHERE key = 'programme'").scalar() or "")

    def write_period(self, period: str, run_id: str, tables: dict[str, pd.DataFrame]) -> None:
        """Replace ``period``'s rows of every table given, all in one transaction."""
        with self._begin() as conn:
            got = conn.exec_driver_sql("SELECT pg_try_advisory_xact_lock(hashtext(%(k)s))", {"k": LOCK_KEY}).scalar()
            if not got:
                raise ConfigError("error.store_busy", path=self.where)
            for table, frame in tables.items():
                arrow = arrow_table(frame.assign(run_id=run_id))
                # A column with no value says nothing of its type (an empty sheet's 人次 is float):
                # left out, it reads back NULL; the table gets it from the first period that has one.
                arrow = arrow.select([i for i, c in enumerate(arrow.columns) if c.null_count < len(c)])
                self._ensure(conn, table, arrow.schema)
                conn.exec_driver_sql(f"DELETE FROM {table} WHERE period = %(p)s", {"p": period})
                if arrow.num_columns:
                    names = ", ".join(f'"{n}"' for n in arrow.column_names)
                    cursor = conn.connection.driver_connection.cursor()
                    with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                        for row in zip(*(column.to_pylist() for column in arrow.columns), strict=True):
                            copy.write_row(row)
                conn.exec_driver_sql(
                    f"INSERT INTO {PARTS} VALUES (%(t)s, %(p)s, %(r)s) ON CONFLICT (table_name, period) "
                    "DO UPDATE SET run_id = excluded.run_id",
                    {"t": table, "p": period, "r": run_id},
                )

    def _ensure(self, conn: Any, table: str, schema: pa.Schema) -> None:
        """``table`` made, given the columns it lacks (a later version may add some), and a column
        widened where a period's values need it (whole numbers, then fractions: double; else text)."""
        have = self._columns(conn, table)
        if not have:
            conn.exec_driver_sql(f'CREATE TABLE {table} ("period" text)')
            conn.exec_driver_sql(f"CREATE INDEX ON {table} (period)")
            have = {"period": "text"}
        for field in schema:
            kind, name = PG_TYPES[_kind(field.type)], field.name
            if name not in have:
                conn.exec_driver_sql(f'ALTER TABLE {table} ADD COLUMN "{name}" {kind}')
            elif have[name] != kind and have[name] != "text":
                wider = "double precision" if {have[name], kind} <= {"bigint", "double precision"} else "text"
                if wider != have[name]:
                    conn.exec_driver_sql(
                        f'ALTER TABLE {table} ALTER COLUMN "{name}" TYPE {wider} USING "{name}"::{wider}'
                    )

    @staticmethod
    def _columns(conn: Any, table: str) -> dict[str, str]:
        rows = conn.exec_driver_sql(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = %(t)s ORDER BY ordinal_position",
            {"t": table},
        ).all()
        return {str(name): str(kind) for name, kind in rows}

    def run_of(self, period: str) -> str | None:
        with self._begin(read_only=True) as conn:
            found = conn.exec_driver_sql(
                f"SELECT run_id FROM {PARTS} WHERE table_name = 'periods' AND period = %(p)s", {"p": period}
            ).scalar()
        return None if found is None else str(found)

    def held(self, table: str, periods: list[str]) -> list[str]:
        """Those ``periods`` whose ``table`` the store holds."""
        with self._begin(read_only=True) as conn:
            rows = conn.exec_driver_sql(
                f"SELECT period FROM {PARTS} WHERE table_name = %(t)s AND period = ANY(%(p)s)",
                {"t": table, "p": periods},
            ).all()
        found = {r[0] for r in rows}
        return [p for p in periods if p in found]

    def read(self, table: str, periods: list[str], columns: list[str] | None = None) -> pd.DataFrame | None:
        """``table``'s rows of ``periods`` (those the store has), or None when it has none of them."""
        held = self.held(table, periods)
        if not held:
            return None
        with self._begin(read_only=True) as conn:
            types = self._columns(conn, table)
            wanted = [c for c in (columns or list(types)) if c in types]
            if not wanted:
                return pd.DataFrame(columns=columns or [])
            names = ", ".join(f'"{c}"' for c in wanted)
            buffer = io.BytesIO()
            cursor = conn.connection.driver_connection.cursor()
            query = (
                f"COPY (SELECT {names} FROM {table} WHERE period = ANY(%s)) TO STDOUT WITH (FORMAT csv, NULL '{NULL}')"
            )
            with cursor.copy(query, (held,)) as copy:
                for chunk in copy:
                    buffer.write(chunk)
        return _from_csv(buffer.getvalue(), {c: types[c] for c in wanted})

    def periods(self) -> pd.DataFrame:
        with self._begin(read_only=True) as conn:
            found = [r[0] for r in conn.exec_driver_sql(f"SELECT period FROM {PARTS} WHERE table_name = 'periods'")]
        frame = self.read("periods", sorted(found))
        return frame if frame is not None else pd.DataFrame(columns=["period", "name", "run_id"])

    def sql(self, query: str) -> pd.DataFrame:
        """A query in a read-only transaction: the store cannot be changed through it."""
        with self._begin(read_only=True) as conn:
            result = conn.exec_driver_sql(query.replace("%", "%%"))
            return pd.DataFrame(result.all(), columns=list(result.keys()))

    def source(self, db: Any, table: str, periods: list[str]) -> str | None:
        """A relation DuckDB ``db`` can scan for ``table``'s rows of ``periods``, or None."""
        frame = self.read(table, periods)
        if frame is None:
            return None
        db.register(f"pg_{table}", frame)
        return f"pg_{table}"


def _from_csv(data: bytes, types: dict[str, str]) -> pd.DataFrame:
    """COPY's CSV read back typed by the table's columns (a school code stays text)."""
    arrow_types = {c: ARROW_TYPES.get(t, pa.string()) for c, t in types.items()}
    if not data:
        return pa.table({c: pa.array([], t) for c, t in arrow_types.items()}).to_pandas()
    table = pacsv.read_csv(
        io.BytesIO(data),
        read_options=pacsv.ReadOptions(column_names=list(types)),
        convert_options=pacsv.ConvertOptions(
            column_types=arrow_types,
            null_values=[NULL],
            strings_can_be_null=True,
            quoted_strings_can_be_null=False,
            true_values=["t"],
            false_values=["f"],
        ),
    )
    return table.to_pandas()
