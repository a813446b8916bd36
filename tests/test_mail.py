"""Mail in and out: attachments from an mbox, a Maildir, .eml files and a real IMAP server into the
inbox with their sender and Date; drafts that parse back; sending through a real SMTP server."""

from __future__ import annotations

import csv
import datetime as dt
import email
import io
import json
import mailbox
import os
import shutil
import zipfile
from email.message import EmailMessage
from email.policy import default as DEFAULT_POLICY
from email.utils import format_datetime

import openpyxl
import pytest
from click.testing import CliRunner

from pipeline.app import CheckSettings, check
from pipeline.cli import main
from pipeline.core.errors import MailError
from pipeline.forms.templates import write_programme_workbook
from pipeline.intake.sidecar import MAIL_DIR, load_sidecar
from pipeline.mail.fetch import Raw, fetch, from_eml, from_maildir, from_mbox
from pipeline.mail.imap import imap_folder
from schemas.programme import School
from tests.conftest import small_programme_rows
from tests.mailservers import dovecot, dovecot_accounts, free_port
from tests.reports import submit

TZ = dt.timezone(dt.timedelta(hours=8))


def message(subject: str, sender: str, when: dt.datetime, attachments=(), msgid: str = "") -> EmailMessage:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, "jyj@example.gov.cn", subject
    msg["Date"] = format_datetime(when)
    msg["Message-ID"] = msgid or f"<{abs(hash((subject, sender, when)))}@school.cn>"
    msg.set_content("附件是本校报表。")
    for name, data, kind in attachments:
        maintype, subtype = kind.split("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return msg


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buffer.getvalue()


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(scope="module")
def mail(tmp_path_factory):
    """A programme, four schools' reports, and the messages a bureau gets."""
    tmp = tmp_path_factory.mktemp("mail")
    rows = small_programme_rows()
    for rec in rows[School]:
        rec[School.email.name] = f"school{rec[School.school_code.name]}@school.cn"
    programme = write_programme_workbook(tmp / "programme.xlsx", "zh", rows)
    made = tmp / "made"
    files = {code: submit(made, programme, code).read_bytes() for code in ("001", "002", "003", "005")}
    on_time = dt.datetime(2025, 2, 10, 9, 30, tzinfo=TZ)
    forwarded = message("003 报表", "school003@school.cn", on_time, [("003_河西小学.xlsx", files["003"], XLSX)])
    forward = message("Fwd: 河西小学报表", "principal@other.cn", on_time + dt.timedelta(hours=1))
    forward.add_attachment(forwarded)  # message/rfc822, as mail clients forward
    messages = [
        message(
            "城南小学2024秋报表", "school001@school.cn", on_time, [("城南小学 结对帮扶报表.xlsx", files["001"], XLSX)]
        ),
        message(
            "山口小学、北岭小学报表（压缩包）",
            "school002@school.cn",
            on_time,
            [
                (
                    "报表.zip",
                    zipped({"山口小学.xlsx": files["002"], "北岭/北岭小学.xlsx": files["005"], "说明.txt": b"x"}),
                    "application/zip",
                )
            ],
        ),
        forward,
        message("请问截止日期", "school005@school.cn", on_time),  # no attachment
        message(
            "城南小学报表（再发一次）",
            "school001@school.cn",
            on_time + dt.timedelta(days=1),
            [("城南小学 结对帮扶报表.xlsx", files["001"], XLSX)],
        ),
        message("hostile", "x@evil.cn", on_time, [("../../etc/x.xlsx", b"PK\x03\x04 not really", XLSX)]),
    ]
    return tmp, programme, messages, files


def test_attachments_from_an_mbox_end_up_right(mail, tmp_path):
    _, _, messages, files = mail
    box = mailbox.mbox(str(tmp_path / "bureau.mbox"))
    for msg in messages:
        box.add(msg)
    box.close()
    inbox = tmp_path / "inbox"
    result = fetch(inbox, from_mbox(tmp_path / "bureau.mbox"))
    names = sorted(p.relative_to(inbox).as_posix() for p in inbox.rglob("*") if MAIL_DIR not in p.parts)
    assert names == ["003_河西小学.xlsx", "x.xlsx", "北岭小学.xlsx", "城南小学 结对帮扶报表.xlsx", "山口小学.xlsx"]
    assert (result.messages, len(result.saved), result.duplicates, result.without_spreadsheet) == (6, 5, 1, 1)
    assert (inbox / "山口小学.xlsx").read_bytes() == files["002"]
    car = load_sidecar(inbox, __import__("hashlib").sha256(files["003"]).hexdigest())
    assert (car.sender, car.original_name, car.subject) == (
        "principal@other.cn",
        "003_河西小学.xlsx",
        "Fwd: 河西小学报表",
    )
    first = load_sidecar(inbox, __import__("hashlib").sha256(files["001"]).hexdigest())
    assert first.date == "2025-02-10T09:30:00+08:00" and len(first.also_in) == 1  # stored once, both messages kept
    zipped_car = load_sidecar(inbox, __import__("hashlib").sha256(files["005"]).hexdigest())
    assert zipped_car.inside_zip == "报表.zip"
    log = (inbox / MAIL_DIR / "fetch_log.csv").read_text(encoding="utf-8-sig")
    assert "请问截止日期" in log and "no-spreadsheet" in log and "school005@school.cn" in log
    assert not (tmp_path / "etc").exists()


def test_maildir_and_eml_sources_give_the_same_inbox(mail, tmp_path):
    _, _, messages, _ = mail
    box = mailbox.Maildir(str(tmp_path / "Maildir"))
    eml = tmp_path / "eml"
    eml.mkdir()
    for i, msg in enumerate(messages):
        box.add(msg)
        (eml / f"{i}.eml").write_bytes(bytes(msg))
    a = fetch(tmp_path / "a", from_maildir(tmp_path / "Maildir"))
    b = fetch(tmp_path / "b", from_eml(eml))
    assert sorted(p.name for p in a.saved) == sorted(p.name for p in b.saved)
    again = fetch(tmp_path / "b", from_eml(eml))  # fetched twice: stored once
    assert (len(again.saved), again.duplicates) == (0, 6)  # all six attachments seen before


def test_a_connection_lost_midway_keeps_what_was_saved(mail, tmp_path):
    _, _, messages, _ = mail

    def dropped():
        yield from (Raw(bytes(m)) for m in messages[:2])
        raise MailError("mail.imap-broken", host="imap.example.cn", reason="EOF")

    with pytest.raises(MailError) as caught:
        fetch(tmp_path / "inbox", dropped())
    assert "已保存的 3 个附件保留在收件箱" in caught.value.message()
    log = (tmp_path / "inbox" / MAIL_DIR / "fetch_log.csv").read_text(encoding="utf-8-sig")
    assert "城南小学2024秋报表" in log and "山口小学、北岭小学报表" in log
    rest = fetch(tmp_path / "inbox", (Raw(bytes(m)) for m in messages))  # the rerun completes the inbox
    assert (len(rest.saved), rest.duplicates) == (2, 4)


def test_the_intake_uses_the_date_header_and_names_the_sender(mail, tmp_path):
    _, programme, _, files = mail
    late = dt.datetime(2025, 2, 20, 15, 0, tzinfo=TZ)  # deadline 2025-02-15: 5 days late in UTC and in +08:00
    messages = [
        message("城南", "school001@school.cn", late, [("城南.xlsx", files["001"], XLSX)]),
        message("山口", "teacher@qq.com", dt.datetime(2025, 2, 1, tzinfo=TZ), [("山口.xlsx", files["002"], XLSX)]),
    ]
    inbox = tmp_path / "inbox"
    fetch(inbox, iter([__import__("pipeline.mail.fetch", fromlist=["Raw"]).Raw(bytes(m)) for m in messages]))
    for path in inbox.glob("*.xlsx"):  # the file's own time says nothing about when it was sent
        os.utime(path, (0, 0))
    result = check(CheckSettings(programme, inbox, "2024秋", tmp_path / "out"))
    by_school = {s.school: s for s in result.submissions}
    assert by_school["001"].received == late.astimezone().replace(tzinfo=None)
    book = openpyxl.load_workbook(result.report)["报送情况"]
    header = [c.value for c in book[1]]
    rows = {r[0]: dict(zip(header, r, strict=True)) for r in book.iter_rows(min_row=2, values_only=True)}
    assert rows["001"]["是否按时"] == "逾期" and rows["001"]["逾期天数"] == 5
    assert rows["001"]["发件邮箱"] == "school001@school.cn"
    assert [i.code for i in by_school["002"].issues] == ["sender-not-school-email"]
    assert "teacher@qq.com" in by_school["002"].issues[0].message()


def test_drafts_parse_back_and_send_through_smtp(mail, tmp_path):
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Sink

    _, programme, messages, files = mail
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "001.xlsx").write_bytes(files["001"])
    bad = openpyxl.load_workbook(io.BytesIO(files["003"]))
    bad["交流活动"]["B2"] = "参观"  # an activity type not on the list: feedback
    bad.save(inbox / "003.xlsx")

    class Keep(Sink):
        def __init__(self):
            self.got = []

        async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
            self.got.append((envelope.rcpt_tos, envelope.content))
            return "250 OK"

    handler = Keep()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    args = [
        "drafts",
        "--programme",
        str(programme),
        "--period",
        "2024秋",
        "--out",
        str(tmp_path / "out"),
        "--inbox",
        str(inbox),
        "--from",
        "测试区教育局 <jyj@example.gov.cn>",
        "--send",
        "--smtp",
        "127.0.0.1",
        "--port",
        str(controller.port),
        "--plain",
    ]
    controller.start()
    try:
        out = CliRunner().invoke(main, args)
        again = CliRunner().invoke(main, args)  # the same day: nothing goes out twice
    finally:
        controller.stop()
    assert out.exit_code == 0, out.output
    assert again.exit_code == 0 and "已发送 0 封，未发送 0 封，今天已发过而跳过 8 封" in again.output, again.output
    down = CliRunner().invoke(main, args)  # the server has stopped
    assert down.exit_code == 2 and f"无法连接邮件服务器 127.0.0.1:{controller.port}" in down.output, down.output
    # feedback: 003's error, and 001's warnings (its partners' reports do not match it)
    assert "模板 4，催报 2，反馈 2" in out.output and "已发送 8 封" in out.output
    folder = tmp_path / "out" / "2024秋" / "邮件草稿"
    draft = email.message_from_bytes((folder / "feedback_003_河西小学.eml").read_bytes(), policy=DEFAULT_POLICY)
    assert draft["To"].addresses[0].addr_spec == "school003@school.cn"
    assert draft["Subject"] == "【请修改】测试区结对帮扶 2024年秋季学期结对帮扶工作报表校验结果"
    attachment = next(draft.iter_attachments())
    assert attachment.get_filename() == "003_河西小学.xlsx"
    assert "交流活动" in openpyxl.load_workbook(io.BytesIO(attachment.get_content())).sheetnames
    template = email.message_from_bytes((folder / "template_002_山口小学.eml").read_bytes(), policy=DEFAULT_POLICY)
    assert next(template.iter_attachments()).get_filename() == "002_山口小学_2024秋.xlsx"
    assert "2025-02-15" in template.get_body().get_content()
    reminders = sorted(p.name for p in folder.glob("reminder_*.eml"))
    assert reminders == ["reminder_002_山口小学.eml", "reminder_005_北岭小学.eml"]
    assert sorted(r[0] for r, _ in handler.got) == sorted(
        [
            "school001@school.cn",
            "school002@school.cn",
            "school003@school.cn",
            "school005@school.cn",
            "school002@school.cn",
            "school005@school.cn",
            "school001@school.cn",
            "school003@school.cn",
        ]
    )
    sent = email.message_from_bytes(handler.got[0][1], policy=DEFAULT_POLICY)
    assert sent["From"].addresses[0].addr_spec == "jyj@example.gov.cn" and "X-Unsent" not in sent
    assert draft["X-Unsent"] == "1"  # the draft on disk is still a draft
    with (folder / "sent_log.csv").open(encoding="utf-8-sig") as fh:
        log = list(csv.DictReader(fh))
    assert len(log) == 8 and {r["outcome"] for r in log} == {"sent"}


