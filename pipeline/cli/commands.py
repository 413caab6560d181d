"""What each command of `python -m pipeline` does (declared in `parser`).

Each command imports what it needs: none imports Great Expectations unless it validates.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.cli.errors import EXIT_OK, EXIT_REJECTED, UsageError, existing_paths
from pipeline.cli.validate import csv_safe, writable_file, writable_folder
from pipeline.indicators.periods import Period, parse_period

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection


def quality_folder(db: Path) -> Path:
    """Where `ingest` writes quality reports by default: beside the warehouse they describe (its load ids number
    them), never into the working directory or the project's reports/."""
    return db.parent / "quality"


def ingest(args: argparse.Namespace) -> int:
    from pipeline.jobs.ingest import IngestOptions, ingest, progress_printer

    paths = existing_paths(args.paths)
    writable_file(Path(args.db), "magazyn danych")
    reports = Path(args.reports) / "quality" if args.reports else quality_folder(Path(args.db))
    writable_folder(reports, "folder raportów")
    options = IngestOptions(db=Path(args.db), reports=reports, caseload_limit=args.caseload_limit,
                            allow_shrink=args.allow_shrink)
    with _mapped(args, paths) as paths:
        results = ingest(paths, options, on_result=progress_printer(len(paths)))
    return EXIT_REJECTED if any(r.outcome == "rejected" for r in results) else EXIT_OK


def validate(args: argparse.Namespace) -> int:
    from pipeline.checks.gate import check_exports
    from pipeline.read.export import read_exports

    paths = existing_paths(args.paths)
    with _mapped(args, paths) as paths:
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
    from pipeline.cli import guards
    from pipeline.indicators import registry
    from pipeline.outputs.indicator_text import indicators_csv, indicators_table
    from pipeline.warehouse.connection import connect

    if getattr(args, "cohorts", False):
        if args.year is not None or args.years is not None or args.period is not None:
            raise UsageError("--cohorts pokazuje kohorty wszystkich lat rozpoczęcia jednostki: bez --year, --years i --period")
        return cohorts(args)
    if args.year is None and args.years is None and args.period is None:
        raise UsageError("podaj --year ROK, --period OKRES albo --years OD-DO")
    if args.period is not None and (args.year is not None or args.years is not None):
        raise UsageError("podaj --period albo --year/--years, nie oba")
    when = args.period or args.year
    if args.publish and (args.out is None or args.years is not None or args.explain):
        raise UsageError("--publish działa z --out oraz --year albo --period")
    if args.out and not args.publish:
        if Path(args.out).suffix.lower() not in (".xlsx", ".csv"):
            raise UsageError(f"--out: plik .xlsx albo .csv, nie {Path(args.out).name}")
        if args.period is not None and not args.period.is_year:
            raise UsageError("--out zapisuje tabelę lat; zestawienie za półrocze albo kwartał zapisuje polecenie statement")
    if args.out:
        writable_file(Path(args.out), "plik wyjściowy")
    con = connect(Path(args.db), read_only=True)
    try:
        unit = guards.resolve_unit(con, args.unit)
        if args.years is not None:
            guards.check_years(con, args.years, unit)
        else:
            period = args.period or parse_period(str(args.year))
            guards.check_years(con, range(period.start.year, period.end.year + 1), unit)
        if args.explain:
            if args.explain not in registry.EXPLAINABLE:
                raise UsageError(f"nie ma wskaźnika {args.explain}; dostępne: {', '.join(registry.EXPLAINABLE)}")
            frame = registry.explain(con, args.explain, when or args.years[-1], unit, args.caseload_limit)
            sys.stdout.write(csv_safe(frame).write_csv())
            return EXIT_OK
        if args.publish:
            return _published_indicators(con, args, unit)
        if args.out:
            from pipeline.outputs.trend_table import write_trend

            years = args.years if args.years is not None else [args.period.year if args.period else args.year]
            print(f"zapisano {write_trend(Path(args.out), registry.compute_years(con, years, unit, args.caseload_limit))}")
            return EXIT_OK
        if args.years is not None:
            sys.stdout.write(registry.trend(con, args.years, unit, args.caseload_limit).write_csv())
            return EXIT_OK
        values = registry.compute(con, when, unit, args.caseload_limit)
        if args.format == "json":
            extra = _stock_and_breakdowns(con, when, unit)
    finally:
        con.close()
    if args.format == "json":
        period = args.period or parse_period(str(args.year))
        head = {"year": period.year} if period.is_year else {}
        print(json.dumps(head | {"period": period.as_json(), "unit": unit, "indicators": values,
                                 "stock": extra["stock"], "breakdowns": extra["breakdowns"]}, ensure_ascii=False, indent=2))
    elif args.format == "csv":
        sys.stdout.write(indicators_csv(values))
    else:
        print(indicators_table(values))
    return EXIT_OK


