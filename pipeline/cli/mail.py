"""The mail commands: fetch-mail (mailbox to inbox) and drafts (template, reminder and feedback
mails to schools, sent with --send)."""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

import click

from pipeline import app
from pipeline.cli.group import LANGS, Progress, ask_password, handle_errors, main, security
from pipeline.mail import fetch as mailbox
from pipeline.mail.imap import ImapSource
from pipeline.text import text

F = TypeVar("F", bound=Callable[..., Any])


def connection_options(func: F) -> F:
    """The mail server's port, user and security, alike for IMAP (fetch-mail) and SMTP (drafts)."""
    for option in reversed(
        [
            click.option("--port", type=int),
            click.option("--user", default=""),
            click.option("--starttls", is_flag=True),
            click.option("--plain", is_flag=True),
            click.option("--insecure-tls", is_flag=True),
        ]
    ):
        func = option(func)
    return func


@main.command("fetch-mail")
@click.option("--inbox", required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--imap", "imap_host")
@connection_options
@click.option("--folder", default="INBOX", show_default=True)
@click.option("--since", type=click.DateTime(["%Y-%m-%d"]))
@click.option("--refetch", is_flag=True)
@click.option("--mbox", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--maildir", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--eml", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--lang", type=LANGS, default="zh", show_default=True)
@handle_errors
def fetch_mail(
    inbox: Path,
    imap_host: str | None,
    port: int | None,
    user: str,
    starttls: bool,
    plain: bool,
    insecure_tls: bool,
    folder: str,
    since: dt.datetime | None,
    refetch: bool,
    mbox: Path | None,
    maildir: Path | None,
    eml: Path | None,
    lang: str,
) -> None:
    """Save every spreadsheet attachment from the bureau's mail into the inbox, with its sender and date."""
    sources = [s for s in (imap_host, mbox, maildir, eml) if s]
    if len(sources) != 1:
        raise click.UsageError("give exactly one of --imap, --mbox, --maildir, --eml")
    messages: Iterable[mailbox.Raw]
    if insecure_tls:
        click.echo(text("cli.insecure_tls", lang), err=True)
    if imap_host:
        source = ImapSource(
            imap_host,
            user,
            ask_password("BANGFU_IMAP_PASSWORD", imap_host, lang),
            port,
            security(starttls, plain),
            folder,
            since.date() if since else None,
            inbox=inbox,
            refetch=refetch,
            verify=not insecure_tls,
        )
        messages = source.messages()
    elif mbox:
        messages = mailbox.from_mbox(mbox)
    elif maildir:
        messages = mailbox.from_maildir(maildir)
    else:
        assert eml is not None  # one source, checked above
        messages = mailbox.from_eml(eml)
    result = app.fetch_mail(inbox, messages)
    click.echo(
        text(
            "cli.fetch.done",
            lang,
            messages=result.messages,
            saved=len(result.saved),
            duplicates=result.duplicates,
            empty=result.without_spreadsheet,
            log=result.log,
        )
    )
    if result.skipped:
        click.echo(text("cli.fetch.skipped", lang, count=result.skipped))


@main.command()
@click.option("--programme", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--period", required=True)
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--inbox", type=click.Path(path_type=Path))
@click.option("--from", "sender", default="")
@click.option("--send", is_flag=True)
@click.option("--smtp", "smtp_host")
@connection_options
@click.option("--lang", type=LANGS, default="zh", show_default=True)
@handle_errors
def drafts(
    programme: Path,
    period: str,
    out: Path,
    inbox: Path | None,
    sender: str,
    send: bool,
    smtp_host: str | None,
    port: int | None,
    user: str,
    starttls: bool,
    plain: bool,
    insecure_tls: bool,
    lang: str,
) -> None:
    """Write .eml drafts to schools (template, reminder, feedback); with --send, send them."""
    if send and not smtp_host:
        raise click.UsageError("--send needs --smtp HOST")
    settings = app.DraftSettings(programme, period, out, inbox, lang, sender)
    result = app.write_all_drafts(settings, progress=Progress(lang) if inbox else None)
    kinds = Counter(d.kind for d in result.drafts)
    click.echo(
        text(
            "cli.drafts.done",
            lang,
            count=len(result.drafts),
            template=kinds["template"],
            reminder=kinds["reminder"],
            feedback=kinds["feedback"],
            path=result.folder,
        )
    )
    if send:
        assert smtp_host is not None  # checked above
        if insecure_tls:
            click.echo(text("cli.insecure_tls", lang), err=True)
        password = ask_password("BANGFU_SMTP_PASSWORD", smtp_host, lang) if user else ""
        server = app.SmtpServer(smtp_host, user, password, port, security(starttls, plain), verify=not insecure_tls)
        sent, failed, skipped, log = app.send_all(result, server, sender or user)
        click.echo(text("cli.drafts.sent", lang, sent=sent, failed=failed, skipped=skipped, log=log))


@main.command()
@click.option("--programme", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--period", required=True)
@click.option("--inbox", required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--imap", "imap_host")
@click.option("--maildir", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--folder", default="INBOX", show_default=True)
@click.option("--smtp", "smtp_host")
@click.option("--smtp-port", type=int)
@click.option("--smtp-user")
@connection_options
@click.option("--from", "sender", default="")
@click.option("--send", is_flag=True)
@click.option("--every", type=click.IntRange(1, 86400), default=120, show_default=True)
@click.option("--once", is_flag=True)
@click.option("--daily-cap", type=click.IntRange(1, 100), default=5, show_default=True)
@click.option("--report", is_flag=True)
@click.option("--answer-existing", is_flag=True)
@click.option("--analyst", default="")
@click.option("--summary-at", type=click.DateTime(["%H:%M"]), default="17:30", show_default=True)
@click.option("--lang", type=LANGS, default="zh", show_default=True)
@handle_errors
def watch(
    programme: Path,
    period: str,
    inbox: Path,
    out: Path,
    imap_host: str | None,
    maildir: Path | None,
    folder: str,
    smtp_host: str | None,
    smtp_port: int | None,
    smtp_user: str | None,
    port: int | None,
    user: str,
    starttls: bool,
    plain: bool,
    insecure_tls: bool,
    sender: str,
    send: bool,
    every: int,
    once: bool,
    daily_cap: int,
    report: bool,
    answer_existing: bool,
    analyst: str,
    summary_at: dt.datetime,
    lang: str,
) -> None:
    """Answer every school's mail within minutes: its receipt, its marked workbook, or what to fix."""
    import signal
    import threading

    from pipeline.app.watch import Watcher, WatchSettings

    if bool(imap_host) == bool(maildir):
        raise click.UsageError(text("cli.watch.one_source", lang))
    if send and not smtp_host:
        raise click.UsageError(text("cli.watch.send_needs_smtp", lang))
    if insecure_tls:
        click.echo(text("cli.insecure_tls", lang), err=True)
    inbox.mkdir(parents=True, exist_ok=True)
    source: Callable[[], Iterable[mailbox.Raw]]
    if imap_host:
        imap = ImapSource(imap_host, user, ask_password("BANGFU_IMAP_PASSWORD", imap_host, lang), port,
                          security(starttls, plain), folder, inbox=inbox, verify=not insecure_tls)  # fmt: skip
        source = imap.messages
    else:
        assert maildir is not None  # one source, checked above
        source = functools.partial(mailbox.MaildirMessages, maildir, inbox)
    server = None
    if smtp_host:
        login = user if smtp_user is None else smtp_user  # "": a server that takes mail without a login
        password = (os.environ.get("BANGFU_SMTP_PASSWORD") or (imap.password if imap_host else "")) if login else ""
        if login and not password:
            password = ask_password("BANGFU_SMTP_PASSWORD", smtp_host, lang)
        server = app.SmtpServer(
            smtp_host, login, password, smtp_port, security(starttls, plain), verify=not insecure_tls
        )
    settings = WatchSettings(programme, period, inbox, out, lang, sender or user, send, daily_cap, report,
                             answer_existing, analyst, summary_at.time())  # fmt: skip
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())  # the current message is finished, then it stops
    mode = text("cli.watch.mode_send" if send else "cli.watch.mode_drafts", lang)
    click.echo(text("cli.watch.start", lang, every=every, mode=mode))
    watcher = Watcher(settings, source, server, stop, imap.idle if imap_host else None)
    watcher.loop(every, once, click.echo)
    if stop.is_set():
        click.echo(text("cli.watch.stopped", lang, log=watcher.log_path()))
