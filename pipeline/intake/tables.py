"""Raw sheets -> tables: a sheet found by any of its names, its header row located (however far
down, whatever the column order), every cell parsed, a finding at each cell that cannot be read."""

from __future__ import annotations

import difflib
import functools

from pipeline.core.cells import ROW, cell_ref
from pipeline.core.issues import Issue, make
from pipeline.intake.blocks import Table
from pipeline.intake.read import RawSheet, RawWorkbook
from pipeline.intake.values import CellError, Context, clean_text, fold, is_blank, normalise_label, parse_value
from schemas.model import Column, Kind, Sheet

HEADER_SEARCH_ROWS = 30


@functools.cache
def label_keys(model: type[Sheet]) -> dict[str, Column]:
    """Every label of the model's columns by its comparison key, once a model (three places
    built the same mapping per sheet)."""
    return {normalise_label(label): col for col in model.columns for label in col.labels()}


def find_sheet(book: RawWorkbook, model: type[Sheet], file: str) -> tuple[RawSheet | None, list[Issue]]:
    """The sheet for ``model`` by its zh or en name (white space and width ignored)."""
    wanted = {fold(n) for n in model.names()}
    for name, sheet in book.sheets.items():
        if fold(name) in wanted:
            issues = [make("hidden-sheet", file=file, sheet=name, expected=name)] if sheet.hidden else []
            return sheet, issues
    found = "、".join(n for n in book.sheet_names if not n.startswith("_")) or "-"
    return None, [make("missing-sheet", file=file, sheet=model.zh, expected=model.zh, found=found)]


def _header_row(sheet: RawSheet, model: type[Sheet]) -> tuple[int | None, int]:
    """The row (0-based) with the most cells matching the model's labels, and that count."""
    keys = label_keys(model)
    best, best_hits = None, 0
    for r, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        hits = sum(1 for v in row if not is_blank(v) and normalise_label(v) in keys)
        if hits > best_hits:
            best, best_hits = r, hits
            if hits >= len(model.columns):  # every column found: no later row can do better
                break
    return best, best_hits


def locate_header(sheet: RawSheet, model: type[Sheet], file: str) -> tuple[int | None, dict[str, int], list[Issue]]:
    """Find the header row by its labels and map each model column to its sheet column."""
    required = [c for c in model.columns if c.required]
    row, hits = _header_row(sheet, model)
    if row is None or hits < max(1, min(2, len(required))):
        expected = "、".join(c.zh for c in model.columns[:6])
        return (
            None,
            {},
            [
                make(
                    "header-not-found",
                    file=file,
                    sheet=sheet.name,
                    cell="A1",
                    rows=HEADER_SEARCH_ROWS,
                    expected=expected,
                )
            ],
        )
    by_key = label_keys(model)
    mapping: dict[str, int] = {}
    seen: dict[str, list[str]] = {}
    issues: list[Issue] = []
    unmatched: list[tuple[int, str]] = []
    for c, value in enumerate(sheet.rows[row]):
        if is_blank(value):
            continue
        col = by_key.get(normalise_label(value))
        if col is None:
            unmatched.append((c, clean_text(value)))
            issues.append(
                make("extra-column", file=file, sheet=sheet.name, cell=cell_ref(row, c), value=clean_text(value))
            )
            continue
        seen.setdefault(col.name, []).append(cell_ref(row, c))
        mapping.setdefault(col.name, c)
    for name, cells in seen.items():
        if len(cells) > 1:
            issues.append(
                make(
                    "duplicate-column",
                    file=file,
                    sheet=sheet.name,
                    cell=cells[1],
                    column=model.column(name).zh,
                    expected=model.column(name).zh,
                    cells="、".join(cells),
                )
            )
    for col in required:
        if col.name not in mapping:
            issues.append(_missing_column(sheet.name, file, row, col, unmatched))
    return row, mapping, issues


def _missing_column(sheet: str, file: str, row: int, col: Column, unmatched: list[tuple[int, str]]) -> Issue:
    labels = [label for _, label in unmatched]
    close = difflib.get_close_matches(col.zh, labels, n=1, cutoff=0.3)
    nearest, cell = "-", cell_ref(row, 0)
    if close:
        c = next(c for c, label in unmatched if label == close[0])
        cell = cell_ref(row, c)
        nearest = f"{cell} {close[0]}"
    return make("missing-column", file=file, sheet=sheet, cell=cell, column=col.zh, expected=col.zh, nearest=nearest)


_NUMBER_TYPES = frozenset((int, float, bool))


