"""`bangfu history`: the periods in the history store, and read-only SQL over it."""

from __future__ import annotations

from pathlib import Path

import click
import pandas as pd

from pipeline.app import history as app_history
from pipeline.cli.group import LANGS, handle_errors, main
from pipeline.text import text

STORE = click.option("--store")  # a folder or a PostgreSQL URL
PROGRAMME = click.option("--programme", type=click.Path(dir_okay=False, path_type=Path))
LANG = click.option("--lang", type=LANGS, default="zh", show_default=True)


@main.group()
def history() -> None:
    """Every period of a programme in one store."""


@history.command("periods")
@STORE
@PROGRAMME
@LANG
@handle_errors
def periods(store: str | None, programme: Path | None, lang: str) -> None:
    """Each period in the store with its counts and run id."""
    frame = app_history.periods(app_history.open_history(store, programme))
    columns = ["period", "name", "schools", "on_time", "late", "missing", "activities", "files", "run_id"]
    _show(frame[[c for c in columns if c in frame.columns]])


@history.command("sql")
@click.argument("query")
@STORE
@PROGRAMME
@LANG
@handle_errors
def sql(query: str, store: str | None, programme: Path | None, lang: str) -> None:
    """A read-only query, e.g. "SELECT period, count(*) FROM activities GROUP BY 1"."""
    _show(app_history.query(app_history.open_history(store, programme), query))


def _show(frame: pd.DataFrame) -> None:
    click.echo(frame.to_string(index=False) if len(frame.columns) else "")


@history.command("import")
@click.argument("folders", nargs=-1, required=True, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--programme", required=True, type=click.Path(dir_okay=False, path_type=Path))
@STORE
@LANG
@handle_errors
def import_command(folders: tuple[Path, ...], programme: Path, store: str | None, lang: str) -> None:
    """Periods that earlier versions left in output folders, into the store."""
    opened = app_history.open_history(store, programme) if store is None else app_history.create(store, programme)
    imported, left = app_history.import_folders(opened, programme, list(folders))
    click.echo(text("cli.history.imported", lang, periods="、".join(imported) or "-", left="、".join(left) or "-"))


@history.command("export")
@click.option("--from", "first", required=True)
@click.option("--to", "last")
@click.option("--to-file", "target", required=True, type=click.Path(path_type=Path))
@STORE
@PROGRAMME
@LANG
@handle_errors
def export_command(
    first: str, last: str | None, target: Path, store: str | None, programme: Path | None, lang: str
) -> None:
    """A period or a range of periods, to a workbook (.xlsx) or a folder of CSV files."""
    paths, codes = app_history.export(app_history.open_history(store, programme), first, last, target, lang)
    click.echo(text("cli.history.exported", lang, periods="、".join(codes), paths=", ".join(map(str, paths))))
