"""Every check on an untrusted file before any spreadsheet parser sees it, on one read of the
file and one open of its zip: sniffing (sniff.py), the container (zipscan.py), every sheet
(sheetscan.py). docs/architecture.md lists the hostile files each check stops.

Each check raises ``Rejected`` with a finding code and the facts for its message."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from defusedxml import ElementTree

from pipeline.intake.sheetscan import scan_sheet
from pipeline.intake.sniff import DEFAULT_LIMITS, MB, Limits, Rejected, sniff_head, sniff_zip
from pipeline.intake.zipscan import (
    check_entries,
    check_ods_encryption,
    check_shared_strings,
    percent_styles,
    read_head,
    sheet_parts,
)


@dataclass
class Scan:
    """What the pre-parse scan learned about a workbook."""

    kind: str  # xlsx, xlsm, xls, ods
    sheet_parts: dict[str, str] = field(default_factory=dict)  # sheet name -> zip part
    bad_cells: dict[str, dict[tuple[int, int], str]] = field(default_factory=dict)  # sheet -> (r, c) -> code
    hidden_rows: dict[str, set[int]] = field(default_factory=dict)  # sheet -> 0-based rows
    percent_cells: dict[str, set[tuple[int, int]]] = field(default_factory=dict)  # sheet -> numbers shown as %
    warnings: list[tuple[str, dict[str, str]]] = field(default_factory=list)


def inspect(path: Path, limits: Limits = DEFAULT_LIMITS) -> tuple[Scan, bytes]:
    """Every check that runs before a parser, on one read of the file and one open of its zip:
    what the file really is, then for a zip the bomb guard, encryption, and the XML scan.
    Returns what was learned and the file's bytes (at most ``limits.file_size``)."""
    size = path.stat().st_size
    if size == 0:
        raise Rejected("file-empty")
    if size > limits.file_size:
        raise Rejected("file-too-large", size_mb=size // MB, limit_mb=limits.file_size // MB)
    data = path.read_bytes()[: limits.file_size]
    if not data.startswith(b"PK"):
        return Scan(sniff_head(data)), data
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise Rejected("zip-truncated") from exc
    with zf:
        kind = sniff_zip(zf)
        check_entries(zf.infolist(), limits)
        if kind == "ods":
            check_ods_encryption(zf)
            return Scan(kind), data
        return _scan_xlsx(zf, data, kind, limits), data


_WORKBOOK_PARTS = ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")


def _scan_xlsx(zf: zipfile.ZipFile, data: bytes, kind: str, limits: Limits) -> Scan:
    """DTD/entity check of every XML part, then one streaming pass over each worksheet, which
    checks its own head on the way: no part is opened twice."""
    scan = Scan(kind)
    names = zf.namelist()
    xml = [n for n in names if n.endswith((".xml", ".rels", ".vml"))]
    heads = {name: read_head(zf, data, name) for name in xml if name in _WORKBOOK_PARTS}  # parsed next: checked first
    if any(n.startswith("xl/macrosheets/") for n in names):
        raise Rejected("macro-sheet")
    if kind == "xlsm":
        scan.warnings.append(("macros-ignored", {}))
    if any(n.startswith("xl/externalLinks/") for n in names):
        scan.warnings.append(("external-links-ignored", {}))
    try:
        scan.sheet_parts = sheet_parts(zf, heads)
    except (KeyError, ElementTree.ParseError) as exc:
        raise Rejected("not-a-workbook", detail=type(exc).__name__) from exc
    scanned = set(scan.sheet_parts.values())
    percent: frozenset[int] = frozenset()
    for name in xml:
        if name not in scanned and name not in _WORKBOOK_PARTS:
            head = read_head(zf, data, name)
            if name.lower() == "xl/sharedstrings.xml":
                check_shared_strings(zf, name, head)
            elif name.lower() == "xl/styles.xml":
                percent = percent_styles(zf, name, head)
    for sheet, part in scan.sheet_parts.items():
        if part in names:
            scan.bad_cells[sheet], scan.hidden_rows[sheet], scan.percent_cells[sheet] = scan_sheet(
                zf, data, part, sheet, limits, percent
            )
    return scan
