"""Real mail servers for the tests, on loopback: dovecot (IMAP over a Maildir; Debian's
dovecot-imapd, which .ci/run installs) and aiosmtpd (SMTP, keeping every message it is given)."""

from __future__ import annotations

import contextlib
import mailbox
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

DOVECOT_CONF = """\
protocols = imap
listen = 127.0.0.1
base_dir = {base}/run
state_dir = {base}/state
log_path = {base}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
{accounts}
mail_location = maildir:{base}/mail/%u
passdb {{
  driver = static
  args = password=secret
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={base}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def dovecot_accounts() -> tuple[str, int, int]:
    """Who dovecot's processes run as, and the owner of the mail store. Under root (as in CI) the
    package's own users; dovecot refuses mail access as uid 0. Otherwise the caller, who cannot
    chroot, so the chroots are turned off."""
    import grp
    import pwd

    if os.getuid() == 0:
        owner = pwd.getpwnam("dovecot")
        return (
            "default_internal_user = dovecot\ndefault_login_user = dovenull\nfirst_valid_uid = 1",
            owner.pw_uid,
            owner.pw_gid,
        )
    user, group = pwd.getpwuid(os.getuid()).pw_name, grp.getgrgid(os.getgid()).gr_name
    return (
        f"default_internal_user = {user}\ndefault_internal_group = {group}\ndefault_login_user = {user}\n"
        "service anvil {\n  chroot =\n}\nservice imap-login {\n  chroot =\n}",
        os.getuid(),
        os.getgid(),
    )


@dataclass
class Dovecot:
    """A running dovecot: its port, log, and the bureau's Maildir (user ``bureau``, password ``secret``)."""

    port: int
    log: Path
    base: Path
    uid: int
    gid: int

    @property
    def maildir(self) -> Path:
        return self.base / "mail" / "bureau"

    def deliver(self, *messages: EmailMessage, folder: str = "") -> None:
        """Messages arriving in the bureau's mailbox (a folder's Maildir++ name, or the inbox)."""
        box = mailbox.Maildir(str(self.maildir))
        target = box.add_folder(folder) if folder else box
        for msg in messages:
            target.add(msg)
        for path in [self.base / "mail", *(self.base / "mail").rglob("*")]:
            os.chown(path, self.uid, self.gid)


@contextlib.contextmanager
def dovecot() -> Iterator[Dovecot]:
    """A throw-away dovecot on loopback. The store lives outside pytest's private temp dir so
    dovecot's unprivileged processes can reach it."""
    base = Path(tempfile.mkdtemp(prefix="bangfu-dovecot-"))
    base.chmod(0o755)
    for sub in ("run", "state", "mail", "home"):
        (base / sub).mkdir()
    accounts, uid, gid = dovecot_accounts()
    port = free_port()
    conf = base / "dovecot.conf"
    conf.write_text(DOVECOT_CONF.format(base=base, port=port, accounts=accounts, uid=uid, gid=gid))
    server = Dovecot(port, base / "dovecot.log", base, uid, gid)
    mailbox.Maildir(str(server.maildir))  # made, and owned by the mail user
    server.deliver()
    for path in [base / "home"]:
        os.chown(path, uid, gid)
    proc = subprocess.Popen(["dovecot", "-F", "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        for _ in range(100):
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        yield server
    finally:
        proc.terminate()
        proc.wait(10)
        shutil.rmtree(base, ignore_errors=True)


class Smtp:
    """aiosmtpd on loopback keeping every message: ``got`` is (recipients, bytes) in arrival order."""

    def __init__(self, port: int | None = None) -> None:
        from aiosmtpd.controller import Controller

        self.got: list[tuple[list[str], bytes]] = []
        self.times: list[float] = []  # time.perf_counter() at each message's arrival
        keeper = self

        class Keep:
            async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
                keeper.got.append((list(envelope.rcpt_tos), bytes(envelope.content)))
                keeper.times.append(time.perf_counter())
                return "250 OK"

        self.port = port or free_port()
        self.controller = Controller(Keep(), hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> Smtp:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()
