"""Rows rendered straight to XML read back exactly as the same rows written cell by cell."""

import datetime as dt
import math

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from pipeline.xlsx import rows as sheetxml
from pipeline.xlsx.book import Formats, ok, open_workbook

VALUES = [
    "plain",
    "中文文本",
    "a & b < c > d",
    " leading",
    "trailing\t",
    "line\nbreak",
    "ctrl\x01char",
    "_x0041_ literal",
    '=HYPERLINK("http://x")',
    "'quoted",
    "",
    None,
    0,
    -3,
    12345678901234,
    0.1,
    1e-12,
    2.5e20,
    30000.0,
    math.nan,
    math.inf,
    -math.inf,
    True,
    False,
    dt.date(2024, 9, 1),
    dt.datetime(2024, 9, 1, 13, 30, 15),
    dt.date(1900, 1, 15),
    dt.date(1900, 3, 1),
]


def write_value(ws, row: int, col: int, value: object, fmt: object) -> None:
    """The reference: one value written cell by cell through xlsxwriter's own calls, by its
    Python type, text always as text (sheetxml.cell_xml renders the same)."""
    if value is None or value == "":
        ok(ws.write_blank(row, col, None, fmt))
    elif isinstance(value, bool):
        ok(ws.write_boolean(row, col, value, fmt))
    elif isinstance(value, (int, float)):
        ok(ws.write_number(row, col, value, fmt))
    elif isinstance(value, (dt.date, dt.datetime)):
        ok(ws.write_datetime(row, col, value, fmt))
    else:
        ok(ws.write_string(row, col, str(value), fmt))


def _formats(fmt: Formats) -> list:
    return [fmt.get(border=1), fmt.get(num_format="yyyy-mm-dd"), fmt.get(bg_color="#FFC7CE", num_format="0.00"), None]


def _book(path, by_block: bool, spool_chars: int | None = None):
    book = open_workbook(path)
    fmt = Formats(book)
    ws = book.add_worksheet("s")
    formats = _formats(fmt)
    rows = [[VALUES[(r * 4 + c) % len(VALUES)] for c in range(4)] for r in range(len(VALUES))]
    rows[10][0] = "a link"
    rows[5] = [None] * 4  # empty rows: their formatted cells only, in both kinds of block
    rows += [[None] * 4, [None, None]]
    ok_header = fmt.get(bold=True)
    ws.write_string(0, 0, "header", ok_header)
    ws.write_comment(3, 1, "a note")
    if by_block:
        ws.write_rows(1, rows[:10], formats, heights={2: 40})
        ws.write_string(11, 0, "between")  # a row xlsxwriter writes, between two blocks
        styles = [formats if r % 2 else list(reversed(formats)) for r in range(10, len(rows))]
        ws.write_rows(12, rows[10:], styles, per_row=True)
        ws.link_cell(12, 0, "internal:'s'!A1", rows[10][0])
    else:
        for r, row in enumerate(rows[:10], start=1):
            for c, value in enumerate(row):
                write_value(ws, r, c, value, formats[c])
        ws.set_row(2, 40)
        ws.write_string(11, 0, "between")
        for i, row in enumerate(rows[10:]):
            styles = formats if (i % 2) else list(reversed(formats))
            for c, value in enumerate(row):
                write_value(ws, 12 + i, c, value, styles[c])
        ws.write_url(12, 0, "internal:'s'!A1", styles_first(fmt), string=rows[10][0])
    ws.write_string(len(rows) + 5, 2, "after")
    book.close()


def styles_first(fmt: Formats):
    return list(reversed(_formats(fmt)))[0]


def _cells(path):
    """Values as calamine reads them (as the intake does), and formats, comments, links and
    heights as openpyxl reads them."""
    values = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("s").to_python()
    ws = openpyxl.load_workbook(path)["s"]
    out = {}
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is not None or cell.has_style:
                value = values[cell.row - 1][cell.column - 1]
                out[cell.coordinate] = (
                    value,
                    cell.data_type,
                    cell.number_format,
                    cell.fill.fgColor.rgb,
                    cell.border.left.style,
                    cell.font.b,
                    cell.comment.text if cell.comment else None,
                    cell.hyperlink.location if cell.hyperlink else None,
                )
    heights = {r: d.height for r, d in ws.row_dimensions.items() if d.height}
    return out, heights, ws.dimensions


def test_blocks_read_back_as_cell_by_cell_writes(tmp_path):
    _book(tmp_path / "cells.xlsx", by_block=False)
    _book(tmp_path / "rows.xlsx", by_block=True)
    assert _cells(tmp_path / "rows.xlsx") == _cells(tmp_path / "cells.xlsx")


