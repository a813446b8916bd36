"""The `bangfu` command group and what its commands share: options, language, progress on
stderr, summaries, and a PipelineError shown as its message with exit 2 (``--debug`` re-raises)."""

from __future__ import annotations

import functools
import os
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

import click

from pipeline import app
from pipeline.core.errors import PipelineError
from pipeline.core.files import output_error
from pipeline.core.runlog import append, run_log
from pipeline.intake.isolate import batch_gc
from pipeline.text import status_label, text

LANGS = click.Choice(["zh", "en"])
F = TypeVar("F", bound=Callable[..., Any])


def handle_errors(func: F) -> F:
    """No traceback reaches a user (``--debug`` re-raises): a PipelineError is its message, an
    output that cannot be written says why (both exit 2); anything else is a bug, told in one line
    naming the log file that holds its traceback (exit 1)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        debug = bool(click.get_current_context().find_root().params.get("debug"))
        lang = kwargs.get("lang", "zh")
        try:
            with batch_gc():  # the collector tuned for a batch run, for the whole command
                return func(*args, **kwargs)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except PipelineError as exc:
            if debug:
                raise
            click.echo(exc.message(lang), err=True)
            sys.exit(2)
        except OSError as exc:
            if debug:
                raise
            click.echo(output_error(exc).message(lang), err=True)
            sys.exit(2)
        except Exception:
            if debug:
                raise
            log = _crash_log(kwargs.get("out"))
            click.echo(text("error.bug", lang, log=log), err=True)
            sys.exit(1)

    return cast(F, wrapper)


def _crash_log(out: object) -> Path:
    """The traceback of the exception being handled, appended to the run's log (else a file in
    the temporary folder, when the output folder is what failed)."""
    report = traceback.format_exc()
    for folder in (Path(str(out)) if out else None, Path(tempfile.gettempdir())):
        if folder is None:
            continue
        try:
            log = run_log(folder)
            append(log, report)
            return log
        except OSError:
            continue
    return Path("-")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show tracebacks instead of short messages.")
@click.version_option(package_name="bangfu")
def main(debug: bool) -> None:
    """Bangfu (帮扶): forms, intake and reports for school-pairing programmes."""


class Progress:
    """Files done / total, rate and ETA on stderr, at most a few times a second."""

    def __init__(self, lang: str) -> None:
        self.lang, self.start, self.last = lang, time.monotonic(), 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self.last < 0.5:
            return
        self.last = now
        rate = done / max(now - self.start, 1e-6)
        eta = (total - done) / rate if rate else 0.0
        line = text("cli.check.progress", self.lang, done=done, total=total, rate=rate, eta=eta)
        click.echo(f"\r{line}", nl=done == total, err=True)


def counts(counter: Counter, lang: str) -> str:
    return "，".join(f"{k} {v}" for k, v in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))) or text(
        "cli.check.none", lang
    )


def check_options(func: F) -> F:
    """The options `check` and `run` share."""
    for option in reversed(
        [
            click.option(
                "--programme",
                required=True,
                type=click.Path(dir_okay=False, path_type=Path),
                help="The programme workbook (项目配置).",
            ),
            click.option(
                "--inbox", required=True, type=click.Path(path_type=Path), help="Folder of received workbooks."
            ),
            click.option("--period", required=True, help="Period code from the programme's 报送周期 sheet."),
            click.option(
                "--out",
                "out",
                required=True,
                type=click.Path(file_okay=False, path_type=Path),
                help="Output folder; results go to OUT/<period>/.",
            ),
            click.option(
                "--lang", type=LANGS, default="zh", show_default=True, help="Language of labels and messages."
            ),
            click.option(
                "--workers", type=click.IntRange(1, 64), default=2, show_default=True, help="Reader processes."
            ),
        ]
    ):
        func = option(func)
    return func


def summarise(result: app.CheckResult, lang: str) -> None:
    statuses = Counter(status_label(s.status, lang) for s in result.submissions)
    codes = Counter(i.code for s in result.submissions for i in s.issues)
    click.echo(
        text(
            "cli.check.summary",
            lang,
            period=result.period.code,
            files=len(result.submissions),
            schools=len(result.programme.reporting_schools()),
        )
    )
    if not any(s.counted for s in result.submissions):
        click.echo(text("cli.check.nothing_usable", lang, files=len(result.submissions)), err=True)
    if result.copied:
        click.echo(text("cli.check.copied", lang, count=result.copied), err=True)
    if result.unfinished is not None:
        click.echo(text("cli.check.unfinished", lang, started=result.unfinished, path=result.out), err=True)
    click.echo(text("cli.check.by_status", lang, counts=counts(statuses, lang)))
    click.echo(text("cli.check.by_code", lang, counts=counts(codes, lang)))
    click.echo(
        text(
            "cli.check.outputs",
            lang,
            path=result.out,
            report=result.report.name if result.report else "-",
            feedback=len(result.feedback),
        )
    )


def ask_password(variable: str, server: str, lang: str) -> str:
    """From the environment, else a hidden prompt: never a command-line argument."""
    return os.environ.get(variable) or click.prompt(text("cli.password", lang, server=server), hide_input=True)


def security(starttls: bool, plain: bool) -> str:
    return "starttls" if starttls else "plain" if plain else "ssl"
