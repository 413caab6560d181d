"""The commands and flags of `python -m pipeline` (CLI.md is the contract; more is welcome)."""

from __future__ import annotations

import argparse

from pipeline.cli import commands, validate
from pipeline.config import DEFAULT_CASELOAD_LIMIT, DEFAULT_REPORTS, default_db


def _add_db(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", default=str(default_db()),
                   help="plik magazynu DuckDB (domyślnie data/warehouse.duckdb albo zmienna środowiskowa ASYSTENCI_DB)")


def _add_limit(p: argparse.ArgumentParser) -> None:
    p.add_argument("--caseload-limit", type=int, default=DEFAULT_CASELOAD_LIMIT,
                   help=f"ustawowy limit rodzin na asystenta (domyślnie {DEFAULT_CASELOAD_LIMIT})")


def build_parser() -> argparse.ArgumentParser:
    """The whole command line."""
    parser = argparse.ArgumentParser(prog="python -m pipeline", description="Analityka pracy asystentów rodziny (MOPS/GOPS).")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="wczytaj eksporty (folder, .zip, .xlsx) do magazynu")
    p.add_argument("paths", nargs="+", metavar="PATH")
    _add_db(p)
    p.add_argument("--reports", default=str(DEFAULT_REPORTS), help="folder raportów (raporty jakości w quality/)")
    _add_limit(p)
    p.add_argument("--allow-shrink", action="store_true",
                   help="wczytaj eksport pełny, nawet jeśli usuwa ponad 10%% bieżących rekordów jednostki")
    p.set_defaults(func=commands.ingest)

    p = sub.add_parser("validate", help="sprawdź eksporty bez wczytywania")
    p.add_argument("paths", nargs="+", metavar="PATH")
    _add_limit(p)
    p.set_defaults(func=commands.validate)

    p = sub.add_parser("suites", help="sprawdź (albo --write: zapisz) zestawy reguł GX w expectations/")
    p.add_argument("--write", action="store_true")
    p.set_defaults(func=commands.suites)

    p = sub.add_parser("indicators", help="wskaźniki informacji rocznej za rok (albo --years: tabela trendu)")
    p.add_argument("--year", type=validate.year)
    p.add_argument("--years", type=validate.years, help="zakres lat, np. 2012-2025: jeden wiersz na rok")
    p.add_argument("--unit", type=validate.unit, help="kod TERYT jednostki (bez: wszystkie jednostki razem)")
    _add_db(p)
    p.add_argument("--format", choices=["json", "csv", "table"], default="table")
    p.add_argument("--out", help="z --years: plik .csv albo .xlsx (domyślnie CSV na wyjście)")
    p.add_argument("--explain", metavar="KEY", help="wypisz pseudonimy rekordów, z których powstała liczba")
    _add_limit(p)
    p.set_defaults(func=commands.indicators)

    p = sub.add_parser("synth", help="wygeneruj syntetyczne eksporty (demo albo krajowe)")
    p.add_argument("--preset", choices=["demo", "national"], default="demo")
    p.add_argument("--out", help="folder wyjściowy (demo: data/demo, national: data/national)")
    p.add_argument("--units", type=int, default=2477, help="national: liczba jednostek (ułamek zestawu krajowego)")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--container", choices=["folder", "zip", "xlsx"], default="folder")
    p.add_argument("--encoding", choices=["utf-8", "utf-8-sig", "windows-1250"], default="utf-8")
    p.add_argument("--dates", choices=["iso", "pl"], default="iso")
    p.add_argument("--strip-diacritics", action="store_true")
    p.add_argument("--totals", action="store_true", help="national: tylko sumy roczne prawdziwej historii obok danych opublikowanych")
    p.set_defaults(func=commands.synth)

    p = sub.add_parser("run", help="główne zadanie: wczytaj eksporty demo (albo podane), policz, zapisz raporty")
    p.add_argument("paths", nargs="*", metavar="PATH", help="eksporty (domyślnie data/demo/)")
    _add_db(p)
    p.add_argument("--out", default=str(DEFAULT_REPORTS))
    _add_limit(p)
    p.add_argument("--no-notebooks", action="store_true", help="bez wykonywania notatników (szybciej)")
    p.set_defaults(func=commands.run)

    for name, func, help_text, default_out in (
        ("report", commands.report, "informacja roczna za rok (HTML i DOCX)", DEFAULT_REPORTS),
        ("notebooks", commands.notebooks, "wykonaj notatniki analityczne do HTML", DEFAULT_REPORTS / "notebooks"),
    ):
        p = sub.add_parser(name, help=help_text)
        p.add_argument("--year", type=validate.year, help="rok (domyślnie ostatni pełny rok w magazynie)")
        p.add_argument("--unit", type=validate.unit, help="kod TERYT jednostki (bez: wszystkie razem)")
        _add_db(p)
        p.add_argument("--out", default=str(default_out))
        _add_limit(p)
        p.set_defaults(func=func)

    p = sub.add_parser("docs", help="wygeneruj strony docs/ z kodu (wskaźniki, reguły)")
    p.set_defaults(func=commands.docs)

    p = sub.add_parser("migrate", help="zaktualizuj magazyn danych starszej wersji schematu do obecnej")
    _add_db(p)
    p.set_defaults(func=commands.migrate)

    p = sub.add_parser("funding", help="wczytaj plik finansowania (finansowanie.csv) do magazynu")
    p.add_argument("path", metavar="PATH")
    _add_db(p)
    p.set_defaults(func=commands.funding)
    return parser
