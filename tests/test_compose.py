"""Mail to schools as drafts any client opens and as mail a real SMTP server takes: Chinese
subjects and attachment names, a draft flag that the sent copy drops, and a fingerprint that
knows the same mail from run to run."""

from __future__ import annotations

import contextlib
import email
import socket
import subprocess
from email.policy import default as DEFAULT_POLICY

import pytest

from pipeline.core.errors import MailError
from pipeline.mail.compose import SmtpServer, compose, fingerprint, write_drafts


def _draft(tmp_path, body="请于 2 月 15 日前报送。"):
    attachment = tmp_path / "001_城南小学_2024秋.xlsx"
    attachment.write_bytes(b"PK\x03\x04 not really a workbook")
    return compose("feedback", "001", "城南小学", "nan@school.cn", "教育局 <jyj@bureau.cn>", "【反馈】2024秋 报表问题",
                   body, [attachment])  # fmt: skip


def test_a_draft_file_opens_with_its_chinese_subject_body_and_attachment_name(tmp_path):
    [path] = write_drafts([_draft(tmp_path)], tmp_path / "drafts")
    assert path.name == "feedback_001_城南小学.eml"
    message = email.message_from_bytes(path.read_bytes(), policy=DEFAULT_POLICY)
    assert message["Subject"] == "【反馈】2024秋 报表问题" and message["X-Unsent"] == "1"
    assert message["To"].addresses[0].display_name == "城南小学"
    assert message.get_body().get_content().strip() == "请于 2 月 15 日前报送。"
    assert [a.get_filename() for a in message.iter_attachments()] == ["001_城南小学_2024秋.xlsx"]
    raw = path.read_bytes()
    assert "【反馈】".encode() not in raw  # headers are encoded (RFC 2047/2231), not raw UTF-8


def test_the_fingerprint_ignores_date_and_message_id_but_not_the_content(tmp_path):
    first, again = _draft(tmp_path), _draft(tmp_path)
    assert first.message["Message-ID"] != again.message["Message-ID"]
    assert fingerprint(first) == fingerprint(again)
    assert fingerprint(_draft(tmp_path, body="另一封")) != fingerprint(first)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_real_server_gets_the_mail_without_the_draft_flag(tmp_path):
    from aiosmtpd.controller import Controller

    class Keep:
        def __init__(self) -> None:
            self.got: list[tuple[list[str], bytes]] = []

        async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
            self.got.append((envelope.rcpt_tos, envelope.content))
            return "250 OK"

    handler = Keep()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        with SmtpServer("127.0.0.1", port=controller.port, security="plain").session() as session:
            assert session.send(_draft(tmp_path), "jyj@bureau.cn") == "sent"
    finally:
        controller.stop()
    [(to, content)] = handler.got
    sent = email.message_from_bytes(content, policy=DEFAULT_POLICY)
    assert to == ["nan@school.cn"] and "X-Unsent" not in sent and sent["Subject"] == "【反馈】2024秋 报表问题"


def test_a_server_that_cannot_be_reached_is_a_message_not_a_traceback():
    with pytest.raises(MailError) as caught, SmtpServer("127.0.0.1", port=_free_port(), security="plain").session():
        pass
    assert caught.value.code == "mail.connect-failed" and "127.0.0.1" in caught.value.message()


def _tls_server(tmp_path):
    """A TLS server on loopback with a self-signed certificate, as a man in the middle would have."""
    import ssl
    import threading

    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    made = subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
         "-days", "1", "-subj", "/CN=127.0.0.1"],
        capture_output=True,
    )  # fmt: skip
    if made.returncode != 0:
        pytest.skip("openssl cannot make a certificate here")
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    listener = socket.create_server(("127.0.0.1", 0))

    def serve():
        with listener:
            listener.settimeout(10)
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            with conn, contextlib.suppress(OSError), ctx.wrap_socket(conn, server_side=True) as tls:
                tls.sendall(b"* OK IMAP4rev1 ready\r\n")  # never reached: the client refuses the certificate

    server = threading.Thread(target=serve, daemon=True)
    server.start()
    return listener.getsockname()[1], server


def test_a_mail_server_whose_certificate_cannot_be_verified_gets_no_password(tmp_path):
    from pipeline.mail.imap import ImapSource

    port, server = _tls_server(tmp_path)
    source = ImapSource("127.0.0.1", "jyj@bureau.cn", "the-secret", port, "ssl")
    with pytest.raises(MailError) as caught:
        source.login()
    server.join(timeout=10)  # its sockets closed before the test ends
    assert caught.value.code == "mail.connect-failed" and "CERTIFICATE_VERIFY_FAILED" in caught.value.message()
    assert "the-secret" not in repr(source) and "the-secret" not in caught.value.message()
    assert "hunter2" not in repr(SmtpServer("smtp.bureau.cn", "jyj", "hunter2"))
