"""The commands and flags of `python -m pipeline` (CLI.md is the contract; more is welcome)."""

from __future__ import annotations

import argparse
from typing import NoReturn

from pipeline.cli import documents, figures, load, needs, tools, validate
from pipeline.config import DEFAULT_CASELOAD_LIMIT, DEFAULT_REPORTS, default_db
from pipeline.indicators.disclosure import DEFAULT_THRESHOLD
from pipeline.indicators.periods import Period, PeriodError, parse_period


def _add_db(p: argparse.ArgumentParser) -> None:
    p.add_argument("--db", default=str(default_db()),
                   help="plik magazynu DuckDB (domyślnie data/warehouse.duckdb albo zmienna środowiskowa ASYSTENCI_DB)")


def _add_limit(p: argparse.ArgumentParser) -> None:
    p.add_argument("--caseload-limit", type=validate.caseload_limit, default=DEFAULT_CASELOAD_LIMIT,
                   help=f"ustawowy limit rodzin na asystenta (domyślnie {DEFAULT_CASELOAD_LIMIT})")


def _period(text: str) -> Period:
    try:
        return parse_period(text)
    except PeriodError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def _add_period(p: argparse.ArgumentParser, help_text: str, required: bool = False) -> None:
    p.add_argument("--period", type=_period, required=required, help=help_text)


def _add_publish(p: argparse.ArgumentParser) -> None:
    p.add_argument("--publish", action="store_true",
                   help="do publikacji: ukryj małe liczby (1 .. próg-1) i to, z czego dałoby się je odtworzyć")
    p.add_argument("--threshold", type=int, default=DEFAULT_THRESHOLD, help=f"próg --publish (domyślnie {DEFAULT_THRESHOLD})")


def _add_mapping(p: argparse.ArgumentParser) -> None:
    p.add_argument("--mapping", metavar="PLIK.toml",
                   help="mapowanie nazw tabel, kolumn i wartości słownikowych eksportu na kontrakt (przykład: data/examples/)")


_ARGPARSE_POLISH = (
    ("argument command:", "polecenie:"),
    ("the following arguments are required:", "brakuje wymaganych argumentów:"),
    ("unrecognized arguments:", "nieznane argumenty:"),
    ("invalid choice:", "niedozwolona wartość:"),
    ("(choose from", "(dozwolone:"),
    ("expected one argument", "oczekiwano jednej wartości"),
    ("invalid int value:", "niepoprawna liczba całkowita:"),
    ("not allowed with argument", "nie może wystąpić razem z argumentem"),
    ("one of the arguments", "jeden z argumentów"),
    ("is required", "jest wymagany"),
)


