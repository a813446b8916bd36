"""`bangfu assess`: the intake of a school year's reports, then the assessment of every pair."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.app.intake import CheckResult, CheckSettings, Progress, check, store_location
from pipeline.app.load import require_programme, require_rubric
from pipeline.app.report import (
    DETAIL_LIMIT,
    as_of,
    assessment,
    assessment_book,
    banner_for,
    counted_rows,
    period_scores,
)
from pipeline.assessment.scoring import ASSESSED_KINDS, Assessment, is_assessed
from pipeline.core.errors import ConfigError
from pipeline.core.lock import holding
from pipeline.counting.funding import money_unit
from pipeline.forms.programme import Programme
from pipeline.history.location import existing_store
from pipeline.workbooks.report_data import assessment_path, write_assessment_outputs
from schemas.programme import Period


@dataclass
class AssessResult:
    check: CheckResult
    assessment: Assessment
    workbook: Path


def require_assessable(programme: Programme, code: str) -> None:
    """ConfigError unless ``code`` is a 学年/年度 period; ProgrammeInvalid when the rubric has errors."""
    period = programme.period(code)
    if not is_assessed(period):
        p = programme.periods
        known = "、".join(p[p[Period.period_type.name].isin(ASSESSED_KINDS)][Period.period_code.name]) or "-"
        raise ConfigError("error.not_a_year", period=code, kind=period.kind, known=known)
    require_rubric(programme)


@holding
def assess_year(settings: CheckSettings, progress: Progress | None = None) -> AssessResult:
    """Check the year's inbox and write 考核结果_<year>.xlsx (and its evidence as CSV)."""
    programme, _ = require_programme(settings.programme)
    require_assessable(programme, settings.period)
    result = check(settings, progress)
    store = existing_store(store_location(settings, programme), programme.name)
    graded = assessment(result, counted_rows(result), period_scores(result, store), settings.lang)
    if graded is None:
        raise RuntimeError("a checked 学年/年度 period with a usable rubric was not assessed")
    unit, banner = money_unit(result.programme), banner_for(result, settings.lang)
    info = assessment_book(result, unit, banner, as_of(result))
    write_assessment_outputs(graded, result.out, result.period, info, settings.lang, DETAIL_LIMIT)
    return AssessResult(result, graded, assessment_path(result.out, result.period))
