"""The Programme: a validated programme workbook as plain data, with the look-ups stages need."""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from pipeline.core.errors import ConfigError
from schemas.choices import Choices
from schemas.model import Record
from schemas.programme import Pair, Period, School, Settings


@dataclass(frozen=True)
class PeriodInfo:
    code: str
    name: str
    kind: str
    start: dt.date
    end: dt.date
    deadline: dt.date


@dataclass(frozen=True)
class Partner:
    code: str
    name: str
    pair_code: str


@dataclass(frozen=True)
class Rule:
    """One indicator of the assessment rubric, checked (see pipeline.checks.rubric)."""

    code: str
    name: str
    target_object: str  # 结对 / 支援校 / 受援校
    metric: str  # a key of schemas.rubric.METRICS
    filters: tuple[tuple[str, tuple[str, ...]], ...]  # (filter key, accepted values)
    target: float
    points: float
    method: str  # 按比例 / 达标 / 扣分
    per_unit: float
    veto: bool
    row: int  # Excel row on the 考核细则 sheet


@dataclass(frozen=True)
class Rubric:
    """The rubric in force and the grade bands; ``issues`` are its findings (errors block scoring)."""

    rules: tuple[Rule, ...] = ()
    bands: tuple[float, float, float] = (90.0, 80.0, 60.0)  # 优秀, 良好, 合格 from
    issues: tuple = ()
    sheet: str = ""

    @property
    def usable(self) -> bool:
        return bool(self.rules) and not any(i.is_error for i in self.issues)


@dataclass(frozen=True)
class Programme:
    """Settings, roster, pairs, periods, choices and district results of one programme."""

    settings: Record
    schools: pd.DataFrame
    pairs: pd.DataFrame
    periods: pd.DataFrame
    choices: Choices
    district_scores: pd.DataFrame
    source: str = ""
    rubric: Rubric = Rubric()

    @property
    def name(self) -> str:
        return str(self.settings.get(Settings.programme_name.name) or "")

    @cached_property
    def digest(self) -> str:
        """A digest of the programme's content, the same in every process: what a per-process
        cache keys on (an object's id can be a later object's)."""
        digest = hashlib.sha256(repr((sorted(self.settings.items(), key=str), self.choices, self.rubric)).encode())
        for frame in (self.schools, self.pairs, self.periods, self.district_scores):
            digest.update(repr(list(frame.columns)).encode())
            digest.update(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
        return digest.hexdigest()

    def setting(self, column: str, default: str = "") -> str:
        value = self.settings.get(column)
        return default if value is None or value == "" else str(value)

    def period(self, code: str) -> PeriodInfo:
        """The period by its code or its name (2024学年 or 2024-2025学年, as every report prints
        it); a ConfigError naming the closest periods and all of them when it is not there."""
        p = self.periods
        codes, names = p[Period.period_code.name].astype(str), p[Period.period_name.name].astype(str)
        wanted = code.strip()
        frame = p[codes == wanted]
        if frame.empty:
            frame = p[names == wanted]
        if frame.empty:
            known = "、".join(f"{c}（{n}）" for c, n in zip(codes, names, strict=True))
            close = difflib.get_close_matches(wanted, [*codes, *names], n=2, cutoff=0.5)
            near = {c for c, n in zip(codes, names, strict=True) if c in close or n in close}
            raise ConfigError(
                "error.unknown_period", period=code, known=known or "-", near="、".join(sorted(near)) or "-"
            )
        rec = frame.iloc[0]
        return PeriodInfo(
            str(rec[Period.period_code.name]),
            rec[Period.period_name.name],
            rec[Period.period_type.name],
            rec[Period.start_date.name],
            rec[Period.end_date.name],
            rec[Period.deadline.name],
        )

    def earlier_periods(self, period: PeriodInfo) -> list[str]:
        """Codes of the periods of the same type that ended before ``period`` started."""
        p = self.periods
        same = p[(p[Period.period_type.name] == period.kind) & (p[Period.end_date.name] < period.start)]
        return sorted(same[Period.period_code.name])

    @cached_property
    def roster(self) -> dict[str, Record]:
        """School code -> its roster row, built once (look-ups per file must not scan the roster)."""
        return {rec[School.school_code.name]: rec for rec in self.schools.to_dict("records")}

    @cached_property
    def names(self) -> dict[str, str]:
        """School code -> school name (read-only: shared by every caller)."""
        return {code: rec[School.school_name.name] for code, rec in self.roster.items()}

    @cached_property
    def pair_of(self) -> dict[frozenset, Record]:
        """Either order of a pair's two school codes -> the pair's row, the first pair code
        winning (read-only: shared by every caller)."""
        lookup: dict[frozenset, Record] = {}
        for rec in self.pairs.sort_values(Pair.pair_code.name).to_dict("records"):
            lookup.setdefault(frozenset((rec[Pair.supporting_code.name], rec[Pair.recipient_code.name])), rec)
        return lookup

    @cached_property
    def _partners(self) -> dict[str, list[Partner]]:
        names = self.names
        result: dict[str, list[Partner]] = {}
        for rec in self.pairs.sort_values(Pair.pair_code.name).to_dict("records"):
            sup, rec_code, pair = (
                rec[Pair.supporting_code.name],
                rec[Pair.recipient_code.name],
                rec[Pair.pair_code.name],
            )
            result.setdefault(sup, []).append(Partner(rec_code, names.get(rec_code, rec_code), pair))
            result.setdefault(rec_code, []).append(Partner(sup, names.get(sup, sup), pair))
        return result

    def school(self, code: str) -> Record:
        return dict(self.roster[code])

    def reporting_schools(self) -> pd.DataFrame:
        """Schools that report to this bureau (是否报送 = 是), by school code."""
        frame = self.schools[self.schools[School.reports.name] == "是"]
        return frame.sort_values(School.school_code.name).reset_index(drop=True)

    @cached_property
    def reporting_records(self) -> list[Record]:
        """The roster rows of ``reporting_schools``, in its order (read-only: shared by every
        caller; a frame's to_dict per report cost 0.4 s for ten thousand schools)."""
        return [self.roster[code] for code in self.reporting_schools()[School.school_code.name]]

    def partners_of(self, code: str) -> list[Partner]:
        """The schools paired with ``code`` (either side), by pair code."""
        return list(self._partners.get(code, []))
