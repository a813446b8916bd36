"""Excel cell addresses: column letters and A1 references."""

from __future__ import annotations

import re

_A1 = re.compile(r"^([A-Z]{1,3})([0-9]+)$")


def col_letter(index: int) -> str:
    """0-based column index -> Excel letters (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def col_index(letters: bytes | str) -> int:
    """Excel column letters -> 0-based index."""
    n = 0
    for ch in letters.decode() if isinstance(letters, bytes) else letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def cell_ref(row: int, col: int) -> str:
    """0-based (row, col) -> A1 reference."""
    return f"{col_letter(col)}{row + 1}"


def place_of(ref: str) -> tuple[int, int] | None:
    """A1 reference -> (Excel row number, 0-based column); None for anything else."""
    m = _A1.match(ref)
    return (int(m[2]), col_index(m[1])) if m else None


ROW = "_row"  # Excel row number (1-based) kept beside every parsed record, for findings and evidence
