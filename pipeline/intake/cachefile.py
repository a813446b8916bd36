"""The intake cache as data, never code: one file holding JSON (each file's identity, findings and
where its tables sit) and, per sheet type, every cached file's rows as one Arrow IPC table. A
file planted in the cache folder cannot run anything when loaded (pickle could); one that does
not load as this format is ignored and the files are read again.

Layout: MAGIC, then the JSON's length (8 bytes, little-endian) and the JSON, then for each sheet
type the JSON names its Arrow stream's length and the stream."""

from __future__ import annotations

import datetime as dt
import io
import json
import struct
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.ipc as ipc

from pipeline.core.issues import Issue
from pipeline.intake.blocks import Block, Table
from pipeline.intake.identify import Identity
from pipeline.intake.worker import FileResult
from schemas.report import REPORT_SHEETS

MAGIC = b"BANGFU-INTAKE-CACHE 1\n"
_MODELS = {model.__name__: model for model in REPORT_SHEETS}
_LENGTH = struct.Struct("<Q")
_MASKED = {pa.int64(): pd.Int64Dtype(), pa.float64(): pd.Float64Dtype()}


class NotACache(ValueError):
    """The file is not a cache this code wrote."""


def dump(results: dict[str, FileResult]) -> bytes:
    """``results`` as the cache file's bytes."""
    spans: dict[str, list[Block]] = {}  # sheet type -> its blocks, in order of first use
    bases: dict[int, int] = {}  # a block (by identity, while this dump holds it) -> its first row in its type's table
    meta: dict[str, Any] = {"results": {sha: _result(r, spans, bases) for sha, r in results.items()}}
    streams = []
    for name, blocks in spans.items():
        frame = pd.concat([b.frame for b in blocks], ignore_index=True) if len(blocks) > 1 else blocks[0].frame
        table = pa.Table.from_pandas(frame, preserve_index=False)
        sink = io.BytesIO()
        with ipc.new_stream(sink, table.schema) as writer:
            writer.write_table(table)
        streams.append((name, {c: str(frame[c].dtype) for c in frame.columns}, sink.getvalue()))
    meta["models"] = [{"name": n, "dtypes": d, "bytes": len(b)} for n, d, b in streams]
    head = json.dumps(meta, ensure_ascii=False).encode()
    return b"".join([MAGIC, _LENGTH.pack(len(head)), head, *(b for _, _, b in streams)])


def _result(r: FileResult, spans: dict[str, list[Block]], bases: dict[int, int]) -> dict[str, Any]:
    tables = {}
    for model, t in r.tables.items():
        block, start, stop = t.piece()
        if id(block) not in bases:
            blocks = spans.setdefault(model.__name__, [])
            bases[id(block)] = sum(len(b) for b in blocks[-1:]) + (bases[id(blocks[-1])] if blocks else 0)
            blocks.append(block)
        base = bases[id(block)]
        tables[model.__name__] = {
            "sheet": t.sheet,
            "columns": t.columns,
            "form_cells": t.form_cells,
            "span": [base + start, base + stop],
        }
    return {
        "file": r.file,
        "kind": r.kind,
        "identity": None if r.identity is None else vars(r.identity),
        "rejection": None if r.rejection is None else _issue(r.rejection),
        "issues": [_issue(i) for i in r.issues],
        "tables": tables,
        "rows_read": r.rows_read,
        "date_filled": r.date_filled.isoformat() if r.date_filled else None,
    }


def _issue(i: Issue) -> dict[str, Any]:
    return {**vars(i), "args": [list(a) for a in i.args]}


def load(data: bytes) -> dict[str, FileResult]:
    """The cache file's results; NotACache for anything this code did not write."""
    if not data.startswith(MAGIC):
        raise NotACache("no cache header")
    at = len(MAGIC)
    (length,) = _LENGTH.unpack_from(data, at)
    at += _LENGTH.size
    meta = json.loads(data[at : at + length])
    at += length
    blocks = {}
    for model in meta["models"]:
        if model["name"] not in _MODELS:
            raise NotACache(f"unknown sheet type {model['name']!r}")
        table = ipc.open_stream(pa.py_buffer(data[at : at + model["bytes"]])).read_all()
        at += model["bytes"]
        blocks[model["name"]] = Block(_frame(table, model["dtypes"]))
    return {sha: _file_result(rec, blocks) for sha, rec in meta["results"].items()}


def _frame(table: pa.Table, dtypes: dict[str, str]) -> pd.DataFrame:
    """The frame as the workers made it: masked numbers, Arrow-backed text, dates as Python dates;
    each column converted by Arrow in one call (a Python object a cell cost twice the time)."""
    data = {}
    for name in table.column_names:
        column, kind = table.column(name), dtypes[name]
        if kind in ("Int64", "Float64"):
            data[name] = column.to_pandas(types_mapper=_MASKED.get).array.astype(kind)
        elif pa.types.is_date(column.type):
            data[name] = pd.array(column.to_pandas(date_as_object=True).to_numpy(dtype=object), dtype=object)
        elif kind != "object" and (pa.types.is_string(column.type) or pa.types.is_large_string(column.type)):
            data[name] = column.to_pandas().array.astype(kind)
        else:
            data[name] = pd.array(np.asarray(column.to_numpy(zero_copy_only=False), dtype=object), dtype=object)
    return pd.DataFrame(data)


def _file_result(rec: dict[str, Any], blocks: dict[str, Block]) -> FileResult:
    tables = {}
    for name, t in rec["tables"].items():
        model = _MODELS[name]
        tables[model] = Table(model, t["sheet"], None, t["columns"], t["form_cells"], blocks[name], tuple(t["span"]))
    identity = rec["identity"]
    filled = rec["date_filled"]
    return FileResult(
        file=rec["file"],
        kind=rec["kind"],
        identity=None if identity is None else Identity(**identity),
        rejection=None if rec["rejection"] is None else _make_issue(rec["rejection"]),
        issues=[_make_issue(i) for i in rec["issues"]],
        tables=tables,
        rows_read=rec["rows_read"],
        date_filled=dt.date.fromisoformat(filled) if filled else None,
    )


def _make_issue(rec: dict[str, Any]) -> Issue:
    return Issue(**{**rec, "args": tuple(tuple(a) for a in rec["args"])})


def read(path: Path) -> dict[str, FileResult]:
    return load(path.read_bytes())
