"""What the aggregate tables share: the 合计 row and the roster by school code."""

from __future__ import annotations

import pandas as pd

from pipeline.forms.programme import Programme
from schemas.programme import School

TOTAL = "合计"


def roster_frame(programme: Programme) -> pd.DataFrame:
    return programme.schools.set_index(School.school_code.name)


def with_total(frame: pd.DataFrame, label_column: str, numeric: list[str]) -> pd.DataFrame:
    """The table with a 合计 row summing ``numeric``."""
    total = {c: frame[c].sum() if c in numeric else "" for c in frame.columns}
    total[label_column] = TOTAL
    return pd.concat([frame, pd.DataFrame([total])], ignore_index=True)