def _stock_and_breakdowns(con: DuckDBPyConnection, when: int | Period, unit: str | None) -> dict:
    from pipeline.indicators.breakdowns import compute_stock_and_breakdowns

    return compute_stock_and_breakdowns(con, when, unit)


def _published_indicators(con: DuckDBPyConnection, args: argparse.Namespace, unit: str | None) -> int:
    """`indicators --out FILE --publish`: the period's statement with disclosure control, as XLSX or HTML."""
    from datetime import date

    from pipeline.outputs.annual_report import unit_name
    from pipeline.outputs.formats import day
    from pipeline.outputs.statement import build_statement, publish, write_html, write_xlsx

    out = Path(args.out)
    if out.suffix.lower() not in (".xlsx", ".html"):
        raise UsageError("--publish zapisuje plik .xlsx albo .html")
    period = args.period or parse_period(str(args.year))
    statement = publish(build_statement(con, period, unit, unit_name(con, unit), args.caseload_limit),
                        _threshold(args))


    (write_xlsx if out.suffix.lower() == ".xlsx" else write_html)(out, statement, day(date.today()))
    print(f"zapisano {out} (kontrola ujawniania, próg {args.threshold})")
    return EXIT_OK


def _threshold(args: argparse.Namespace) -> int:
    if args.threshold < 3:
        raise UsageError("--threshold musi wynosić co najmniej 3 (przy progu 2 „<2” znaczyłoby 1)")
    return args.threshold


def statement(args: argparse.Namespace) -> int:
    from pipeline.cli import guards
    from pipeline.outputs.annual_report import unit_name
    from pipeline.outputs.statement import write_statement
    from pipeline.warehouse.connection import connect

    threshold = _threshold(args) if args.publish else None
    con = connect(Path(args.db), read_only=True)
    try:
        unit = guards.resolve_unit(con, args.unit)
        guards.check_years(con, range(args.period.start.year, args.period.end.year + 1), unit)
        paths = write_statement(con, args.period, unit, unit_name(con, unit), Path(args.out), threshold,
                                args.caseload_limit)
    finally:
        con.close()
    for path in paths:
        print(f"zapisano {path}")
    return EXIT_OK


def run(args: argparse.Namespace) -> int:
    from pipeline.jobs.run import run

    writable_file(Path(args.db), "magazyn danych")
    writable_folder(Path(args.out), "folder wyjściowy")
    return run(Path(args.db), Path(args.out), existing_paths(args.paths), args.caseload_limit, not args.no_notebooks)


def _report_year(args: argparse.Namespace) -> int | None:
    """The year asked for (one the loaded exports cover), else the last complete year in the warehouse.

    Sets `args.unit` to the loaded unit it names (a dropped leading zero restored); a UsageError for a unit or a
    year the warehouse does not hold."""
    from pipeline.cli import guards
    from pipeline.indicators.coverage import latest_complete_year
    from pipeline.warehouse.connection import connect

    con = connect(Path(args.db), read_only=True)
    try:
        args.unit = guards.resolve_unit(con, args.unit)
        year = args.year if args.year is not None else latest_complete_year(con)
        if year is not None:
            guards.check_years(con, [year], args.unit)
        return year
    finally:
        con.close()


def _not_publishable(what: str, args: argparse.Namespace) -> None:  # what: "informacja roczna nie ma", "notatniki nie mają"
    """`report --publish` and `notebooks --publish`: refused, pointing to the statement that is protected."""
    if getattr(args, "publish", False):
        year = args.year if args.year is not None else "ROK"
        raise UsageError(f"{what} wersji do publikacji z kontrolą ujawniania (małe liczby stoją wprost w zdaniach, "
                         f"tabelach i wykresach); do publikacji: python -m pipeline statement --period {year} --publish "
                         f"albo indicators --year {year} --out PLIK.xlsx --publish")


