"""Typed rows as the intake hands them to the later stages, built straight from records: unit
tests of checks, counting and the writers need no workbook on disk."""

from __future__ import annotations

from pipeline.checks.crosscheck import Batch, concat
from pipeline.core.cells import ROW
from pipeline.intake.blocks import Table
from schemas.model import Record, Sheet


def table(model: type[Sheet], records: list[Record], first_row: int = 2) -> Table:
    """A parsed data sheet with its header in row 1 and columns in model order (A, B, …)."""
    parsed = {col.name: [r.get(col.name) for r in records] for col in model.columns}
    parsed[ROW] = list(range(first_row, first_row + len(records)))
    return Table(model, model.zh, parsed, columns={col.name: i for i, col in enumerate(model.columns)})


def batch(model: type[Sheet], by_submission: dict[int, list[Record]], files: dict[int, str] | None = None) -> Batch:
    """One sheet type's rows from several submissions, as ``checks.accept`` concatenates them."""
    tables = {sub: table(model, records) for sub, records in by_submission.items()}
    return concat(model, tables, files or {sub: f"{sub:03d}.xlsx" for sub in by_submission})
