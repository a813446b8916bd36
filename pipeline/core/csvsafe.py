"""What a spreadsheet would run as a formula, made text: every CSV the project writes (data,
manifest, the mail logs with their attacker-chosen subjects and names) passes its cells here."""

from __future__ import annotations

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: object) -> object:
    """Text that a spreadsheet would run as a formula is prefixed with ' (ASVS 1.2.10); numbers
    stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value
