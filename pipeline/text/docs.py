"""Docs pages generated from the schemas and the catalogue, so they cannot drift from the code."""

from __future__ import annotations

from pathlib import Path

from pipeline.text import FINDINGS
from schemas.model import Column, Kind, Sheet
from schemas.programme import PROGRAMME_SHEETS
from schemas.report import REPORT_SHEETS
from schemas.rubric import DEFAULT_RUBRIC, FILTERS, METRICS, Indicator


def _checks(col: Column) -> str:
    parts = []
    if col.minimum is not None or col.maximum is not None:
        parts.append(
            f"{col.minimum if col.minimum is not None else ''}–{col.maximum if col.maximum is not None else ''}"
        )
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
    lines = [
        f"### {model.zh} ({model.en})",
        "",
        model.purpose_zh,
        "",
        "| 列 (zh) | column (en) | name | type | required | checks | help |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for col in model.columns:
        kind = col.kind.value if col.kind is not Kind.CHOICE else "choice"
        lines.append(
            f"| {col.zh} | {col.en} | `{col.name}` | {kind} | {'*' if col.required else ''} | "
            f"{_checks(col)} | {col.help_zh} |"
        )
    return [*lines, ""]


def columns_page() -> str:
    lines = [
        "# Columns of every form",
        "",
        "Generated from `schemas/` by `make docs`; do not edit by hand.",
        "",
        "## Programme workbook (项目配置)",
        "",
    ]
    for model in PROGRAMME_SHEETS:
        lines += _sheet(model)
    lines += ["## School report (结对帮扶工作报表)", ""]
    for model in REPORT_SHEETS:
        lines += _sheet(model)
    return "\n".join(lines)


def findings_page() -> str:
    lines = [
        "# Finding codes",
        "",
        "Generated from `pipeline/text/findings.py` by `make docs`; do not edit by hand.",
        "An error excludes its row and makes the submission 需修改; a warning counts, and a filled 说明 on its",
        "row marks it explained.",
        "",
        "| code | severity | 标题 | title | 提示（中文） |",
        "| --- | --- | --- | --- | --- |",
    ]
    for f in FINDINGS.values():
        lines.append(f"| `{f.code}` | {f.severity} | {f.title_zh} | {f.title_en} | {f.message_zh} |")
    return "\n".join(lines) + "\n"


def metrics_page() -> str:
    lines = [
        "# Assessment metrics (考核细则 · 度量)",
        "",
        "Generated from `schemas/rubric.py` by `make docs`; do not edit by hand. The 度量 column of the",
        "programme's 考核细则 sheet names one of these; 筛选 narrows it (`名称=值、值；名称=值`);",
        "适用对象 says whose work is measured. Scoring: 按比例 = points × value ÷ target (capped);",
        "达标 = all or nothing; 扣分 = points − 每单位扣分 × units short (not below 0). For a metric where",
        "less is better the target is the most allowed and 按比例 cannot be used.",
        "",
        "| 度量 | metric | unit | 适用对象 | 筛选 | better | how it is measured | 说明 |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for m in METRICS.values():
        filters = "、".join(FILTERS[k].zh for k in m.filters) or "-"
        lines.append(
            f"| {m.zh} | {m.en} (`{m.key}`) | {m.unit_zh} | {'、'.join(m.objects)} | {filters} | {m.better} | "
            f"{m.help_en} | {m.help_zh} |"
        )
    lines += ["", "## Filters (筛选)", "", "| 名称 | name | values |", "| --- | --- | --- |"]
    for f in FILTERS.values():
        values = " / ".join(f.fixed) if f.fixed else f"the programme's 选项 list {f.choices}"
        lines.append(f"| {f.zh} | {f.en} | {values} |")
    lines += [
        "",
        "## The default rubric",
        "",
        "Shipped in the blank programme workbook (sums to 100):",
        "",
        "| 指标编号 | 指标名称 | 适用对象 | 度量 | 筛选 | 目标值 | 分值 | 计分方式 | 每单位扣分 | 一票否决 |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for rule in DEFAULT_RUBRIC:
        cells = [rule[c.name] for c in Indicator.columns if c.name != Indicator.note.name]
        lines.append(
            "| " + " | ".join("" if v is None else f"{v:g}" if isinstance(v, float) else str(v) for v in cells) + " |"
        )
    return "\n".join(lines) + "\n"


def write_docs(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    pages = {"columns.md": columns_page(), "findings.md": findings_page(), "metrics.md": metrics_page()}
    for name, body in pages.items():
        (out / name).write_text(body, encoding="utf-8")
    return [out / name for name in pages]
