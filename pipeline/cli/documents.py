"""The documents a person receives: `report` (the annual information), `notebooks`, `template`, `docs`.

Each command imports what it needs: none imports Great Expectations unless it validates.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.cli.errors import EXIT_OK, EXIT_REJECTED, UsageError, existing_paths
from pipeline.cli.validate import writable_file, writable_folder

if TYPE_CHECKING:
    pass


def _report_year(args: argparse.Namespace) -> int | None:
    """The year asked for (one the loaded exports cover), else the last complete year in the warehouse.

    Sets `args.unit` to the loaded unit it names (a dropped leading zero restored); a UsageError for a unit or a
    year the warehouse does not hold."""
    from pipeline.cli import guards
    from pipeline.warehouse import coverage
    from pipeline.warehouse.connection import connect

    con = connect(Path(args.db), read_only=True)
    try:
        args.unit = guards.resolve_unit(con, args.unit)
        covered = coverage.read(con)
        year = args.year if args.year is not None else covered.last_complete_year(args.unit)
        if year is None and covered.of(args.unit):
            raise UsageError(f"eksporty obejmują {covered.summary(args.unit)}, ale nie obejmują żadnego całego roku "
                             f"(do 31 grudnia); podaj rok: --year {covered.years(args.unit)[-1]}")
        if year is not None and (note := guards.check_period(con, year, args.unit).note()):
            print(f"uwaga: rok {year}: {note}", file=sys.stderr)
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
    from pipeline.outputs.annual.report import init_templates, write_report
    from pipeline.outputs.templating import TemplateFailed, template_errors
    from pipeline.warehouse.connection import connect

    _not_publishable("informacja roczna nie ma", args)
    if args.init_templates:
        writable_folder(Path(args.init_templates), "folder szablonów")
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
        with template_errors():
            paths = write_report(con, year, args.unit, Path(args.out), args.caseload_limit, templates=templates)
    except TemplateFailed as e:
        raise UsageError(f"{e.problem.describe()}; informacji nie zapisano") from None
    finally:
        con.close()
    for path in paths:
        print(f"zapisano {path}")
    return EXIT_OK


def notebooks(args: argparse.Namespace) -> int:
    from pipeline.outputs.notebooks.runner import NotebookFailed, run_notebooks

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


def template(args: argparse.Namespace) -> int:
    from pipeline.outputs.contract.template import fill_from_export, write_template

    out = Path(args.out)
    if out.suffix.lower() != ".xlsx":
        raise UsageError("szablon to plik .xlsx: podaj --out NAZWA.xlsx")
    writable_file(out, "plik szablonu")
    if not args.fill:
        print(f"zapisano {write_template(out)}")
        return EXIT_OK
    from pipeline.read.export import read_export
    from pipeline.read.names import safe_name

    (source,) = existing_paths([args.fill])
    shown = safe_name(source.name) or "podanego (nazwy nie pokazujemy: może zawierać dane osobowe)"
    data = read_export(source)
    if data.problems or data.meta is None:
        print(f"nie wypełniono szablonu: eksportu {shown} nie da się odczytać bez błędów", file=sys.stderr)
        for p in data.problems:
            print(f"    - {p.describe()}", file=sys.stderr)
        return EXIT_REJECTED
    print(f"zapisano {fill_from_export(out, data)} (dane z eksportu {shown})")
    return EXIT_OK


def docs(args: argparse.Namespace) -> int:
    from pipeline.outputs.contract.docs import write_docs

    for path in write_docs():
        print(f"zapisano {path}")
    return EXIT_OK