def test_large_blocks_spill_to_a_temporary_file(tmp_path, monkeypatch):
    _book(tmp_path / "cells.xlsx", by_block=False)
    monkeypatch.setattr(sheetxml, "_SPOOL_CHARS", 100)
    monkeypatch.setattr(sheetxml, "_CHUNK_ROWS", 3)
    _book(tmp_path / "rows.xlsx", by_block=True)
    assert _cells(tmp_path / "rows.xlsx") == _cells(tmp_path / "cells.xlsx")


def test_same_rows_give_the_same_bytes(tmp_path):
    _book(tmp_path / "a.xlsx", by_block=True)
    _book(tmp_path / "b.xlsx", by_block=True)
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()


def test_misuse_is_refused(tmp_path):
    book = open_workbook(tmp_path / "x.xlsx")
    ws = book.add_worksheet("s")
    ws.write_rows(1, [["a"], ["b"]], [None])
    with pytest.raises(ValueError, match="overlap"):
        ws.write_rows(2, [["c"]], [None])
    ws.write_string(1, 3, "clash")
    with pytest.raises(ValueError, match="row 2 was written both"):
        book.close()


def test_a_formula_without_a_call_is_left_as_it_is(tmp_path):
    ws = open_workbook(tmp_path / "x.xlsx").add_worksheet("s")
    assert ws._prepare_formula("='_lists'!$A$2:$A$9") == "'_lists'!$A$2:$A$9"
    assert ws._prepare_formula("=XLOOKUP(A1,B:B,C:C)") == "_xlfn.XLOOKUP(A1,B:B,C:C)"


def _parts(path) -> dict[str, bytes]:
    import zipfile

    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def test_tables_and_validations_are_written_as_xlsxwriter_writes_them(tmp_path):
    """RowsSheet registers a plain table without marking each cell and keeps a validation's XML
    between workbooks; the parts it writes are xlsxwriter's own, byte for byte."""
    import xlsxwriter

    def write(path, rows_sheet: bool):
        book = open_workbook(path)
        if not rows_sheet:
            book.worksheet_class = xlsxwriter.worksheet.Worksheet
        for name, last_row in (("a", 300), ("b", 2)):
            ws = book.add_worksheet(name)
            ws.add_table(
                0,
                0,
                last_row,
                3,
                {
                    "name": f"T_{name}",
                    "style": "Table Style Light 9",
                    "columns": [{"header": f"列{c}"} for c in range(4)],
                },
            )
            ws.add_table(0, 5, last_row, 6, {"name": f"U_{name}", "autofilter": False})
            for c, options in enumerate(
                (
                    {"validate": "list", "source": "=$K$1:$K$3"},
                    {
                        "validate": "date",
                        "criteria": "between",
                        "minimum": dt.date(2024, 9, 1),
                        "maximum": dt.date(2025, 1, 31),
                        "input_message": "日期 & <时间>",
                    },
                    {"validate": "list", "source": "=$K$1:$K$3"},
                )
            ):
                assert ws.data_validation(1, c, last_row, c, options) == 0
        book.close()
        return _parts(path)

    ours, theirs = write(tmp_path / "ours.xlsx", True), write(tmp_path / "theirs.xlsx", False)
    assert ours == theirs
    assert b'ref="A1:D301"' in ours["xl/tables/table1.xml"] and b'sqref="B2:B301"' in ours["xl/worksheets/sheet1.xml"]


def test_a_table_over_another_table_or_a_merge_is_refused(tmp_path):
    from xlsxwriter.exceptions import OverlappingRange

    book = open_workbook(tmp_path / "t.xlsx")
    ws = book.add_worksheet("a")
    ws.add_table(0, 0, 200, 3)
    with pytest.raises(OverlappingRange):
        ws.add_table(150, 3, 400, 5)
    with pytest.raises(OverlappingRange):
        ws.merge_range(120, 1, 120, 2, "x")
    assert ws.add_table(201, 0, 400, 3) == 0
    book.close()


@pytest.mark.parametrize("engine", ["engine", "plain"])
def test_text_past_excel_s_limit_is_shortened_with_a_mark_not_refused(tmp_path, engine, monkeypatch):
    """A school's 40,000-character paste must not stop a run in any writer (both write paths)."""
    import openpyxl

    monkeypatch.setenv("BANGFU_PLAIN_XLSX", "1" if engine == "plain" else "0")
    book = open_workbook(tmp_path / "long.xlsx")
    ws = book.add_worksheet("s")
    ws.write_rows(0, [["长" * 40000, "short"]], [None, None])
    book.close()
    cell = openpyxl.load_workbook(tmp_path / "long.xlsx")["s"]["A1"].value
    assert len(cell) == 32767 and cell.startswith("长" * 100) and cell.endswith("已截断 / truncated］")
