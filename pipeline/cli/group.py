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
from pipeline.text.click_messages import CLICK_ZH
from pipeline.text.help import help_text

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


def lang_of(args: list[str]) -> str:
    """The language the command line asked for (``--lang en``), read before Click parses it: usage
    errors and help are in it too. Chinese by default."""
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            return "en" if args[i + 1] == "en" else "zh"
        if arg.startswith("--lang="):
            return "en" if arg == "--lang=en" else "zh"
    return "zh"


_LANG = [lang_of(sys.argv[1:])]  # Click's messages follow it (install_click_messages)


def _click_text(message: str) -> str:
    return message if _LANG[0] == "en" else CLICK_ZH.get(message, message)


def _click_plural(singular: str, plural: str, n: int) -> str:
    return _click_text(singular if n == 1 else plural)


def install_click_messages() -> None:
    """Click's own words (Usage:, Missing option, Did you mean …) from our catalogue, in the
    language of the command line. Click looks them up through gettext, bound in each module."""
    for module in (click.core, click.exceptions, click.parser, click.types, click.formatting, click.decorators):
        if hasattr(module, "_"):
            module._ = _click_text  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = _click_plural  # type: ignore[attr-defined]


class BangfuGroup(click.Group):
    """The command group, speaking the user's language from its first word: help, usage errors
    and Click's own messages in Chinese, or English with ``--lang en``."""

    def main(self, args: Any = None, *rest: Any, **kwargs: Any) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        _LANG[0] = lang_of(argv)
        localise(self, "main", _LANG[0])
        return super().main(argv, *rest, **kwargs)


def localise(command: click.Command, name: str, lang: str) -> None:
    """Every command's and option's help in ``lang``, from the catalogue (pipeline.text.help)."""
    command.help = help_text(name, None, lang) or command.help
    for param in command.params:
        said = help_text(name, param.name, lang) if param.name else None
        if said and isinstance(param, click.Option):
            param.help = said
    if isinstance(command, click.Group):
        for sub_name, sub in command.commands.items():
            localise(sub, sub_name, lang)


install_click_messages()


@click.group(cls=BangfuGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True)
@click.version_option(package_name="bangfu")
def main(debug: bool) -> None:
    """Bangfu (帮扶): forms, intake and reports for school-pairing programmes."""


class Progress:
    """What a long run is doing, on stderr: files read of all, with rate and time left, then each
    phase as it begins and how long the one before took. On a terminal the count rewrites its
    line a few times a second; elsewhere (a log, ``| tee``) it is a plain line every tenth of the
    files. ``quiet``: nothing but results and problems."""

    def __init__(self, lang: str, quiet: bool = False, terminal: bool | None = None) -> None:
        self.lang, self.quiet = lang, quiet
        self.terminal = sys.stderr.isatty() if terminal is None else terminal
        self.start = self.began = time.monotonic()
        self.last, self.tenth = 0.0, -1

    def __call__(self, done: int, total: int) -> None:
        if self.quiet:
            return
        now = time.monotonic()
        tenth = done * 10 // max(total, 1)
        if self.terminal and done < total and now - self.last < 0.5:
            return
        if not self.terminal and done < total and tenth == self.tenth:
            return
        self.last, self.tenth = now, tenth
        rate = done / max(now - self.start, 1e-6)
        eta = (total - done) / rate if rate else 0.0
        line = text("cli.check.progress", self.lang, done=done, total=total, rate=rate, eta=eta)
        if self.terminal:
            click.echo(f"\r{line}", nl=done == total, err=True)
        else:
            click.echo(line, err=True)

    def phase(self, key: str) -> None:
        """A phase begins: say which, with the time the run has taken so far."""
        if self.quiet:
            return
        elapsed = time.monotonic() - self.began
        click.echo(text("cli.phase", self.lang, what=text(f"cli.phase.{key}", self.lang), seconds=elapsed), err=True)


def counts(counter: Counter, lang: str) -> str:
    return "，".join(f"{k} {v}" for k, v in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))) or text(
        "cli.check.none", lang
    )


def check_options(func: F) -> F:
    """The options `check` and `run` share."""
    for option in reversed(
        [
            click.option("--programme", required=True, type=click.Path(dir_okay=False, path_type=Path)),
            click.option("--inbox", required=True, callback=_inbox_location),
            click.option("--period", required=True),
            click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path)),
            click.option("--lang", type=LANGS, default="zh", show_default=True),
            click.option("--workers", type=click.IntRange(1, 64), default=2, show_default=True),
            click.option("--cluster", default="", callback=_cluster_address),
            click.option("--quiet", "-q", is_flag=True),
        ]
    ):
        func = option(func)
    return func


def _inbox_location(ctx: click.Context, param: click.Parameter, value: str) -> Path | str:
    """A folder, or an fsspec URL (s3://bucket/inbox) kept as text."""
    from pipeline.intake.remote import is_remote

    return value if is_remote(value) else Path(value)


def _cluster_address(ctx: click.Context, param: click.Parameter, value: str) -> str:
    from pipeline.intake.cluster import valid

    if value and not valid(value):
        raise click.BadParameter(text("error.cluster_address", _LANG[0], address=value))
    return value


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
