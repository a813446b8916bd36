"""Ready-to-send mail for schools: the period's template, reminders (催报) and feedback.

Drafts are .eml files (UTF-8, RFC 2047 subjects and RFC 2231 attachment names) that any mail
client opens; ``send`` hands the same messages to an SMTP server.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid
from pathlib import Path

XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@dataclass(frozen=True)
class Draft:
    kind: str  # "template", "reminder" or "feedback"
    school_code: str
    school_name: str
    to: str
    message: EmailMessage


def compose(kind: str, school_code: str, school_name: str, to: str, sender: str, subject: str, body: str,
            attachments: list[Path]) -> Draft:
    msg = EmailMessage()
    msg["Subject"] = subject
    if to:  # a school without an address in 学校名册 gets a draft to address by hand
        msg["To"] = formataddr((school_name, to))
    if sender:
        msg["From"] = sender
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain="bangfu.local")
    msg["X-Unsent"] = "1"  # Outlook and Thunderbird open the .eml as a draft to send
    msg.set_content(body, charset="utf-8")
    for path in attachments:
        msg.add_attachment(path.read_bytes(), maintype=XLSX[0], subtype=XLSX[1], filename=path.name)
    return Draft(kind, school_code, school_name, to, msg)


def draft_name(draft: Draft) -> str:
    return f"{draft.kind}_{draft.school_code}_{draft.school_name}.eml"


def write_drafts(drafts: list[Draft], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for draft in drafts:
        path = folder / draft_name(draft)
        path.write_bytes(bytes(draft.message))
        paths.append(path)
    return paths


@dataclass(frozen=True)
class SmtpServer:
    host: str
    user: str = ""
    password: str = ""
    port: int | None = None
    security: str = "ssl"  # "ssl", "starttls" or "plain"

    def send(self, drafts: list[Draft], sender: str) -> list[tuple[Draft, str]]:
        """Send each draft that has a recipient; (draft, "sent" or the server's refusal) for each."""
        if self.security == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(self.host, self.port or 465, context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(self.host, self.port or 25)
            if self.security == "starttls":
                client.starttls(context=ssl.create_default_context())
        outcomes = []
        with client:
            if self.user:
                client.login(self.user, self.password)
            for draft in drafts:
                if not draft.to:
                    outcomes.append((draft, "no-address"))
                    continue
                message = draft.message
                del message["X-Unsent"]
                if "From" not in message:
                    message["From"] = sender
                try:
                    client.send_message(message, from_addr=sender, to_addrs=[draft.to])
                    outcomes.append((draft, "sent"))
                except smtplib.SMTPRecipientsRefused as exc:
                    outcomes.append((draft, f"refused: {exc.recipients}"))
        return outcomes

