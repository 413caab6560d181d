"""Loading exports into the warehouse and what it holds: `ingest`, `validate`, `run`, `funding`, `migrate`, `units`.

Each command imports what it needs: none imports Great Expectations unless it validates.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.cli.errors import EXIT_OK, EXIT_REJECTED, UsageError, existing_paths
from pipeline.cli.validate import writable_file, writable_folder

if TYPE_CHECKING:
    pass


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
    with mapped_from_args(args, paths) as paths:
        results = ingest(paths, options, on_result=progress_printer(len(paths)))
    return EXIT_REJECTED if any(r.outcome == "rejected" for r in results) else EXIT_OK


def validate(args: argparse.Namespace) -> int:
    from pipeline.checks.gate import check_exports
    from pipeline.read.export import read_exports

    paths = existing_paths(args.paths)
    with mapped_from_args(args, paths) as paths:
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


def run(args: argparse.Namespace) -> int:
    from pipeline.jobs.run import run

    writable_file(Path(args.db), "magazyn danych")
    writable_folder(Path(args.out), "folder wyjściowy")
    return run(Path(args.db), Path(args.out), existing_paths(args.paths), args.caseload_limit, not args.no_notebooks)


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


def mapping_from_args(args: argparse.Namespace):
    """The --mapping file, checked (a wrong one is a usage error), or None."""
    if not getattr(args, "mapping", None):
        return None
    from pipeline.read.mapping import MappingError, load_mapping

    (path,) = existing_paths([args.mapping])
    try:
        return load_mapping(path)
    except MappingError as e:
        raise UsageError(f"mapowanie {path.name}: {e}") from None


def mapped_from_args(args: argparse.Namespace, paths: list[Path]):
    """The exports with the --mapping applied (temporary copies named like the originals)."""
    from pipeline.read.mapping import mapped_exports

    return mapped_exports(paths, mapping_from_args(args))
