"""The finding codes are one registry: every code the source raises is in it, every code in it
is raised somewhere, and a code missing from it fails at once instead of reaching a school."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from pipeline.core.issues import make
from pipeline.text.findings import ERROR, FINDINGS, FindingCode, _registry

PIPELINE = Path(__file__).parent.parent / "pipeline"
TAKES_A_CODE = {"make", "Rejected", "CellError", "issue"}  # callables whose first argument is a finding code


def _codes_in_source() -> tuple[set[str], set[str]]:
    """The first string argument of every call that takes a code, and every string literal."""
    called, literals = set(), set()
    for path in PIPELINE.rglob("*.py"):
        if path.name == "findings.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                literals.add(node.value)
            if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
                name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                if name in TAKES_A_CODE and isinstance(node.args[0].value, str):
                    called.add(node.args[0].value)
    return called, literals


def test_every_code_the_source_raises_is_in_the_registry_and_every_registered_code_is_raised():
    called, literals = _codes_in_source()
    assert len(called) > 50  # the scan sees the calls
    assert sorted(called - set(FINDINGS)) == []
    assert sorted(set(FINDINGS) - literals) == []


def test_an_unknown_code_fails_where_it_is_made():
    with pytest.raises(ValueError, match="no-such-code"):
        make("no-such-code", file="a.xlsx")


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        (FindingCode("Not_Kebab", ERROR, "t", "t", "m", "m"), "kebab-case"),
        (FindingCode("late", "fatal", "t", "t", "m", "m"), "severity"),
        (FindingCode("late", ERROR, "t", "t", "{value} 迟交", "late"), "different facts"),
    ],
)
def test_the_registry_refuses_a_bad_entry_when_it_is_imported(entry, problem):
    with pytest.raises(ValueError, match=problem):
        _registry((entry,))


def test_a_code_registered_twice_is_refused():
    entry = FindingCode("late", ERROR, "t", "t", "m", "m")
    with pytest.raises(ValueError, match="twice"):
        _registry((entry, entry))
