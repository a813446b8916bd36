"""`bangfu watch` against real servers on loopback (dovecot for IMAP, aiosmtpd for SMTP): a school
mails a faulty report and within one round gets its marked workbook, mails the correction and gets
a receipt; a restart sends nothing twice; a stranger gets no school data; a server that is down is
waited for; SIGTERM stops it cleanly."""

from __future__ import annotations

import email
import hashlib
import io
import os
import shutil
import signal
import subprocess
import sys
import time
from email.policy import default as DEFAULT_POLICY
from pathlib import Path

import openpyxl
import pytest

from pipeline.forms.templates import write_programme_workbook
from schemas.programme import School
from tests.conftest import small_programme_rows
from tests.mailservers import Smtp, dovecot, free_port
from tests.reports import submit
from tests.test_mail import XLSX, message

pytestmark = pytest.mark.skipif(shutil.which("dovecot") is None, reason="dovecot-imapd is not installed")
BANGFU = shutil.which("bangfu") or str(Path(sys.executable).parent / "bangfu")
ENV = {**os.environ, "BANGFU_IMAP_PASSWORD": "secret"}


def _programme(folder: Path) -> Path:
    rows = small_programme_rows()
    for rec in rows[School]:
        rec[School.email.name] = f"school{rec[School.school_code.name]}@school.cn"
    folder.mkdir(parents=True, exist_ok=True)
    return write_programme_workbook(folder / "项目配置.xlsx", "zh", rows)


def _report(folder: Path, programme: Path, code: str, faulty: bool = False) -> bytes:
    path = submit(folder / ("bad" if faulty else "good"), programme, code)
    if faulty:
        book = openpyxl.load_workbook(path)
        book["交流活动"]["B2"] = "参观"  # not an activity type on the list: an error at B2
        book.save(path)
    return path.read_bytes()


def _mail(sender: str, name: str, data: bytes, subject: str = "报表"):
    import datetime as dt

    return message(subject, sender, dt.datetime.now(dt.UTC), [(name, data, XLSX)],
                   msgid=f"<{hashlib.sha256(data + sender.encode()).hexdigest()[:12]}@school.cn>")  # fmt: skip


def _args(tmp: Path, programme: Path, imap_port: int, smtp_port: int) -> list[str]:
    return [
        BANGFU, "watch", "--programme", str(programme), "--period", "2024秋", "--inbox", str(tmp / "inbox"),
        "--out", str(tmp / "out"), "--imap", "127.0.0.1", "--port", str(imap_port), "--plain", "--user", "bureau",
        "--smtp", "127.0.0.1", "--smtp-port", str(smtp_port), "--smtp-user", "",
        "--from", "测试区教育局 <jyj@test.edu.cn>", "--send",
    ]  # fmt: skip


def _parsed(raw: bytes):
    return email.message_from_bytes(raw, policy=DEFAULT_POLICY)


