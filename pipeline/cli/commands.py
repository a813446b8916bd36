"""The commands of the analyst's day: templates, check, run, assess, demo and docs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from pipeline import app
from pipeline.cli.group import LANGS, Progress, check_options, handle_errors, main, summarise
from pipeline.text import text
from pipeline.text.docs import write_docs


@main.command()
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the templates into.",
)
@click.option(
    "--programme",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Programme workbook: write one personalised report per reporting school.",
)
@click.option("--period", help="Period code from the programme's 报送周期 sheet (with --programme).")
@click.option("--lang", type=LANGS, default="zh", show_default=True, help="Language of labels and messages.")
@handle_errors
def templates(out: Path, programme: Path | None, period: str | None, lang: str) -> None:
    """Write blank templates, or personalised school reports for one period."""
    if programme is not None and not period:
        raise click.UsageError("--period is required with --programme")
    paths = app.write_templates(programme, period, out, lang)
    if programme is None:
        for path in paths:
            click.echo(text("cli.templates.blank", lang, path=path))
    else:
        click.echo(text("cli.templates.personal", lang, count=len(paths), period=period, path=out))


@main.command()
@check_options
@handle_errors
def check(programme: Path, inbox: Path, period: str, out: Path, lang: str, workers: int) -> None:
    """Read, identify and validate every workbook of the inbox; write feedback for each school."""
    settings = app.CheckSettings(programme=programme, inbox=inbox, period=period, out=out, lang=lang, workers=workers)
    summarise(app.check(settings, progress=Progress(lang)), lang)


@main.command("run")
@check_options
@click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="制表日期 printed on the workbook [default: the latest file received].",
)
@click.option(
    "--detail-limit",
    type=click.IntRange(1, 1_000_000),
    default=200_000,
    show_default=True,
    help="Most detail rows per sheet in the workbook; past it detail is in data/*.csv only.",
)
@click.option(
    "--detail-workbooks",
    is_flag=True,
    help="Past the detail limit, also write one detail workbook per 片区 (in parallel).",
)
@handle_errors
def run_command(
    programme: Path,
    inbox: Path,
    period: str,
    out: Path,
    lang: str,
    workers: int,
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
        as_of=as_of.date() if as_of else None,
        detail_limit=detail_limit,
        detail_workbooks=detail_workbooks,
    )
    result = app.run(settings, progress=Progress(lang))
    summarise(result.check, lang)
    click.echo(text("cli.run.done", lang, path=result.workbook))
    for path in [*result.detail_workbooks, *([result.assessment] if result.assessment else [])]:
        click.echo(f"  {path}")


@main.command()
@click.option(
    "--programme",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The programme workbook (项目配置) with its 考核细则 sheet.",
)
@click.option("--inbox", required=True, type=click.Path(path_type=Path), help="Folder of the year's reports.")
@click.option("--year", "year", required=True, help="A 学年 or 年度 period code, e.g. 2024学年.")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder; results go to OUT/<year>/.",
)
@click.option("--lang", type=LANGS, default="zh", show_default=True, help="Language of labels and messages.")
@click.option("--workers", type=click.IntRange(1, 64), default=2, show_default=True, help="Reader processes.")
@handle_errors
def assess(programme: Path, inbox: Path, year: str, out: Path, lang: str, workers: int) -> None:
    """Year-end assessment of every pair against the rubric (考核结果)."""
    settings = app.CheckSettings(programme=programme, inbox=inbox, period=year, out=out, lang=lang, workers=workers)
    result = app.assess_year(settings, progress=Progress(lang))
    summarise(result.check, lang)
    click.echo(text("cli.assess.done", lang, pairs=len(result.assessment.pairs), path=result.workbook))


@main.command()
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the demo programme workbook, templates and inbox.",
)
@click.option("--lang", type=LANGS, default="zh", show_default=True, help="Language of labels and messages.")
@click.option("--seed", type=int, default=2024, show_default=True, help="Random seed of the demo data.")
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
        )
    )


@main.command()
@click.option(
    "--out",
    "out",
    default=Path("docs"),
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the generated pages.",
)
def docs(out: Path) -> None:
    """Write the docs pages of columns and finding codes from the schemas and catalogue."""
    for path in write_docs(out):
        click.echo(str(path))
