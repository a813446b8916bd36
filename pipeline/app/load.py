"""Loading the programme workbook: read -> parse -> validate, then the Programme."""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline.checks.rubric import check_rubric
from pipeline.checks.validate import check_programme, check_school_years, validate_table
from pipeline.core.cells import ROW
from pipeline.core.errors import ConfigError, ProgrammeInvalid
from pipeline.core.issues import Issue, errors, make, reading_order, without_shadowed
from pipeline.forms.programme import Programme
from pipeline.intake.blocks import Table, typed_frame
from pipeline.intake.read import read_workbook
from pipeline.intake.sniff import Rejected, sniff_head
from pipeline.intake.tables import find_sheet, parse_form, parse_table
from pipeline.intake.values import Context
from schemas.choices import LISTS, Choices, list_key
from schemas.model import Sheet
from schemas.programme import PROGRAMME_SHEETS, Choice, DistrictScore, Pair, Period, School, Settings
from schemas.rubric import Indicator

OPTIONAL_SHEETS = (DistrictScore, Indicator)
SEPARATE_SHEETS = (Indicator,)  # findings that block only the assessment, not intake and reports


@dataclass(frozen=True)
class ProgrammeResult:
    programme: Programme | None
    issues: tuple[Issue, ...]


def load_programme(path: str | Path) -> ProgrammeResult:
    """Read and validate a programme workbook; ``programme`` is None when it has errors.

    A run loads it more than once (the rubric check before the intake, then the intake);
    the same bytes at the same path are parsed once per process."""
    path = Path(path)
    if not path.is_file():
        raise ConfigError("error.not_found", path=str(path))
    return _load(path, hashlib.sha256(path.read_bytes()).hexdigest())


def what_it_is(path: Path) -> str:
    """What a file that is no workbook is (PDF, Word, an image, CSV), from its bytes; "" for a
    workbook, or a zip that is damaged rather than something else."""
    with path.open("rb") as fh:
        head = fh.read(4 * 1024 * 1024)
    if head.startswith(b"PK"):
        return ""
    try:
        sniff_head(head)
    except Rejected as rejected:
        return str(rejected.facts.get("found") or "")
    return ""


@functools.lru_cache(maxsize=4)
def _load(path: Path, sha256: str) -> ProgrammeResult:
    try:
        book = read_workbook(path)
    except Exception as exc:  # calamine raises its own types for damaged files
        kind = what_it_is(path)
        if kind:
            raise ConfigError("error.not_a_workbook", path=str(path), found=kind) from exc
        raise ConfigError("error.unreadable", path=str(path), reason=type(exc).__name__) from exc
    file = path.name
    issues: list[Issue] = []
    rubric_issues: list[Issue] = []
    tables: dict[type[Sheet], Table] = {}

    def load(model: type[Sheet], choices: Choices) -> None:
        found_issues = rubric_issues if model in SEPARATE_SHEETS else issues
        sheet, found = find_sheet(book, model, file)
        if sheet is None:
            if model not in OPTIONAL_SHEETS:
                found_issues.extend(found)
            return
        found_issues.extend(found)
        ctx = Context(file=file, choices=choices)
        parse = parse_form if model.layout == "form" else parse_table
        table, parsed = parse(sheet, model, ctx)
        found_issues.extend(parsed)
        if table is not None:
            found_issues.extend(without_shadowed(found_issues, validate_table(table, choices, file)))
            tables[model] = table

    load(Choice, Choices.defaults())
    choices, choice_issues = _programme_choices(tables.get(Choice), file)
    issues.extend(choice_issues)
    for model in PROGRAMME_SHEETS:
        if model is not Choice:
            load(model, choices)
    issues.extend(check_programme(tables, file))
    if DistrictScore in tables:
        issues.extend(check_school_years(tables[DistrictScore], DistrictScore.school_year, file))
    issues.sort(key=reading_order)
    if errors(issues):
        return ProgrammeResult(None, tuple(issues))
    settings = tables[Settings].frame.drop(columns=ROW).iloc[0].to_dict()

    def frame(model: type[Sheet]) -> pd.DataFrame:
        return tables[model].frame if model in tables else typed_frame(model, [])

    rubric = check_rubric(tables.get(Indicator), settings, tables.get(Settings), choices, file, rubric_issues)
    programme = Programme(
        settings=settings,
        schools=frame(School),
        pairs=frame(Pair),
        periods=frame(Period),
        choices=choices,
        district_scores=frame(DistrictScore),
        source=str(path),
        rubric=rubric,
    )
    return ProgrammeResult(programme, tuple(issues))


def _programme_choices(table: Table | None, file: str) -> tuple[Choices, list[Issue]]:
    """The programme's lists: each list named on the 选项 sheet replaces its default."""
    if table is None:
        return Choices.defaults(), []
    overrides: dict[str, list[str]] = {}
    issues = []
    for rec in table.frame.to_dict("records"):
        name, value = rec[Choice.list_name.name], rec[Choice.value.name]
        if not name or not value:
            continue
        key = list_key(name)
        if key is None:
            issues.append(
                make(
                    "unknown-list",
                    file=file,
                    sheet=table.sheet,
                    value=name,
                    cell=table.cell(Choice.list_name.name, int(rec[ROW])),
                    column=Choice.list_name.zh,
                    expected="、".join(zh for zh, _, _ in LISTS.values()),
                )
            )
            continue
        if value not in overrides.setdefault(key, []):
            overrides[key].append(value)
    return Choices.defaults().with_overrides({k: tuple(v) for k, v in overrides.items()}), issues


def require_programme(path: str | Path) -> tuple[Programme, list[Issue]]:
    """The programme, or ProgrammeInvalid listing every error when it cannot be used."""
    result = load_programme(path)
    if result.programme is None:
        raise ProgrammeInvalid(str(path), errors(list(result.issues)))
    return result.programme, list(result.issues)


def require_rubric(programme: Programme) -> None:
    """ProgrammeInvalid listing the rubric's errors when it cannot be scored with."""
    rubric = programme.rubric
    if not rubric.usable:
        raise ProgrammeInvalid(programme.source, errors(list(rubric.issues)))
