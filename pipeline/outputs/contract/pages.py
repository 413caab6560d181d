"""docs/contract.md (English) and docs/kontrakt.md (Polish): the whole export contract, generated from
`pipeline/contract.py` and the rule catalogue, so that a centre can make its export from the repository alone."""

from __future__ import annotations

from collections import defaultdict

from pipeline.contract import (
    FORMAT_VERSION,
    METADATA_KEYS,
    METADATA_TABLE,
    OPTIONAL_METADATA_KEYS,
    TABLES,
    UNDEFINED_CP1250_BYTES,
    ZAKRES_VALUES,
    Column,
    Table,
)
from pipeline.outputs.contract.text import METADATA_MEANINGS, column_meaning, table_meaning, type_name

_WORDS = {
    "en": {
        "title": f"# The export contract (format version {FORMAT_VERSION})",
        "generated": "Generated from `pipeline/contract.py` and the rule catalogue (`pipeline/checks/rules/`) by "
                     "`python -m pipeline docs`; a test fails while this page differs. The Polish version is `docs/kontrakt.md`.",
        "table": "table", "column": "column", "type": "type", "required": "required", "meaning": "meaning",
        "values": "allowed values / references", "yes": "yes", "no": "may be empty", "key": "key",
        "optional": "optional table (may be left out)", "mandatory": "required table (present even if it has only the header)",
        "refs": "must exist in", "rules": "Rules", "code": "code", "severity": "severity", "message": "message (as printed)",
        "meta_key": "key", "meta_value": "value",
        "unique": "unique within the export",
    },
    "pl": {
        "title": f"# Kontrakt eksportu (wersja formatu {FORMAT_VERSION})",
        "generated": "Strona wygenerowana z `pipeline/contract.py` i katalogu reguł (`pipeline/checks/rules/`) poleceniem "
                     "`python -m pipeline docs`; test nie przejdzie, dopóki strona się różni. Wersja angielska: `docs/contract.md`.",
        "table": "tabela", "column": "kolumna", "type": "typ", "required": "wymagana", "meaning": "znaczenie",
        "values": "dozwolone wartości / odwołania", "yes": "tak", "no": "może być pusta", "key": "klucz",
        "optional": "tabela opcjonalna (można ją pominąć)", "mandatory": "tabela wymagana (obecna nawet z samym nagłówkiem)",
        "refs": "musi istnieć w", "rules": "Reguły", "code": "kod", "severity": "waga", "message": "komunikat",
        "meta_key": "klucz", "meta_value": "wartość",
        "unique": "unikalny w eksporcie",
    },
}

_CONTAINERS = {
    "en": """## What an export is

One export is one of:

- a folder holding one file `NAME.csv` per table;
- a `.zip` holding the same files (at its root or in one folder);
- one `.xlsx` workbook with one sheet per table, the sheet named `NAME` (`python -m pipeline template --out szablon.xlsx`
  writes an empty one with drop-down lists; its `instrukcja` sheet and the hidden `listy` sheet may stay in the
  workbook as long as they are unchanged).

File and sheet names are matched case-insensitively. Optional tables may be missing; every other table must be
present, even if it has only the header row. Any other file or sheet is an error: identifying data can slip in that way.""",
    "pl": """## Czym jest eksport

Eksport to jedno z:

- folder z jednym plikiem `NAZWA.csv` na tabelę;
- archiwum `.zip` z tymi samymi plikami (w korzeniu albo w jednym folderze);
- jeden skoroszyt `.xlsx` z arkuszem na tabelę, arkusz nazwany `NAZWA` (`python -m pipeline template --out szablon.xlsx`
  zapisuje pusty szablon z listami rozwijanymi; jego arkusze `instrukcja` i ukryty `listy` mogą zostać w
  skoroszycie, jeśli nie były zmieniane).

Nazwy plików i arkuszy porównuje się bez względu na wielkość liter. Tabele opcjonalne można pominąć; każda inna tabela
musi być obecna, nawet z samym wierszem nagłówka. Każdy inny plik albo arkusz to błąd: tą drogą mogą przeniknąć dane osobowe.""",
}

_BYTES = ", ".join(f"0x{b:02X}" for b in UNDEFINED_CP1250_BYTES)

