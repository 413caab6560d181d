"""What each command of `python -m pipeline` does (declared in `parser`).

Each command imports what it needs: none imports Great Expectations unless it validates.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from pipeline.cli.errors import EXIT_OK, EXIT_REJECTED, UsageError, existing_paths
from pipeline.cli.validate import csv_safe, writable_file, writable_folder


def ingest(args: argparse.Namespace) -> int:
    from pipeline.jobs.ingest import IngestOptions, ingest, progress_printer

    paths = existing_paths(args.paths)
    writable_file(Path(args.db), "magazyn danych")
    writable_folder(Path(args.reports) / "quality", "folder raportów")
    options = IngestOptions(db=Path(args.db), reports=Path(args.reports) / "quality", caseload_limit=args.caseload_limit,
                            allow_shrink=args.allow_shrink)
    results = ingest(paths, options, on_result=progress_printer(len(paths)))
    return EXIT_REJECTED if any(r.outcome == "rejected" for r in results) else EXIT_OK


def validate(args: argparse.Namespace) -> int:
    from pipeline.checks.gate import check_exports
    from pipeline.read.export import read_exports

    paths = existing_paths(args.paths)
    verdicts = check_exports(read_exports(paths), args.caseload_limit)
    for v in verdicts:
        status = "valid   " if v.accepted else "invalid "
        print(f"{status}{v.export.name}: reguły sprawdzone {v.rules_checked}, niespełnione {v.rules_failed}, "
              f"problemy krytyczne {len(v.problems)}, ustalenia {len(v.findings)}")
        for p in v.problems:
            print(f"    - {p.describe()}")
        for f in v.findings:
            print(f"    ! {f.describe()}")
    return EXIT_OK if all(v.accepted for v in verdicts) else EXIT_REJECTED


def suites(args: argparse.Namespace) -> int:
    from pipeline.checks.rules import suite_json
    from pipeline.config import EXPECTATIONS_DIR
    from pipeline.contract import TABLES

    stale = []
    for table in ("metadane", *TABLES):
        path = EXPECTATIONS_DIR / f"{table}.json"
        text = json.dumps(suite_json(table), ensure_ascii=False, indent=2) + "\n"
        if args.write:
            path.write_text(text, encoding="utf-8")
        elif not path.exists() or path.read_text(encoding="utf-8") != text:
            stale.append(path.name)
    if stale:
        print("zestawy reguł nieaktualne względem kodu: " + ", ".join(stale) + " (uruchom: python -m pipeline suites --write)")
        return EXIT_REJECTED
    print("zestawy reguł w expectations/ są aktualne" if not args.write else "zapisano zestawy reguł w expectations/")
    return EXIT_OK


def indicators(args: argparse.Namespace) -> int:
    from pipeline.indicators import registry
    from pipeline.outputs.indicator_text import indicators_csv, indicators_table
    from pipeline.warehouse.connection import connect

    if args.year is None and args.years is None:
        raise UsageError("podaj --year ROK albo --years OD-DO")
    if args.out:
        writable_file(Path(args.out), "plik wyjściowy")
    con = connect(Path(args.db), read_only=True)
    try:
        if args.explain:
            if args.explain not in registry.EXPLAINABLE:
                raise UsageError(f"nie ma wskaźnika {args.explain}; dostępne: {', '.join(registry.EXPLAINABLE)}")
            frame = registry.explain(con, args.explain, args.year or args.years[-1], args.unit, args.caseload_limit)
            sys.stdout.write(csv_safe(frame).write_csv())
            return EXIT_OK
        if args.years is not None:
            frame = registry.trend(con, args.years, args.unit, args.caseload_limit)
            if args.out:
                out = Path(args.out)
                out.parent.mkdir(parents=True, exist_ok=True)
                frame.write_excel(out) if out.suffix.lower() == ".xlsx" else frame.write_csv(out)
                print(f"zapisano {out}")
            else:
                sys.stdout.write(frame.write_csv())
            return EXIT_OK
        values = registry.compute(con, args.year, args.unit, args.caseload_limit)
    finally:
        con.close()
    if args.format == "json":
        print(json.dumps({"year": args.year, "unit": args.unit, "indicators": values}, ensure_ascii=False, indent=2))
    elif args.format == "csv":
        sys.stdout.write(indicators_csv(values))
    else:
        print(indicators_table(values))
    return EXIT_OK


def run(args: argparse.Namespace) -> int:
    from pipeline.jobs.run import run

    writable_file(Path(args.db), "magazyn danych")
    writable_folder(Path(args.out), "folder wyjściowy")
    return run(Path(args.db), Path(args.out), existing_paths(args.paths), args.caseload_limit, not args.no_notebooks)


def _report_year(args: argparse.Namespace) -> int | None:
    """The year asked for, else the last complete year in the warehouse."""
    if args.year is not None:
        return args.year
    from pipeline.indicators.coverage import latest_complete_year
    from pipeline.warehouse.connection import connect

    con = connect(Path(args.db), read_only=True)
    try:
        return latest_complete_year(con)
    finally:
        con.close()


def report(args: argparse.Namespace) -> int:
    from pipeline.outputs.annual_report import write_report
    from pipeline.warehouse.connection import connect

    writable_folder(Path(args.out), "folder wyjściowy")
    year = _report_year(args)
    if year is None:
        print("brak wczytanych eksportów: nie ma za jaki rok napisać informacji", file=sys.stderr)
        return EXIT_REJECTED
    con = connect(Path(args.db), read_only=True)
    try:
        paths = write_report(con, year, args.unit, Path(args.out), args.caseload_limit)
    finally:
        con.close()
    for path in paths:
        print(f"zapisano {path}")
    return EXIT_OK


def notebooks(args: argparse.Namespace) -> int:
    from pipeline.outputs.notebooks import run_notebooks

    writable_folder(Path(args.out), "folder wyjściowy")
    year = _report_year(args)
    if year is None:
        print("brak wczytanych eksportów", file=sys.stderr)
        return EXIT_REJECTED
    for path in run_notebooks(Path(args.db), year, args.unit, Path(args.out)):
        print(f"zapisano {path}")
    return EXIT_OK


def docs(args: argparse.Namespace) -> int:
    from pipeline.outputs.docs import write_docs

    for path in write_docs():
        print(f"zapisano {path}")
    return EXIT_OK


def funding(args: argparse.Namespace) -> int:
    from pipeline.jobs.funding import load_funding_file

    (path,) = existing_paths([args.path])
    if not path.is_file():
        raise UsageError(f"{path} nie jest plikiem: podaj plik finansowanie.csv")
    writable_file(Path(args.db), "magazyn danych")
    return EXIT_OK if load_funding_file(Path(args.db), path) else EXIT_REJECTED


def synth(args: argparse.Namespace) -> int:
    import time

    import polars as pl

    from pipeline.synth.writer import Dialect

    started = time.monotonic()
    if args.preset == "demo":
        from pipeline.synth.demo import write_demo, write_funding

        out = Path(args.out or "data/demo")
        paths = write_demo(out)
        written = write_funding(out.parent / "reference" / "finansowanie.csv")
        print(f"zapisano {len(paths)} eksportów ośrodka demo w {out} i {written}")
        return EXIT_OK
    from pipeline.synth.national import NationalOptions, national_totals, write_national

    if args.totals:
        with pl.Config(tbl_rows=20, tbl_cols=10):
            print(national_totals(args.units, args.seed, args.workers))
        print(f"czas: {time.monotonic() - started:.0f} s")
        return EXIT_OK
    dialect = Dialect(args.container, args.encoding, args.dates, args.strip_diacritics)
    out = Path(args.out or "data/national")
    tty = sys.stderr.isatty()

    def progress(done: int, total: int) -> None:
        if tty and (done % 10 == 0 or done == total):
            print(f"\r{done}/{total} jednostek", end="" if done < total else "\n", file=sys.stderr, flush=True)

    rows = write_national(NationalOptions(out, args.units, args.seed, args.workers, dialect), progress)
    print(f"zapisano eksporty {args.units} jednostek ({rows} wierszy) w {out} w {time.monotonic() - started:.0f} s")
    return EXIT_OK


def migrate(args: argparse.Namespace) -> int:
    import duckdb

    from pipeline.warehouse.connection import WarehouseError
    from pipeline.warehouse.migrate import migrate as migrate_file

    path = Path(args.db)
    if not path.is_file():
        raise UsageError(f"nie ma pliku magazynu danych {path}")
    try:
        before, after = migrate_file(path)
    except ValueError as e:
        raise WarehouseError(str(e)) from None
    except duckdb.Error as e:
        raise WarehouseError(f"nie można zaktualizować magazynu danych {path} ({type(e).__name__}); pozostał bez zmian") from None
    print(f"magazyn danych {path}: wersja schematu {before} -> {after}" if before != after
          else f"magazyn danych {path} ma już obecną wersję schematu ({after})")
    return EXIT_OK
