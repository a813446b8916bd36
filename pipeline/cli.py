"""The `bangfu` command line: parse options, call one library function, render, exit."""

from __future__ import annotations

import datetime as dt
import functools
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar, cast

import click

from pipeline import app
from pipeline.core.errors import PipelineError
from pipeline.intake.isolate import batch_gc
from pipeline.mail import fetch as mailbox
from pipeline.text import status_label, text
from pipeline.text.docs import write_docs

LANGS = click.Choice(["zh", "en"])
F = TypeVar("F", bound=Callable[..., Any])


def _handle_errors(func: F) -> F:
    """Show a PipelineError as its message (exit 2) unless --debug asks for the traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        try:
            with batch_gc():  # the collector tuned for a batch run, for the whole command
                return func(*args, **kwargs)
        except PipelineError as exc:
            if ctx.find_root().params.get("debug"):
                raise
            click.echo(exc.message(kwargs.get("lang", "zh")), err=True)
            sys.exit(2)

    return cast(F, wrapper)


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
    paths = app.write_templates(programme, period, out, lang)
    if programme is None:
        for path in paths:
            click.echo(text("cli.templates.blank", lang, path=path))
    else:
        click.echo(text("cli.templates.personal", lang, count=len(paths), period=period, path=out))


class _Progress:
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


def _counts(counter: Counter, lang: str) -> str:
    return "，".join(f"{k} {v}" for k, v in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))) or text(
        "cli.check.none", lang)


def _check_options(func: F) -> F:
    """The options `check` and `run` share."""
    for option in reversed([
        click.option("--programme", required=True, type=click.Path(dir_okay=False, path_type=Path),
                     help="The programme workbook (项目配置)."),
        click.option("--inbox", required=True, type=click.Path(path_type=Path), help="Folder of received workbooks."),
        click.option("--period", required=True, help="Period code from the programme's 报送周期 sheet."),
        click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
                     help="Output folder; results go to OUT/<period>/."),
        click.option("--lang", type=LANGS, default="zh", show_default=True, help="Language of labels and messages."),
        click.option("--workers", type=click.IntRange(1, 64), default=2, show_default=True, help="Reader processes."),
    ]):
        func = option(func)
    return func


@main.command()
@_check_options
@_handle_errors
def check(programme: Path, inbox: Path, period: str, out: Path, lang: str, workers: int) -> None:
    """Read, identify and validate every workbook of the inbox; write feedback for each school."""
    settings = app.CheckSettings(programme=programme, inbox=inbox, period=period, out=out, lang=lang,
                                 workers=workers)
    _summarise(app.check(settings, progress=_Progress(lang)), lang)


def _summarise(result: app.CheckResult, lang: str) -> None:
    statuses = Counter(status_label(s.status, lang) for s in result.submissions)
    codes = Counter(i.code for s in result.submissions for i in s.issues)
    click.echo(text("cli.check.summary", lang, period=result.period.code, files=len(result.submissions),
                    schools=len(result.programme.reporting_schools())))
    click.echo(text("cli.check.by_status", lang, counts=_counts(statuses, lang)))
    click.echo(text("cli.check.by_code", lang, counts=_counts(codes, lang)))
    click.echo(text("cli.check.outputs", lang, path=result.out, report=result.report.name if result.report else "-",
                    feedback=len(result.feedback)))


@main.command("run")
@_check_options
@click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="制表日期 printed on the workbook [default: the latest file received].")
@click.option("--detail-limit", type=click.IntRange(1, 1_000_000), default=200_000, show_default=True,
              help="Most detail rows per sheet in the workbook; past it detail is in data/*.csv only.")
@click.option("--detail-workbooks", is_flag=True,
              help="Past the detail limit, also write one detail workbook per 片区 (in parallel).")
@_handle_errors
def run_command(programme: Path, inbox: Path, period: str, out: Path, lang: str, workers: int, as_of: dt.datetime | None,
                detail_limit: int, detail_workbooks: bool) -> None:
    """Intake, validation and the consolidated workbook for officials (汇总报表)."""
    settings = app.RunSettings(programme=programme, inbox=inbox, period=period, out=out, lang=lang, workers=workers,
                               as_of=as_of.date() if as_of else None, detail_limit=detail_limit,
                               detail_workbooks=detail_workbooks)
    result = app.run(settings, progress=_Progress(lang))
    _summarise(result.check, lang)
    click.echo(text("cli.run.done", lang, path=result.workbook))
    for path in [*result.detail_workbooks, *([result.assessment] if result.assessment else [])]:
        click.echo(f"  {path}")


@main.command()
@click.option("--programme", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The programme workbook (项目配置) with its 考核细则 sheet.")
@click.option("--inbox", required=True, type=click.Path(path_type=Path), help="Folder of the year's reports.")
@click.option("--year", "year", required=True, help="A 学年 or 年度 period code, e.g. 2024学年.")
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Output folder; results go to OUT/<year>/.")
@click.option("--lang", type=LANGS, default="zh", show_default=True, help="Language of labels and messages.")
@click.option("--workers", type=click.IntRange(1, 64), default=2, show_default=True, help="Reader processes.")
@_handle_errors
def assess(programme: Path, inbox: Path, year: str, out: Path, lang: str, workers: int) -> None:
    """Year-end assessment of every pair against the rubric (考核结果)."""
    settings = app.CheckSettings(programme=programme, inbox=inbox, period=year, out=out, lang=lang, workers=workers)
    result = app.assess_year(settings, progress=_Progress(lang))
    _summarise(result.check, lang)
    click.echo(text("cli.assess.done", lang, pairs=len(result.assessment.pairs), path=result.workbook))


def _password(variable: str, server: str, lang: str) -> str:
    """From the environment, else a hidden prompt: never a command-line argument."""
    return os.environ.get(variable) or click.prompt(text("cli.password", lang, server=server), hide_input=True)


def _security(starttls: bool, plain: bool) -> str:
    return "starttls" if starttls else "plain" if plain else "ssl"


@main.command("fetch-mail")
@click.option("--inbox", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder to save the attachments into (the inbox of check/run).")
@click.option("--imap", "imap_host", help="IMAP server (IMAPS unless --starttls or --plain).")
@click.option("--port", type=int, help="IMAP port [default: 993, or 143 with --starttls/--plain].")
@click.option("--user", default="", help="IMAP user; the password comes from BANGFU_IMAP_PASSWORD or a prompt.")
@click.option("--starttls", is_flag=True, help="Plain connection upgraded with STARTTLS.")
@click.option("--plain", is_flag=True, help="No TLS at all (a local server only).")
@click.option("--folder", default="INBOX", show_default=True, help="IMAP folder, e.g. 收件箱.")
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="Only messages since this date.")
@click.option("--refetch", is_flag=True,
              help="IMAP: read every message again (by default only those after the last one an earlier fetch "
                   "into this inbox read).")
@click.option("--mbox", type=click.Path(dir_okay=False, exists=True, path_type=Path), help="An mbox file.")
@click.option("--maildir", type=click.Path(file_okay=False, exists=True, path_type=Path), help="A Maildir folder.")
@click.option("--eml", type=click.Path(file_okay=False, exists=True, path_type=Path),
              help="A folder of .eml files saved from a mail client.")
@click.option("--lang", type=LANGS, default="zh", show_default=True, help="Language of messages.")
@_handle_errors
def fetch_mail(inbox: Path, imap_host: str | None, port: int | None, user: str, starttls: bool, plain: bool,
               folder: str, since: dt.datetime | None, refetch: bool, mbox: Path | None, maildir: Path | None,
               eml: Path | None, lang: str) -> None:
    """Save every spreadsheet attachment from the bureau's mail into the inbox, with its sender and date."""
    sources = [s for s in (imap_host, mbox, maildir, eml) if s]
    if len(sources) != 1:
        raise click.UsageError("give exactly one of --imap, --mbox, --maildir, --eml")
    messages: Iterable[mailbox.Raw]
    if imap_host:
        source = mailbox.ImapSource(imap_host, user, _password("BANGFU_IMAP_PASSWORD", imap_host, lang), port,
                                    _security(starttls, plain), folder, since.date() if since else None,
                                    inbox=inbox, refetch=refetch)
        messages = source.messages()
    elif mbox:
        messages = mailbox.from_mbox(mbox)
    elif maildir:
        messages = mailbox.from_maildir(maildir)
    else:
        assert eml is not None  # one source, checked above
        messages = mailbox.from_eml(eml)
    result = app.fetch_mail(inbox, messages)
    click.echo(text("cli.fetch.done", lang, messages=result.messages, saved=len(result.saved),
                    duplicates=result.duplicates, empty=result.without_spreadsheet, log=result.log))
    if result.skipped:
        click.echo(text("cli.fetch.skipped", lang, count=result.skipped))