_DIALECT_ROWS = {
    "en": [
        ("encoding", "each file on its own: UTF-8 (with or without BOM) if it decodes, otherwise Windows-1250. A file that "
                     "starts with a UTF-8 BOM but does not decode, or holds a byte Windows-1250 leaves undefined "
                     f"({_BYTES}), is rejected with the file's name and the byte offset"),
        ("CSV", "separator `;`, quote `\"`, first row the header; header names in any case, surrounding spaces trimmed, "
                "any column order; every listed column present, no other column"),
        ("cells", "trimmed; a cell empty after trimming is missing; ids are then compared exactly"),
        ("dates", "`YYYY-MM-DD` or `DD.MM.YYYY`; in `.xlsx` also real Excel dates. Every date is on or before `data_eksportu`"),
        ("decimals", "comma or dot: `0,5` or `0.5`"),
        ("integers", "`5`; also `5.0` or `5,0`"),
        ("booleans", "`T`/`N`, `Tak`/`Nie`, `1`/`0`, `true`/`false`, in any case; Excel booleans"),
        ("dictionaries", "the values listed below, in any case, runs of spaces folded, with or without Polish diacritics "
                         "(`osiagniecie celow` = `osiągnięcie celów`; `ł` → `l` too). Anything else is an error that "
                         "lists the allowed values"),
        ("month of birth", "`YYYY-MM`; in `.xlsx` also a date Excel made of it (its month counts)"),
        ("`jednostka` in `.xlsx`", "a 6-digit number gets its leading zero back (Excel drops it)"),
    ],
    "pl": [
        ("kodowanie", "każdy plik osobno: UTF-8 (z BOM albo bez), jeśli się dekoduje, w przeciwnym razie Windows-1250. "
                      "Plik ze znacznikiem BOM, który się nie dekoduje, albo z bajtem niezdefiniowanym w Windows-1250 "
                      f"({_BYTES}) jest odrzucany z nazwą pliku i pozycją bajtu"),
        ("CSV", "separator `;`, cudzysłów `\"`, pierwszy wiersz to nagłówek; nazwy kolumn w dowolnej wielkości liter, "
                "bez otaczających spacji, w dowolnej kolejności; każda wymieniona kolumna obecna, żadnej innej"),
        ("komórki", "przycinane; komórka pusta po przycięciu to brak wartości; identyfikatory porównuje się dokładnie"),
        ("daty", "`RRRR-MM-DD` albo `DD.MM.RRRR`; w `.xlsx` także prawdziwe daty Excela. Każda data nie później niż `data_eksportu`"),
        ("liczby dziesiętne", "przecinek albo kropka: `0,5` albo `0.5`"),
        ("liczby całkowite", "`5`; także `5.0` albo `5,0`"),
        ("wartości tak/nie", "`T`/`N`, `Tak`/`Nie`, `1`/`0`, `true`/`false`, w dowolnej wielkości liter; wartości logiczne Excela"),
        ("słowniki", "wartości wymienione niżej, w dowolnej wielkości liter, ze zwiniętymi spacjami, z polskimi znakami "
                     "albo bez (`osiagniecie celow` = `osiągnięcie celów`; także `ł` → `l`). Każda inna wartość to błąd "
                     "z listą dozwolonych"),
        ("miesiąc urodzenia", "`RRRR-MM`; w `.xlsx` także data, którą zrobił z niego Excel (liczy się miesiąc)"),
        ("`jednostka` w `.xlsx`", "6-cyfrowa liczba dostaje z powrotem wiodące zero (Excel je gubi)"),
    ],
}
_DIALECT_TAIL = {
    "en": """An export whose columns or dictionary values are named the source system's way can be read with a mapping file:
`--mapping FILE.toml` for `validate`, `ingest` and `pseudonymise` (example: `data/examples/`).""",
    "pl": """Eksport, który nazywa kolumny albo wartości słownikowe po swojemu, można wczytać z plikiem mapowania:
`--mapping PLIK.toml` dla `validate`, `ingest` i `pseudonymise` (przykład: `data/examples/`).""",
}


def _dialect(lang: str) -> list[str]:
    head = ["## How cells are written", "", "| what | accepted |"] if lang == "en" else \
        ["## Jak zapisywać komórki", "", "| co | akceptowane |"]
    return [*head, "|---|---|", *(f"| {a} | {b} |" for a, b in _DIALECT_ROWS[lang]), "", _DIALECT_TAIL[lang]]


