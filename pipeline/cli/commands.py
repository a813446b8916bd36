"""The commands of the analyst's day: templates, check, run, assess, demo and docs."""

from __future__ import annotations

import datetime as dt
import os
import shlex
import shutil
import sys
from pathlib import Path

import click

from pipeline import app
from pipeline.cli.group import LANGS, Progress, check_options, handle_errors, main, summarise
from pipeline.text import text
from pipeline.text.docs import write_docs


@main.command()
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--programme", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--period")
@click.option("--lang", type=LANGS, default="zh", show_default=True)
@handle_errors
def templates(out: Path, programme: Path | None, period: str | None, lang: str) -> None:
    """Write blank templates, or personalised school reports for one period."""
    if programme is not None and not period:
        raise click.UsageError(text("cli.templates.period_required", lang))
    paths = app.write_templates(programme, period, out, lang)
    if programme is None:
        for path in paths:
            click.echo(text("cli.templates.blank", lang, path=path))
    else:
        click.echo(text("cli.templates.personal", lang, count=len(paths), period=period, path=out))


@main.command()
@check_options
@handle_errors
def check(
    programme: Path, inbox: Path, period: str, out: Path, lang: str, workers: int, cluster: str, quiet: bool
) -> None:
    """Read, identify and validate every workbook of the inbox; write feedback for each school."""
    settings = app.CheckSettings(
        programme=programme, inbox=inbox, period=period, out=out, lang=lang, workers=workers, cluster=cluster
    )
    summarise(app.check(settings, progress=Progress(lang, quiet)), lang)


@main.command("run")
@check_options
@click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), default=None)
@click.option("--detail-limit", type=click.IntRange(1, 1_000_000), default=200_000, show_default=True)
@click.option("--detail-workbooks", is_flag=True)
@handle_errors
def run_command(
    programme: Path,
    inbox: Path,
    period: str,
    out: Path,
    lang: str,
    workers: int,
    cluster: str,
    quiet: bool,
    as_of: dt.datetime | None,
    detail_limit: int,
    detail_workbooks: bool,
) -> None:
    """Intake, validation and the consolidated workbook for officials (汇总报表)."""
    settings = app.RunSettings(
        programme=programme,
        inbox=inbox,
        period=period,
        out=out,
        lang=lang,
        workers=workers,
        cluster=cluster,
        as_of=as_of.date() if as_of else None,
        detail_limit=detail_limit,
        detail_workbooks=detail_workbooks,
    )
    result = app.run(settings, progress=Progress(lang, quiet))
    summarise(result.check, lang)
    click.echo(text("cli.run.done", lang, path=result.workbook))
    for path in result.detail_workbooks:
        click.echo(text("cli.run.detail", lang, path=path))
    if result.assessment:
        click.echo(text("cli.run.assessment", lang, path=result.assessment))
        click.echo(
            text(
                "cli.run.evidence", lang, path=result.assessment.with_name(f"评分依据_{result.check.period.code}.xlsx")
            )
        )


@main.command()
@click.option("--programme", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--inbox", required=True, type=click.Path(path_type=Path))
@click.option("--year", "year", required=True)
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--lang", type=LANGS, default="zh", show_default=True)
@click.option("--workers", type=click.IntRange(1, 64), default=2, show_default=True)
@click.option("--quiet", "-q", is_flag=True)
@handle_errors
def assess(programme: Path, inbox: Path, year: str, out: Path, lang: str, workers: int, quiet: bool) -> None:
    """Year-end assessment of every pair against the rubric (考核结果)."""
    settings = app.CheckSettings(programme=programme, inbox=inbox, period=year, out=out, lang=lang, workers=workers)
    result = app.assess_year(settings, progress=Progress(lang, quiet))
    summarise(result.check, lang)
    click.echo(text("cli.assess.done", lang, pairs=len(result.assessment.pairs), path=result.workbook))


@main.command()
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--lang", type=LANGS, default="zh", show_default=True)
@click.option("--seed", type=int, default=2024, show_default=True)
@handle_errors
def demo(out: Path, lang: str, seed: int) -> None:
    """Write a realistic demo programme, its templates and an inbox of filled reports."""
    result = app.write_demo(out, lang, seed)
    click.echo(
        text(
            "cli.demo.done",
            lang,
            programme=result.programme,
            inbox=result.inbox,
            files=len(result.files),
            templates=result.templates,
            bangfu=this_command(),
            programme_arg=shlex.quote(str(result.programme)),
            inbox_arg=shlex.quote(str(result.inbox)),
            out=shlex.quote(str(out / "out")),
            report=out / "out" / "2024学年" / "汇总报表_2024学年.xlsx",
        )
    )


def this_command() -> str:
    """How to call bangfu again from here: the path it was started by when that is not on PATH
    (.venv/bin/bangfu from make), so that a pasted next step works."""
    started = sys.argv[0]
    if os.sep not in started or shutil.which("bangfu") == os.path.abspath(started):
        return "bangfu"
    path = os.path.relpath(started) if not started.startswith("..") else started
    return shlex.quote(path if os.sep in path else f".{os.sep}{path}")


@main.command()
@click.option("--out", "out", default=Path("docs"), show_default=True, type=click.Path(file_okay=False, path_type=Path))
def docs(out: Path) -> None:
    """Write the docs pages of columns and finding codes from the schemas and catalogue."""
    for path in write_docs(out):
        click.echo(str(path))