def report(args: argparse.Namespace) -> int:
    from pipeline.outputs.annual_report import init_templates, write_report
    from pipeline.warehouse.connection import connect

    _not_publishable("informacja roczna nie ma", args)
    if args.init_templates:
        for path, copied in init_templates(Path(args.init_templates)):
            print(f"{'skopiowano' if copied else 'bez zmian (już jest)'} {path}")
        print(f"edytuj je i użyj: python -m pipeline report --templates {args.init_templates}")
        return EXIT_OK
    templates = Path(args.templates) if args.templates else None
    if templates is not None and not templates.is_dir():
        raise UsageError(f"nie ma folderu szablonów {templates} (utwórz go: python -m pipeline report --init-templates DIR)")
    writable_folder(Path(args.out), "folder wyjściowy")
    year = _report_year(args)
    if year is None:
        print("brak wczytanych eksportów: nie ma za jaki rok napisać informacji", file=sys.stderr)
        return EXIT_REJECTED
    con = connect(Path(args.db), read_only=True)
    try:
        paths = write_report(con, year, args.unit, Path(args.out), args.caseload_limit, templates=templates)
    finally:
        con.close()
    for path in paths:
        print(f"zapisano {path}")
    return EXIT_OK


def notebooks(args: argparse.Namespace) -> int:
    from pipeline.outputs.notebooks import NotebookFailed, run_notebooks

    _not_publishable("notatniki nie mają", args)
    writable_folder(Path(args.out), "folder wyjściowy")
    year = _report_year(args)
    if year is None:
        print("brak wczytanych eksportów", file=sys.stderr)
        return EXIT_REJECTED
    try:
        paths = run_notebooks(Path(args.db), year, args.unit, Path(args.out), caseload_limit=args.caseload_limit)
    except NotebookFailed as e:
        print(f"błąd: {e}", file=sys.stderr)
        return EXIT_REJECTED
    for path in paths:
        print(f"zapisano {path}")
    return EXIT_OK


def units(args: argparse.Namespace) -> int:
    from pipeline.outputs.formats import day
    from pipeline.warehouse.connection import connect
    from pipeline.warehouse.units import loaded_units

    con = connect(Path(args.db), read_only=True)
    try:
        found = loaded_units(con)
    finally:
        con.close()
    if not found:
        print("magazyn nie ma jeszcze żadnego eksportu (python -m pipeline ingest ...)")
        return EXIT_OK
    print(f"{'kod':<8} {'nazwa':<40} {'pierwszy eksport':<17} {'ostatni eksport':<16} {'lata':<10} "
          f"{'wczytane':>8} {'odrzucone':>9}")
    for u in found:
        years = "—" if not u.years else f"{u.years.start}-{u.years.stop - 1}"
        print(f"{u.code:<8} {u.name[:40]:<40} {day(u.first_export):<17} {day(u.last_export):<16} {years:<10} "
              f"{u.loads:>8} {u.rejected:>9}")
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

    from pipeline.config import DEMO_DIR, NATIONAL_DIR
    from pipeline.synth.writer import Dialect

    started = time.monotonic()
    if args.preset == "demo":
        from pipeline.synth.demo import write_demo, write_funding

        out = Path(args.out) if args.out else DEMO_DIR
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
    out = Path(args.out) if args.out else NATIONAL_DIR
    tty = sys.stderr.isatty()

    def progress(done: int, total: int) -> None:
        if tty and (done % 10 == 0 or done == total):
            print(f"\r{done}/{total} jednostek", end="" if done < total else "\n", file=sys.stderr, flush=True)

    rows = write_national(NationalOptions(out, args.units, args.seed, args.workers, dialect), progress)
    print(f"zapisano eksporty {args.units} jednostek ({rows} wierszy) w {out} w {time.monotonic() - started:.0f} s")
    return EXIT_OK


