"""One inbox file's work, as a worker process does it: read it safely, recognise the school
and period, parse every sheet. The result is small, picklable and cacheable by content hash."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from pipeline.core.issues import Issue, make
from pipeline.forms.programme import PeriodInfo, Programme
from pipeline.intake.blocks import Table, stack
from pipeline.intake.identify import REJECTING, Identity, identify, partner_index, school_index
from pipeline.intake.read import read_untrusted
from pipeline.intake.sniff import Rejected
from pipeline.intake.tables import find_sheet, parse_form, parse_table
from pipeline.intake.values import Context, fold
from pipeline.text import TEXT
from pipeline.xlsx.book import LISTS_SHEET
from schemas.model import Sheet
from schemas.report import DATA_SHEETS, Meta, SchoolInfo

# Every sheet a template or feedback workbook carries; anything else in a submission is reported.
_TEMPLATE_SHEETS = (
    *(n for m in (SchoolInfo, *DATA_SHEETS, Meta) for n in m.names()),
    LISTS_SHEET,
    *TEXT["instructions.sheet"],
    *TEXT["feedback.sheet"],
)
_READ = frozenset(fold(n) for m in (SchoolInfo, *DATA_SHEETS, Meta) for n in m.names())  # the rest: names only
BATCH = 50  # files per worker task: returning one file at a time costs the second core


@dataclass
class FileResult:
    """What intake learned from one file, before anything across files is known."""

    file: str
    kind: str = ""
    identity: Identity | None = None
    rejection: Issue | None = None
    issues: list[Issue] = field(default_factory=list)
    tables: dict[type[Sheet], Table] = field(default_factory=dict)
    rows_read: int = 0
    date_filled: dt.date | None = None

    def renamed(self, file: str) -> FileResult:
        """The same result for an identical file under another name."""
        if file == self.file:
            return self
        fix = [dataclasses.replace(i, file=file) for i in self.issues]
        rejection = dataclasses.replace(self.rejection, file=file) if self.rejection else None
        return dataclasses.replace(self, file=file, issues=fix, rejection=rejection)


@dataclass(frozen=True)
class Job:
    """What a worker needs besides the file: set before the workers fork."""

    programme: Programme
    period: PeriodInfo
    schools: dict[str, str]


_JOB: Job | None = None  # this worker's, set by ``prepare`` when the worker starts


def prepare(programme: Programme, period: PeriodInfo) -> None:
    """A worker's setup (``isolate.run_isolated``'s ``setup``): the programme and period every
    file is read against. Called in the worker itself, so it works under fork and spawn."""
    global _JOB
    _JOB = Job(programme, period, school_index(programme))
    pa.array([""])  # Arrow's allocator maps its arenas (about 1 GiB of address space) before the memory cap


def setup(programme: Programme, period: PeriodInfo) -> tuple:
    """The ``setup`` argument of ``run_isolated`` for ``process_batch``."""
    return (prepare, (programme, period))


def process_batch(files: list[tuple[str, str]]) -> list[FileResult]:
    """Process (path, name) pairs, their rows typed together (``stack``); a reader crash takes the
    whole batch down, and the parent then retries its files as batches of one so that only the
    bad file is marked."""
    results = [process(path, name) for path, name in files]
    stack([t for r in results for t in r.tables.values()])  # one block per sheet type to send back
    return results


def process(path: str, name: str) -> FileResult:
    assert _JOB is not None, "prepare() first"
    result = FileResult(name)
    try:
        book = read_untrusted(Path(path), wanted=lambda sheet: fold(sheet) in _READ)
    except Rejected as exc:
        result.rejection = make(exc.code, file=name, **exc.facts)
        return result
    except Exception as exc:  # noqa: BLE001 - anything else a reader raises marks this file only
        result.rejection = make("unreadable", file=name, detail=type(exc).__name__)
        return result
    result.kind = book.kind
    result.issues += [make(code, file=name, **facts) for code, facts in book.warnings]
    identity, found = identify(book, _JOB.programme, _JOB.schools, name, _JOB.period.code)
    result.identity = identity
    rejection = next((i for i in found if i.code in REJECTING), None)
    result.issues += [i for i in found if i is not rejection]
    if rejection is not None:
        result.rejection = rejection
        return result
    _parse(book, identity, result)
    return result


def _parse(book, identity: Identity, result: FileResult) -> None:
    job = _JOB
    partners, names = partner_index(job.programme, identity.school, job.schools)
    ctx = Context(
        file=result.file,
        choices=job.programme.choices,
        period=(job.period.start, job.period.end),
        partners=partners,
        partner_names=names,
    )
    for model in (SchoolInfo, *DATA_SHEETS):
        sheet, issues = find_sheet(book, model, result.file)
        result.issues += issues
        if sheet is None:
            continue
        table, issues = (parse_form if model.layout == "form" else parse_table)(sheet, model, ctx)
        result.issues += issues
        if table is None:
            continue
        result.tables[model] = table
        if model is not SchoolInfo:
            result.rows_read += table.n_rows
    known = {fold(n) for n in _TEMPLATE_SHEETS}
    for name in book.sheet_names:
        if fold(name) not in known:
            result.issues.append(make("extra-sheet", file=result.file, sheet=name, value=name))
    if SchoolInfo in result.tables:
        filled = result.tables[SchoolInfo].first().get(SchoolInfo.date_filled.name)
        result.date_filled = filled if isinstance(filled, dt.date) else None
