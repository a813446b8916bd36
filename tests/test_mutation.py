"""No single file stops or hangs a run: real reports with bytes flipped, cut short, and odd values
in every column of every sheet, run through the installed bangfu together. Every file is listed
once, the run exits 0, and no traceback reaches the terminal."""

from __future__ import annotations

import csv
import random
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl

from schemas.report import DATA_SHEETS, SchoolInfo
from tests.reports import submit_all

BANGFU = shutil.which("bangfu") or str(Path(sys.executable).parent / "bangfu")
ODD = [
    "长" * 33000,
    10**25,
    -1,
    "=cmd|'/c calc'!A0",
    "\u202e控制\u200b",
    1e308,
    "  ",
    "１２３４５６７８９０" * 3,
    "2024-02-30",
    "_x0001_控_x000B_制_x001F_",  # Excel's escape of control characters XML 1.0 cannot hold
    float("inf"),
    float("nan"),
]


def _mutants(source: Path, folder: Path) -> list[Path]:
    data = source.read_bytes()
    rng = random.Random(2024)
    made = []
    for n in range(8):  # one byte flipped somewhere
        flipped = bytearray(data)
        at = rng.randrange(len(data))
        flipped[at] ^= 0xFF
        made.append(folder / f"flip{n}.xlsx")
        made[-1].write_bytes(bytes(flipped))
    for fraction in (0.1, 0.5, 0.9, 0.999):  # cut short
        made.append(folder / f"cut{fraction}.xlsx")
        made[-1].write_bytes(data[: int(len(data) * fraction)])
    made.append(_raw_control_characters(source, folder / "raw_controls.xlsx"))
    values = iter(ODD * 20)
    for model in (SchoolInfo, *DATA_SHEETS):
        cells = [f"B{3 + i}" for i in range(len(model.columns))] if model is SchoolInfo else [
            f"{chr(65 + c)}2" for c in range(len(model.columns))]  # fmt: skip
        for ref in cells:
            mutant = openpyxl.load_workbook(source)
            mutant[model.zh][ref] = next(values)
            made.append(folder / f"odd_{model.en}_{ref}.xlsx")
            mutant.save(made[-1])
    return made


def _raw_control_characters(source: Path, target: Path) -> Path:
    """Control characters written raw into sharedStrings, as no office suite would but a script may."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "xl/sharedStrings.xml":
                data = data.replace(b"<t>", b"<t>\x01\x0b\x1f", 5)
            zout.writestr(item, data)
    return target


def test_every_mutant_is_a_finding_or_a_refusal_and_the_run_goes_on(tmp_path, programme_file):
    inbox = tmp_path / "inbox"
    files = submit_all(inbox, programme_file)
    mutants = _mutants(files[0], inbox)
    assert len(mutants) > 50
    done = subprocess.run(
        [BANGFU, "run", "--programme", str(programme_file), "--inbox", str(inbox), "--period", "2024秋",
         "--out", str(tmp_path / "out")],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Traceback" not in done.stdout + done.stderr
    with (tmp_path / "out" / "2024秋" / "manifest.csv").open(encoding="utf-8-sig") as fh:
        listed = [row["路径"] for row in csv.DictReader(fh)]
    assert sorted(listed) == sorted(p.name for p in inbox.iterdir())  # every file exactly once
    assert (tmp_path / "out" / "2024秋" / "汇总报表_2024秋.xlsx").exists()
