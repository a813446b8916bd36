"""The forms as code: one model per sheet of the programme workbook and the school report."""

from schemas.model import Column, Kind, Sheet, fingerprint
from schemas.programme import PROGRAMME_SHEETS
from schemas.report import REPORT_SHEETS

# zh label -> en label of every column, so a finding stored with the zh label renders in en.
EN_LABELS: dict[str, str] = {col.zh: col.en for model in (*PROGRAMME_SHEETS, *REPORT_SHEETS) for col in model.columns}

__all__ = ["Column", "Kind", "Sheet", "fingerprint", "PROGRAMME_SHEETS", "REPORT_SHEETS", "EN_LABELS"]
