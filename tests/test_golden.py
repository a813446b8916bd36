"""Golden text dumps of every workbook the project writes, and byte-identical reruns.

Each dump is checked twice: written by the xlsx engine, and through plain xlsxwriter
(BANGFU_PLAIN_XLSX=1): the two must give the same cells, formats, validations and comments.
Update on purpose with `make golden` (BANGFU_UPDATE_GOLDEN=1), then read the diff.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from pipeline.app import write_templates
from pipeline.forms.templates import BLANK_NAMES, write_programme_workbook
from pipeline.xlsx.plain import SWITCH, plain
from tests.conftest import small_programme_rows
from tests.workbook_dump import dump

GOLDEN = Path(__file__).parent / "golden"
ENGINES = ["engine", "plain"]
TEMPLATES = Path(__file__).parent.parent / "input_templates"
UPDATE = os.environ.get("BANGFU_UPDATE_GOLDEN") == "1"


def check_golden(name: str, workbook: Path, summarise: tuple[str, ...] = (), mask_hashes: bool = False) -> None:
    text = re.sub(r"(运行编号：|run id: )[0-9a-f]{16}", r"\1<run id>", dump(workbook, summarise))  # inputs' digest
    text = re.sub(r"导出日期：\d+年\d+月\d+日", "导出日期：<today>", text)
    if mask_hashes:  # LibreOffice stamps the time inside the demo's .xls, so its sha256 changes per run
        text = re.sub(r"'[0-9a-f]{64}'", "'<sha256>'", text)
    golden = GOLDEN / f"{name}.txt"
    if UPDATE and not plain():  # the engine writes the goldens; plain xlsxwriter must agree with them
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), f"no golden file {golden.name}: run `make golden`"
    assert text == golden.read_text(encoding="utf-8"), f"{workbook.name} differs from {golden.name}"


def use(engine: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Write what follows through the xlsx engine, or through plain xlsxwriter."""
    monkeypatch.setenv(SWITCH, "1" if engine == "plain" else "0")


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_blank_templates_match_golden(tmp_path, lang, engine, monkeypatch):
    use(engine, monkeypatch)
    programme, report = write_templates(None, None, tmp_path, lang)
    check_golden(f"blank_programme_{lang}", programme)
    check_golden(f"blank_report_{lang}", report)


@pytest.mark.parametrize("engine", ENGINES)
def test_personalised_template_matches_golden(tmp_path, engine, monkeypatch):
    use(engine, monkeypatch)
    programme = write_programme_workbook(tmp_path / "programme.xlsx", "zh", small_programme_rows())
    check_golden("programme_small", programme)
    reports = write_templates(programme, "2024秋", tmp_path / "out")
    check_golden("report_003_2024秋", reports[2])


def test_two_runs_give_byte_identical_workbooks(tmp_path):
    programme = write_programme_workbook(tmp_path / "programme.xlsx", "zh", small_programme_rows())
    first = write_templates(programme, "2024秋", tmp_path / "a")
    second = write_templates(programme, "2024秋", tmp_path / "b")
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    blank_a, blank_b = write_templates(None, None, tmp_path / "c"), write_templates(None, None, tmp_path / "d")
    assert [p.read_bytes() for p in blank_a] == [p.read_bytes() for p in blank_b]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_committed_input_templates_are_current(tmp_path, lang):
    """input_templates/ is what analysts download; `make templates` refreshes it."""
    fresh = write_templates(None, None, tmp_path, lang)
    for path, name in zip(fresh, BLANK_NAMES[lang], strict=True):
        committed = TEMPLATES / name
        assert committed.exists() and committed.read_bytes() == path.read_bytes(), (
            f"input_templates/{name} is stale against the schemas: run `make templates`"
        )


def _intake(tmp_path, programme_file, out_name, engine="engine", monkeypatch=None):
    """Two schools' reports (made by the engine, so that their sizes and hashes are the goldens'),
    then the intake with ``engine``."""
    from pipeline.app import CheckSettings, check
    from schemas.report import Activity
    from tests.reports import rows_for, submit

    inbox = tmp_path / "inbox"
    if not inbox.exists():
        rows = rows_for("001")
        rows[Activity][0][Activity.participants.name] = "十二"
        submit(inbox, programme_file, "001", rows=rows)
        submit(inbox, programme_file, "002")
    if monkeypatch is not None:
        use(engine, monkeypatch)
    return check(CheckSettings(programme_file, inbox, "2024秋", tmp_path / out_name))


@pytest.mark.parametrize("engine", ENGINES)
def test_validation_report_and_feedback_match_golden(tmp_path, programme_file, engine, monkeypatch):
    result = _intake(tmp_path, programme_file, "out", engine, monkeypatch)
    check_golden("check_report_2024秋", result.report)
    check_golden("feedback_001", result.out / "反馈" / "001_城南小学.xlsx")


def test_intake_outputs_are_byte_identical_on_rerun(tmp_path, programme_file):
    first = _intake(tmp_path, programme_file, "a").out
    second = _intake(tmp_path, programme_file, "b").out

    def outputs(folder: Path) -> list[Path]:
        """What users read: not .cache/ (the pipeline's own state), nor run.json (when it ran)."""
        return sorted(
            p.relative_to(folder)
            for p in folder.rglob("*")
            if p.is_file() and ".cache" not in p.parts and p.name != "run.json"
        )

    files = outputs(first)
    assert files == outputs(second)
    assert all((first / f).read_bytes() == (second / f).read_bytes() for f in files)


def test_committed_docs_are_current(tmp_path):
    from pipeline.text.docs import write_docs

    for path in write_docs(tmp_path):
        committed = Path(__file__).parent.parent / "docs" / path.name
        assert committed.read_text(encoding="utf-8") == path.read_text(encoding="utf-8"), (
            f"docs/{path.name} is stale: run `make docs`"
        )


@pytest.mark.parametrize("engine", ENGINES)
def test_demo_consolidated_workbook_matches_golden_and_ignores_file_order(demo, tmp_path, monkeypatch, engine):
    from pipeline.app import RunSettings, run
    from pipeline.intake import inbox as intake

    use(engine, monkeypatch)
    settings = RunSettings(demo.programme, demo.inbox, "2024学年", tmp_path / "a")
    result = run(settings)
    first = result.workbook
    check_golden("demo_consolidated_2024学年", first, summarise=("明细_", "评分依据"), mask_hashes=True)
    check_golden("demo_assessment_2024学年", result.assessment)
    annexes = result.workbook.parent
    check_golden("demo_detail_2024学年", annexes / "明细_2024学年.xlsx", summarise=("明细_",), mask_hashes=True)
    check_golden("demo_evidence_2024学年", annexes / "评分依据_2024学年.xlsx", summarise=("评分依据",))
    from pipeline.app import history

    store = history.open_history(None, demo.programme)
    exported = history.export(store, "2024学年", None, tmp_path / "history.xlsx", "zh")[0][0]
    check_golden(
        "demo_history_2024学年",
        exported,
        summarise=("交流活动", "经费物资", "问题清单", "报送情况", "人员交流", "成绩比较"),
    )
    original = intake.discover
    monkeypatch.setattr(intake, "discover", lambda inbox: list(reversed(original(inbox))))
    second = run(RunSettings(demo.programme, demo.inbox, "2024学年", tmp_path / "b")).workbook
    assert first.read_bytes() == second.read_bytes()