@main.command()
@click.option("--programme", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The programme workbook (项目配置).")
@click.option("--period", required=True, help="Period code from the programme's 报送周期 sheet.")
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Output folder; drafts go to OUT/<period>/邮件草稿/.")
@click.option("--inbox", type=click.Path(path_type=Path),
              help="The period's inbox: also reminders (催报) and feedback mails from its check.")
@click.option("--from", "sender", default="", help="From address, e.g. 'Bureau <jyj@example.gov.cn>'.")
@click.option("--send", is_flag=True, help="Send the drafts instead of only writing them (needs --smtp).")
@click.option("--smtp", "smtp_host", help="SMTP server (SMTPS unless --starttls or --plain).")
@click.option("--port", type=int, help="SMTP port [default: 465, or 25 with --starttls/--plain].")
@click.option("--user", default="", help="SMTP user; the password comes from BANGFU_SMTP_PASSWORD or a prompt.")
@click.option("--starttls", is_flag=True, help="Plain connection upgraded with STARTTLS.")
@click.option("--plain", is_flag=True, help="No TLS at all (a local server only).")
@click.option("--lang", type=LANGS, default="zh", show_default=True, help="Language of the mails and messages.")
@_handle_errors
def drafts(programme: Path, period: str, out: Path, inbox: Path | None, sender: str, send: bool,
           smtp_host: str | None, port: int | None, user: str, starttls: bool, plain: bool, lang: str) -> None:
    """Write .eml drafts to schools (template, reminder, feedback); with --send, send them."""
    if send and not smtp_host:
        raise click.UsageError("--send needs --smtp HOST")
    settings = app.DraftSettings(programme, period, out, inbox, lang, sender)
    result = app.write_all_drafts(settings, progress=_Progress(lang) if inbox else None)
    kinds = Counter(d.kind for d in result.drafts)
    click.echo(text("cli.drafts.done", lang, count=len(result.drafts), template=kinds["template"],
                    reminder=kinds["reminder"], feedback=kinds["feedback"], path=result.folder))
    if send:
        assert smtp_host is not None  # checked above
        password = _password("BANGFU_SMTP_PASSWORD", smtp_host, lang) if user else ""
        server = app.SmtpServer(smtp_host, user, password, port, _security(starttls, plain))
        sent, failed, skipped, log = app.send_all(result, server, sender or user)
        click.echo(text("cli.drafts.sent", lang, sent=sent, failed=failed, skipped=skipped, log=log))


@main.command()
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the demo programme workbook, templates and inbox.")
@click.option("--lang", type=LANGS, default="zh", show_default=True, help="Language of labels and messages.")
@click.option("--seed", type=int, default=2024, show_default=True, help="Random seed of the demo data.")
@_handle_errors
def demo(out: Path, lang: str, seed: int) -> None:
    """Write a realistic demo programme, its templates and an inbox of filled reports."""
    result = app.write_demo(out, lang, seed)
    click.echo(text("cli.demo.done", lang, programme=result.programme, inbox=result.inbox,
                    files=len(result.files), templates=result.templates))


@main.command()
@click.option("--out", "out", default=Path("docs"), show_default=True,
              type=click.Path(file_okay=False, path_type=Path), help="Folder for the generated pages.")
def docs(out: Path) -> None:
    """Write the docs pages of columns and finding codes from the schemas and catalogue."""
    for path in write_docs(out):
        click.echo(str(path))


if __name__ == "__main__":
    main()