_PERSONAL = {
    "en": """## Personal data

An export holds no personal data: ids are pseudonyms made at the centre (stable across the unit's exports, unique
within the unit; `python -m pipeline pseudonymise` makes them from an identified export with a key kept at the centre).
Besides unknown files, sheets and columns, an export is rejected when any cell of any table (ids and `metadane`
included) holds a PESEL (a run of exactly 11 digits with a valid check digit), an e-mail address, or a Polish phone
number (9 digits, optionally after `+48` or `0048`, together or grouped 3-3-3 or 2-3-2-2 with spaces or hyphens).
Parsed dates are not scanned as text; in `.xlsx` a whole number of 10 digits is also checked with its leading zero
restored. Messages name the table, column and row, never the value.""",
    "pl": """## Dane osobowe

Eksport nie zawiera danych osobowych: identyfikatory to pseudonimy nadane w ośrodku (stałe w kolejnych eksportach
jednostki, unikalne w jednostce; `python -m pipeline pseudonymise` nadaje je eksportowi z danymi identyfikującymi
kluczem przechowywanym w ośrodku). Poza nieznanymi plikami, arkuszami i kolumnami eksport jest odrzucany, gdy
jakakolwiek komórka (także identyfikatory i `metadane`) zawiera numer PESEL (ciąg dokładnie 11 cyfr z poprawną cyfrą
kontrolną), adres e-mail albo polski numer telefonu (9 cyfr, ewentualnie po `+48` albo `0048`, razem albo w grupach
3-3-3 lub 2-3-2-2 ze spacjami lub łącznikami). Odczytane daty nie są sprawdzane jako tekst; w `.xlsx` liczba
10-cyfrowa jest sprawdzana także z przywróconym wiodącym zerem. Komunikaty wskazują tabelę, kolumnę i wiersz,
nigdy wartość.""",
}

