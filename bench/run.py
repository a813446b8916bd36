"""`make bench`: the intake's cost against the read floor and the naive stack (issue 6).

Measures, on the same N files, read once beforehand so that no measure pays for the disk:
(a) the floor, python-calamine reading every sheet in 2 worker processes and nothing else;
(b) the naive stack on a 200-file sample, per-file pandas.read_excel(engine="openpyxl") plus
per-file pandera validation, per file; (c) `bangfu run` end to end; (d) the same run again
with no file changed. Writes bench/results.json.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing as mp
import resource
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))

from bench.generate import PERIOD, generate  # noqa: E402


def _read_batch(paths: list[str]) -> int:
    from python_calamine import CalamineWorkbook

    cells = 0
    for path in paths:
        with open(path, "rb") as fh:
            book = CalamineWorkbook.from_filelike(fh)
            for name in book.sheet_names:
                cells += len(book.get_sheet_by_name(name).to_python())
    return cells


def floor(paths: list[Path]) -> float:
    batches = [[str(p) for p in paths[i : i + 50]] for i in range(0, len(paths), 50)]
    start = time.perf_counter()
    with mp.get_context("fork").Pool(2) as pool:
        sum(pool.map(_read_batch, batches))
    return time.perf_counter() - start


def naive(paths: list[Path], programme) -> float:
    """Per file: pandas.read_excel(openpyxl) of every sheet, then pandera per sheet."""
    import pandas as pd

    from pipeline.checks.validate import build_schema
    from schemas.report import DATA_SHEETS

    schemas = {m.zh: build_schema(m, programme.choices)[0] for m in DATA_SHEETS}
    start = time.perf_counter()
    for path in paths:
        sheets = pd.read_excel(path, sheet_name=None, engine="openpyxl")
        for model in DATA_SHEETS:
            frame = sheets[model.zh].rename(columns={c.zh: c.name for c in model.columns}).dropna(how="all")
            with contextlib.suppress(Exception):  # the naive stack's findings are expected here
                schemas[model.zh].validate(frame, lazy=True)
    return (time.perf_counter() - start) / len(paths)


def peak_rss_mib(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def full_run(programme_path: Path, inbox: Path, out: Path) -> tuple[float, dict, dict]:
    from bench.stages import Stages
    from pipeline.app import RunSettings, run

    with Stages() as stages:
        start = time.perf_counter()
        result = run(RunSettings(programme_path, inbox, PERIOD, out))
        seconds = time.perf_counter() - start
    for name, took in stages.report().items():
        print(f"    {name:<28} {took:8.2f} s   parent peak RSS so far {stages.rss_mib[name]:6.0f} MiB")
    return seconds, result.summary["headline"], stages.report()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--work", type=Path, default=ROOT / "work")
    args = parser.parse_args()
    folder = args.work / f"n{args.n}"
    t = time.perf_counter()
    programme_path, inbox = generate(args.n, folder)
    print(f"inputs: {args.n} files in {inbox} ({time.perf_counter() - t:.1f} s to make or find)")
    paths = sorted(inbox.iterdir())
    t = time.perf_counter()
    size = sum(len(p.read_bytes()) for p in paths)  # every measure below reads from memory, not disk
    print(f"warm-up: {size / 2**20:.0f} MiB read once ({time.perf_counter() - t:.1f} s, not counted)")
    from pipeline.app import load_programme

    programme = load_programme(programme_path).programme
    a = floor(paths)
    print(f"(a) floor, calamine in 2 processes: {a:.2f} s, {args.n / a:.0f} files/s")
    b = naive(paths[:200], programme)
    print(f"(b) naive stack: {b * 1000:.1f} ms/file -> {b * args.n:.1f} s for {args.n} files")
    out = folder / "out"
    shutil.rmtree(out, ignore_errors=True)
    c, head, c_stages = full_run(programme_path, inbox, out)
    print(f"(c) bangfu run, cold: {c:.2f} s, {args.n / c:.0f} files/s ({head['activities']} activities counted)")
    d, _, d_stages = full_run(programme_path, inbox, out)
    print(f"(d) bangfu run, nothing changed: {d:.2f} s")
    results = {
        "n": args.n,
        "floor_s": round(a, 3),
        "naive_ms_per_file": round(b * 1000, 2),
        "run_s": round(c, 3),
        "rerun_s": round(d, 3),
        "ratio_run_to_floor": round(c / a, 2),
        "ratio_naive_to_run_per_file": round(b * args.n / c, 2),
        "ratio_rerun_to_run": round(d / c, 3),
        "peak_rss_parent_mib": round(peak_rss_mib(resource.RUSAGE_SELF)),
        "peak_rss_workers_mib": round(peak_rss_mib(resource.RUSAGE_CHILDREN)),
        "stages_run_s": c_stages,
        "stages_rerun_s": d_stages,
    }
    print(
        f"ratios: (c)/(a) = {results['ratio_run_to_floor']}  (b)/(c) = {results['ratio_naive_to_run_per_file']}"
        f"  (d)/(c) = {results['ratio_rerun_to_run']}"
    )
    print(
        f"peak RSS: parent {results['peak_rss_parent_mib']} MiB, largest worker {results['peak_rss_workers_mib']} MiB"
    )
    target = ROOT / "results.json"
    previous = json.loads(target.read_text()) if target.exists() else {}
    previous[str(args.n)] = results
    target.write_text(json.dumps(previous, indent=2, sort_keys=True) + "\n")
    print(f"written to {target}")


if __name__ == "__main__":
    main()
