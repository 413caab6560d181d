"""The main job (`python -m pipeline run`): ingest, build, compute, write every output.

With no paths it takes the demo exports shipped in data/demo/ (and the demo
funding file in data/reference/).  Re-running it loads nothing new (every
export says "już wczytany") and writes the same outputs again.  Each year's
indicators are computed once and handed to every writer (JSON, trend table,
charts, the annual information).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from pipeline.config import DEMO_DIR, FUNDING_FILE
from pipeline.grammar import count, form, number
from pipeline.indicators import registry
from pipeline.jobs.funding import load_funding_file
from pipeline.jobs.ingest import IngestOptions, IngestProgress, ingest, summary
from pipeline.read.discover import discover
from pipeline.warehouse import coverage
from pipeline.warehouse.connection import connect


def demo_exports() -> list[Path]:
    """The shipped demo exports in loading order (by `data_eksportu`, as for any folder of exports)."""
    return discover([DEMO_DIR]).paths


def _step(message: str) -> None:
    print(f"\n== {message}", flush=True)


def run(db: Path, out: Path, paths: list[Path], caseload_limit: int, notebooks: bool = True) -> int:
    """Run the whole pipeline; return the exit code (1 when an export was rejected).

    Each step names the files it wrote; the summary lists the folder's outputs of this run only."""
    started = time.monotonic()
    on_demo = not paths
    paths = paths or demo_exports()
    n = len(paths)
    _step(loading_line(n, db))
    with IngestProgress(n) as progress:
        results = ingest(paths, IngestOptions(db=db, reports=out / "quality", caseload_limit=caseload_limit,
                                              on_stage=progress.stage), on_result=progress)
    if n > 1:
        print(summary(results, n), flush=True)
    rejected = [r for r in results if r.outcome == "rejected"]
    failed = False  # a notebook stopped on an error
    funded = on_demo and FUNDING_FILE.exists() and load_funding_file(db, FUNDING_FILE, hint=None)
    # what the summary lists: a quality report is written for each export loaded or rejected now
    written: list[str] = ["quality/"] if any(r.outcome != "already loaded" for r in results) else []
    con = connect(db, read_only=True)
    try:
        covered = coverage.read(con)
        years = covered.years()  # only the years the exports cover: never a year made of earlier records alone
        report_year = covered.last_complete_year()
        _step(f"Wskaźniki za lata {coverage.year_span(years)}" if years else "Brak danych do policzenia wskaźników")
        notes = covered.notes(years)
        values = registry.compute_years(con, years, None, caseload_limit)
        out.mkdir(parents=True, exist_ok=True)
        for y, v in values.items():
            body = {"year": y, "unit": None, "coverage": covered.year(y).as_json(), "indicators": v}
            (out / f"wskazniki_{y}.json").write_text(json.dumps(body, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        if values:
            from pipeline.outputs.figures.trend import write_trend

            print(json_line(out, sorted(values)))
            for name in ("wskazniki_lata.csv", "wskazniki_lata.xlsx"):
                print(f"zapisano {write_trend(out / name, values, notes)}")
            for y, note in notes.items():
                print(f"uwaga: rok {y}: {note}", flush=True)
            written += ["wskazniki_RRRR.json", "wskazniki_lata.csv/.xlsx"]
            _step("Wykresy")
            from pipeline.outputs.charts import save_trend_charts

            charts = save_trend_charts(registry.trend_frame(values), out / "figures")
            print(f"zapisano {len(charts)} wykresów (PNG, SVG, HTML) w {out / 'figures'}")
            written.append("figures/")
        if report_year is not None:
            _step(f"Informacja roczna za {report_year}")
            from pipeline.outputs.annual.report import write_report

            for path in write_report(con, report_year, None, out, caseload_limit, values):
                print(f"zapisano {path}")
            written.append(f"informacja_{report_year}.html/.docx")
    finally:
        con.close()
    if notebooks and report_year is not None:
        _step("Notatniki analityczne")
        from pipeline.outputs.notebooks.runner import NotebookFailed, run_notebooks

        try:
            for path in run_notebooks(db, report_year, None, out / "notebooks", caseload_limit=caseload_limit):
                print(f"zapisano {path}")
            written.append("notebooks/")
        except NotebookFailed as e:
            print(f"błąd: {e}", file=sys.stderr)
            failed = True
        evaluation = out / "notebooks" / f"ewaluacja_programu_{report_year}.xlsx"
        if evaluation.exists():
            print(f"zapisano {evaluation} (koszty programu „Asystent rodziny”, notatnik 04)")
    _step("Podsumowanie")
    print(f"magazyn danych: {db}")
    print(f"wyniki: {out}" + (f" ({', '.join(written)})" if written else ""))
    if not notebooks and report_year is not None:
        print(f"notatniki pominięte (--no-notebooks): python -m pipeline notebooks --db {db} --out {out / 'notebooks'} "
              + (f"je wykona, z ewaluacją programu (ewaluacja_programu_{report_year}.xlsx)" if funded else "je wykona"))
    print(f"czas: {time.monotonic() - started:.0f} s")
    if rejected:
        print(f"uwaga: odrzucono {count(len(rejected), 'eksport')}; szczegóły w {out / 'quality'}", file=sys.stderr)
    return 1 if rejected or failed else 0


def loading_line(n: int, db: Path) -> str:
    """'Wczytywanie 1 eksportu do DB', '… 3 eksportów …', '… 22 eksportów …' (genitive after 'wczytywanie')."""
    return f"Wczytywanie {number(n)} {form(n, 'eksportu', 'eksportów', 'eksportów')} do {db}"


def json_line(out: Path, years: list[int]) -> str:
    """The line naming the year files: 'zapisano 14 plików JSON: OUT/wskazniki_2012.json … wskazniki_2025.json'."""
    first, last = out / f"wskazniki_{years[0]}.json", f"wskazniki_{years[-1]}.json"
    if len(years) == 1:
        return f"zapisano {first}"
    k = len(years)
    return f"zapisano {number(k)} {form(k, 'plik', 'pliki', 'plików')} JSON: {first} … {last}"
