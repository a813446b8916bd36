"""`make bench-watch`: seconds from a school's mail arriving to its reply, with 100 and 1,000
messages waiting (issue 22's goal: under one round plus 10 s at 100).

The benchmark's own schools (bench/generate.py, 1,000 reports of 50-300 activity rows, a tenth
with findings), each with an address in 学校名册; their mails put into a Maildir at once; one
watcher round (fetch, check, answer) against an aiosmtpd server on loopback that notes when each
reply arrives. The wait for the round itself is --every, or about a second with IMAP IDLE
(tests/test_watch.py). Writes the figures into bench/results.json under "watch".
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import mailbox
import shutil
import statistics
import sys
import time
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))

from bench.generate import PERIOD, generate, programme_rows  # noqa: E402
from pipeline.app.watch import Watcher, WatchSettings  # noqa: E402
from pipeline.forms.templates import write_programme_workbook  # noqa: E402
from pipeline.mail.compose import SmtpServer  # noqa: E402
from pipeline.mail.fetch import MaildirMessages  # noqa: E402
from schemas.programme import School  # noqa: E402
from tests.mailservers import Smtp  # noqa: E402

XLSX = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _message(code: str, path: Path) -> EmailMessage:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = f"s{code}@bench.cn", "jyj@bench.cn", f"{code} 报表"
    msg["Date"] = format_datetime(dt.datetime.now(dt.UTC))
    msg["Message-ID"] = f"<{code}-{time.time_ns()}@bench.cn>"
    msg.set_content("附件是本校报表。")
    msg.add_attachment(path.read_bytes(), maintype=XLSX[0], subtype=XLSX[1], filename=path.name)
    return msg


def measure(waiting: int, files: list[Path], work: Path, schools: int) -> dict[str, float]:
    folder = work / f"watch{waiting}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    rows = programme_rows(schools)
    for rec in rows[School]:
        rec[School.email.name] = f"s{rec[School.school_code.name]}@bench.cn"
    programme = write_programme_workbook(folder / "项目配置.xlsx", "zh", rows)
    maildir = mailbox.Maildir(str(folder / "mail"))
    settings = WatchSettings(programme, PERIOD, folder / "inbox", folder / "out", send=True, daily_cap=5)
    with Smtp() as smtp:
        server = SmtpServer("127.0.0.1", port=smtp.port, security="plain")
        watcher = Watcher(settings, lambda: MaildirMessages(folder / "mail", folder / "inbox"), server)
        watcher.round()  # the watcher has begun: every mail after this is answered
        for path in files[:waiting]:
            maildir.add(_message(path.name.split("_")[0], path))
        start = time.perf_counter()
        result = watcher.round()
        took = time.perf_counter() - start
        arrived = list(smtp.times)
    latencies = [t - start for t in arrived]
    print(
        f"{waiting} messages waiting: one round {took:.1f} s ({result.files} files, {len(latencies)} replies); "
        f"arrival to reply: median {statistics.median(latencies):.1f} s, last {max(latencies):.1f} s"
    )
    return {
        "round_s": round(took, 2),
        "replies": len(latencies),
        "median_reply_s": round(statistics.median(latencies), 2),
        "last_reply_s": round(max(latencies), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--work", type=Path, default=ROOT / "work")
    parser.add_argument("--waiting", type=int, nargs="+", default=[100, 1000])
    args = parser.parse_args()
    schools = max(args.waiting)
    _, inbox = generate(schools, args.work / f"n{schools}")
    files = sorted(inbox.iterdir())
    results = {str(n): measure(n, files, args.work, schools) for n in args.waiting}
    target = ROOT / "results.json"
    previous = json.loads(target.read_text()) if target.exists() else {}
    previous["watch"] = results
    target.write_text(json.dumps(previous, indent=2, sort_keys=True) + "\n")
    print(f"written to {target}")


if __name__ == "__main__":
    main()
