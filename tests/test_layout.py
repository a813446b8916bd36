"""The house's shape: a package per stage named in the README, small modules and functions, and a
repository that documents itself (nothing cites a file outside it)."""

from __future__ import annotations

import ast
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).parent.parent
PIPELINE = ROOT / "pipeline"
# Declarative data, not logic: the catalogue's sentences and the rubric's metric table.
DECLARATIVE = {"pipeline/text/findings.py", "pipeline/text/texts.py", "schemas/rubric.py"}
MAX_MODULE, MAX_FUNCTION = 400, 60


def _sources() -> list[Path]:
    return sorted([*PIPELINE.rglob("*.py"), *(ROOT / "schemas").rglob("*.py")])


def test_no_module_over_400_lines_and_no_function_over_60():
    too_long = []
    for path in _sources():
        rel = path.relative_to(ROOT).as_posix()
        if rel in DECLARATIVE:
            continue
        source = path.read_text(encoding="utf-8")
        if source.count("\n") > MAX_MODULE:
            too_long.append(f"{rel}: {source.count(chr(10))} lines")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION:
                    too_long.append(f"{rel}:{node.lineno} {node.name}: {length} lines")
    assert too_long == []


def _readme_layout() -> dict[str, str]:
    """The README's layout block: each package of pipeline/ with its line."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Layout", 1)[1].split("```", 2)[1]
    return dict(re.findall(r"^  (\w+)/\s+(.+)$", block, re.M))


def test_the_readme_layout_names_every_stage_package_and_no_other():
    packages = {p.parent.name for p in PIPELINE.glob("*/__init__.py")}
    assert set(_readme_layout()) == packages


def test_every_module_says_its_job_in_its_first_line():
    silent = [
        p.relative_to(ROOT).as_posix() for p in _sources() if ast.get_docstring(ast.parse(p.read_text("utf-8"))) is None
    ]
    assert silent == []


def test_nothing_in_the_repository_cites_a_document_outside_it():
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    outside = re.compile(r"\.\./shared|\b(?:FORMS|DOMAIN|BAD_INPUTS|PERFORMANCE|STYLE)\.md")
    citing = []
    for name in files:
        path = ROOT / name
        readable = path.suffix in {".py", ".md", ".toml", ".txt", ""} and path.is_file()
        if readable and outside.search(path.read_text(encoding="utf-8", errors="replace")):
            citing.append(name)
    assert citing == []
