"""`bangfu watch`: the mailbox, the intake and the replies joined into a loop, so that a school's
mail is answered within minutes: every round fetches the new messages, checks the inbox (the
cache makes that cheap), and answers each new file once (pipeline.mail.replies): a receipt, the
marked workbook, or what went wrong and the template to use. Without ``send`` the answers are
.eml drafts. One watcher per inbox; a mail server that is down is tried again with back-off;
a stop signal lets the current message finish.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.app.intake import FEEDBACK_DIR, CheckResult, CheckSettings, check
from pipeline.app.load import require_programme
from pipeline.app.report import RunSettings, run
from pipeline.core.errors import MailError, PipelineError
from pipeline.core.lock import locked
from pipeline.core.runlog import append, run_log
from pipeline.counting import aggregate
from pipeline.forms.programme import PeriodInfo, Programme
from pipeline.forms.templates import ReportSpec, report_file_name, report_spec, write_report
from pipeline.intake.sidecar import load_sidecar, sidecar_dir
from pipeline.intake.submission import DUPLICATE, SUPERSEDED, Submission
from pipeline.mail.compose import Draft, SmtpServer, SmtpSession, write_drafts
from pipeline.mail.fetch import Raw, fetch
from pipeline.mail.replies import NEUTRAL, Reply, is_answered_status, replies_for, summary_draft
from pipeline.mail.replylog import BEFORE, BEGUN, DRAFT, FAILED, GONE, HELD, REFUSED, SENDING, SENT, ReplyLog
from pipeline.text import status_label, text
from pipeline.workbooks.feedback import feedback_path

REPLIES_DIR, HELD_DIR, TEMPLATES_DIR = "回复", "待处理", "模板"
FIRST_RETRY = 5.0  # seconds before the first retry of a round the mail server failed; doubled up to --every


@dataclass(frozen=True)
class WatchSettings:
    programme: Path
    period: str
    inbox: Path
    out: Path
    lang: str = "zh"
    sender: str = ""  # the From of every reply
    send: bool = False  # else every reply is an .eml draft
    daily_cap: int = 5  # replies to one school a day; more are held for the analyst
    report: bool = False  # rewrite the consolidated workbook every round (bangfu run), not only the check
    answer_existing: bool = False  # answer the files already in the inbox when the watcher first starts
    analyst: str = ""  # the daily summary's address
    summary_at: dt.time = dt.time(17, 30)


@dataclass
class RoundResult:
    messages: int = 0
    files: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    check: CheckResult | None = None


def replies_folder(settings: WatchSettings, period: PeriodInfo) -> Path:
    return settings.out / period.code / REPLIES_DIR


class Watcher:
    """Rounds of fetch, check and reply for one inbox and period."""

    def __init__(
        self,
        settings: WatchSettings,
        source: Callable[[], Iterable[Raw]],
        server: SmtpServer | None = None,
        stop: threading.Event | None = None,
        idle: Callable[[float, threading.Event], bool] | None = None,
    ) -> None:
        self.settings, self.source, self.server = settings, source, server
        self.stop = stop or threading.Event()
        self.idle = idle  # waits for new mail (IMAP IDLE), else the loop sleeps
        self.last_check: CheckResult | None = None

    def round(self) -> RoundResult:
        """Fetch, check what is new, answer it. A MailError (the server down) leaves every reply
        not yet sent for the next round; nothing is answered twice."""
        s = self.settings
        programme, _ = require_programme(s.programme)
        period = programme.period(s.period)
        log = ReplyLog(replies_folder(s, period))
        fetched = fetch(s.inbox, self.source())
        result = RoundResult(fetched.messages, len(fetched.saved))
        received = {p.stem for p in sidecar_dir(s.inbox).glob("*.json")}  # every file that came by mail
        if not log.begun:  # the first round: files there before the watcher are not its to answer
            new = {p.name for p in fetched.saved}
            for sha in sorted(received) if not s.answer_existing else []:
                car = load_sidecar(s.inbox, sha)
                if car is not None and car.file not in new:
                    log.record(sha, car.file, "", "", "", BEFORE)
            log.record("", "", "", "start", "", BEGUN)  # even when this round fails: its new files stay new
        pending = [sha for sha in received if not log.answered(sha)]
        if not pending:
            return result
        result.check = self._check()
        self.last_check = result.check
        by_sha = {sub.sha256: sub for sub in result.check.submissions if sub.status != DUPLICATE}
        by_sha |= {sub.sha256: sub for sub in result.check.submissions if sub.sha256 not in by_sha}
        for sha in (sha for sha in pending if sha not in by_sha):  # its file taken out of the inbox by hand
            log.record(sha, getattr(load_sidecar(s.inbox, sha), "file", ""), "", "", "", GONE)
        todo = sorted((by_sha[sha] for sha in pending if sha in by_sha), key=lambda sub: sub.received)
        with contextlib.ExitStack() as stack:
            session: list[SmtpSession] = []  # opened at the first mail to send

            def open_session() -> SmtpSession:
                if not session:
                    assert self.server is not None
                    session.append(stack.enter_context(self.server.session()))
                return session[0]

            for sub in todo:
                if self.stop.is_set():
                    break  # the current message is finished; the rest wait for the next start
                self._answer(sub, programme, period, log, result, open_session)
        return result

    def _check(self) -> CheckResult:
        s = self.settings
        settings = CheckSettings(s.programme, s.inbox, s.period, s.out, lang=s.lang)
        if s.report:
            fields = {f.name: getattr(settings, f.name) for f in dataclasses.fields(CheckSettings)}
            return run(RunSettings(**fields)).check
        return check(settings)

    def _answer(
        self,
        sub: Submission,
        programme: Programme,
        period: PeriodInfo,
        log: ReplyLog,
        result: RoundResult,
        session: Callable[[], SmtpSession],
    ) -> None:
        s = self.settings
        if sub.status in (SUPERSEDED, DUPLICATE):  # a later file of the school is answered instead
            log.record(sub.sha256, sub.rel, sub.school, "", "", sub.status, sub.reason)
            return
        if not is_answered_status(sub.status):
            return
        folder = replies_folder(s, period)
        feedback = functools.partial(feedback_path, programme=programme, folder=result_out(s, period) / FEEDBACK_DIR)
        template = functools.partial(_template, programme, period, folder / TEMPLATES_DIR)
        for reply in replies_for(sub, programme, period, feedback, template, s.lang, s.sender):
            draft = reply.draft
            if log.done(reply.sha256, draft.to):
                continue
            held = reply.held or self._over_cap(log, draft)
            if held:
                _write_draft(draft, folder / HELD_DIR)
                log.record(reply.sha256, reply.file, draft.school_code, draft.kind, draft.to, HELD, held)
                result.outcomes[HELD] += 1
            elif not s.send:
                _write_draft(draft, folder)
                log.record(reply.sha256, reply.file, draft.school_code, draft.kind, draft.to, DRAFT)
                result.outcomes[DRAFT] += 1
            else:
                self._send(reply, log, result, session)

    def _over_cap(self, log: ReplyLog, draft: Draft) -> str:
        today = dt.date.today()
        if draft.kind == NEUTRAL:
            return "neutral-sent-today" if log.replies_on(today, to=draft.to) >= 1 else ""
        return "daily-cap" if log.replies_on(today, school=draft.school_code) >= self.settings.daily_cap else ""

    def _send(self, reply: Reply, log: ReplyLog, result: RoundResult, session: Callable[[], SmtpSession]) -> None:
        draft = reply.draft
        row = (reply.sha256, reply.file, draft.school_code, draft.kind, draft.to)
        live = session()  # a server that is down fails here, before anything is logged as sending
        log.record(*row, SENDING)  # on disk before the server has it: a crash now never sends it twice
        try:
            outcome = live.send(draft, self.settings.sender)
        except MailError as exc:
            log.record(*row, FAILED, exc.code)  # the server never took it: tried again next round
            raise
        log.record(*row, SENT if outcome == "sent" else REFUSED, "" if outcome == "sent" else outcome)
        result.outcomes[SENT if outcome == "sent" else REFUSED] += 1

    def summary_due(self, now: dt.datetime) -> bool:
        s = self.settings
        if not s.analyst or now.time() < s.summary_at:
            return False
        programme, _ = require_programme(s.programme)
        log = ReplyLog(replies_folder(s, programme.period(s.period)))
        return not any(r["kind"] == "summary" and r["at"].startswith(now.date().isoformat()) for r in log.rows)

    def send_summary(self, now: dt.datetime) -> None:
        """The day's files and replies, and who is still missing or to correct, to the analyst."""
        s = self.settings
        programme, _ = require_programme(s.programme)
        period = programme.period(s.period)
        folder = replies_folder(s, period)
        log = ReplyLog(folder)
        checked = self.last_check or self._check()
        rows = log.of_day(now.date())
        counts = Counter(r["kind"] for r in rows if r["outcome"] in (SENT, DRAFT))
        counts["held"] = sum(1 for r in rows if r["outcome"] == HELD)
        answered = [r for r in rows if r["sha256"] and r["kind"] != "summary" and r["outcome"] not in (BEGUN, BEFORE)]
        counts["files"] = len({r["sha256"] for r in answered})
        table = aggregate.submissions_table(checked.submissions, programme, period)
        chase = aggregate.chase_list(table, programme, period, s.lang)
        lines = [(r["school_code"], r["school_name"], status_label(r["status"], s.lang), r["status"] == "missing")
                 for r in chase.to_dict("records")]  # fmt: skip
        places = {"held_folder": str(folder / HELD_DIR), "log": str(log.path)}
        day = now.date().isoformat()
        draft = summary_draft(programme, period, day, dict(counts), lines, places, s.analyst, s.lang, s.sender)
        if s.send and self.server is not None:
            with self.server.session() as live:
                outcome = live.send(draft, s.sender)
        else:
            _write_draft(draft, folder)
            outcome = DRAFT
        log.record(f"summary-{day}", "", "", "summary", s.analyst, SENT if outcome == "sent" else outcome)

    def log_path(self) -> Path:
        programme, _ = require_programme(self.settings.programme)
        return ReplyLog(replies_folder(self.settings, programme.period(self.settings.period))).path

    def loop(self, every: float, once: bool, say: Callable[[str], None]) -> None:
        """Rounds until stopped (``once``: one round). A round the mail server fails is tried again
        after 5, 10, 20 … seconds (at most ``every``), and logged; ``once`` raises instead."""
        s = self.settings
        with locked(sidecar_dir(s.inbox) / "watch"):  # one watcher per inbox
            programme, _ = require_programme(s.programme)
            log = ReplyLog(replies_folder(s, programme.period(s.period)))
            if log.unconfirmed():
                say(text("cli.watch.unconfirmed", s.lang, files="、".join(log.unconfirmed())))
            failures = 0
            while not self.stop.is_set():
                try:
                    result = self.round()
                    if self.summary_due(dt.datetime.now()):
                        self.send_summary(dt.datetime.now())
                except PipelineError as exc:  # the mail server, a locked output folder, the workbook edited
                    if once:
                        raise
                    failures += 1
                    wait = min(every, FIRST_RETRY * 2 ** (failures - 1)) if isinstance(exc, MailError) else every
                    said = text("cli.watch.retry", s.lang, time=_now(), reason=exc.message(s.lang), seconds=round(wait))
                    say(said)
                    append(run_log(s.out), said)
                    self.stop.wait(wait)
                    continue
                failures = 0
                o = result.outcomes
                say(text("cli.watch.round", s.lang, time=_now(), messages=result.messages, files=result.files,
                         sent=o[SENT], drafts=o[DRAFT], held=o[HELD]))  # fmt: skip
                if once:
                    break
                self._wait(every)

    def _wait(self, every: float) -> None:
        """Until the next round: new mail announced by the server (IDLE), ``every`` seconds, or stop."""
        if self.idle is None:
            self.stop.wait(every)
            return
        try:
            self.idle(every, self.stop)
        except PipelineError:  # the server went away while we waited: the next round says so
            self.stop.wait(min(every, FIRST_RETRY))


def result_out(settings: WatchSettings, period: PeriodInfo) -> Path:
    return settings.out / period.code


def _now() -> str:
    return dt.datetime.now().strftime("%H:%M:%S")


def _write_draft(draft: Draft, folder: Path) -> Path:
    return write_drafts([draft], folder)[0]


def _template(programme: Programme, period: PeriodInfo, folder: Path, school: str, lang: str) -> Path:
    """The template to send with an unusable file's answer: the school's own, else the blank report."""
    suffix = "" if lang == "zh" else f"_{lang}"
    if school:
        name = str(programme.names.get(school, school))
        path = folder / report_file_name(school, name + suffix, period.code)
        spec = report_spec(programme, school, period, lang)
    else:
        path, spec = folder / f"报表模板{suffix}.xlsx", ReportSpec(lang=lang)
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        write_report(path, spec)
    return path