def parse_table(sheet: RawSheet, model: type[Sheet], ctx: Context) -> tuple[Table | None, list[Issue]]:
    """Typed values of a table sheet; blank rows are skipped, unreadable cells become findings.

    Column by column: a column's distinct values are parsed once each (values repeat down a
    column), and blank rows are found from those, so the Python work per cell is a lookup."""
    header, mapping, issues = locate_header(sheet, model, ctx.file)
    if header is None or any(i.code in ("missing-column", "duplicate-column") for i in issues):
        return None, issues
    body = sheet.rows[header + 1 :]
    cols = [(name, c, model.column(name)) for name, c in mapping.items()]
    if body and min(map(len, body)) > max(c for _, c, _ in cols):
        grid = list(zip(*body, strict=False))  # calamine's rows are one width: transposed in C
        raws = [grid[c] for _, c, _ in cols]
    else:
        raws = [[row[c] if c < len(row) else "" for row in body] for _, c, _ in cols]
    # A column's distinct values are keys: with their type where numbers of two types meet (1, 1.0
    # and True are equal), else as they are (most columns: no tuple a cell).
    tupled = [len(_NUMBER_TYPES.intersection(map(type, raw))) > 1 for raw in raws]
    keys = [list(zip(map(type, raw), raw, strict=True)) if tup else raw for raw, tup in zip(raws, tupled, strict=True)]
    filled = [
        {key: not is_blank(key[1] if tup else key) for key in dict.fromkeys(column)}
        for column, tup in zip(keys, tupled, strict=True)
    ]
    flags = [list(map(f.__getitem__, k)) for f, k in zip(filled, keys, strict=True)]  # per column: filled in?
    kept = [i for i, row in enumerate(zip(*flags, strict=True)) if any(row)]
    first = header + 1  # 0-based sheet row of body[0]
    found: list[tuple[int, int, Issue]] = [
        (i, -1, make("hidden-row", file=ctx.file, sheet=sheet.name, cell=cell_ref(first + i, 0), value=first + i + 1))
        for i in kept
        if first + i in sheet.hidden_rows
    ]
    parsed: dict[str, list[object]] = {ROW: [first + i + 1 for i in kept]}
    for j, ((name, c, column), column_keys, tup) in enumerate(zip(cols, keys, tupled, strict=True)):
        if len(kept) < len(column_keys):
            column_keys = list(map(column_keys.__getitem__, kept))
        memo: dict[object, object] = {}
        failed = set()
        for key in dict.fromkeys(column_keys):
            try:
                memo[key] = parse_value(key[1] if tup else key, column, ctx)
            except CellError:  # reported below at every cell that holds it
                failed.add(key)
        values = list(map(memo.get, column_keys))
        redo = {n for n, i in enumerate(kept) if (first + i, c) in sheet.bad_cells} if sheet.bad_cells else set()
        if column.kind is Kind.PERCENT and sheet.percent_cells:
            redo.update(n for n, i in enumerate(kept) if (first + i, c) in sheet.percent_cells)
        if failed:
            redo.update(n for n, key in enumerate(column_keys) if key in failed)
        for n in sorted(redo):
            own: list[Issue] = []
            values[n] = _read_cell(
                sheet, first + kept[n], c, column_keys[n][1] if tup else column_keys[n], column, ctx, own
            )
            found.extend((kept[n], j, issue) for issue in own)
        parsed[name] = values
    found.sort(key=lambda f: (f[0], f[1]))
    issues.extend(issue for _, _, issue in found)
    return Table(model, sheet.name, parsed, mapping), issues


def _read_cell(
    sheet: RawSheet, r: int, c: int, raw: object, column: Column, ctx: Context, issues: list[Issue]
) -> object:
    """One cell's typed value, or None with a finding at its address."""
    bad = sheet.bad_cells.get((r, c)) if sheet.bad_cells else None
    if bad:
        issues.append(make(bad, file=ctx.file, sheet=sheet.name, cell=cell_ref(r, c), column=column.zh))
        return None
    if column.kind is Kind.PERCENT and type(raw) in (int, float) and (r, c) in sheet.percent_cells:
        raw = round(raw * 100, 6)  # 95% typed into the cell: 0.95 stored, 95 meant (rates are 0-100)
    try:
        return parse_value(raw, column, ctx)
    except CellError as err:
        facts = dict(err.facts)
        shown = facts.pop("value", None) or clean_text(raw)  # what the school saw, where it is not the raw value
        issues.append(
            make(err.code, value=shown, file=ctx.file, sheet=sheet.name, cell=cell_ref(r, c), column=column.zh, **facts)
        )
        return None


def parse_form(sheet: RawSheet, model: type[Sheet], ctx: Context) -> tuple[Table, list[Issue]]:
    """A label/value sheet: each label's value is the first cell to its right."""
    keys = label_keys(model)
    record: dict[str, object] = {ROW: 0}
    cells: dict[str, str] = {}
    issues: list[Issue] = []
    for r, row in enumerate(sheet.rows):
        for c, value in enumerate(row):
            col = keys.get(normalise_label(value)) if not is_blank(value) else None
            if col is None or col.name in cells:
                continue
            raw = row[c + 1] if c + 1 < len(row) else ""
            cells[col.name] = cell_ref(r, c + 1)
            record[col.name] = _read_cell(sheet, r, c + 1, raw, col, ctx, issues)
            break
    for col in model.columns:
        if col.name not in cells and col.required:
            issues.append(
                make("missing-label", file=ctx.file, sheet=sheet.name, cell="A1", column=col.zh, expected=col.zh)
            )
    return Table(model, sheet.name, {name: [value] for name, value in record.items()}, form_cells=cells), issues
