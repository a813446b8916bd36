"""The Programme: a validated programme workbook as plain data, with the look-ups stages need."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from pipeline.errors import ConfigError
from schemas.choices import Choices
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
class Programme:
    """Settings, roster, pairs, periods, choices and district results of one programme."""

    settings: dict[str, object]
    schools: pd.DataFrame
    pairs: pd.DataFrame
    periods: pd.DataFrame
    choices: Choices
    district_scores: pd.DataFrame
    source: str = ""

    @property
    def name(self) -> str:
        return str(self.settings.get(Settings.programme_name.name) or "")

    def setting(self, column: str, default: str = "") -> str:
        value = self.settings.get(column)
        return default if value is None or value == "" else str(value)

    def period(self, code: str) -> PeriodInfo:
        """The period ``code``; a ConfigError naming the known periods when it is not there."""
        frame = self.periods[self.periods[Period.period_code.name] == code]
        if frame.empty:
            known = "、".join(self.periods[Period.period_code.name].astype(str))
            raise ConfigError("error.unknown_period", period=code, known=known or "-")
        rec = frame.iloc[0]
        return PeriodInfo(code, rec[Period.period_name.name], rec[Period.period_type.name],
                          rec[Period.start_date.name], rec[Period.end_date.name], rec[Period.deadline.name])

    def school(self, code: str) -> dict[str, object]:
        frame = self.schools[self.schools[School.school_code.name] == code]
        return frame.iloc[0].to_dict()

    def reporting_schools(self) -> pd.DataFrame:
        """Schools that report to this bureau (是否报送 = 是), by school code."""
        frame = self.schools[self.schools[School.reports.name] == "是"]
        return frame.sort_values(School.school_code.name).reset_index(drop=True)

    def partners_of(self, code: str) -> list[Partner]:
        """The schools paired with ``code`` (either side), by pair code."""
        names = dict(zip(self.schools[School.school_code.name], self.schools[School.school_name.name], strict=True))
        result = []
        for rec in self.pairs.sort_values(Pair.pair_code.name).to_dict("records"):
            sup, rec_code = rec[Pair.supporting_code.name], rec[Pair.recipient_code.name]
            other = rec_code if sup == code else sup if rec_code == code else None
            if other is not None:
                result.append(Partner(other, names.get(other, other), rec[Pair.pair_code.name]))
        return result
