"""Synthetic programmes for the benchmark: N reporting schools, each with one filled report
(50-300 activity rows, as large districts' files are), 10 % of them carrying findings."""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
import os
import random
from pathlib import Path

from pipeline.app import load_programme
from pipeline.forms.templates import report_file_name, report_spec, write_programme_workbook, write_report
from schemas.programme import Pair, Period, School, Settings
from schemas.report import Activity, Funding, Personnel, SchoolInfo, Score

PERIOD = "2024秋"
START, END, DEADLINE = dt.date(2024, 9, 1), dt.date(2025, 1, 31), dt.date(2025, 2, 15)
TYPES = ("讲座", "示范课", "交流课", "教研活动", "听课评课", "专题培训")


def programme_rows(n: int) -> dict:
    """n schools: a third supporting, each paired with two recipients; all report.
    Pair codes are P + the recipient's index, which seeds the pair's shared events."""
    supporting = max(1, n // 3)
    schools, pairs = [], []
    for i in range(n):
        role = "支援校" if i < supporting else "受援校"
        schools.append(
            {
                School.school_code.name: f"{i:06d}",
                School.school_name.name: f"基准学校{i:06d}",
                School.district.name: f"片区{i % 8}",
                School.level.name: "小学",
                School.role.name: role,
                School.reports.name: "是",
                School.contact.name: "联系人",
                School.phone.name: "13800000000",
            }
        )
    for j in range(supporting, n):
        sup = (j - supporting) % supporting
        pairs.append(
            {
                Pair.pair_code.name: f"P{j:06d}",
                Pair.supporting_code.name: f"{sup:06d}",
                Pair.recipient_code.name: f"{j:06d}",
                Pair.start_date.name: START,
            }
        )
    return {
        Settings: [{Settings.programme_name.name: f"基准测试项目（{n} 所学校）", Settings.bureau.name: "基准教育局"}],
        School: schools,
        Pair: pairs,
        Period: [
            {
                Period.period_code.name: PERIOD,
                Period.period_name.name: "2024年秋季学期",
                Period.period_type.name: "学期",
                Period.start_date.name: START,
                Period.end_date.name: END,
                Period.deadline.name: DEADLINE,
            }
        ],
    }


def pair_events(index: int) -> list[dict]:
    """A pair's shared events, the same for both schools (seeded by the pair)."""
    rng = random.Random(1_000_003 * (index + 1))
    return [
        {
            Activity.date.name: START + dt.timedelta(days=rng.randrange(150)),
            Activity.activity_type.name: rng.choice(TYPES),
            "forward": rng.random() < 0.8,
            Activity.subject.name: "数学",
            Activity.participants.name: rng.randrange(2, 60),
            Activity.sessions.name: 1,
            Activity.topic.name: "集体备课与同课异构",
        }
        for _ in range(rng.randrange(40, 101))
    ]


def school_rows(code: str, programme, names: dict[str, str], faulty: bool) -> dict:
    """Both sides of every pair of the school, in its own direction; faults in 10 % of schools."""
    acts, funds, people = [], [], []
    for pair in programme.partners_of(code):
        index = int(pair.pair_code[1:])
        supporting = programme.school(code)[School.role.name] == "支援校"
        for event in pair_events(index):
            sending = event["forward"] == supporting
            row = {k: v for k, v in event.items() if k != "forward"}
            acts.append(
                {**row, Activity.direction.name: "派出" if sending else "接收", Activity.partner.name: pair.name}
            )
        funds.append(
            {
                Funding.date.name: START + dt.timedelta(days=30),
                Funding.category.name: "资金",
                Funding.source.name: "学校自筹",
                Funding.direction.name: "拨出" if supporting else "收到",
                Funding.partner.name: pair.name,
                Funding.amount.name: 20000,
            }
        )
        people.append(
            {
                Personnel.person.name: f"支教教师{index}",
                Personnel.exchange_type.name: "支教",
                Personnel.direction.name: "派出" if supporting else "接收",
                Personnel.partner.name: pair.name,
                Personnel.start_date.name: START,
            }
        )
    if faulty and len(acts) > 3:
        acts[0][Activity.participants.name] = 9000
        acts[1][Activity.partner.name] = "不存在的学校"
        acts[2][Activity.date.name] = "2024年10月13日"
    rng = random.Random(code)
    scores = [
        {
            Score.school_year.name: "2024-2025",
            Score.term.name: "秋季",
            Score.grade.name: "六年级",
            Score.subject.name: s,
            Score.average.name: round(rng.uniform(60, 95), 2),
            Score.takers.name: 50,
        }
        for s in ("语文", "数学")
    ]
    return {Activity: acts, Funding: funds, Personnel: people, Score: scores}


_STATE: dict = {}


def _write(args: tuple[int, str, Path]) -> None:
    i, code, inbox = args
    programme, period = _STATE["programme"], _STATE["period"]
    spec = report_spec(
        programme,
        code,
        period,
        rows=school_rows(code, programme, {}, faulty=i % 10 == 0),
        info={
            SchoolInfo.filled_by.name: "李老师",
            SchoolInfo.phone.name: "13800000000",
            SchoolInfo.date_filled.name: END,
        },
    )
    path = inbox / report_file_name(code, f"基准学校{code}", PERIOD)
    write_report(path, spec)
    stamp = dt.datetime.combine(DEADLINE, dt.time(9)).timestamp() - i % 86400
    os.utime(path, (stamp, stamp))


def generate(n: int, folder: Path, workers: int = 2) -> tuple[Path, Path]:
    """The programme workbook and an inbox of n reports (reused when already there)."""
    folder.mkdir(parents=True, exist_ok=True)
    programme_path = folder / "programme.xlsx"
    inbox = folder / "inbox"
    if programme_path.exists() and inbox.exists() and len(list(inbox.iterdir())) == n:
        return programme_path, inbox
    write_programme_workbook(programme_path, "zh", programme_rows(n))
    programme = load_programme(programme_path).programme
    _STATE.update(programme=programme, period=programme.period(PERIOD))
    inbox.mkdir(exist_ok=True)
    codes = [f"{i:06d}" for i in range(n)]
    with mp.get_context("fork").Pool(workers) as pool:
        for _ in pool.imap_unordered(_write, [(i, c, inbox) for i, c in enumerate(codes)], chunksize=20):
            pass
    return programme_path, inbox