def cohorts(args: argparse.Namespace) -> int:
    """`indicators --cohorts --unit U`: entry cohorts of one unit (CLI.md)."""
    from pipeline.indicators.cohorts import entry_cohorts
    from pipeline.outputs.cohort_text import cohorts_table
    from pipeline.warehouse.connection import connect

    if not args.unit:
        raise UsageError("--cohorts wymaga --unit KOD_TERYT")
    con = connect(Path(args.db), read_only=True)
    try:
        values = entry_cohorts(con, args.unit)
        loaded = [u for (u,) in con.execute("SELECT DISTINCT jednostka FROM raw.loads WHERE outcome = 'loaded' ORDER BY 1").fetchall()]
    finally:
        con.close()
    if values is None:
        raise UsageError(f"nie wczytano eksportów jednostki {args.unit}; wczytane: {', '.join(loaded) or 'brak'}")
    if args.format == "json":
        print(json.dumps(values, ensure_ascii=False, indent=2))
    else:
        print(cohorts_table(values))
    return EXIT_OK


def compare(args: argparse.Namespace) -> int:
    """`compare --unit U --year Y`: the unit among its peers."""
    from pipeline.indicators.comparison import compare as compare_unit
    from pipeline.indicators.comparison import unit_values
    from pipeline.indicators.coverage import data_years
    from pipeline.indicators.peers import DEFAULT_SIZE_BANDS, TerytError
    from pipeline.outputs.compare import as_text, write
    from pipeline.warehouse.connection import connect

    if args.out and Path(args.out).suffix.lower() not in (".xlsx", ".html", ".htm"):
        raise UsageError("--out: plik .xlsx albo .html")
    con = connect(Path(args.db), read_only=True)
    try:
        years = data_years(con)
        if args.year not in years:
            raise UsageError(f"rok {args.year} poza danymi magazynu ({years[0]}-{years[-1]})" if years
                             else "magazyn nie zawiera żadnych danych")
        units = unit_values(con, args.year, args.caseload_limit)
    finally:
        con.close()
    if args.unit not in units["jednostka"].to_list():
        raise UsageError(f"jednostki {args.unit} nie ma w magazynie; wczytane: {', '.join(units['jednostka'].to_list())}")
    try:
        result = compare_unit(units, args.unit, args.year, args.peers, args.size_bands or DEFAULT_SIZE_BANDS,
                              args.min_denominator)
    except TerytError as e:
        raise UsageError(f"jednostka {args.unit}: {e}") from None
    print(as_text(result))
    if args.out:
        for path in write(result, Path(args.out)):
            print(f"zapisano {path}")
    return EXIT_OK


def template(args: argparse.Namespace) -> int:
    from pipeline.outputs.template import fill_from_export, write_template

    out = Path(args.out)
    if out.suffix.lower() != ".xlsx":
        raise UsageError("szablon to plik .xlsx: podaj --out NAZWA.xlsx")
    if not args.fill:
        print(f"zapisano {write_template(out)}")
        return EXIT_OK
    from pipeline.read.export import read_export

    (source,) = existing_paths([args.fill])
    data = read_export(source)
    if data.problems or data.meta is None:
        print(f"nie wypełniono szablonu: eksportu {source.name} nie da się odczytać bez błędów", file=sys.stderr)
        for p in data.problems:
            print(f"    - {p.describe()}", file=sys.stderr)
        return EXIT_REJECTED
    print(f"zapisano {fill_from_export(out, data)} (dane z {source.name})")
    return EXIT_OK


def _load_mapping(args: argparse.Namespace):
    """The --mapping file, checked (a wrong one is a usage error), or None."""
    if not getattr(args, "mapping", None):
        return None
    from pipeline.read.mapping import MappingError, load_mapping

    (path,) = existing_paths([args.mapping])
    try:
        return load_mapping(path)
    except MappingError as e:
        raise UsageError(f"mapowanie {path.name}: {e}") from None


def _mapped(args: argparse.Namespace, paths: list[Path]):
    """The exports with the --mapping applied (temporary copies named like the originals)."""
    from pipeline.read.mapping import mapped_exports

    return mapped_exports(paths, _load_mapping(args))


def pseudonymise(args: argparse.Namespace) -> int:
    from pipeline.jobs.pseudonymise import PseudonymiseError, pseudonymise

    (source,) = existing_paths([args.source])
    try:
        outcome = pseudonymise(source, Path(args.key), Path(args.out), _load_mapping(args))
    except PseudonymiseError as e:
        print(f"nie zapisano eksportu z pseudonimami: {e}", file=sys.stderr)
        for p in e.problems:
            print(f"    - {p.describe()}", file=sys.stderr)
        return EXIT_REJECTED
    for line in outcome.messages:
        print(line)
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
