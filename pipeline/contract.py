"""The export contract (format version 1) as code.

One place describes every table, column, type, key, reference and dictionary
of the anonymised case export.  The readers, the expectation suites, the
warehouse schema and the docs are all derived from it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Literal

ColumnType = Literal["id", "date", "decimal", "integer", "bool", "dict", "month", "text"]

FORMAT_VERSION = "1"
UNDEFINED_CP1250_BYTES = (0x81, 0x83, 0x88, 0x90, 0x98)


@dataclass(frozen=True)
class Column:
    """One column of a table: its type and whether an empty cell is allowed."""

    name: str
    type: ColumnType
    required: bool = True
    values: tuple[str, ...] = ()
    references: str | None = None  # name of the table whose key this column holds
    label: str = ""


@dataclass(frozen=True)
class Table:
    """One table of an export; `key` is its own id column."""

    name: str
    label: str
    key: str
    columns: tuple[Column, ...]
    optional: bool = False

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


def _id(name: str, references: str | None = None) -> Column:
    return Column(name, "id", references=references)


TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "asystenci",
            "asystenci rodziny",
            "id_asystenta",
            (
                _id("id_asystenta"),
                Column("data_zatrudnienia", "date"),
                Column("data_zakonczenia_zatrudnienia", "date", required=False),
                Column(
                    "forma_zatrudnienia",
                    "dict",
                    values=("umowa o pracę", "umowa cywilnoprawna", "inna"),
                ),
                Column(
                    "system_czasu_pracy",
                    "dict",
                    values=("zadaniowy", "podstawowy", "równoważny", "inny"),
                ),
                Column("wymiar_etatu", "decimal"),
            ),
        ),
        Table(
            "rodziny",
            "rodziny",
            "id_rodziny",
            (
                _id("id_rodziny"),
                Column(
                    "typ_rodziny",
                    "dict",
                    values=("pełna", "niepełna", "zrekonstruowana", "inna"),
                ),
                Column("liczba_osob", "integer"),
                Column("wielodzietna", "bool"),
            ),
        ),
        Table(
            "asystentury",
            "asystentury (epizody wsparcia)",
            "id_asystentury",
            (
                _id("id_asystentury"),
                _id("id_rodziny", "rodziny"),
                Column("data_rozpoczecia", "date"),
                Column("data_zakonczenia", "date", required=False),
                Column(
                    "przyczyna_zakonczenia",
                    "dict",
                    required=False,
                    values=(
                        "osiągnięcie celów",
                        "brak współpracy rodziny",
                        "brak efektów",
                        "zmiana metody pracy",
                        "zmiana miejsca zamieszkania",
                        "umieszczenie dzieci w pieczy zastępczej",
                        "inna",
                    ),
                ),
                Column("zobowiazanie_sadu", "bool"),
                Column("data_postanowienia_sadu", "date", required=False),
                Column("za_zyciem", "bool"),
                Column("data_zakonczenia_monitoringu", "date", required=False),
            ),
        ),
        Table(
            "przydzialy",
            "przydziały asystentów",
            "id_przydzialu",
            (
                _id("id_przydzialu"),
                _id("id_asystentury", "asystentury"),
                _id("id_asystenta", "asystenci"),
                Column("data_od", "date"),
                Column("data_do", "date", required=False),
            ),
        ),
        Table(
            "dzieci",
            "dzieci",
            "id_dziecka",
            (
                _id("id_dziecka"),
                _id("id_rodziny", "rodziny"),
                Column("miesiac_urodzenia", "month"),
                Column("plec", "dict", values=("K", "M")),
                Column("niepelnosprawnosc", "bool"),
            ),
        ),
        Table(
            "piecza",
            "piecza zastępcza",
            "id_umieszczenia",
            (
                _id("id_umieszczenia"),
                _id("id_dziecka", "dzieci"),
                Column("data_umieszczenia", "date"),
                Column("data_zakonczenia", "date", required=False),
                Column("forma_pieczy", "dict", values=("rodzinna", "instytucjonalna")),
                Column(
                    "przyczyna_zakonczenia",
                    "dict",
                    required=False,
                    values=(
                        "powrót do rodziny biologicznej",
                        "przysposobienie",
                        "usamodzielnienie",
                        "zmiana formy pieczy",
                        "inna",
                    ),
                ),
            ),
        ),
        Table(
            "problemy",
            "problemy rodziny",
            "id_problemu",
            (
                _id("id_problemu"),
                _id("id_asystentury", "asystentury"),
                Column(
                    "problem",
                    "dict",
                    values=(
                        "ubóstwo",
                        "bezrobocie",
                        "niepełnosprawność",
                        "długotrwała lub ciężka choroba",
                        "bezradność w sprawach opiekuńczo-wychowawczych",
                        "przemoc domowa",
                        "alkoholizm",
                        "narkomania",
                        "migracja zarobkowa",
                        "inny",
                    ),
                ),
            ),
            optional=True,
        ),
        Table(
            "dzialania",
            "działania asystentów",
            "id_dzialania",
            (
                _id("id_dzialania"),
                _id("id_asystentury", "asystentury"),
                _id("id_asystenta", "asystenci"),
                Column("data", "date"),
                Column(
                    "rodzaj",
                    "dict",
                    values=(
                        "porada",
                        "konsultacja",
                        "wizyta w domu rodziny",
                        "posiedzenie grupy diagnostyczno-pomocowej",
                        "trening umiejętności",
                        "inne",
                    ),
                ),
                Column("liczba", "integer", required=False),
            ),
        ),
        Table(
            "oceny",
            "oceny sytuacji rodziny",
            "id_oceny",
            (
                _id("id_oceny"),
                _id("id_asystentury", "asystentury"),
                Column("data_oceny", "date"),
            ),
            optional=True,
        ),
        Table(
            "projekty",
            "projekty socjalne i zajęcia grupowe",
            "id_projektu",
            (
                _id("id_projektu"),
                Column("nazwa", "text"),  # the project's public title: free text, scanned for personal data
                Column("rodzaj", "dict", values=("projekt socjalny", "zajęcia grupowe", "wydarzenie", "inny")),
                Column("data_od", "date"),
                Column("data_do", "date"),
                Column("liczba_dzieci", "integer"),
                Column("liczba_rodzin", "integer", required=False),
            ),
            optional=True,
        ),
    )
}

# Tables in an order where every referenced table comes first.
TABLE_ORDER: tuple[str, ...] = tuple(TABLES)

METADATA_TABLE = "metadane"
METADATA_COLUMNS = ("klucz", "wartosc")
METADATA_KEYS: dict[str, ColumnType | Literal["text", "zakres", "version", "teryt"]] = {
    "jednostka": "teryt",
    "nazwa_jednostki": "text",
    "data_eksportu": "date",
    "okres_od": "date",
    "okres_do": "date",
    "zakres": "zakres",
    "wersja_formatu": "version",
}
ZAKRES_VALUES = ("pełny", "okresowy")
# Keys an export may leave out.  `zastepuje_tabele`: the optional tables a `pełny` export replaces even when it leaves
# them out (comma-separated, e.g. "projekty, problemy"): their records of the unit are removed.  Without it, an
# optional table a `pełny` export leaves out keeps its records as they were.
REPLACES_KEY = "zastepuje_tabele"
OPTIONAL_METADATA_KEYS: dict[str, Literal["tables"]] = {REPLACES_KEY: "tables"}

ALL_TABLE_NAMES: tuple[str, ...] = (METADATA_TABLE, *TABLE_ORDER)

# Reference data kept by the analyst (not part of an export).
FUNDING_COLUMNS = ("jednostka", "rok", "zrodlo", "kwota", "liczba_asystentow")
FUNDING_SOURCES = ("program Asystent rodziny", "środki własne", "inne")

_DIACRITICS = str.maketrans("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ", "acelnoszzACELNOSZZ")
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Fold a dictionary value for matching: case, runs of spaces, Polish diacritics."""
    text = _SPACES.sub(" ", text.strip()).lower().translate(_DIACRITICS)
    # Any other combining marks (e.g. a decomposed "ó") are stripped as well.
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def dictionary_lookup(column: Column) -> dict[str, str]:
    """Map folded spellings of a dictionary column to their canonical label."""
    return {fold(v): v for v in column.values}


@dataclass(frozen=True)
class Reference:
    """A column of `table` that must hold a key of `target` in the same export."""

    table: str
    column: str
    target: str


def references() -> list[Reference]:
    """Every cross-table reference of the contract."""
    return [
        Reference(t.name, c.name, c.references)
        for t in TABLES.values()
        for c in t.columns
        if c.references
    ]


@dataclass
class ExportMetadata:
    """The typed `metadane` of one export."""

    jednostka: str
    nazwa_jednostki: str
    data_eksportu: date
    okres_od: date
    okres_do: date
    zakres: str
    wersja_formatu: str
    zastepuje_tabele: tuple[str, ...] = ()  # optional tables a `pełny` export replaces though it leaves them out
