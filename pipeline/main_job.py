"""The main job (`python -m pipeline run`): ingest, build, compute, write every output.

With no paths it takes the demo exports shipped in data/demo/ (and the demo
funding file in data/reference/).  Re-running it loads nothing new (every
export says "already loaded") and writes the same outputs again.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import duckdb

from pipeline.ingest import IngestOptions, ingest, progress_printer
from pipeline.warehouse.connection import PROJECT_ROOT, connect

DEMO_DIR = PROJECT_ROOT / "data" / "demo"
FUNDING_FILE = PROJECT_ROOT / "data" / "reference" / "finansowanie.csv"


def demo_exports() -> list[Path]:
    """The shipped demo exports in loading order (their names sort chronologically)."""
    return sorted(p for p in DEMO_DIR.iterdir() if not p.name.startswith("."))


def _step(message: str) -> None:
    print(f"\n== {message}", flush=True)


def latest_complete_year(con: duckdb.DuckDBPyConnection) -> int | None:
    """The last year that the loaded exports cover up to 31 December."""
    from pipeline.sql import scalar

    last = scalar(con, "SELECT max(okres_do) FROM raw.loads WHERE outcome = 'loaded'")
    if last is None:
        return None
    return last.year if (last.month, last.day) == (12, 31) else last.year - 1


def run(db: Path, out: Path, paths: list[Path], caseload_limit: int, notebooks: bool = True) -> int:
    """Run the whole pipeline; return the exit code (1 when an export was rejected)."""
    started = time.monotonic()
    on_demo = not paths
    paths = paths or demo_exports()
    _step(f"Wczytywanie {len(paths)} eksportów do {db}")
    results = ingest(paths, IngestOptions(db=db, reports=out / "quality", caseload_limit=caseload_limit),
                     on_result=progress_printer(len(paths)))
    rejected = [r for r in results if r.outcome == "rejected"]
    if on_demo and FUNDING_FILE.exists():
        load_funding_file(db, FUNDING_FILE)
    from pipeline.indicators import registry

    con = connect(db, read_only=True)
    try:
        years = registry.data_years(con)
        report_year = latest_complete_year(con)
        _step(f"Wskaźniki za lata {years[0]}-{years[-1]}" if years else "Brak danych do policzenia wskaźników")
        trend = registry.trend(con, years, None, caseload_limit) if years else None
        out.mkdir(parents=True, exist_ok=True)
        for y in years:
            values = registry.compute(con, y, None, caseload_limit)
            (out / f"wskazniki_{y}.json").write_text(
                json.dumps({"year": y, "unit": None, "indicators": values}, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    finally:
        con.close()
    written = []
    if trend is not None:
        trend.write_csv(out / "wskazniki_lata.csv")
        trend.write_excel(out / "wskazniki_lata.xlsx", worksheet="wskaźniki")
        written += [out / "wskazniki_lata.csv", out / "wskazniki_lata.xlsx"]
        _step("Wykresy")
        from pipeline.figures import save_trend_charts

        charts = save_trend_charts(trend, out / "figures")
        written.append(out / "figures")
        print(f"zapisano {len(charts)} wykresów (PNG, SVG, HTML) w {out / 'figures'}")
    if report_year is not None:
        _step(f"Informacja roczna za {report_year}")
        from pipeline.report.render import write_report

        for path in write_report(db, report_year, None, out, caseload_limit):
            print(f"zapisano {path}")
            written.append(path)
    if notebooks and report_year is not None:
        _step("Notatniki analityczne")
        from pipeline.notebooks import run_notebooks

        for path in run_notebooks(db, report_year, None, out / "notebooks"):
            print(f"zapisano {path}")
    _step("Podsumowanie")
    print(f"magazyn danych: {db}")
    print(f"wyniki: {out} (wskazniki_RRRR.json, wskazniki_lata.csv/.xlsx, figures/, informacja_RRRR.html/.docx, "
          f"notebooks/, quality/)")
    print(f"czas: {time.monotonic() - started:.0f} s")
    if rejected:
        print(f"uwaga: odrzucono {len(rejected)} eksport(y/ów); szczegóły w {out / 'quality'}", file=sys.stderr)
        return 1
    return 0


def load_funding_file(db: Path, path: Path) -> bool:
    """Check and load finansowanie.csv; print what happened; False when it was rejected."""
    from pipeline.problems import ExportRejected
    from pipeline.reference import load_funding, read_funding

    try:
        frame = read_funding(path)
    except ExportRejected as e:
        print(f"rejected        {path.name}: plik finansowania odrzucony, magazyn bez zmian", file=sys.stderr)
        for p in e.problems:
            print(f"    - {p.describe()}", file=sys.stderr)
        return False
    con = connect(db)
    try:
        print(f"loaded          {path.name}: finansowanie, {load_funding(con, frame)} wierszy")
    finally:
        con.close()
    return True
