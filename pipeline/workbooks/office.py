"""LibreOffice in headless mode: format conversions for the demo and for checks as a person would."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

TIMEOUT_S = 180


def soffice() -> str | None:
    """The LibreOffice executable, or None where it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(path: Path, target: str, out_dir: Path) -> Path:
    """Convert ``path`` to ``target`` ("xls", "pdf", "xlsx") in ``out_dir`` and return the new file.

    A private profile directory keeps parallel runs from fighting over one user profile.
    """
    exe = soffice()
    if exe is None:
        raise FileNotFoundError("LibreOffice (soffice) is not installed")
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bangfu-lo-") as profile:
        subprocess.run(
            [
                exe,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--norestore",
                "--convert-to",
                target,
                "--outdir",
                str(out_dir),
                str(path),
            ],
            check=True,
            capture_output=True,
            timeout=TIMEOUT_S,
        )
    result = out_dir / f"{path.stem}.{target.split(':')[0]}"
    if not result.is_file():
        raise FileNotFoundError(f"LibreOffice did not write {result}")
    return result
