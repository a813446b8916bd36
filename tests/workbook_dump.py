"""Readable text dumps of workbooks, for golden files and for assertions on what a user sees."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

from tests.reports import header_row


def _value(value: object) -> str:
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return repr(value)


def dump(path: Path, summarise: tuple[str, ...] = ()) -> str:
    """Sheet names and states, dimensions, freeze panes, protection, print setup, tables,
    data validations, charts, conditional formats, and each non-empty cell's coordinate, value
    and number format. Sheets whose names start with a ``summarise`` prefix show their title
    block, header row and size only (detail sheets of thousands of rows)."""
    book = openpyxl.load_workbook(path)
    lines = [f"workbook sheets={book.sheetnames} active={book.active.title}"]
    for ws in book.worksheets:
        if summarise and ws.title.startswith(summarise):
            top = header_row(ws)
            block = [ws.cell(r, 1).value for r in range(1, top)]
            header = [c.value for c in ws[top]]
            lines.append(f"== {ws.title} dims={ws.dimensions} title={block} header={header} (rows not listed)")
            lines.append(f"   print titles={ws.print_title_rows} header={ws.oddHeader.right.text!r}")
            continue
        p = ws.protection
        lines.append(f"== {ws.title} state={ws.sheet_state} dims={ws.dimensions} freeze={ws.freeze_panes}")
        lines.append(
            f"   protected={p.sheet} insertRows_locked={p.insertRows} deleteRows_locked={p.deleteRows}"
            f" autoFilter_locked={p.autoFilter}"
        )
        ps = ws.page_setup
        lines.append(
            f"   print orientation={ps.orientation} paper={ps.paperSize} fitToWidth={ps.fitToWidth}"
            f" fitToHeight={ps.fitToHeight} titles={ws.print_title_rows}"
            f" header={ws.oddHeader.left.text!r}|{ws.oddHeader.right.text!r} footer={ws.oddFooter.center.text!r}"
        )
        for table in sorted(ws.tables.values(), key=lambda t: t.name):
            headers = [c.name for c in table.tableColumns]
            lines.append(f"   table {table.name} ref={table.ref} style={table.tableStyleInfo.name} columns={headers}")
        for dv in sorted(ws.data_validations.dataValidation, key=lambda d: str(d.sqref)):
            lines.append(
                f"   validation {dv.sqref} type={dv.type} op={dv.operator} f1={dv.formula1}"
                f" f2={dv.formula2} error={dv.errorStyle} prompt={dv.prompt!r}"
            )
        # openpyxl folds neighbouring columns of one width and style into a single min..max entry
        for chart in ws._charts:  # noqa: SLF001 - openpyxl has no public accessor
            lines.append(f"   chart {type(chart).__name__} title={_chart_title(chart)!r} series={len(chart.series)}")
        for rng in sorted(ws.conditional_formatting, key=lambda r: str(r.sqref)):
            for rule in rng.rules:
                lines.append(
                    f"   conditional {rng.sqref} type={rule.type} op={rule.operator} f={rule.formula}"
                    f" text={rule.text!r}"
                )
        widths = {f"{v.min}-{v.max}": round(v.width, 1) for _, v in sorted(ws.column_dimensions.items()) if v.width}
        lines.append(f"   widths {widths}")
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is None:
                    continue
                locked = "" if cell.protection.locked else " unlocked"
                lines.append(f"   {cell.coordinate} {_value(cell.value)} fmt={cell.number_format}{locked}")
    return "\n".join(lines) + "\n"


def _chart_title(chart) -> str:
    try:
        return "".join(r.t for p in chart.title.tx.rich.p for r in (p.r or []))
    except AttributeError:
        return ""
