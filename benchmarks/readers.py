"""What the per-call reader model costs: opening the warehouse per cell, a notebook run, the trend.

Readers hold the warehouse file only while they read (docs/design.md, "Readers never hold the
warehouse"): a notebook's `con` opens in each cell that reads and closes when the cell ends; a
command opens once, reads and closes.  This times, on one warehouse:

* **open**: `connect(db, read_only=True)` + close, the price every reading cell pays once
  (DuckDB opens the file and reads its catalogue; the version and stale-state checks run);
* **notebooks**: each notebook executed in a real kernel (`runner.execute`), per cell (as shipped)
  and held (the same notebook with one cell that keeps the connection open for the whole run,
  the behaviour before), median of `--repeat` runs;
* **trend**: `python -m pipeline indicators --years FROM-TO` as a subprocess (what an analyst
  runs), here and, with `--before CHECKOUT`, in another checkout of the project (e.g. main before
  the change), median of `--repeat` runs.

    python benchmarks/readers.py                      # the demo warehouse, built in a temporary folder
    python benchmarks/readers.py --db benchmarks/work/units_25/warehouse.duckdb --before /path/to/old/checkout

Nothing here is asserted in the tests; the figures go into benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.config import NOTEBOOK_DIR

HOLD_CELL = ("# %%\n"
             "from IPython import get_ipython\n"
             "from pipeline.outputs.notebooks import reading\n"
             "get_ipython().events.unregister('post_execute', reading.close_all)  # benchmark: hold the file all run\n"
             "con.connection()\n\n")


def demo_warehouse(folder: Path) -> Path:
    """The demo exports loaded through the whole gate (python -m pipeline ingest), in `folder`."""
    from pipeline.jobs.run import demo_exports

    db = folder / "demo.duckdb"
    subprocess.run([sys.executable, "-m", "pipeline", "ingest", *map(str, demo_exports()), "--db", str(db),
                    "--reports", str(folder / "quality")], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return db


def time_open(db: Path, n: int = 30) -> float:
    """Median seconds of one read-only open and close."""
    from pipeline.warehouse.connection import connect

    times = []
    for _ in range(n):
        started = time.perf_counter()
        connect(db, read_only=True).close()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def held_copy(path: Path, folder: Path) -> Path:
    """The notebook with a cell after its opening that keeps the connection open (the model before)."""
    text = path.read_text(encoding="utf-8")
    marker = "nb.header()\n"
    at = text.index(marker) + len(marker)
    copy = folder / path.name
    copy.write_text(text[:at] + "\n" + HOLD_CELL + text[at:], encoding="utf-8")
    return copy


def time_notebook(path: Path, db: Path, repeat: int) -> float:
    from pipeline.outputs.notebooks.runner import execute

    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        execute(path, {"db": str(db)}, cwd=NOTEBOOK_DIR)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def time_trend(db: Path, years: str, checkout: Path, repeat: int) -> float:
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "pipeline", "indicators", "--years", years, "--db", str(db)],
                       cwd=checkout, env=env, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", help="a warehouse to read (default: the demo, loaded into a temporary folder)")
    parser.add_argument("--years", default="2012-2025")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--notebooks", default="02,03", help="which notebooks to time (their numbers)")
    parser.add_argument("--before", help="another checkout of the project to time the trend command in")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="asystenci-readers-") as tmp:
        folder = Path(tmp)
        db = Path(args.db) if args.db else demo_warehouse(folder)
        print(f"warehouse: {db} ({db.stat().st_size / 1e6:.1f} MB)")
        opened = time_open(db)
        print(f"open + close (read-only), median of 30: {opened * 1000:.1f} ms")
        for number in args.notebooks.split(","):
            (path,) = sorted(NOTEBOOK_DIR.glob(f"{number.strip()}_*.py"))
            per_cell = time_notebook(path, db, args.repeat)
            held = time_notebook(held_copy(path, folder), db, args.repeat)
            print(f"notebook {path.stem}: per cell {per_cell:.2f} s, held {held:.2f} s, "
                  f"difference {per_cell - held:+.2f} s")
        now = time_trend(db, args.years, ROOT, args.repeat)
        line = f"indicators --years {args.years}: {now:.2f} s"
        if args.before:
            before = time_trend(db, args.years, Path(args.before), args.repeat)
            line += f" (before, {args.before}: {before:.2f} s)"
        print(line)


if __name__ == "__main__":
    main()