_MERGE = {
    "en": """## Several exports over the years

- A record is identified by (`jednostka`, table, id). The version from the export with the latest `data_eksportu`
  wins, whatever order the exports were loaded in; between two exports with the same `data_eksportu`, the one loaded
  later wins.
- Once an export of `zakres = pełny` is loaded, a record of that unit counts only if that full export, or an export
  with a later `data_eksportu`, holds it (a record removed at the source disappears). This holds for every table the
  export gives, even with its header only; an optional table the full export leaves out keeps its records as they
  were, unless the export lists it in `zastepuje_tabele` (then its records of the unit are removed).
- Each export is self-contained: every id one of its rows refers to is defined in the same export.
- Loading the same file again changes nothing and says so.
- An export is loaded whole or not at all; a rejected export leaves only a line in the load log.

### What the exports cover

- The days a unit's exports cover are the union of `okres_od .. okres_do` of its loaded exports. Once a full export is
  loaded, the older exports no longer count (above): the days covered are then that full export's period and the
  periods of the exports dated after it. A gap between exports is not covered.
- Records from before the covered days still count where a definition needs them: an assistantship begun in 2022 that
  a first export of 2023-2025 holds is active in 2023, and its duration runs from 2022. Only *periods* are bounded.
- A year or period with no covered day is never computed or shown: every command refuses it (exit 2), naming the
  years and days covered; `run`, the trend, the charts, the annual information and the notebooks show the covered
  years only. An entry cohort leaves out the episodes and placements begun before the first covered day or in a gap
  (of those the exports hold only the ones still going on then), and the needs planning learns durations without
  those begun before the first covered day.
- A period only partly covered (a first export that starts on 1 April, a last one that ends on 31 March) is computed
  as defined, and every output states its covered days: "dane za 01.04.2012–31.12.2012" in the JSON's `coverage`, on
  the console, in the annual information and the notebooks' header.
- For several units together, a period counts the units whose exports cover at least one of its days; the other
  units' records are left out of every figure of that period, and the output says how many units were counted
  ("policzono 1 z 2 jednostek").
- The annual information's default year is the latest year whose 31 December is covered; ongoing things are
  censored at the latest `data_eksportu`.

Some facts load but are shown to the analyst as findings (warnings in the rules above): an assistant above the legal
limit of families, a closed episode without monitoring, an episode with no assignment, an overdue assessment.
Every problem code is listed in `docs/rules.md`.""",
    "pl": """## Wiele eksportów w kolejnych latach

- Rekord to (`jednostka`, tabela, identyfikator). Wygrywa wersja z eksportu o najpóźniejszej `data_eksportu`,
  niezależnie od kolejności wczytania; z dwóch eksportów o tej samej `data_eksportu` wygrywa wczytany później.
- Po wczytaniu eksportu o `zakres = pełny` rekord jednostki liczy się tylko, jeśli zawiera go ten pełny eksport
  albo eksport o późniejszej `data_eksportu` (rekord usunięty w systemie źródłowym znika). Dotyczy to każdej tabeli,
  którą eksport zawiera, choćby z samym nagłówkiem; tabela opcjonalna pominięta w eksporcie pełnym zostaje taka, jaka
  była, chyba że eksport wymieni ją w `zastepuje_tabele` (wtedy jej rekordy jednostki zostaną usunięte).
- Każdy eksport jest samodzielny: każdy identyfikator, do którego odwołuje się jego wiersz, jest w tym samym eksporcie.
- Ponowne wczytanie tego samego pliku niczego nie zmienia i tak to opisuje.
- Eksport wczytuje się w całości albo wcale; odrzucony zostawia tylko wiersz w dzienniku wczytań.

### Zakres danych: co obejmują eksporty

- Dni objęte eksportami jednostki to suma okresów `okres_od .. okres_do` jej wczytanych eksportów. Po wczytaniu
  eksportu pełnego starsze eksporty przestają się liczyć (wyżej): objęte są wtedy okres tego eksportu pełnego i okresy
  eksportów o późniejszej dacie. Przerwa między eksportami nie jest objęta.
- Rekordy sprzed objętych dni liczą się tam, gdzie wymaga tego definicja: asystentura rozpoczęta w 2022 r., którą
  zawiera pierwszy eksport za lata 2023-2025, trwa w 2023 r., a czas jej trwania liczy się od 2022 r. Ograniczone są
  tylko *okresy*.
- Rok ani okres bez żadnego objętego dnia nigdy nie jest liczony ani pokazywany: każde polecenie go odrzuca (kod 2)
  i podaje objęte lata i dni; `run`, trend, wykresy, informacja roczna i notatniki pokazują tylko objęte lata.
  Kohorta wejścia pomija asystentury i umieszczenia rozpoczęte przed pierwszym objętym dniem albo w przerwie między
  eksportami (z nich eksporty zawierają tylko te, które jeszcze wtedy trwały), a prognoza potrzeb uczy się czasu
  trwania bez rozpoczętych przed pierwszym objętym dniem.
- Okres objęty tylko częściowo (pierwszy eksport od 1 kwietnia, ostatni do 31 marca) jest liczony zgodnie
  z definicją, a każdy wynik podaje objęte dni: „dane za 01.04.2012–31.12.2012” w polu `coverage` JSON-u, w konsoli,
  w informacji rocznej i w nagłówku notatników.
- Dla kilku jednostek razem okres obejmuje jednostki, których eksporty obejmują choć jeden jego dzień; rekordy
  pozostałych są pomijane we wszystkich wskaźnikach tego okresu, a wynik podaje, ile jednostek policzono
  („policzono 1 z 2 jednostek”).
- Domyślny rok informacji rocznej to ostatni rok, którego 31 grudnia jest objęty eksportami; trwające sprawy są
  cenzurowane na najpóźniejszej `data_eksportu`.

Niektóre fakty wczytują się, ale są pokazywane analitykowi jako ustalenia (ostrzeżenia w regułach powyżej): asystent
ponad ustawowy limit rodzin, zakończony epizod bez monitoringu, epizod bez przydziału, zaległa ocena sytuacji.
Wszystkie kody problemów są w `docs/rules.md`.""",
}


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _severity(severity: str, lang: str) -> str:
    return severity if lang == "en" else {"critical": "krytyczna", "warning": "ostrzeżenie"}.get(severity, severity)


def _rule_rows(rules: list, lang: str) -> list[str]:
    w = _WORDS[lang]
    lines = ["", f"{w['rules']}:", "", f"| {w['code']} | {w['severity']} | {w['column']} | {w['message']} |", "|---|---|---|---|"]
    return lines + [f"| `{r.code}` | {_severity(r.severity, lang)} | {', '.join(r.columns)} | {_cell(r.message)} |" for r in rules]


def _values(column: Column, lang: str) -> str:
    w = _WORDS[lang]
    if column.values:
        return ", ".join(f"`{v}`" for v in column.values)
    if column.references:
        return f"{w['refs']} `{column.references}`"
    return ""


