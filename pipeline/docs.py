"""Docs pages generated from the schemas and the catalogue, so they cannot drift from the code."""

from __future__ import annotations

from pathlib import Path

from pipeline.catalogue import FINDINGS
from schemas.model import Column, Kind, Sheet
from schemas.programme import PROGRAMME_SHEETS
from schemas.report import REPORT_SHEETS


def _checks(col: Column) -> str:
    parts = []
    if col.minimum is not None or col.maximum is not None:
        parts.append(f"{col.minimum if col.minimum is not None else ''}–{col.maximum if col.maximum is not None else ''}")
    if col.max_len:
        parts.append(f"≤ {col.max_len} 字")
    if col.fixed:
        parts.append(" / ".join(col.fixed))
    if col.choices:
        parts.append(f"列表 {col.choices}")
    if col.unique:
        parts.append("唯一")
    if col.pattern:
        parts.append(f"`{col.pattern}`")
    return "; ".join(parts)


def _sheet(model: type[Sheet]) -> list[str]:
    lines = [f"### {model.zh} ({model.en})", "", model.purpose_zh, "",
             "| 列 (zh) | column (en) | name | type | required | checks | help |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for col in model.columns:
        kind = col.kind.value if col.kind is not Kind.CHOICE else "choice"
        lines.append(f"| {col.zh} | {col.en} | `{col.name}` | {kind} | {'*' if col.required else ''} | "
                     f"{_checks(col)} | {col.help_zh} |")
    return [*lines, ""]


def columns_page() -> str:
    lines = ["# Columns of every form", "", "Generated from `schemas/` by `make docs`; do not edit by hand.", "",
             "## Programme workbook (项目配置)", ""]
    for model in PROGRAMME_SHEETS:
        lines += _sheet(model)
    lines += ["## School report (结对帮扶工作报表)", ""]
    for model in REPORT_SHEETS:
        lines += _sheet(model)
    return "\n".join(lines)


def findings_page() -> str:
    lines = ["# Finding codes", "", "Generated from `pipeline/catalogue.py` by `make docs`; do not edit by hand.",
             "An error excludes its row and makes the submission 需修改; a warning counts, and a filled 说明 on its",
             "row marks it explained.", "", "| code | severity | 标题 | title | 提示（中文） |", "| --- | --- | --- | --- | --- |"]
    for f in FINDINGS.values():
        lines.append(f"| `{f.code}` | {f.severity} | {f.title_zh} | {f.title_en} | {f.message_zh} |")
    return "\n".join(lines) + "\n"


def write_docs(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    pages = {"columns.md": columns_page(), "findings.md": findings_page()}
    for name, body in pages.items():
        (out / name).write_text(body, encoding="utf-8")
    return [out / name for name in pages]
