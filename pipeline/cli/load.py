"""Loading exports into the warehouse and what it holds: `ingest`, `validate`, `run`, `funding`, `migrate`, `units`.

Each command imports what it needs: none imports Great Expectations unless it validates.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipeline.cli.errors import EXIT_INTERRUPTED, EXIT_OK, EXIT_REJECTED, UsageError, existing_paths
from pipeline.cli.validate import writable_file, writable_folder
from pipeline.grammar import count, number


def quality_folder(db: Path) -> Path:
    """Where `ingest` writes quality reports by default: beside the warehouse they describe (its load ids number
    them), never into the working directory or the project's reports/."""
    return db.parent / "quality"


def chunk_rows(text: str) -> int:
    """`--chunk-rows`: a whole number from 1 to 100 000 000."""
    value = int(text) if text.strip().isascii() and text.strip().isdigit() else 0
    if not 1 <= value <= 100_000_000:
        raise argparse.ArgumentTypeError("oczekiwano liczby wierszy od 1 do 100 000 000")
    return value


def exports_from_args(paths: list[str]) -> list[Path]:
    """The exports the paths name, in loading order: a folder of exports is the exports it holds (see
    `pipeline.read.discover`); a path that is neither an export nor a folder of exports is a usage error.
    A line says how many exports the folders held."""
    from pipeline.read.discover import DiscoveryError, discover

    try:
        found = discover(existing_paths(paths))
    except DiscoveryError as e:
        raise UsageError(str(e)) from None
    if (line := found.summary()) is not None:
        print(line, flush=True)
    return found.paths


def ingest(args: argparse.Namespace) -> int:
    from pipeline.jobs.ingest import CHUNK_ROWS, IngestOptions, IngestProgress, Interrupted, ingest, interrupted_message, summary

    writable_file(Path(args.db), "magazyn danych")
    reports = Path(args.reports) / "quality" if args.reports else quality_folder(Path(args.db))
    writable_folder(reports, "folder raportów")
    paths = exports_from_args(args.paths)
    with IngestProgress(len(paths)) as progress:
        options = IngestOptions(db=Path(args.db), reports=reports, caseload_limit=args.caseload_limit,
                                allow_shrink=args.allow_shrink, chunk_rows=args.chunk_rows or CHUNK_ROWS,
                                on_stage=progress.stage)
        try:
            with mapped_from_args(args, paths) as mapped:
                results = ingest(mapped, options, on_result=progress)
        except Interrupted as stop:
            progress.close()
            print(interrupted_message(stop), file=sys.stderr, flush=True)
            return EXIT_INTERRUPTED
    if len(paths) > 1:
        progress.line(summary(results, len(paths)))
    return EXIT_REJECTED if any(r.outcome == "rejected" for r in results) else EXIT_OK


def validate(args: argparse.Namespace) -> int:
    from pipeline.checks.gate import check_exports
    from pipeline.jobs.status import verdict
    from pipeline.read.export import read_exports

    paths = exports_from_args(args.paths)
    with mapped_from_args(args, paths) as mapped:
        verdicts = check_exports(read_exports(mapped), args.caseload_limit)
    for v in verdicts:
        print(f"{verdict(v.accepted)}{v.export.name}: reguły sprawdzone {v.rules_checked}, niespełnione {v.rules_failed}, "
              f"problemy krytyczne {len(v.problems)}, ustalenia {len(v.findings)}")
        for p in v.problems:
            print(f"    - {p.describe()}")
        for f in v.findings:
            print(f"    ! {f.describe()}")
    if len(verdicts) > 1:
        valid = sum(v.accepted for v in verdicts)
        print(f"razem {count(len(verdicts), 'eksport')}: poprawnych {number(valid)}, niepoprawnych {number(len(verdicts) - valid)}")
    return EXIT_OK if all(v.accepted for v in verdicts) else EXIT_REJECTED


def run(args: argparse.Namespace) -> int:
    from pipeline.jobs.run import run

    writable_file(Path(args.db), "magazyn danych")
    writable_folder(Path(args.out), "folder wyjściowy")
    from pipeline.jobs.ingest import Interrupted, interrupted_message

    paths = exports_from_args(args.paths) if args.paths else []
    try:
        return run(Path(args.db), Path(args.out), paths, args.caseload_limit, not args.no_notebooks)
    except Interrupted as stop:
        print(interrupted_message(stop), file=sys.stderr, flush=True)
        return EXIT_INTERRUPTED


def funding(args: argparse.Namespace) -> int:
    from pipeline.jobs.funding import load_funding_file

    (path,) = existing_paths([args.path])
    if not path.is_file():
        raise UsageError(f"{path} nie jest plikiem: podaj plik finansowanie.csv")
    writable_file(Path(args.db), "magazyn danych")
    return EXIT_OK if load_funding_file(Path(args.db), path) else EXIT_REJECTED


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


def units(args: argparse.Namespace) -> int:
    from pipeline.outputs.formats import day
    from pipeline.warehouse.connection import connect
    from pipeline.warehouse.coverage import read, year_span

    con = connect(Path(args.db), read_only=True)
    try:
        found = read(con).units
    finally:
        con.close()
    if not found:
        print("magazyn nie ma jeszcze żadnego eksportu (python -m pipeline ingest ...)")
        return EXIT_OK
    print(f"{'kod':<8} {'nazwa':<40} {'pierwszy eksport':<17} {'ostatni eksport':<16} {'lata':<10} "
          f"{'wczytane':>8} {'odrzucone':>9}")
    for u in found:
        years = year_span(u.years)
        print(f"{u.code:<8} {u.name[:40]:<40} {day(u.first_export):<17} {day(u.last_export):<16} {years:<10} "
              f"{u.loads:>8} {u.rejected:>9}")
    return EXIT_OK


def mapping_from_args(args: argparse.Namespace):
    """The --mapping file, checked (a wrong one is a usage error), or None."""
    if not getattr(args, "mapping", None):
        return None
    from pipeline.read.mapping import MappingError, load_mapping
    from pipeline.read.personal import shown_name

    (path,) = existing_paths([args.mapping])
    try:
        return load_mapping(path)
    except MappingError as e:
        raise UsageError(f"[{e.code}] mapowanie {shown_name(path.name, 'plik', 1)}: {e.text}") from None


def mapped_from_args(args: argparse.Namespace, paths: list[Path]):
    """The exports with the --mapping applied (temporary copies named like the originals)."""
    from pipeline.read.mapping import mapped_exports

    return mapped_exports(paths, mapping_from_args(args))
