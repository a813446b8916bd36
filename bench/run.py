"""`make bench`: the intake's cost against the read floor and the naive stack (issue 6).

Measures, on the same N files, read once beforehand so that no measure pays for the disk:
(a) the floor, python-calamine reading every sheet in 2 worker processes and nothing else;
(b) the naive stack on a 200-file sample, per-file pandas.read_excel(engine="openpyxl") plus
per-file pandera validation, per file; (c) `bangfu run` end to end; (d) the same run again
with no file changed; (e) the history store of 3 years x 3 periods of those rows; (f) (c) with
the files read on a local Dask cluster of two workers. Writes
bench/results.json.
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


def history(store_folder: Path, work: Path) -> dict[str, float]:
    """(e) the history store: 3 school years x 3 periods of the N schools' rows (the run's own,
    copied), the time to write one period, to read the 8 earlier ones and add them up to date,
    a year-over-year query over the views, and the size on disk."""
    import os

    from pipeline.counting.once import PAIR
    from pipeline.history.activity import school_medians
    from pipeline.history.period import COUNTED_TABLES
    from pipeline.history.store import TABLES, Store
    from pipeline.workbooks.earlier import cumulative

    source = Store(store_folder)
    code = source.periods()["period"].iloc[0]
    tables = {t: source.read(t, [code]).drop(columns=["run_id"], errors="ignore") for t in TABLES}
    target = work / "history_bench"
    shutil.rmtree(target, ignore_errors=True)
    store = Store.open(target, "bench")
    codes = [f"{2022 + y}-P{p}" for y in range(3) for p in range(1, 4)]
    writes = []
    for i, period in enumerate(codes):
        frames = {t: f.assign(period=period) for t, f in tables.items()}
        frames["periods"] = frames["periods"].assign(start=pd_date(2022 + i // 3, 1 + 4 * (i % 3)))
        start = time.perf_counter()
        store.write_period(period, f"bench{i}", frames)
        writes.append(time.perf_counter() - start)
    current = {name: tables[table] for name, table in COUNTED_TABLES.items()}
    start = time.perf_counter()  # what a run pays: the earlier periods' rows read and added to this one's
    both = cumulative(work / "no-folder", codes[:-1], current, store)
    assert both is not None
    to_date = both["activity"].groupby(PAIR)["participants"].agg(["size", "sum"])
    to_date_s = time.perf_counter() - start
    start = time.perf_counter()  # the outlier check's history: each school's median per type, 8 periods
    medians = school_medians(store, codes[:-1])
    outliers_s = time.perf_counter() - start
    start = time.perf_counter()
    yoy = store.sql(
        "SELECT split_part(period, '-', 1) AS year, activity_type, count(*) AS n, sum(participants) AS visits "
        "FROM activities GROUP BY ALL ORDER BY ALL"
    )
    yoy_s = time.perf_counter() - start
    size = sum(f.stat().st_size for f in target.rglob("*") if f.is_file())
    rows = sum(len(f) for f in both.values())
    print(
        f"(e) history store, 9 periods: write one {sum(writes) / len(writes):.2f} s, "
        f"read 8 earlier ({rows} rows) and total to date {to_date_s:.2f} s, "
        f"schools' own medians for outliers {outliers_s:.2f} s ({len(medians)} school x type), "
        f"year over year {yoy_s:.2f} s, {size / 2**20:.0f} MiB on disk ({len(to_date)} pairs, {len(yoy)} lines)"
    )
    os.sync()
    return {
        "store_write_period_s": round(sum(writes) / len(writes), 3),
        "store_to_date_s": round(to_date_s, 3),
        "store_outlier_history_s": round(outliers_s, 3),
        "store_year_over_year_s": round(yoy_s, 3),
        "store_mib": round(size / 2**20, 1),
    }


def on_cluster(programme_path: Path, inbox: Path, out: Path, n: int, c: float, c_stages: dict) -> dict:
    """(f) the same cold run with the files read on a local Dask cluster of two worker processes
    (the machine's two cores, as the local pool): throughput side by side, and what a batch costs
    more on the cluster (its reading time against the local pool's, over the batches)."""
    from pipeline.intake.cluster import client_for
    from pipeline.intake.worker import BATCH

    start = time.perf_counter()
    with client_for("local:2"):  # what a run pays before its first batch: the cluster's start and stop
        pass
    startup = time.perf_counter() - start
    shutil.rmtree(out, ignore_errors=True)
    f, _, stages = full_run(programme_path, inbox, out, cluster="local:2")
    batches = -(-n // BATCH)
    overhead = (stages["read_all"] - startup - c_stages["read_all"]) / batches
    print(
        f"(f) bangfu run reading on a local Dask cluster of 2 workers, cold: {f:.2f} s, {n / f:.0f} files/s "
        f"(local pool {n / c:.0f} files/s); reading {stages['read_all']:.1f} s against "
        f"{c_stages['read_all']:.1f} s: the cluster's start {startup:.1f} s, then {overhead * 1000:+.0f} ms "
        f"a batch of {BATCH} files ({batches} batches)"
    )
    return {
        "cluster_run_s": round(f, 3),
        "cluster_files_per_s": round(n / f, 1),
        "local_files_per_s": round(n / c, 1),
        "cluster_read_s": round(stages["read_all"], 3),
        "cluster_start_s": round(startup, 3),
        "cluster_overhead_ms_per_batch": round(overhead * 1000, 1),
    }


def pd_date(year: int, month: int):
    import datetime as dt

    return dt.date(year, month, 1)


def peak_rss_mib(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def full_run(programme_path: Path, inbox: Path, out: Path, cluster: str = "") -> tuple[float, dict, dict]:
    from bench.stages import Stages
    from pipeline.app import RunSettings, run

    with Stages() as stages:
        start = time.perf_counter()
        result = run(RunSettings(programme_path, inbox, PERIOD, out, cluster=cluster))
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
    e = history(programme_path.parent / "历史数据库", folder)
    f = on_cluster(programme_path, inbox, folder / "out_cluster", args.n, c, c_stages)
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
        **e,
        **f,
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