def test_a_school_gets_its_marked_workbook_then_a_receipt_and_nothing_twice(tmp_path):
    programme = _programme(tmp_path)
    with dovecot() as imap, Smtp() as smtp:
        args = [*_args(tmp_path, programme, imap.port, smtp.port), "--once"]
        imap.deliver(_mail("school001@school.cn", "城南小学.xlsx", _report(tmp_path, programme, "001", faulty=True)))
        first = subprocess.run(args, capture_output=True, text=True, env=ENV, timeout=240)
        assert first.returncode == 0, first.stderr
        assert len(smtp.got) == 1
        to, raw = smtp.got[0]
        reply = _parsed(raw)
        assert to == ["school001@school.cn"] and "【请修改】" in reply["Subject"]
        assert "1 处错误" in reply.get_body().get_content()
        attached = [part for part in reply.iter_attachments()]
        assert len(attached) == 1 and attached[0].get_filename().endswith(".xlsx")
        marked = openpyxl.load_workbook(io.BytesIO(attached[0].get_content()))
        assert marked["交流活动"]["B2"].comment is not None  # the problem cell, marked, in the school's own file

        imap.deliver(_mail("school001@school.cn", "城南小学（改）.xlsx", _report(tmp_path, programme, "001")))
        second = subprocess.run(args, capture_output=True, text=True, env=ENV, timeout=240)
        assert second.returncode == 0, second.stderr
        assert len(smtp.got) == 2
        receipt = _parsed(smtp.got[1][1])
        assert smtp.got[1][0] == ["school001@school.cn"] and "【回执】" in receipt["Subject"]
        body = receipt.get_body().get_content()
        assert "校验通过" in body and "交流活动 2 行" in body and not list(receipt.iter_attachments())

        again = subprocess.run(args, capture_output=True, text=True, env=ENV, timeout=240)  # a restart
        assert again.returncode == 0 and len(smtp.got) == 2, again.stdout

        # a stranger sends 002's report: 002 gets the answer at its own address, the stranger no data
        imap.deliver(_mail("someone@elsewhere.cn", "山口小学.xlsx", _report(tmp_path, programme, "002")))
        subprocess.run(args, capture_output=True, text=True, env=ENV, timeout=240, check=True)
        new = {tuple(rcpt): _parsed(raw) for rcpt, raw in smtp.got[2:]}
        assert set(new) == {("school002@school.cn",), ("someone@elsewhere.cn",)}
        neutral = new[("someone@elsewhere.cn",)]
        said = neutral["Subject"] + neutral.get_body().get_content()
        assert "已收到" in said and not list(neutral.iter_attachments())
        assert not any(word in said for word in ("山口小学", "002", ".xlsx", "错误", "校验通过"))


def test_a_reply_cut_off_while_sending_is_never_sent_again(tmp_path):
    programme = _programme(tmp_path)
    data = _report(tmp_path, programme, "003")
    sha = hashlib.sha256(data).hexdigest()
    log = tmp_path / "out" / "2024秋" / "回复" / "reply_log.csv"
    log.parent.mkdir(parents=True)
    log.write_text(  # what a watcher killed between "sending" and "sent" leaves behind
        "\ufeffat,sha256,file,school_code,kind,to,outcome,detail\n"
        f"2025-02-10T09:00:00,{sha},河西小学.xlsx,003,receipt,school003@school.cn,sending,\n",
        encoding="utf-8",
    )
    with dovecot() as imap, Smtp() as smtp:
        imap.deliver(_mail("school003@school.cn", "河西小学.xlsx", data))
        done = subprocess.run([*_args(tmp_path, programme, imap.port, smtp.port), "--once"],
                              capture_output=True, text=True, env=ENV, timeout=240)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert smtp.got == [] and "无法确认是否已送达，不再重发" in done.stdout


def test_without_send_replies_are_drafts_and_a_school_over_its_daily_cap_is_held(tmp_path):
    programme = _programme(tmp_path)
    with dovecot() as imap:
        args = _args(tmp_path, programme, imap.port, 1)[:-1]  # no --send
        args = [*args, "--once", "--daily-cap", "1", "--analyst", "analyst@test.edu.cn", "--summary-at", "00:00"]
        imap.deliver(_mail("school001@school.cn", "a.xlsx", _report(tmp_path, programme, "001", faulty=True)))
        other = openpyxl.Workbook()
        other.active["A1"] = "本校教师名单"
        other.save(tmp_path / "名单.xlsx")  # not a report: answered with the school's template
        imap.deliver(_mail("school005@school.cn", "名单.xlsx", (tmp_path / "名单.xlsx").read_bytes()))
        subprocess.run(args, capture_output=True, text=True, env=ENV, timeout=240, check=True)
        imap.deliver(_mail("school001@school.cn", "b.xlsx", _report(tmp_path, programme, "001")))
        done = subprocess.run(args, capture_output=True, text=True, env=ENV, timeout=240)
    assert done.returncode == 0 and "暂存 1" in done.stdout, done.stdout
    folder = tmp_path / "out" / "2024秋" / "回复"
    drafts = {p.name: _parsed(p.read_bytes()) for p in folder.glob("*.eml")}
    assert set(drafts) == {"feedback_001_城南小学.eml", "unusable_005_北岭小学.eml", "summary__.eml"}
    unusable = drafts["unusable_005_北岭小学.eml"]
    assert "无法使用" in unusable.get_body().get_content()
    assert [a.get_filename() for a in unusable.iter_attachments()] == ["005_北岭小学_2024秋.xlsx"]
    summary = drafts["summary__.eml"].get_body().get_content()  # the first round's: the day's replies
    assert "收到新文件 2 个" in summary and "反馈 1 封" in summary and "请重新报送 1 封" in summary
    assert "002 山口小学：未报送" in summary
    assert [p.name for p in (folder / "待处理").glob("*.eml")] == ["receipt_001_城南小学.eml"]


