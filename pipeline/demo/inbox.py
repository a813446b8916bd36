"""The demo inbox: filled school reports for one period, with the faults real inboxes have."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from pipeline.demo.data import DemoProgramme
from pipeline.forms.programme import Programme
from pipeline.forms.templates import report_file_name, report_spec, write_report
from pipeline.workbooks import office
from schemas.programme import Period, School
from schemas.report import Activity, Funding, SchoolInfo

UNKNOWN_PARTNER = "青山区某某实验学校"


@dataclass(frozen=True)
class Planted:
    """One file of the demo inbox and the fault it carries ("" for a clean file)."""

    path: Path
    school: str
    fault: str


def _mtime(path: Path, when: dt.datetime) -> None:
    stamp = when.timestamp()
    os.utime(path, (stamp, stamp))


def write_inbox(programme: Programme, data: DemoProgramme, inbox: Path, lang: str = "zh") -> list[Planted]:
    """One report per reporting school, with the faults real inboxes have planted in some of them.

    Faults, each in its own school: a missing report, a late file, a resubmission (first with an
    error, then corrected), the same file sent twice, a renamed file, money typed "5万",
    full-width digits, text dates, an unknown partner, and a file saved as .xls.
    """
    inbox.mkdir(parents=True, exist_ok=True)
    period = programme.period(data.period[Period.period_code.name])
    deadline = dt.datetime.combine(period.deadline, dt.time(17, 0))
    codes = sorted(data.reports)
    active = [c for c in codes if data.reports[c][Activity]]  # faults go where there are rows to plant them in
    faults = dict(
        zip(
            active[1:11],
            (
                "late",
                "resubmission",
                "duplicate",
                "renamed",
                "money-wan",
                "full-width",
                "text-date",
                "unknown-partner",
                "xls",
                "out-of-range",
            ),
            strict=True,
        )
    )
    missing = codes[-1]
    planted: list[Planted] = []
    for i, code in enumerate(codes):
        if code == missing:
            continue
        fault = faults.get(code, "")
        rows = {model: [dict(r) for r in recs] for model, recs in data.reports[code].items()}
        info = dict(data.info[code])
        _plant(fault, rows, info, period.deadline)
        name = programme.school(code)[School.school_name.name]
        path = inbox / (
            "新建 Microsoft Excel 工作表.xlsx" if fault == "renamed" else report_file_name(code, name, period.code)
        )
        write_report(path, report_spec(programme, code, period, lang, rows=rows, info=info))
        on_time = deadline - dt.timedelta(days=1 + i % 9, hours=i % 7)
        _mtime(path, deadline + dt.timedelta(days=3) if fault == "late" else on_time)
        planted.append(Planted(path, code, fault))
        if fault == "duplicate":
            copy = path.with_name(path.stem + "(1).xlsx")
            shutil.copy2(path, copy)
            planted.append(Planted(copy, code, "duplicate-copy"))
        if fault == "resubmission":
            planted.append(_resubmit(programme, data, code, period, inbox, lang, on_time))
        if fault == "xls" and office.soffice():
            xls = office.convert(path, "xls", inbox)
            path.unlink()
            _mtime(xls, on_time)
            planted[-1] = Planted(xls, code, "xls")
    return sorted(planted, key=lambda p: str(p.path))


def _plant(fault: str, rows, info, deadline: dt.date) -> None:
    activities, funding = rows[Activity], rows[Funding]
    if fault == "late":
        info[SchoolInfo.date_filled.name] = deadline + dt.timedelta(days=3)
    elif fault in ("resubmission", "out-of-range") and activities:
        activities[0][Activity.participants.name] = 8000
    elif fault == "money-wan":
        cash = next((r for r in funding if r[Funding.category.name] == "资金"), None)
        if cash is not None:
            cash[Funding.amount.name] = f"{cash[Funding.amount.name] / 10000:g}万"
    elif fault == "full-width" and activities:
        activities[0][Activity.participants.name] = str(activities[0][Activity.participants.name]).translate(
            str.maketrans("0123456789", "０１２３４５６７８９")
        )
    elif fault == "text-date" and len(activities) > 1:
        first, second = activities[0][Activity.date.name], activities[1][Activity.date.name]
        activities[0][Activity.date.name] = f"{first.year}年{first.month}月{first.day}日"
        activities[1][Activity.date.name] = f"{second.year}.{second.month}.{second.day}"
    elif fault == "unknown-partner" and activities:
        activities[0][Activity.partner.name] = UNKNOWN_PARTNER


def _resubmit(programme, data, code, period, inbox: Path, lang: str, first: dt.datetime) -> Planted:
    """The corrected version of a report, sent two days after the first."""
    folder = inbox / "更正"
    folder.mkdir(exist_ok=True)
    name = programme.school(code)[School.school_name.name]
    path = folder / report_file_name(code, name, period.code).replace(".xlsx", "(更正).xlsx")
    write_report(path, report_spec(programme, code, period, lang, rows=data.reports[code], info=data.info[code]))
    _mtime(path, first + dt.timedelta(days=2))
    return Planted(path, code, "resubmission-corrected")