class _PolishParser(argparse.ArgumentParser):
    """argparse whose errors read like every other usage error: one Polish line `błąd użycia: ...`, exit 2."""

    def error(self, message: str) -> NoReturn:
        for english, polish in _ARGPARSE_POLISH:
            message = message.replace(english, polish)
        self.exit(2, f"błąd użycia: {message} (pomoc: {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """The whole command line."""
    parser = _PolishParser(prog="python -m pipeline", description="Analityka pracy asystentów rodziny (MOPS/GOPS).")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", help="wczytaj eksporty (folder, .zip, .xlsx) do magazynu")
    p.add_argument("paths", nargs="+", metavar="PATH")
    _add_db(p)
    p.add_argument("--reports", help="folder raportów (raporty jakości w quality/; domyślnie obok magazynu: "
                   "<folder magazynu>/quality/)")
    _add_limit(p)
    _add_mapping(p)
    p.add_argument("--allow-shrink", action="store_true",
                   help="wczytaj eksport pełny, nawet jeśli usuwa ponad 10%% bieżących rekordów jednostki")
    p.add_argument("--chunk-rows", type=load.chunk_rows, metavar="N",
                   help="ile wierszy (w przybliżeniu) zapisywać w jednej transakcji (domyślnie 2 000 000); mniej: "
                   "częstsze zatwierdzanie i postęp, wolniej")
    p.set_defaults(func=load.ingest)

    p = sub.add_parser("validate", help="sprawdź eksporty bez wczytywania")
    p.add_argument("paths", nargs="+", metavar="PATH")
    _add_limit(p)
    _add_mapping(p)
    p.set_defaults(func=load.validate)

    p = sub.add_parser("suites", help="sprawdź (albo --write: zapisz) zestawy reguł GX w expectations/")
    p.add_argument("--write", action="store_true")
    p.set_defaults(func=tools.suites)

    p = sub.add_parser("indicators", help="wskaźniki informacji rocznej za rok (albo --years: tabela trendu)")
    p.add_argument("--year", type=validate.year)
    p.add_argument("--years", type=validate.years, help="zakres lat, np. 2012-2025: jeden wiersz na rok")
    p.add_argument("--unit", type=validate.unit, help="kod TERYT jednostki (bez: wszystkie jednostki razem)")
    _add_db(p)
    p.add_argument("--format", choices=["json", "csv", "table"], default="table",
                   help="na ekran: table dla ludzi; json i csv dla skryptów (csv: przecinek, kropka dziesiętna, "
                        "UTF-8 bez BOM); dla Excela zapisz plik: --out plik.csv albo plik.xlsx")
    p.add_argument("--out", help="plik dla Excela: .xlsx (z arkuszem definicje) albo .csv (średnik, przecinek "
                                 "dziesiętny, UTF-8 z BOM) z tabelą lat")
    p.add_argument("--explain", metavar="KEY", help="wypisz pseudonimy rekordów, z których powstała liczba")
    p.add_argument("--cohorts", action="store_true",
                   help="z --unit: kohorty wejścia (zakończenia asystentur, powroty z pieczy) metodą Aalena–Johansena")
    _add_limit(p)
    _add_period(p, "okres zamiast roku: 2024, 2024-H1, 2024-Q3 albo 2024-01-01..2024-06-30")
    _add_publish(p)
    p.set_defaults(func=figures.indicators)

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
    p.set_defaults(func=tools.synth)

    p = sub.add_parser("run", help="główne zadanie: wczytaj eksporty demo (albo podane), policz, zapisz raporty")
    p.add_argument("paths", nargs="*", metavar="PATH", help="eksporty (domyślnie data/demo/)")
    _add_db(p)
    p.add_argument("--out", default=str(DEFAULT_REPORTS))
    _add_limit(p)
    p.add_argument("--no-notebooks", action="store_true", help="bez wykonywania notatników (szybciej)")
    p.set_defaults(func=load.run)

    for name, func, help_text, default_out in (
        ("report", documents.report, "informacja roczna za rok (HTML i DOCX)", DEFAULT_REPORTS),
        ("notebooks", documents.notebooks, "wykonaj notatniki analityczne do HTML", DEFAULT_REPORTS / "notebooks"),
    ):
        p = sub.add_parser(name, help=help_text)
        p.add_argument("--year", type=validate.year, help="rok (domyślnie ostatni pełny rok w magazynie)")
        p.add_argument("--unit", type=validate.unit, help="kod TERYT jednostki (bez: wszystkie razem)")
        _add_db(p)
        p.add_argument("--out", default=str(default_out))
        _add_limit(p)
        p.add_argument("--publish", action="store_true",
                       help="niedostępne (małe liczby wprost w tekście i tabelach); do publikacji: statement --publish")
        p.set_defaults(func=func)
    report = sub.choices["report"]
    report.add_argument("--templates", metavar="DIR", help="folder z własnymi szablonami informacji (brakujące: wbudowane)")
    report.add_argument("--init-templates", metavar="DIR", help="skopiuj wbudowane szablony do DIR (do edycji) i zakończ")

    p = sub.add_parser("units", help="wczytane jednostki: kod, nazwa, daty eksportów, lata, wczytania, odrzucenia")
    _add_db(p)
    p.set_defaults(func=load.units)

    p = sub.add_parser("statement", help="zestawienie za okres (XLSX i HTML) do sprawozdania półrocznego; nie urzędowy formularz")
    _add_period(p, "okres: 2024-H1, 2024-H2, 2024-Q3, 2024 albo 2024-01-01..2024-06-30", required=True)
    p.add_argument("--unit", help="kod TERYT jednostki (bez: wszystkie razem)")
    _add_db(p)
    p.add_argument("--out", default=str(DEFAULT_REPORTS), help="folder wyjściowy")
    _add_limit(p)
    _add_publish(p)
    p.set_defaults(func=figures.statement)

    p = sub.add_parser("docs", help="wygeneruj strony docs/ z kodu (wskaźniki, reguły)")
    p.set_defaults(func=documents.docs)

    p = sub.add_parser("migrate", help="zaktualizuj magazyn danych starszej wersji schematu do obecnej")
    _add_db(p)
    p.set_defaults(func=load.migrate)

    p = sub.add_parser("funding", help="wczytaj plik finansowania (finansowanie.csv) do magazynu")
    p.add_argument("path", metavar="PATH")
    _add_db(p)
    p.set_defaults(func=load.funding)

    p = sub.add_parser("compare", help="gdzie stoi jednostka wśród podobnych: kwartyle, pozycja, granice kontrolne")
    p.add_argument("--unit", required=True, help="kod TERYT jednostki")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--peers", choices=["type", "voivodeship", "size", "all"], default="type",
                   help="grupa porównawcza: rodzaj gminy (domyślnie), województwo, wielkość, wszystkie; gdy w grupie nie "
                        "ma innych jednostek, najbliższa niepusta (rodzaj gminy, wielkość, województwo, wszystkie)")
    p.add_argument("--size-bands", type=_bands, default=None,
                   help="dolne granice przedziałów wielkości (rodziny objęte wsparciem), np. 0,20,50,100")
    p.add_argument("--min-denominator", type=int, default=5, help="najmniejszy mianownik, przy którym porównujemy")
    p.add_argument("--out", help="plik .xlsx albo .html (z wykresami lejkowymi obok)")
    _add_db(p)
    _add_limit(p)
    p.set_defaults(func=figures.compare)

    p = sub.add_parser("needs", help="potrzeby na rok planowany: rodziny, etaty przy limicie, koszt, trafność metody")
    p.add_argument("--year", type=validate.year, help="rok planowany (domyślnie rok po ostatnim pełnym roku w magazynie)")
    p.add_argument("--unit", type=validate.unit, help="kod TERYT jednostki (bez: wszystkie jednostki razem)")
    _add_db(p)
    _add_limit(p)
    p.add_argument("--need-families", type=needs.need_families, metavar="N",
                   help="rodziny z pomocą z powodu bezradności w sprawach opiekuńczo-wychowawczych w roku poprzednim "
                   "(MRiPS-03): pokrycie potrzeb i luka")
    p.add_argument("--format", choices=["json", "table"], default="table")
    p.add_argument("--out", metavar="PLIK.xlsx", help="zapisz też skoroszyt .xlsx")
    p.set_defaults(func=needs.needs)

    p = sub.add_parser("template", help="zapisz szablon eksportu .xlsx do wypełnienia (listy rozwijane, instrukcja)")
    p.add_argument("--out", default="szablon.xlsx", help="plik .xlsx (domyślnie szablon.xlsx)")
    p.add_argument("--fill", metavar="EKSPORT", help="wpisz do szablonu dane istniejącego eksportu (np. folderu CSV)")
    p.set_defaults(func=documents.template)

    p = sub.add_parser("pseudonymise", help="zrób eksport z pseudonimami z eksportu z danymi identyfikującymi (klucz zostaje w ośrodku)")
    p.add_argument("source", metavar="SRC", help="eksport z danymi identyfikującymi (folder, .zip, .xlsx)")
    p.add_argument("--key", required=True, metavar="PLIK_KLUCZA", help="plik klucza; tworzony przy pierwszym użyciu (uprawnienia 600)")
    p.add_argument("--out", required=True, metavar="FOLDER", help="folder, do którego trafi eksport z pseudonimami (ta sama nazwa)")
    _add_mapping(p)
    p.set_defaults(func=tools.pseudonymise)
    return parser


def _bands(text: str) -> tuple[int, ...]:
    try:
        bands = tuple(sorted(int(x) for x in text.split(",")))
    except ValueError:
        raise argparse.ArgumentTypeError("oczekiwano liczb rozdzielonych przecinkami, np. 0,20,50,100") from None
    if not bands or bands[0] < 0:
        raise argparse.ArgumentTypeError("granice przedziałów muszą być nieujemne")
    return bands
