"""National-scale benchmark: the pipeline against DuckDB's own floor, stage by stage.

    python benchmarks/national.py --units 25      # 1/100 of the national preset
    python benchmarks/national.py --units 248     # 1/10
    python benchmarks/national.py --units 2477    # the whole preset (about 23 M rows, 1 GB of CSV in 320,000 files)

Steps, in one run: generate the preset's exports (reused when already there), then
  (a) the floor: DuckDB alone reads the same CSV files into tables (read_csv over the files, no checks);
  (b) the pipeline's full ingest (read, validate, load, current state), stage by stage;
  (c) indicators for one year over all units;  (d) the 2012-2025 trend table.
Prints each time, rows per second, peak RSS and the ratio (b)/(a).  Nothing here is asserted: the
figures go into the issue notes with the machine they were measured on.
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing as mp
import os
import platform
import resource
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.contract import TABLES
from pipeline.indicators import registry
from pipeline.jobs.ingest import IngestOptions, ingest
from pipeline.jobs.progress import Progress
from pipeline.synth.national import N_UNITS, NationalOptions, write_national
from pipeline.synth.writer import Dialect
from pipeline.warehouse.connection import connect


def peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def export_paths(root: Path) -> list[Path]:
    """Every export, unit by unit and year by year (the order a ministry would load them)."""
    return sorted(p for unit in sorted(root.iterdir()) if unit.is_dir() for p in sorted(unit.iterdir()))


def floor(root: Path, db: Path) -> tuple[float, int, float, float]:
    """DuckDB alone: read_csv of every table's files into a table.  Runs in a child process, so that
    its memory is measured apart from the pipeline's; returns seconds, rows, the child's peak RSS and the CPU
    seconds it used (all its threads)."""
    with mp.get_context("spawn").Pool(1) as pool:
        return pool.apply(_floor, (root, db))


def _floor(root: Path, db: Path) -> tuple[float, int, float, float]:
    import duckdb

    db.unlink(missing_ok=True)
    con = duckdb.connect(str(db))
    con.execute("SET enable_progress_bar = false")
    started, cpu = time.perf_counter(), time.process_time()
    rows = 0
    paths = export_paths(root)
    for table in ("metadane", *TABLES):
        files = [str(p / f"{table}.csv") for p in paths if (p / f"{table}.csv").exists()]
        con.execute(f"CREATE TABLE {table} AS SELECT * FROM read_csv($files, delim=';', header=true, all_varchar=true, "
                    "union_by_name=false)", {"files": files})
        rows += con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    con.close()
    return elapsed, rows, peak_rss_mb(), cpu


def generator_sources() -> list[Path]:
    """The files the exports depend on: the generator package (with its writer) and the contract.  Globbed, not
    named one by one, so that a module moved or renamed cannot break the benchmark again."""
    return sorted([*(ROOT / "pipeline" / "synth").glob("*.py"), ROOT / "pipeline" / "contract.py"])


def generator_fingerprint(options: NationalOptions) -> str:
    """What the exports were made with: the generator's source, the fraction, the seed and the dialect."""
    h = hashlib.sha256(f"{options.units} {options.seed} {options.dialect}".encode())
    for source in generator_sources():
        h.update(source.read_bytes())
    return h.hexdigest()


class StepBar:
    """A step's progress bar on stderr, on a terminal only (`pipeline.jobs.progress`), made at the first report,
    when the total is known; use as the generator's `progress(done, total)`."""

    def __init__(self, what: str) -> None:
        self.what = what
        self.bar: Progress | None = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = Progress(total, self.what)
        self.bar.advance(done - self.bar.done)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def ensure_exports(folder: Path, options: NationalOptions, fresh: bool, reuse: bool = False) -> None:
    """Generate the exports unless the folder holds them from this very generator (a changed generator regenerates;
    `reuse` keeps whatever a previous run generated, so that two versions of the code are timed on the same files)."""
    marker = folder / ".generator"
    fingerprint = generator_fingerprint(options)
    if folder.exists() and not fresh and marker.exists() and (reuse or marker.read_text() == fingerprint):
        if marker.read_text() != fingerprint:
            print("exports    reused as they are (made by another version of the generator: --reuse)")
        return
    if folder.exists():
        shutil.rmtree(folder)
    started = time.perf_counter()
    bar = StepBar("jednostek")
    try:
        rows = write_national(options, bar)
    finally:
        bar.close()
    marker.write_text(fingerprint)
    dialect = options.dialect
    print(f"generate   {time.perf_counter() - started:9.1f} s   {rows:>12,} rows   ({dialect.container}, {dialect.encoding})")


def load_average() -> str:
    """The machine's load average over 1, 5 and 15 minutes (others' work on a shared machine slows every figure)."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def preset_name(units: int) -> str:
    """How the README's table names a size: a fraction of the preset, or the number of units."""
    return {25: "1/100", 248: "1/10", N_UNITS: "full"}.get(units, f"{units} units")


