"""The `bangfu` command line: parse options, call one library function, render, exit."""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import click

from pipeline import run
from pipeline.catalogue import text
from pipeline.errors import PipelineError

LANGS = click.Choice(["zh", "en"])


def _handle_errors(func):
    """Show a PipelineError as its message (exit 2) unless --debug asks for the traceback."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        ctx = click.get_current_context()
        try:
            return func(*args, **kwargs)
        except PipelineError as exc:
            if ctx.find_root().params.get("debug"):
                raise
            click.echo(exc.message(kwargs.get("lang", "zh")), err=True)
            sys.exit(2)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show tracebacks instead of short messages.")
@click.version_option(package_name="bangfu")
def main(debug: bool) -> None:
    """Bangfu (帮扶): forms, intake and reports for school-pairing programmes."""


@main.command()
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write the templates into.")
@click.option("--programme", type=click.Path(dir_okay=False, path_type=Path),
              help="Programme workbook: write one personalised report per reporting school.")
@click.option("--period", help="Period code from the programme's 报送周期 sheet (with --programme).")
@click.option("--lang", type=LANGS, default="zh", show_default=True, help="Language of labels and messages.")
@_handle_errors
def templates(out: Path, programme: Path | None, period: str | None, lang: str) -> None:
    """Write blank templates, or personalised school reports for one period."""
    if programme is not None and not period:
        raise click.UsageError("--period is required with --programme")
    paths = run.write_templates(programme, period, out, lang)
    if programme is None:
        for path in paths:
            click.echo(text("cli.templates.blank", lang, path=path))
    else:
        click.echo(text("cli.templates.personal", lang, count=len(paths), period=period, path=out))


@main.command()
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the demo programme workbook, templates and inbox.")
@click.option("--lang", type=LANGS, default="zh", show_default=True, help="Language of labels and messages.")
@click.option("--seed", type=int, default=2024, show_default=True, help="Random seed of the demo data.")
@_handle_errors
def demo(out: Path, lang: str, seed: int) -> None:
    """Write a realistic demo programme, its templates and an inbox of filled reports."""
    result = run.write_demo(out, lang, seed)
    click.echo(text("cli.demo.done", lang, programme=result.programme, inbox=result.inbox,
                    files=len(result.files), templates=result.templates))


if __name__ == "__main__":
    main()
