"""Filled school reports for the small test programme, written as the real templates."""

from __future__ import annotations

import copy
import datetime as dt
import os
from pathlib import Path

from pipeline.app import load_programme
from pipeline.forms.templates import report_file_name, report_spec, write_report
from schemas.report import Activity, Funding, Personnel, SchoolInfo, Score

DEADLINE = dt.datetime(2025, 2, 15, 12, 0)


def act(date, kind, direction, partner, people, sessions=1, subject="数学", note=None):
    return {
        Activity.date.name: date,
        Activity.activity_type.name: kind,
        Activity.direction.name: direction,
        Activity.partner.name: partner,
        Activity.subject.name: subject,
        Activity.participants.name: people,
        Activity.sessions.name: sessions,
        Activity.note.name: note,
    }


def fund(date, category, source, direction, partner, amount, item=None, qty=None, unit=None, note=None):
    return {
        Funding.date.name: date,
        Funding.category.name: category,
        Funding.source.name: source,
        Funding.direction.name: direction,
        Funding.partner.name: partner,
        Funding.amount.name: amount,
        Funding.item.name: item,
        Funding.quantity.name: qty,
        Funding.unit.name: unit,
        Funding.note.name: note,
    }


def person(name, kind, direction, partner, start, end=None):
    return {
        Personnel.person.name: name,
        Personnel.exchange_type.name: kind,
        Personnel.direction.name: direction,
        Personnel.partner.name: partner,
        Personnel.start_date.name: start,
        Personnel.end_date.name: end,
    }


def score(year, term, grade, subject, average, takers=50, rank=None, n=None):
    return {
        Score.school_year.name: year,
        Score.term.name: term,
        Score.grade.name: grade,
        Score.subject.name: subject,
        Score.average.name: average,
        Score.takers.name: takers,
        Score.district_rank.name: rank,
        Score.district_n.name: n,
    }


D = dt.date
CLEAN = {
    "001": {
        Activity: [
            act(D(2024, 10, 10), "示范课", "派出", "山口小学", 12),
            act(D(2024, 11, 5), "讲座", "派出", "河西小学", 30),
        ],
        Funding: [fund(D(2024, 10, 20), "资金", "学校自筹", "拨出", "山口小学", 20000)],
        Personnel: [person("张伟", "支教", "派出", "山口小学", D(2024, 9, 1))],
    },
    "002": {
        Activity: [act(D(2024, 10, 10), "示范课", "接收", "城南小学", 12)],
        Funding: [fund(D(2024, 10, 20), "资金", "学校自筹", "收到", "城南小学", 20000)],
        Personnel: [person("张伟", "支教", "接收", "城南小学", D(2024, 9, 1))],
    },
    "003": {
        Activity: [
            act(D(2024, 11, 5), "讲座", "接收", "城南小学", 30),
            act(D(2024, 12, 1), "交流课", "接收", "外县实验小学", 8),
        ],
        Funding: [fund(D(2024, 9, 30), "资金", "教育局专项经费", "收到", None, 50000)],
        Score: [score("2024-2025", "秋季", "六年级", "综合", 230.5)],
    },
    "005": {},
}
INFO = {
    SchoolInfo.filled_by.name: "李老师",
    SchoolInfo.phone.name: "13800000000",
    SchoolInfo.date_filled.name: D(2025, 2, 1),
}


def rows_for(code: str) -> dict:
    return copy.deepcopy(CLEAN[code])


def submit(
    inbox: Path,
    programme_path: Path,
    code: str,
    rows: dict | None = None,
    info: dict | None = None,
    name: str | None = None,
    received: dt.datetime = DEADLINE - dt.timedelta(days=3),
    period: str = "2024秋",
) -> Path:
    """Write school ``code``'s report into the inbox, received at ``received`` (its mtime)."""
    programme = load_programme(programme_path).programme
    info_period = programme.period(period)
    spec = report_spec(
        programme, code, info_period, rows=rows if rows is not None else rows_for(code), info={**INFO, **(info or {})}
    )
    school = programme.school(code)
    inbox.mkdir(parents=True, exist_ok=True)
    path = inbox / (name or report_file_name(code, school["school_name"], period))
    write_report(path, spec)
    os.utime(path, (received.timestamp(), received.timestamp()))
    return path


def submit_all(inbox: Path, programme_path: Path) -> list[Path]:
    return [submit(inbox, programme_path, code) for code in CLEAN]


def header_row(ws) -> int:
    """The table's header row (1-based): the row above the frozen pane, under any title block."""
    return int("".join(ch for ch in (ws.freeze_panes or "A2") if ch.isdigit())) - 1


def read_table(ws) -> list[dict]:
    """An output table read back as people see it: one dict per row, keyed by the header."""
    top = header_row(ws)
    header = [c.value for c in ws[top]]
    return [dict(zip(header, row, strict=True)) for row in ws.iter_rows(min_row=top + 1, values_only=True)]


def read_titled(book, name: str) -> list[dict]:
    """An official table found by its name wherever it is (a sheet of its own, or one of the small
    tables sharing a sheet): "经费_按来源" is the table titled "表N　经费（按来源）". Its header is
    the first row under the title with a second cell; its rows run to the first empty row."""
    title = name.replace("_", "（", 1) + "）" if "_" in name else name
    for ws in book.worksheets:
        for (cell,) in ws.iter_rows(min_col=1, max_col=1):
            if isinstance(cell.value, str) and cell.value.startswith("表") and cell.value.endswith(f"　{title}"):
                r = cell.row + 1
                while ws.cell(r, 2).value is None:
                    r += 1
                header = [c.value for c in ws[r] if c.value is not None]
                rows = []
                for values in ws.iter_rows(min_row=r + 1, max_col=len(header), values_only=True):
                    if all(v is None for v in values):
                        break
                    rows.append(dict(zip(header, values, strict=True)))
                return rows
    raise KeyError(name)
