"""CSV files people open in Excel: UTF-8 with BOM (so the Chinese shows), text that a spreadsheet
would run as a formula prefixed with ' (ASVS 1.2.10), blanks empty.

Frames go through Arrow's CSV writer: at 10,000 files the accepted activity rows alone (0.9 M
rows) took 8.4 s with pandas' to_csv and take 0.3 s this way. Values are written as pandas
wrote them (text as is, dates yyyy-mm-dd, True/False), except that a whole-number float has no
".0". Text is quoted only when some value or header in the file needs quotes; then, as Arrow
quotes by type, every text value of that file is quoted.
"""

from __future__ import annotations

import codecs
import csv
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pa_compute
import pyarrow.csv as pa_csv

from pipeline.core.csvsafe import FORMULA_START, csv_safe
from pipeline.core.files import replacing

CSV_ENCODING = "utf-8-sig"
_STRUCTURAL = (",", '"', "\n", "\r")
# the same two tests as patterns, for Arrow's compute functions (RE2)
_FORMULA_PATTERN = "^[" + "".join("\\" + ch if ch == "-" else ch for ch in FORMULA_START) + "]"
_QUOTE_PATTERN = "[" + "".join(_STRUCTURAL) + "]"


def write_rows(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    """Rows of Python values as CSV, with Python's csv module (small files)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with replacing(path) as temp, temp.open("w", encoding=CSV_ENCODING, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows([[csv_safe(v) for v in row] for row in rows])
    return path


def write_frame(frame: pd.DataFrame, path: Path) -> Path:
    """A frame as CSV, its columns' names as the header, without the index."""
    names = [str(c) for c in frame.columns]
    quote = any(_needs_quotes(n) for n in names)
    arrays = []
    for i in range(frame.shape[1]):
        array, needs = _arrow(frame.iloc[:, i])
        arrays.append(array)
        quote = quote or needs
    style = "needed" if quote else "none"
    path.parent.mkdir(parents=True, exist_ok=True)
    with replacing(path) as temp, temp.open("wb") as fh:
        fh.write(codecs.BOM_UTF8)
        pa_csv.write_csv(
            pa.Table.from_arrays(arrays, names=names),
            fh,
            pa_csv.WriteOptions(quoting_style=style, quoting_header=style),
        )
    return path


def _needs_quotes(value: str) -> bool:
    return any(ch in value for ch in _STRUCTURAL)


def _arrow(series: pd.Series) -> tuple[pa.Array, bool]:
    """One column as Arrow, and whether any of its text needs quotes. Text is looked at through
    its distinct values only: a column of a million rows holds a few thousand."""
    if isinstance(series.dtype, pd.StringDtype) and series.dtype.storage == "pyarrow":
        array = pa.array(series.array)  # already Arrow: no Python string is made, nor looked at
        distinct = pa_compute.unique(array)
        if not pa_compute.any(pa_compute.match_substring_regex(distinct, _FORMULA_PATTERN)).as_py():
            return array, bool(pa_compute.any(pa_compute.match_substring_regex(distinct, _QUOTE_PATTERN)).as_py())
    if pd.api.types.is_bool_dtype(series.dtype) or not (
        pd.api.types.is_numeric_dtype(series.dtype) or pd.api.types.is_datetime64_any_dtype(series.dtype)
    ):
        return _text(series.to_numpy(dtype=object, na_value=None))
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        fmt = "%Y-%m-%d" if (series.dropna() == series.dropna().dt.normalize()).all() else "%Y-%m-%d %H:%M:%S"
        return _text(series.dt.strftime(fmt).to_numpy(dtype=object, na_value=None))
    return pa.array(series, from_pandas=True), False


def _text(values) -> tuple[pa.Array, bool]:
    """Objects as Arrow text, each written as str() would (dates yyyy-mm-dd); NaN and None blank."""
    distinct = pd.unique(values)
    if len({type(v) for v in distinct if v is not None}) > 1:
        # mixed types: 1, 1.0 and True are one key of a dict, so each value is shown on its own
        values = [_shown(v) for v in values]
        shown = set(values)
    else:
        as_shown = {v: _shown(v) for v in distinct}
        if any(as_shown[v] is not v for v in distinct):  # something to convert or make safe
            values = [as_shown[v] for v in values]
        shown = set(as_shown.values())
    needs = any(s is not None and _needs_quotes(s) for s in shown)
    return pa.array(values, type=pa.string(), from_pandas=True), needs


def _shown(value: object) -> str | None:
    return None if value is None else csv_safe(value if isinstance(value, str) else str(value))
