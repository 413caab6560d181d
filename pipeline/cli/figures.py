"""The figures: `indicators` (a year, a period, the trend, cohorts, --explain, --publish), `statement`, `compare`.

Each command imports what it needs: none imports Great Expectations unless it validates.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.cli.errors import EXIT_OK, UsageError
from pipeline.cli.validate import csv_safe, writable_file, writable_folder
from pipeline.indicators.periods import Period, parse_period

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection


def indicators(args: argparse.Namespace) -> int:
    from pipeline.cli import guards
    from pipeline.indicators import registry
    from pipeline.outputs.figures.text import indicators_csv, indicators_table

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
    con = _open(Path(args.db), args.publish)
    try:
        unit = guards.resolve_unit(con, args.unit)
        if args.years is not None:
            notes = {y: c.note() for y, c in guards.check_years(con, args.years, unit).items() if c.note()}
        else:
            covered = guards.check_period(con, args.period or parse_period(str(args.year)), unit)
            notes = {(args.period.name if args.period else args.year): covered.note()} if covered.note() else {}
        _print_notes(notes)
        if args.explain:
            if args.explain not in registry.EXPLAINABLE:
                raise UsageError(f"nie ma wskaźnika {args.explain}; dostępne: {', '.join(registry.EXPLAINABLE)}")
            frame = registry.explain(con, args.explain, when or args.years[-1], unit, args.caseload_limit)
            sys.stdout.write(_printable(csv_safe(frame)).write_csv())
            return EXIT_OK
        if args.publish:
            return _published_indicators(con, args, unit)
        if args.out:
            from pipeline.outputs.figures.trend import write_trend

            years = args.years if args.years is not None else [args.period.year if args.period else args.year]
            print(f"zapisano {write_trend(Path(args.out), registry.compute_years(con, years, unit, args.caseload_limit), notes)}")
            return EXIT_OK
        if args.years is not None:
            if args.format == "json":
                by_year = registry.compute_years(con, args.years, unit, args.caseload_limit)
                print(json.dumps({"unit": unit, "years": [{"year": y, "indicators": v} for y, v in by_year.items()]},
                                 ensure_ascii=False, indent=2))
            else:
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
        print(json.dumps(head | {"period": period.as_json(), "unit": unit, "coverage": covered.as_json(),
                                 "indicators": values, "stock": extra["stock"], "breakdowns": extra["breakdowns"]},
                         ensure_ascii=False, indent=2))
    elif args.format == "csv":
        sys.stdout.write(indicators_csv(values))
    else:
        print(indicators_table(values))
    return EXIT_OK


def _print_notes(notes: dict) -> None:
    """The periods not wholly covered, one line each on stderr (the figures on stdout stay as scripts read them)."""
    for when, note in notes.items():
        print(f"uwaga: {when}: {note}", file=sys.stderr)


def _stock_and_breakdowns(con: DuckDBPyConnection, when: int | Period, unit: str | None) -> dict:
    from pipeline.indicators.breakdowns import compute_stock_and_breakdowns

    return compute_stock_and_breakdowns(con, when, unit)


def _published_indicators(con: DuckDBPyConnection, args: argparse.Namespace, unit: str | None) -> int:
    """`indicators --out FILE --publish`: the period's statement with disclosure control, as XLSX or HTML."""
    from datetime import date

    from pipeline.outputs.formats import day
    from pipeline.outputs.publication.nest import PublicationRefused
    from pipeline.outputs.publication.statement import publish_recorded, write_html, write_xlsx
    from pipeline.warehouse import coverage
    from pipeline.warehouse.coverage import unit_name

    out = Path(args.out)
    if out.suffix.lower() not in (".xlsx", ".html"):
        raise UsageError("--publish zapisuje plik .xlsx albo .html")
    period = args.period or parse_period(str(args.year))
    writer = write_xlsx if out.suffix.lower() == ".xlsx" else write_html
    try:
        counted = coverage.read(con).period(period.start, period.end, unit).counted
        publish_recorded(con, period, unit, unit_name(con, unit, counted), _threshold(args),
                         lambda statement: writer(out, statement, day(date.today())), args.caseload_limit)
    except PublicationRefused as e:
        raise UsageError(str(e)) from None
    print(f"zapisano {out} (kontrola ujawniania, próg {args.threshold})")
    return EXIT_OK


