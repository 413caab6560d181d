"""What each table and column of the contract means, in Polish and English, with an example value.

The contract itself (names, types, dictionaries, keys, references) is `pipeline/contract.py`; this is
only the wording that the generated contract pages and the Excel template's instructions show beside
it.  A column the contract gains without a line here is still listed, with its type and rules.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.contract import Column, Table


@dataclass(frozen=True)
class Meaning:
    """A table's or column's meaning in Polish and English, and an example cell (as text)."""

    pl: str
    en: str
    example: str = ""


TABLE_MEANINGS: dict[str, Meaning] = {
    "metadane": Meaning("metadane eksportu: jeden wiersz na klucz", "the export's metadata: one row per key"),
    "asystenci": Meaning("asystenci rodziny zatrudnieni w jednostce", "the unit's family assistants"),
    "rodziny": Meaning("rodziny objęte wsparciem asystenta", "families supported by an assistant"),
    "asystentury": Meaning("epizody wsparcia rodziny przez asystenta (rodzina może mieć kilka na przestrzeni lat)",
                           "episodes of assistance (one family may have several over the years)"),
    "przydzialy": Meaning("który asystent pracuje z rodziną w danym epizodzie i od kiedy do kiedy",
                          "which assistant works with an episode, and when"),
    "dzieci": Meaning("dzieci w rodzinach (tylko miesiąc urodzenia)", "children of the families (month of birth only)"),
    "piecza": Meaning("umieszczenia dziecka w pieczy zastępczej", "placements of a child in foster care"),
    "problemy": Meaning("problemy rozpoznane w rodzinie w czasie epizodu", "problems diagnosed in the family during an episode"),
    "dzialania": Meaning("dziennik pracy asystenta", "the assistant's work log"),
    "oceny": Meaning("okresowe oceny sytuacji rodziny", "periodic assessments of the family's situation"),
    "projekty": Meaning("projekty socjalne i zajęcia grupowe prowadzone przez asystentów",
                        "social projects and group activities run by the assistants"),
}

_ID = Meaning("pseudonim rekordu (stały w kolejnych eksportach jednostki)", "the record's pseudonym (stable across the unit's exports)")

COLUMN_MEANINGS: dict[tuple[str, str], Meaning] = {
    ("asystenci", "id_asystenta"): Meaning(_ID.pl, _ID.en, "A-0001"),
    ("asystenci", "data_zatrudnienia"): Meaning("data zatrudnienia", "date of employment", "2019-04-01"),
    ("asystenci", "data_zakonczenia_zatrudnienia"): Meaning("data zakończenia zatrudnienia; pusta, gdy nadal pracuje",
                                                            "end of employment; empty while employed", ""),
    ("asystenci", "forma_zatrudnienia"): Meaning("forma zatrudnienia", "form of employment", "umowa o pracę"),
    ("asystenci", "system_czasu_pracy"): Meaning("system czasu pracy", "working-time system", "zadaniowy"),
    ("asystenci", "wymiar_etatu"): Meaning("wymiar etatu, większy od 0 i nie większy niż 1", "FTE, above 0 and at most 1", "1"),
    ("rodziny", "id_rodziny"): Meaning(_ID.pl, _ID.en, "R-0001"),
    ("rodziny", "typ_rodziny"): Meaning("typ rodziny", "type of family", "niepełna"),
    ("rodziny", "liczba_osob"): Meaning("liczba osób w rodzinie (co najmniej 1)", "persons in the family (at least 1)", "4"),
    ("rodziny", "wielodzietna"): Meaning("rodzina wielodzietna (troje i więcej dzieci)", "a large family (three or more children)", "Nie"),
    ("asystentury", "id_asystentury"): Meaning(_ID.pl, _ID.en, "E-0001"),
    ("asystentury", "id_rodziny"): Meaning("rodzina, której dotyczy epizod", "the family of the episode", "R-0001"),
    ("asystentury", "data_rozpoczecia"): Meaning("początek wsparcia", "start of the assistance", "2023-02-15"),
    ("asystentury", "data_zakonczenia"): Meaning("koniec wsparcia; pusta, gdy trwa", "end of the assistance; empty while ongoing", ""),
    ("asystentury", "przyczyna_zakonczenia"): Meaning("przyczyna zakończenia; wymagana wtedy i tylko wtedy, gdy jest data zakończenia",
                                                      "reason for closing; required if and only if the end date is set", ""),
    ("asystentury", "zobowiazanie_sadu"): Meaning("sąd rodzinny zobowiązał rodzinę do współpracy z asystentem",
                                                  "the family court obliged the family to work with the assistant", "Nie"),
    ("asystentury", "data_postanowienia_sadu"): Meaning("data postanowienia sądu; wymagana wtedy i tylko wtedy, gdy jest zobowiązanie",
                                                        "date of the court's order; required if and only if the court obliged", ""),
    ("asystentury", "za_zyciem"): Meaning("wsparcie w ramach ustawy „Za życiem”", "support under the \"Za życiem\" act", "Nie"),
    ("asystentury", "data_zakonczenia_monitoringu"): Meaning(
        "koniec monitoringu po zakończeniu wsparcia (zwykle 3 miesiące); pusta, gdy epizod trwa",
        "end of post-closure monitoring (normally 3 months); empty while the episode is ongoing", ""),
    ("przydzialy", "id_przydzialu"): Meaning(_ID.pl, _ID.en, "P-0001"),
    ("przydzialy", "id_asystentury"): Meaning("epizod wsparcia", "the episode", "E-0001"),
    ("przydzialy", "id_asystenta"): Meaning("asystent", "the assistant", "A-0001"),
    ("przydzialy", "data_od"): Meaning("początek pracy asystenta z rodziną (w czasie epizodu)",
                                       "start of the assignment (within the episode)", "2023-02-15"),
    ("przydzialy", "data_do"): Meaning("koniec przydziału; pusta = do końca epizodu",
                                       "end of the assignment; empty = until the episode ends", ""),
    ("dzieci", "id_dziecka"): Meaning(_ID.pl, _ID.en, "D-0001"),
    ("dzieci", "id_rodziny"): Meaning("rodzina dziecka", "the child's family", "R-0001"),
    ("dzieci", "miesiac_urodzenia"): Meaning("miesiąc urodzenia RRRR-MM (bez dnia)", "month of birth YYYY-MM (no day)", "2016-05"),
    ("dzieci", "plec"): Meaning("płeć: K albo M", "sex: K or M", "K"),
    ("dzieci", "niepelnosprawnosc"): Meaning("dziecko z niepełnosprawnością", "a child with a disability", "Nie"),
    ("piecza", "id_umieszczenia"): Meaning(_ID.pl, _ID.en, "U-0001"),
    ("piecza", "id_dziecka"): Meaning("umieszczone dziecko", "the child placed", "D-0001"),
    ("piecza", "data_umieszczenia"): Meaning("data umieszczenia", "date of the placement", "2024-03-10"),
    ("piecza", "data_zakonczenia"): Meaning("koniec umieszczenia; pusta, gdy trwa", "end of the placement; empty while placed", ""),
    ("piecza", "forma_pieczy"): Meaning("forma pieczy", "form of foster care", "rodzinna"),
    ("piecza", "przyczyna_zakonczenia"): Meaning("przyczyna zakończenia; wymagana wtedy i tylko wtedy, gdy jest data zakończenia",
                                                 "reason for ending; required if and only if the end date is set", ""),
    ("problemy", "id_problemu"): Meaning(_ID.pl, _ID.en, "PR-0001"),
    ("problemy", "id_asystentury"): Meaning("epizod wsparcia", "the episode", "E-0001"),
    ("problemy", "problem"): Meaning("rozpoznany problem", "the problem diagnosed", "bezrobocie"),
    ("dzialania", "id_dzialania"): Meaning(_ID.pl, _ID.en, "DZ-0001"),
    ("dzialania", "id_asystentury"): Meaning("epizod wsparcia", "the episode", "E-0001"),
    ("dzialania", "id_asystenta"): Meaning("asystent", "the assistant", "A-0001"),
    ("dzialania", "data"): Meaning("data działania", "date of the activity", "2024-05-06"),
    ("dzialania", "rodzaj"): Meaning("rodzaj działania", "kind of activity", "porada"),
    ("dzialania", "liczba"): Meaning("liczba działań (co najmniej 1); pusta = 1", "number of acts (at least 1); empty = 1", "1"),
    ("oceny", "id_oceny"): Meaning(_ID.pl, _ID.en, "O-0001"),
    ("oceny", "id_asystentury"): Meaning("epizod wsparcia", "the episode", "E-0001"),
    ("oceny", "data_oceny"): Meaning("data oceny (w czasie epizodu)", "date of the assessment (within the episode)", "2024-06-30"),
    ("projekty", "id_projektu"): Meaning(_ID.pl, _ID.en, "PJ-0001"),
    ("projekty", "nazwa"): Meaning("publiczny tytuł projektu (sprawdzany pod kątem danych osobowych)",
                                   "the project's public title (scanned for personal data)", "Mikołaj w Krainie Lodu"),
    ("projekty", "rodzaj"): Meaning("rodzaj projektu", "kind of project", "zajęcia grupowe"),
    ("projekty", "data_od"): Meaning("początek projektu", "start of the project", "2024-12-01"),
    ("projekty", "data_do"): Meaning("koniec projektu", "end of the project", "2024-12-20"),
    ("projekty", "liczba_dzieci"): Meaning("liczba dzieci, które wzięły udział", "children who took part", "12"),
    ("projekty", "liczba_rodzin"): Meaning("liczba rodzin, które wzięły udział (może być pusta)",
                                           "families who took part (may be empty)", "7"),
}

METADATA_MEANINGS: dict[str, Meaning] = {
    "jednostka": Meaning("7-cyfrowy kod TERYT gminy jednostki", "the unit: 7-digit TERYT code of the gmina", "1603011"),
    "nazwa_jednostki": Meaning("nazwa jednostki (tekst)", "the unit's name (free text)", "MOPS Kędzierzyn-Koźle"),
    "data_eksportu": Meaning("data wykonania eksportu", "date the export was made", "2025-01-15"),
    "okres_od": Meaning("początek okresu, którego dotyczy eksport", "start of the period the export covers", "2024-01-01"),
    "okres_do": Meaning("koniec okresu (nie później niż data eksportu)", "end of the period (not after data_eksportu)", "2024-12-31"),
    "zakres": Meaning("pełny (wszystkie rekordy jednostki) albo okresowy", "pełny (every record of the unit) or okresowy", "pełny"),
    "wersja_formatu": Meaning("wersja formatu eksportu", "the export format's version", "1"),
    "zastepuje_tabele": Meaning(
        "opcjonalny: tabele opcjonalne, które eksport pełny zastępuje, choć ich nie zawiera (rozdzielone przecinkami); "
        "ich rekordy jednostki zostaną usunięte. Bez tego klucza tabela opcjonalna pominięta w eksporcie pełnym "
        "zostaje taka, jaka była",
        "optional: the optional tables a pełny export replaces although it leaves them out (comma-separated); the "
        "unit's records of them are removed (and counted by the --allow-shrink guard). Without this key an optional "
        "table a pełny export leaves out keeps its records as they were",
        "projekty, problemy"),
}

TYPE_NAMES: dict[str, Meaning] = {
    "id": Meaning("identyfikator (tekst)", "id (text)"),
    "date": Meaning("data", "date"),
    "decimal": Meaning("liczba dziesiętna", "decimal"),
    "integer": Meaning("liczba całkowita", "integer"),
    "bool": Meaning("tak/nie", "boolean"),
    "dict": Meaning("słownik", "dictionary"),
    "month": Meaning("miesiąc RRRR-MM", "month YYYY-MM"),
    "text": Meaning("tekst", "text"),
}


def table_meaning(table: Table) -> Meaning:
    return TABLE_MEANINGS.get(table.name, Meaning(table.label, table.label))


def column_meaning(table: Table, column: Column) -> Meaning:
    """The column's meaning; a column without wording here gets its reference or nothing."""
    found = COLUMN_MEANINGS.get((table.name, column.name))
    if found is not None:
        return found
    if column.references:
        return Meaning(f"rekord tabeli {column.references}", f"a record of {column.references}")
    return Meaning("", "", column.values[0] if column.values else "")


def type_name(column: Column, lang: str) -> str:
    names = TYPE_NAMES.get(column.type, Meaning(column.type, column.type))
    return names.pl if lang == "pl" else names.en