def _metadata_section(lang: str) -> list[str]:
    w = _WORDS[lang]
    head = (f"## `{METADATA_TABLE}` — " + ("two columns `klucz;wartosc`, one row per key" if lang == "en"
                                            else "dwie kolumny `klucz;wartosc`, jeden wiersz na klucz"))
    note = ("Keys are matched case-insensitively; each must appear once (an optional one at most once); an unknown key "
            "is an error." if lang == "en" else
            "Klucze porównuje się bez względu na wielkość liter; każdy musi wystąpić raz (opcjonalny najwyżej raz); "
            "nieznany klucz to błąd.")
    lines = [head, "", note, "", f"| {w['meta_key']} | {w['meaning']} | {w['meta_value']} |", "|---|---|---|"]
    for key in (*METADATA_KEYS, *OPTIONAL_METADATA_KEYS):
        m = METADATA_MEANINGS.get(key)
        meaning = (m.pl if lang == "pl" else m.en) if m else ""
        if key == "zakres":
            value = ", ".join(f"`{v}`" for v in ZAKRES_VALUES)
        elif key == "wersja_formatu":
            value = f"`{FORMAT_VERSION}`"
        else:
            value = f"`{m.example}`" if m and m.example else ""
        lines.append(f"| `{key}` | {_cell(meaning)} | {value} |")
    return lines


def _table_section(table: Table, rules: list, lang: str) -> list[str]:
    w = _WORDS[lang]
    meaning = table_meaning(table)
    lines = [f"## `{table.name}` — {meaning.pl if lang == 'pl' else meaning.en}", "",
             f"{w['optional'] if table.optional else w['mandatory']}; {w['key']}: `{table.key}` ({w['unique']}).", "",
             f"| {w['column']} | {w['type']} | {w['required']} | {w['meaning']} | {w['values']} |", "|---|---|---|---|---|"]
    for c in table.columns:
        m = column_meaning(table, c)
        lines.append(f"| `{c.name}` | {type_name(c, lang)} | {w['yes'] if c.required else w['no']} | "
                     f"{_cell(m.pl if lang == 'pl' else m.en)} | {_values(c, lang)} |")
    if rules:
        lines += _rule_rows(rules, lang)
    return lines


