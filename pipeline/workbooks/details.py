"""Detail workbooks per 片区: past the detail limit the consolidated workbook keeps no 明细 sheets,
and on request each district gets the accepted rows of its schools in a workbook of its own,
written in parallel worker processes."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipeline.forms.programme import Programme
from pipeline.intake import isolate
from pipeline.text import text
from pipeline.workbooks.consolidated import write_detail_workbook
from schemas.programme import School

_JOB: dict = {}  # this worker's details and where they go: set by _prepare when it starts


def _prepare(job: dict) -> None:
    """A worker's setup: under fork the frames come with the process, under spawn pickled once."""
    _JOB.update(job)


def _write_district(district: str) -> str:
    details, roster, code_col, folder, period, lang, title = (
        _JOB[k] for k in ("details", "roster", "code_col", "folder", "period", "lang", "title")
    )
    parts = [(name, frame[frame[code_col].map(roster) == district]) for name, frame in details.items()]
    return str(write_detail_workbook(folder / f"明细_{period}_{district}.xlsx", parts, lang, title))


def split_details(
    details: dict[str, pd.DataFrame], programme: Programme, period_code: str, folder: Path, lang: str, title: str
) -> list[Path]:
    """One detail workbook per 片区, written in parallel worker processes."""
    roster = {code: str(rec.get(School.district.name) or "-") for code, rec in programme.roster.items()}
    code_col = text("col.school_code", lang)
    districts = sorted({roster[c] for f in details.values() for c in f[code_col]})
    job = dict(
        details=details, roster=roster, code_col=code_col, folder=folder, period=period_code, lang=lang, title=title
    )
    setup = (_prepare, (job,))
    for outcome in isolate.run_isolated(_write_district, districts, workers=2, memory=0, timeout=3600, setup=setup):
        if outcome.failure or outcome.error is not None:
            raise RuntimeError(f"writing a detail workbook failed: {outcome.failure or outcome.error!r}")
    return [folder / f"明细_{period_code}_{d}.xlsx" for d in districts]