def test_a_mail_server_that_is_down_is_waited_for_and_sigterm_stops_cleanly(tmp_path):
    programme = _programme(tmp_path)
    smtp_port = free_port()
    with dovecot() as imap:
        imap.deliver(_mail("school001@school.cn", "城南小学.xlsx", _report(tmp_path, programme, "001", faulty=True)))
        proc = subprocess.Popen([*_args(tmp_path, programme, imap.port, smtp_port), "--every", "1"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)  # fmt: skip
        try:
            log = tmp_path / "out" / "bangfu.log"
            for _ in range(600):  # the SMTP server is not there yet: the round fails and is retried
                if log.exists() and "暂时无法完成本轮" in log.read_text(encoding="utf-8"):
                    break
                assert proc.poll() is None, proc.communicate()
                time.sleep(0.1)
            else:
                pytest.fail("the watcher never said the server was down")
            with Smtp(smtp_port) as smtp:
                for _ in range(600):
                    if smtp.got:
                        break
                    time.sleep(0.1)
                proc.send_signal(signal.SIGTERM)
                out, err = proc.communicate(timeout=60)
        finally:
            if proc.poll() is None:
                proc.kill()
    assert proc.returncode == 0, err
    assert len(smtp.got) == 1 and smtp.got[0][0] == ["school001@school.cn"]
    assert "已停止" in out and "Traceback" not in err


def test_with_imap_idle_a_reply_comes_long_before_the_next_poll_and_one_watcher_holds_the_inbox(tmp_path):
    programme = _programme(tmp_path)
    with dovecot() as imap, Smtp() as smtp:
        proc = subprocess.Popen([*_args(tmp_path, programme, imap.port, smtp.port), "--every", "600"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)  # fmt: skip
        try:
            replies = tmp_path / "out" / "2024秋" / "回复" / "reply_log.csv"
            for _ in range(600):  # the first round (nothing to answer) is over: the watcher idles
                if replies.exists():
                    break
                time.sleep(0.1)
            second = subprocess.run([*_args(tmp_path, programme, imap.port, smtp.port), "--once"],
                                    capture_output=True, text=True, env=ENV, timeout=120)  # fmt: skip
            assert second.returncode == 2 and "Traceback" not in second.stderr, second.stderr  # one per inbox
            sent_at = time.monotonic()
            imap.deliver(_mail("school001@school.cn", "城南小学.xlsx", _report(tmp_path, programme, "001")))
            while not smtp.got and time.monotonic() - sent_at < 120:
                assert proc.poll() is None, proc.communicate()
                time.sleep(0.1)
            waited = time.monotonic() - sent_at
            stop_at = time.monotonic()
            proc.send_signal(signal.SIGTERM)
            out, err = proc.communicate(timeout=60)
            stopped = time.monotonic() - stop_at
        finally:
            if proc.poll() is None:
                proc.kill()
    assert len(smtp.got) == 1 and waited < 60, (waited, out, err)  # not the 600 s poll
    assert proc.returncode == 0 and stopped < 30 and "已停止" in out


def test_with_report_each_round_rewrites_the_consolidated_workbook(tmp_path):
    programme = _programme(tmp_path)
    with dovecot() as imap:
        args = [*_args(tmp_path, programme, imap.port, 1)[:-1], "--once", "--report"]  # drafts only
        imap.deliver(_mail("school001@school.cn", "城南小学.xlsx", _report(tmp_path, programme, "001")))
        done = subprocess.run(args, capture_output=True, text=True, env=ENV, timeout=240)
    assert done.returncode == 0, done.stderr
    book = openpyxl.load_workbook(tmp_path / "out" / "2024秋" / "汇总报表_2024秋.xlsx")
    assert "总览" in book.sheetnames
    assert [p.name for p in (tmp_path / "out" / "2024秋" / "回复").glob("*.eml")] == ["receipt_001_城南小学.eml"]
