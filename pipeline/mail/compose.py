"""Ready-to-send mail for schools: the period's template, reminders (催报) and feedback.

Drafts are .eml files (UTF-8, RFC 2047 subjects and RFC 2231 attachment names) that any mail
client opens; ``send`` hands the same messages to an SMTP server.
"""

from __future__ import annotations

import contextlib
import email
import hashlib
import smtplib
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default as DEFAULT_POLICY
from email.utils import formataddr, formatdate, make_msgid
from pathlib import Path

from pipeline.core.errors import MailError
from pipeline.core.files import write_bytes
from pipeline.mail import tls

XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@dataclass(frozen=True)
class Draft:
    kind: str  # "template", "reminder" or "feedback"
    school_code: str
    school_name: str
    to: str
    message: EmailMessage


def compose(
    kind: str,
    school_code: str,
    school_name: str,
    to: str,
    sender: str,
    subject: str,
    body: str,
    attachments: list[Path],
) -> Draft:
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
        write_bytes(path, bytes(draft.message))
        paths.append(path)
    return paths


@dataclass(frozen=True)
class SmtpServer:
    host: str
    user: str = ""
    password: str = field(default="", repr=False)  # never in a repr, a log or a message
    port: int | None = None
    security: str = "ssl"  # "ssl", "starttls" or "plain"
    verify: bool = True  # the server's certificate and host name (False only with --insecure-tls)

    @contextlib.contextmanager
    def session(self) -> Iterator[SmtpSession]:
        """A logged-in connection; a server that cannot be reached or refuses the login is a MailError."""
        port = self.port or (465 if self.security == "ssl" else 25)
        try:
            if self.security == "ssl":
                client: smtplib.SMTP = smtplib.SMTP_SSL(self.host, port, timeout=60, context=tls.context(self.verify))
            else:
                client = smtplib.SMTP(self.host, port, timeout=60)
                if self.security == "starttls":
                    client.starttls(context=tls.context(self.verify))
        except (smtplib.SMTPException, OSError) as exc:
            raise MailError("mail.connect-failed", host=self.host, port=port, reason=exc) from exc
        try:
            if self.user:
                try:
                    client.login(self.user, self.password)
                except (smtplib.SMTPException, OSError) as exc:
                    raise MailError(
                        "mail.login-failed", host=self.host, user=self.user, variable="BANGFU_SMTP_PASSWORD", reason=exc
                    ) from exc
            yield SmtpSession(self.host, client)
        finally:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                client.quit()


@dataclass(frozen=True)
class SmtpSession:
    host: str
    client: smtplib.SMTP

    def send(self, draft: Draft, sender: str) -> str:
        """ "sent", or the server's refusal of this one message; a broken connection is a MailError.
        The draft itself is left as written: the copy sent loses X-Unsent and gains From."""
        message = email.message_from_bytes(bytes(draft.message), policy=DEFAULT_POLICY)
        del message["X-Unsent"]
        if "From" not in message:
            message["From"] = sender
        try:
            self.client.send_message(message, from_addr=sender, to_addrs=[draft.to])
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
            return f"refused: {exc}"
        except (smtplib.SMTPException, OSError) as exc:
            raise MailError("mail.smtp-broken", host=self.host, reason=exc) from exc
        return "sent"


def fingerprint(draft: Draft) -> str:
    """What makes two drafts the same mail: recipient, subject, body and attachment names, not the
    Date or Message-ID that every run makes anew."""
    parts = [draft.kind, draft.to, str(draft.message["Subject"]), draft.message.get_body().get_content()]
    parts += [a.get_filename() or "" for a in draft.message.iter_attachments()]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]