def _limits(lang: str) -> str:
    """How cells and names are scanned, the reading limits, the plausibility gates and the warehouse's version."""
    from pipeline.read.limits import DEFAULT_LIMITS as L
    from pipeline.read.limits import MIB, SHRINK_SHARE
    from pipeline.warehouse.schema import SCHEMA_VERSION

    share = f"{SHRINK_SHARE * 100:.0f} %"
    if lang == "en":
        return f"""Each cell is scanned as written and, when it could read differently (a non-ASCII character, or a
separator between two digits), once more normalised: Unicode NFKC, every decimal digit (full-width,
Arabic-Indic, ...) as its ASCII digit, and spaces, hyphens and dashes, dots, non-breaking and
zero-width spaces and quotes between two digits removed. So `4405 1401 458`, `4405-1401-458`,
`4405"1401458`, a PESEL in full-width digits, `601.234.567` and `jan@żółw.pl` (an IDN domain, also
as `xn--...`) are all found. A number that parsed as a number (`12.5`) is scanned only as written.

Names are scanned too (`PII-004`): the export's own file or folder name, every file of a folder,
every member of a zip (with its folder) and every sheet of a workbook. Such a name is never shown:
messages, the load log and the quality report call it by kind and position ("eksport nr 2",
"plik nr 3", "człon archiwum nr 1", "arkusz nr 4"). A normalised name can match by chance (a
file called `1603011-2024` joins to eleven digits; one in ten such runs has a valid check digit):
such a name is rejected too; name the export with an underscore (`1603011_2024`). Names that are
shown have control characters escaped (`\\x0a`), so a name cannot fake an output line; long lists
(files, members, columns, rows) are cut after ten with "i N więcej".

## Limits

An export is read in slices of 1 MiB, never whole, and these limits reject it unread
(`pipeline/read/limits.py`; a real export of a big city is about 50 MB of CSV):

| limit | default | code |
|---|---|---|
| one table file, decompressed | {L.member_bytes // MIB} MiB | `STR-005` |
| every table of one export together, decompressed (an `.xlsx` file as it is) | {L.export_bytes // MIB} MiB | `STR-005` |
| compression ratio of a zip member (checked past {L.ratio_floor // MIB} MiB decompressed) | {L.ratio}:1 | `STR-005` |
| blank lines (nothing but spaces and `;`): more than {L.blank_lines:,} and more than the lines with data | | `STR-016` |
| the used range of an `.xlsx` sheet (checked in its XML) | {L.sheet_columns} columns, {L.sheet_cells:,} cells | `STR-005` |

Sizes a zip declares are checked before anything is decompressed, and again while reading. A
blank line (or a line of separators only) is not a row: one at the end of a file is not an error.
Table files must be regular files (a link to one is fine): a named pipe, a device, a dangling or
looping link is `STR-006`, never opened. A password-protected zip or an unsupported compression
method is `STR-007`; any other unreadable member is `STR-004`. Each is a rejection of that export
only: the other exports of the call go on.

Plausibility (a typo that would otherwise win for good):

* `data_eksportu` after today (plus 2 days for clocks and time zones) is `STR-034`: since the
  latest export date wins, an export dated 2205 could never be replaced. `okres_do` after
  `data_eksportu` is `MET-002`.
* A date or birth month before 01.01.1900 is not a date (`TYP-001`/`TYP-006`, `STR-033` in `metadane`). In an
  `.xlsx`, a number in a date cell below Excel's day 10,000 (18.05.1927) is not a date either: it is a year typed
  alone (`2024`, which Excel shows as 16.07.1905) or a typo.
* A CSV header line with an unclosed quote (`"`) is `STR-014` (line 1): the parser would read every following line
  as one field.
* `jednostka` is exactly seven ASCII digits 0-9 (`STR-033`; a full-width `１６０３０１１` is not
  accepted), in exports and in the funding file (`REF-003`).
* `nazwa_jednostki` holding a control or invisible character (tab, newline, ...) is `STR-035`.
* A `pełny` export that would remove from the current state more than {share} of its unit's records
  (those dated up to its `data_eksportu`), or all of them, is `STR-040`, with the counts in the
  message, unless `ingest --allow-shrink` is given.

Temporary copies (zip members and files in Windows-1250, as UTF-8) go to
`$TMPDIR/pipeline-read-<pid>-*`, removed on every way out, SIGTERM and SIGINT included; the folders
of processes that no longer run are removed by the next read.

## The warehouse file

`raw.warehouse_info` holds the schema version (now {SCHEMA_VERSION}), written when the warehouse is created.
Every open checks it first: a DuckDB file that is not this project's warehouse, or one of a newer
version, is refused and left as it is; an older one is refused with the command that brings it up
to date, `python -m pipeline migrate --db FILE`."""
    return f"""Każdą komórkę skanuje się tak, jak jest zapisana, a gdy mogłaby się czytać inaczej (znak spoza ASCII
albo separator między cyframi) — jeszcze raz po normalizacji: Unicode NFKC, każda cyfra (pełnej szerokości,
arabsko-indyjska, ...) jako cyfra ASCII, a spacje, łączniki i myślniki, kropki, spacje niełamiące i o zerowej
szerokości oraz cudzysłowy między cyframi usunięte. Znajdzie się więc `4405 1401 458`, `4405-1401-458`, PESEL
zapisany cyframi pełnej szerokości, `601.234.567` i `jan@żółw.pl`. Liczba odczytana jako liczba (`12.5`) jest
skanowana tylko tak, jak jest zapisana.

Skanuje się też nazwy (`PII-004`): nazwę pliku albo folderu eksportu, każdego pliku folderu, członu archiwum i
arkusza skoroszytu. Takiej nazwy nigdy się nie pokazuje: komunikaty, dziennik wczytań i raport jakości nazywają ją
rodzajem i numerem („eksport nr 2”, „plik nr 3”, „człon archiwum nr 1”, „arkusz nr 4”). Nazwę po normalizacji może
przypadkiem wziąć za PESEL (np. `1603011-2024`); prosimy nazywać eksporty z podkreślnikiem (`1603011_2024`).
Pokazywane nazwy mają znaki sterujące zapisane jako `\\x0a`, a długie listy są ucinane po dziesięciu („i N więcej”).

## Limity

Eksport czyta się porcjami po 1 MiB, nigdy w całości, a te limity odrzucają go bez czytania
(`pipeline/read/limits.py`; prawdziwy eksport dużego miasta to ok. 50 MB plików CSV):

| limit | domyślnie | kod |
|---|---|---|
| jeden plik tabeli po rozpakowaniu | {L.member_bytes // MIB} MiB | `STR-005` |
| wszystkie tabele eksportu razem po rozpakowaniu (plik `.xlsx` taki, jaki jest) | {L.export_bytes // MIB} MiB | `STR-005` |
| stopień kompresji członu archiwum (sprawdzany powyżej {L.ratio_floor // MIB} MiB po rozpakowaniu) | {L.ratio}:1 | `STR-005` |
| puste wiersze (same spacje i `;`): ponad {L.blank_lines:,} i więcej niż wierszy z danymi | | `STR-016` |
| zakres arkusza `.xlsx` (sprawdzany w jego XML) | {L.sheet_columns} kolumn, {L.sheet_cells:,} komórek | `STR-005` |

Rozmiary zapisane w archiwum zip sprawdza się przed rozpakowaniem i ponownie w trakcie czytania. Pusty wiersz nie
jest wierszem danych: jeden na końcu pliku nie jest błędem. Pliki tabel muszą być zwykłymi plikami: potok nazwany,
urządzenie albo zerwane lub zapętlone dowiązanie to `STR-006` (nigdy nie są otwierane). Archiwum z hasłem albo z
nieobsługiwaną metodą kompresji to `STR-007`. Każdy z tych problemów odrzuca tylko ten eksport: pozostałe
eksporty wywołania są wczytywane dalej.

Wiarygodność (literówka, która inaczej wygrałaby na zawsze):

* `data_eksportu` późniejsza niż dziś (plus 2 dni) to `STR-034`; `okres_do` późniejszy niż `data_eksportu` to `MET-002`.
* Data albo miesiąc urodzenia przed 01.01.1900 to nie data (`TYP-001`/`TYP-006`, `STR-033` w `metadane`). W `.xlsx`
  liczba w komórce daty mniejsza niż dzień Excela 10 000 (18.05.1927) też nie jest datą: to sam rok (`2024`, który
  Excel pokazuje jako 16.07.1905) albo literówka.
* Wiersz nagłówka CSV z niedomkniętym cudzysłowem (`"`) to `STR-014` (wiersz 1): dalsze wiersze zostałyby wczytane
  jako jedno pole.
* `jednostka` to dokładnie siedem cyfr ASCII 0-9 (`STR-033`), w eksportach i w pliku finansowania (`REF-003`).
* `nazwa_jednostki` ze znakiem sterującym lub niewidocznym to `STR-035`.
* Eksport `pełny`, który usunąłby z bieżącego stanu więcej niż {share} rekordów jednostki (albo wszystkie), to
  `STR-040` (z liczbami w komunikacie), chyba że podano `ingest --allow-shrink`.

Kopie robocze (człony archiwów i pliki w Windows-1250 zapisane jako UTF-8) trafiają do
`$TMPDIR/pipeline-read-<pid>-*` i są usuwane przy każdym zakończeniu, także po SIGTERM i SIGINT; foldery procesów,
które już nie działają, usuwa następne czytanie.

## Plik magazynu danych

`raw.warehouse_info` przechowuje wersję schematu (obecnie {SCHEMA_VERSION}), zapisaną przy tworzeniu magazynu. Każde
otwarcie najpierw ją sprawdza: plik DuckDB, który nie jest magazynem tego programu, albo magazyn nowszej wersji jest
odrzucany i zostaje bez zmian; starszy — z poleceniem, które go zaktualizuje: `python -m pipeline migrate --db PLIK`."""


def contract_markdown(lang: str) -> str:
    """The whole contract page in `lang` ("en" or "pl")."""
    from pipeline.checks.rules import all_rules

    by_table: dict[str, list] = defaultdict(list)
    for r in all_rules():
        by_table[r.table].append(r)
    w = _WORDS[lang]
    lines = [w["title"], "", w["generated"], "", _CONTAINERS[lang], "", *_dialect(lang), ""]
    lines += _metadata_section(lang)
    if by_table.get(METADATA_TABLE):
        lines += _rule_rows(by_table[METADATA_TABLE], lang)
    for table in TABLES.values():
        lines += ["", *_table_section(table, by_table.get(table.name, []), lang)]
    lines += ["", _PERSONAL[lang], "", _limits(lang), "", _MERGE[lang], ""]
    return "\n".join(lines)


def contract_en() -> str:
    """docs/contract.md"""
    return contract_markdown("en")


def contract_pl() -> str:
    """docs/kontrakt.md"""
    return contract_markdown("pl")