def markdown_rows(units: int, exports: int, files: int, rows: int, floor_s: float, ingest_s: float,
                  stages: dict[str, float], year_s: float, trend_s: float, rss_mb: float) -> list[str]:
    """The run as rows of the tables in benchmarks/README.md (the totals, then the stages of (b))."""
    stage = " | ".join(f"{stages.get(s, 0.0):.1f}" for s in STAGES)
    return [
        f"| {preset_name(units)} | {exports:,} ({files:,}) | {rows / 1e6:.2f} M | {floor_s:.1f} s | {ingest_s:.1f} s | "
        f"{ingest_s / floor_s:.2f} | {year_s:.2f} s | {trend_s:.2f} s | {rss_mb / 1024:.1f} GB |",
        f"| {preset_name(units)} | {stage} |",
    ]


STAGES = ("hash", "read", "check", "load", "current state")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--units", type=int, default=25)
    parser.add_argument("--work", default=str(ROOT / "benchmarks" / "work"), help="folder for exports and warehouses")
    parser.add_argument("--year", type=int, default=2024)
    parser.add_argument("--fresh", action="store_true", help="regenerate the exports even if present")
    parser.add_argument("--reuse", action="store_true",
                        help="use the exports already generated even if the generator changed since (before/after runs)")
    parser.add_argument("--zip", action="store_true",
                        help="ingest the exports as .zip archives in Windows-1250 (the floor still reads the CSV folders)")
    args = parser.parse_args()
    work = Path(args.work) / f"units_{args.units}"
    exports = work / "exports"
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, "
          f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB; python {platform.python_version()}")
    ensure_exports(exports, NationalOptions(exports, args.units), args.fresh, args.reuse)
    paths = export_paths(exports)
    size = sum(f.stat().st_size for f in exports.rglob("*.csv"))
    print(f"exports    {len(paths):>11,}   {size / 2**20:,.0f} MiB of CSV")
    ingested = work / "exports_zip" if args.zip else exports
    if args.zip:
        ensure_exports(ingested, NationalOptions(ingested, args.units, dialect=Dialect("zip", "windows-1250")), args.fresh, args.reuse)

    print(f"load       {load_average()}   (the machine's load average before (a))")
    floor_s, floor_rows, floor_rss, floor_cpu = floor(exports, work / "floor.duckdb")
    print(f"(a) floor  {floor_s:9.1f} s   {floor_rows:>12,} rows   {floor_rows / floor_s:>12,.0f} rows/s   "
          f"peak RSS {floor_rss:,.0f} MiB (own process)")

    db = work / ("pipeline_zip.duckdb" if args.zip else "pipeline.duckdb")
    db.unlink(missing_ok=True)
    ingested_paths = export_paths(ingested)
    with Progress(len(ingested_paths), "eksportów") as bar:  # a bar on a terminal; nothing in a log
        options = IngestOptions(db=db, reports=None, on_stage=bar.stage)
        started, cpu = time.perf_counter(), time.process_time()
        results = ingest(ingested_paths, options,
                         on_result=lambda r: bar.advance(1, sum((r.row_counts or {}).values()) if r.outcome == "loaded" else 0))
    ingest_s, ingest_cpu = time.perf_counter() - started, time.process_time() - cpu
    loaded = sum(r.outcome == "loaded" for r in results)
    rows = sum(sum((r.row_counts or {}).values()) for r in results)
    print(f"(b) ingest {ingest_s:9.1f} s   {rows:>12,} rows   {rows / ingest_s:>12,.0f} rows/s   "
          f"{loaded}/{len(results)} loaded   ratio (b)/(a) = {ingest_s / floor_s:.1f}")
    for stage, seconds in sorted(options.stage_seconds.items(), key=lambda kv: -kv[1]):
        print(f"      {stage:<14} {seconds:9.1f} s")
    print(f"cpu        (a) {floor_cpu:.1f} s, (b) {ingest_cpu:.1f} s: ratio {ingest_cpu / max(floor_cpu, 1e-9):.1f} "
          f"(CPU seconds of all threads, less sensitive to a shared machine than the wall clock)")
    print(f"load       {load_average()}   (after (b))")

    con = connect(db, read_only=True)
    try:
        started = time.perf_counter()
        values = registry.compute(con, args.year)
        year_s = time.perf_counter() - started
        print(f"(c) year   {year_s:9.2f} s   families {values['families_supported']:,}, "
              f"assistants {values['assistants']:,}, court {values['families_court_obliged']:,}")
        started = time.perf_counter()
        trend = registry.trend(con, list(range(2012, 2026)))
        trend_s = time.perf_counter() - started
        print(f"(d) trend  {trend_s:9.2f} s   {trend.height} years")
        print("year  families  assistants  court  children")
        for r in trend.iter_rows(named=True):
            print(f"{r['year']}  {r['families_supported']:>8,}  {r['assistants']:>10,}  {r['families_court_obliged']:>5,}  "
                  f"{r['children_in_supported_families']:>8,}")
    finally:
        con.close()
    rss = peak_rss_mb()
    print(f"peak RSS   {rss:9.0f} MiB   (the pipeline: ingest, indicators, trend; the floor ran apart)")
    print("rows for benchmarks/README.md (totals; stages of (b): " + ", ".join(STAGES) + "):")
    files = sum(1 for _ in exports.rglob("*.csv"))
    for line in markdown_rows(args.units, len(paths), files, rows, floor_s, ingest_s, options.stage_seconds,
                              year_s, trend_s, rss):
        print(line)


if __name__ == "__main__":
    main()