def _open(path: Path, publish: bool) -> DuckDBPyConnection:
    """The warehouse read-only, or, to publish (a publication is recorded in raw.published_cells), to write."""
    from pipeline.warehouse.connection import connect, open_for_writing

    if not publish:
        return connect(path, read_only=True)
    connect(path, read_only=True).close()  # the same refusals as to read (no such file, a stale state)
    return open_for_writing(path)


def _printable(frame):
    """The frame with control and format characters of every text cell escaped (\\x1b), as a terminal may show it:
    free text (a project's title) never moves the cursor, rings or fakes a line."""
    import polars as pl

    from pipeline.problems import escape_controls

    return frame.with_columns(pl.col(c).map_elements(escape_controls, return_dtype=pl.String, skip_nulls=True)
                              for c, dtype in frame.schema.items() if dtype == pl.String)


def _threshold(args: argparse.Namespace) -> int:
    if args.threshold < 3:
        raise UsageError("--threshold musi wynosić co najmniej 3 (przy progu 2 „<2” znaczyłoby 1)")
    return args.threshold


def statement(args: argparse.Namespace) -> int:
    from pipeline.cli import guards
    from pipeline.outputs.publication.nest import PublicationRefused, standard_or_refused
    from pipeline.outputs.publication.statement import write_statement
    from pipeline.warehouse.coverage import unit_name

    threshold = _threshold(args) if args.publish else None
    writable_folder(Path(args.out), "folder wyjściowy")
    if args.publish:
        try:
            standard_or_refused(args.period)
        except PublicationRefused as e:
            raise UsageError(str(e)) from None
    con = _open(Path(args.db), args.publish)
    try:
        unit = guards.resolve_unit(con, args.unit)
        covered = guards.check_period(con, args.period, unit)
        _print_notes({args.period.name: covered.note()} if covered.note() else {})
        paths = write_statement(con, args.period, unit, unit_name(con, unit, covered.counted), Path(args.out), threshold,
                                args.caseload_limit)
    except PublicationRefused as e:
        raise UsageError(str(e)) from None
    finally:
        con.close()
    for path in paths:
        print(f"zapisano {path}")
    return EXIT_OK


def cohorts(args: argparse.Namespace) -> int:
    """`indicators --cohorts --unit U`: entry cohorts of one unit (CLI.md)."""
    from pipeline.cli import guards
    from pipeline.indicators.cohorts import entry_cohorts
    from pipeline.outputs.figures.cohorts import cohorts_table
    from pipeline.warehouse.connection import connect

    if not args.unit:
        raise UsageError("--cohorts wymaga --unit KOD_TERYT")
    con = connect(Path(args.db), read_only=True)
    try:
        unit = guards.resolve_unit(con, args.unit)
        values = entry_cohorts(con, unit)
    finally:
        con.close()
    if values is None:
        raise UsageError(f"nie wczytano eksportów jednostki {unit}")
    if args.format == "json":
        print(json.dumps(values, ensure_ascii=False, indent=2))
    else:
        print(cohorts_table(values))
    return EXIT_OK


def compare(args: argparse.Namespace) -> int:
    """`compare --unit U --year Y`: the unit among its peers."""
    from pipeline.cli import guards
    from pipeline.indicators.comparison import compare_nearest, unit_values
    from pipeline.indicators.peers import DEFAULT_SIZE_BANDS, TerytError
    from pipeline.outputs.comparison.compare import as_text, write
    from pipeline.warehouse import coverage
    from pipeline.warehouse.connection import connect

    if args.out and Path(args.out).suffix.lower() not in (".xlsx", ".html", ".htm"):
        raise UsageError("--out: plik .xlsx albo .html")
    if args.out:
        writable_file(Path(args.out), "plik wyjściowy")
    con = connect(Path(args.db), read_only=True)
    try:
        args.unit = guards.resolve_unit(con, args.unit)
        guards.check_period(con, args.year, args.unit)  # the unit's own exports cover the year
        note = guards.check_period(con, args.year, None).note()  # the peers: the units that cover it
        units = unit_values(con, args.year, args.caseload_limit)
        names = coverage.unit_names(con, args.unit)
    finally:
        con.close()
    _print_notes({args.year: note} if note else {})
    try:
        result = compare_nearest(units, args.unit, args.year, args.peers, args.size_bands or DEFAULT_SIZE_BANDS,
                                 args.min_denominator, names[0] if names else None)
    except TerytError as e:
        raise UsageError(f"jednostka {args.unit}: {e}") from None
    print(as_text(result))
    if args.out:
        for path in write(result, Path(args.out)):
            print(f"zapisano {path}")
    return EXIT_OK
