"""The mail commands: fetch-mail (mailbox to inbox) and drafts (template, reminder and feedback
mails to schools, sent with --send)."""

from __future__ import annotations

import datetime as dt
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
