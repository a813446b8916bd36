"""`bangfu watch`: the mailbox answered every few minutes (pipeline.app.watch, docs/watch.md)."""

from __future__ import annotations

import datetime as dt
import functools
import os
import signal
import threading
from pathlib import Path

import click

from pipeline import app
from pipeline.app.watch import Watcher, WatchSettings
from pipeline.cli.group import LANGS, ask_password, handle_errors, main, security
from pipeline.cli.mail import connection_options
from pipeline.mail import fetch as mailbox
from pipeline.mail.imap import ImapSource
from pipeline.text import text


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
    if bool(imap_host) == bool(maildir):
        raise click.UsageError(text("cli.watch.one_source", lang))
    if send and not smtp_host:
        raise click.UsageError(text("cli.watch.send_needs_smtp", lang))
    if insecure_tls:
        click.echo(text("cli.insecure_tls", lang), err=True)
    inbox.mkdir(parents=True, exist_ok=True)
    imap = None
    if imap_host:
        imap = ImapSource(imap_host, user, ask_password("BANGFU_IMAP_PASSWORD", imap_host, lang), port,
                          security(starttls, plain), folder, inbox=inbox, verify=not insecure_tls)  # fmt: skip
    source = imap.messages if imap else functools.partial(mailbox.MaildirMessages, Path(str(maildir)), inbox)
    server = None
    if smtp_host:
        login = user if smtp_user is None else smtp_user  # "": a server that takes mail without a login
        server = app.SmtpServer(smtp_host, login, _smtp_password(login, imap, smtp_host, lang), smtp_port,
                                security(starttls, plain), verify=not insecure_tls)  # fmt: skip
    settings = WatchSettings(programme, period, inbox, out, lang, sender or user, send, daily_cap, report,
                             answer_existing, analyst, summary_at.time())  # fmt: skip
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())  # the current message is finished, then it stops
    mode = text("cli.watch.mode_send" if send else "cli.watch.mode_drafts", lang)
    click.echo(text("cli.watch.start", lang, every=every, mode=mode))
    watcher = Watcher(settings, source, server, stop, imap.idle if imap else None)
    watcher.loop(every, once, click.echo)
    if stop.is_set():
        click.echo(text("cli.watch.stopped", lang, log=watcher.log_path()))


def _smtp_password(login: str, imap: ImapSource | None, host: str, lang: str) -> str:
    """BANGFU_SMTP_PASSWORD, else the IMAP one (the same account), else a prompt; none without a login."""
    if not login:
        return ""
    return (
        os.environ.get("BANGFU_SMTP_PASSWORD")
        or (imap.password if imap else "")
        or ask_password("BANGFU_SMTP_PASSWORD", host, lang)
    )