@pytest.fixture
def imap_server(mail):
    """A throw-away dovecot on loopback whose mailbox holds the test messages; yields its port."""
    _, _, messages, _ = mail
    with dovecot() as server:
        server.deliver(*messages)
        server.deliver(messages[0], folder=imap_folder("学校报表").strip('"'))  # Maildir++ names are modified UTF-7
        yield server.port, server.log


@pytest.mark.skipif(shutil.which("dovecot") is None, reason="dovecot-imapd is not installed")
def test_fetch_from_a_real_imap_server(imap_server, mail, tmp_path):
    port, log = imap_server
    env = {**os.environ, "BANGFU_IMAP_PASSWORD": "secret"}
    args = ["fetch-mail", "--imap", "127.0.0.1", "--port", str(port), "--plain", "--user", "bureau"]
    out = CliRunner(env=env).invoke(main, [*args, "--inbox", str(tmp_path / "inbox")])
    assert out.exit_code == 0, (out.output, log.read_text() if log.exists() else "")
    folder = CliRunner(env=env).invoke(main, [*args, "--inbox", str(tmp_path / "inbox2"), "--folder", "学校报表"])
    assert "已收取 1 封邮件：保存 1 个报表附件" in folder.output, folder.output
    missing = CliRunner(env=env).invoke(main, [*args, "--inbox", str(tmp_path / "inbox3"), "--folder", "报表"])
    assert missing.exit_code == 2 and "邮箱中没有文件夹“报表”。现有文件夹：" in missing.output, missing.output
    assert "学校报表" in missing.output and "INBOX" in missing.output
    wrong = CliRunner(env={**env, "BANGFU_IMAP_PASSWORD": "guess"}).invoke(
        main, [*args, "--inbox", str(tmp_path / "x")]
    )
    assert wrong.exit_code == 2 and "拒绝了用户 bureau 的登录" in wrong.output, wrong.output
    assert "已收取 6 封邮件：保存 5 个报表附件，重复 1 个，无报表附件的邮件 1 封" in out.output
    cars = [json.loads(p.read_text()) for p in (tmp_path / "inbox" / MAIL_DIR).glob("*.json")]
    assert all(c["internal_date"] for c in cars)

    # A second fetch into the same inbox reads only what came after the last message it saw.
    again = CliRunner(env=env).invoke(main, [*args, "--inbox", str(tmp_path / "inbox")])
    assert "已收取 0 封邮件" in again.output and "另有 6 封邮件此前已收取" in again.output, again.output
    late = mail[2][0]
    late.replace_header("Message-ID", "<late@school.example>")
    mailbox.Maildir(str(log.parent / "mail" / "bureau"), create=False).add(late)
    _, uid, gid = dovecot_accounts()
    for path in (log.parent / "mail").rglob("*"):
        os.chown(path, uid, gid)
    third = CliRunner(env=env).invoke(main, [*args, "--inbox", str(tmp_path / "inbox")])
    assert "已收取 1 封邮件：保存 0 个报表附件，重复 1 个" in third.output, third.output
    assert "另有 6 封" in third.output
    every = CliRunner(env=env).invoke(main, [*args, "--inbox", str(tmp_path / "inbox"), "--refetch"])
    assert "已收取 7 封邮件" in every.output and "另有" not in every.output, every.output


def test_an_imap_state_row_edited_past_use_is_ignored(tmp_path):
    from pipeline.intake.sidecar import sidecar_dir
    from pipeline.mail.imap import IMAP_STATE, _read_state

    sidecar_dir(tmp_path).mkdir(parents=True)
    (sidecar_dir(tmp_path) / IMAP_STATE).write_text(
        "folder,uidvalidity,last_uid\nbureau@h:/INBOX,7,12\nbureau@h:/学校报表,7,lots\n", encoding="utf-8"
    )
    assert list(_read_state(tmp_path)) == ["bureau@h:/INBOX"]
