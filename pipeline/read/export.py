"""Read a whole export: container, every table, metadata; typed frames out.

`read_export` never raises for bad content: it returns an `ExportData` whose
`problems` say what could not be read.  Only typed frames of an export with
no reading problem are passed on to the checks.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import polars as pl

from pipeline.contract import (
    FORMAT_VERSION,
    METADATA_COLUMNS,
    METADATA_KEYS,
    METADATA_TABLE,
    OPTIONAL_METADATA_KEYS,
    REPLACES_KEY,
    TABLES,
    ZAKRES_VALUES,
    ExportMetadata,
    fold,
)
from pipeline.problems import ExportRejected, Problem, issue
from pipeline.read.batch import EXPORT, ROW, split, stack
from pipeline.read.coerce import TYPE_ERRORS, coerce_table, column_expr, date_expr
from pipeline.read.containers import Container, open_container
from pipeline.read.date_hints import date_hint
from pipeline.read.limits import DEFAULT_LIMITS, Budget, ReadLimits
from pipeline.read.personal import NAME_WITH_PERSONAL_DATA, personal_kinds, shown_name
from pipeline.read.spool import spool_folder
from pipeline.read.tables import (
    CsvFile,
    extra_fields_problem,
    finish_text,
    inspect_csv_member,
    parse_csv_file,
    read_xlsx_member,
    scan_csv_files,
)

UNKNOWN_KEY = issue("STR-030", "nieznany klucz metadanych")
REPEATED_KEY = issue("STR-031", "klucz metadanych występuje więcej niż raz")
MISSING_KEY = issue("STR-032", "brak wartości klucza metadanych")
BAD_METADATA = issue("STR-033", "niepoprawna wartość metadanych (kod TERYT, data, zakres albo wersja formatu)")
FUTURE_EXPORT = issue("STR-034", "data_eksportu jest z przyszłości (późniejsza niż dziś)")
CONTROL_IN_NAME = issue("STR-035", "nazwa jednostki zawiera znaki sterujące")
BAD_REPLACED = issue("STR-038", "zastepuje_tabele: nie tabela opcjonalna kontraktu albo eksport nie jest pełny")
FUTURE_MARGIN_DAYS = 2  # clocks and time zones: an export may be dated this many days after today


@dataclass
class ExportData:
    """One export as read: typed tables, the text they came from, and what went wrong."""

    path: Path
    position: int = 1  # its place among the exports of the call (names it when its own name cannot be shown)
    container: Container | None = None
    meta: ExportMetadata | None = None
    tables: dict[str, pl.DataFrame] = field(default_factory=dict)
    text: dict[str, pl.DataFrame] = field(default_factory=dict)
    failed: dict[str, pl.DataFrame] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    encodings: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def name(self) -> str:
        """How messages, the load log and the reports name it (see `display_name`)."""
        return display_name(self.path, self.position)

    @property
    def excel(self) -> bool:
        return self.container is not None and self.container.kind == "xlsx"

    def row_counts(self) -> dict[str, int]:
        return {t: df.height for t, df in self.tables.items()}


def display_name(path: Path, position: int) -> str:
    """An export's name as shown: its file or folder name with control characters escaped, or, when the
    name holds personal data, "eksport nr N" (its position in the call)."""
    return shown_name(path.name, "eksport", position)


def _read_member(data: ExportData, i: int, table: str, parts: list[tuple[int, pl.DataFrame]],
                 scannable: dict[tuple[str, ...], list[tuple[int, CsvFile]]], spool: Path, budget: Budget) -> None:
    """Read one table of an export: an xlsx sheet is parsed now, into `parts`; a CSV file waits in
    `scannable` (on disk as plain UTF-8, spooled if need be) to be parsed with others like it."""
    container = data.container
    assert container is not None
    member = container.members[table]
    if container.kind == "xlsx":
        parts.append((i, read_xlsx_member(container, member)))
        data.encodings[table] = "xlsx"
        return
    file = inspect_csv_member(member, spool / f"{i}_{table}.csv", budget)
    data.encodings[table] = file.encoding
    if file.source is not None:
        scannable[tuple(file.columns)].append((i, file))
    else:
        parts.append((i, parse_csv_file(file)))


def _parse_scannable(scannable: dict[tuple[str, ...], list[tuple[int, CsvFile]]], parts: list[tuple[int, pl.DataFrame]],
                     found: dict[int, dict[str, list[Problem]]]) -> tuple[list[pl.DataFrame], list[int]]:
    """Parse the waiting files of one table, a scan per header order; if a scan fails, file by file.
    Return the scanned frames and the exports they hold (the others were added to `parts`)."""
    stacked: list[pl.DataFrame] = []
    scanned: list[int] = []
    for files in scannable.values():
        seen: set[Path | None] = set()
        once, alone = [], []
        for i, file in files:
            (alone if file.source in seen else once).append((i, file))  # the same folder twice in a batch
            seen.add(file.source)
        frame = scan_csv_files(once)
        if frame is None:
            alone = files
        else:
            stacked.append(frame)
            scanned += [i for i, _ in once]
        for i, file in alone:
            try:
                parts.append((i, parse_csv_file(file)))
            except ExportRejected as e:
                found[i][file.member.table] += e.problems
    return stacked, scanned


Values = dict[str, tuple[str | None, int]]  # metadata key -> (value, row)
_DATE_KEYS = ("data_eksportu", "okres_od", "okres_do")


def _metadata_values(rows: list[tuple[int, str | None, str | None]], label: str) -> tuple[Values, list[Problem]]:
    """The key/value rows of one `metadane` table; problems for unknown, repeated and missing keys."""
    problems: list[Problem] = []
    values: Values = {}
    for row, key, value in rows:
        k = (key or "").strip().lower()
        if k not in METADATA_KEYS and k not in OPTIONAL_METADATA_KEYS:
            problems.append(UNKNOWN_KEY.problem("nieznany klucz metadanych; dozwolone: "
                                                + ", ".join([*METADATA_KEYS, *OPTIONAL_METADATA_KEYS]),
                                    file=label, table=METADATA_TABLE, column="klucz", rows=[row]))
        elif k in values:
            problems.append(REPEATED_KEY.problem(f"klucz {k} występuje więcej niż raz", file=label, table=METADATA_TABLE, rows=[row]))
        else:
            values[k] = (value, row)
    for k in METADATA_KEYS:
        if k not in values or values[k][0] is None:
            problems.append(MISSING_KEY.problem(f"brak wartości klucza {k}", file=label, table=METADATA_TABLE, column="wartosc"))
    return values, problems


def _parse_dates(texts: list[str | None], excel: bool) -> list[date | None]:
    """Parse many date texts with the same rule as the tables' date columns, in one query."""
    if not texts:
        return []
    return pl.DataFrame({"t": texts}, schema={"t": pl.String}).select(date_expr(pl.col("t"), excel)).to_series().to_list()


def _metadata(values: Values, dates: dict[str, date | None], label: str,
              excel: bool) -> tuple[ExportMetadata | None, pl.DataFrame | None, list[Problem]]:
    """Check and type one export's metadata, its dates already parsed."""
    problems: list[Problem] = []

    def bad(key: str, message: str) -> None:
        problems.append(BAD_METADATA.problem(f"{key}: {message}", file=label, table=METADATA_TABLE, column="wartosc",
                                             rows=[values[key][1]]))

    jednostka = values["jednostka"][0] or ""
    if excel and jednostka.isdigit() and len(jednostka) == 6:
        jednostka = "0" + jednostka  # Excel drops the leading zero of a TERYT code stored as a number
    if not (jednostka.isascii() and jednostka.isdigit() and len(jednostka) == 7):
        bad("jednostka", "oczekiwano 7-cyfrowego kodu TERYT gminy (cyfry 0-9)")
    for key in _DATE_KEYS:
        if dates[key] is None:
            bad(key, "oczekiwano daty RRRR-MM-DD albo DD.MM.RRRR, nie wcześniejszej niż 01.01.1900")
    exported = dates["data_eksportu"]
    if exported is not None and exported > date.today() + timedelta(days=FUTURE_MARGIN_DAYS):
        problems.append(FUTURE_EXPORT.problem(
            "data_eksportu jest późniejsza niż dzisiejsza data (czy to literówka w roku?); taki eksport "
            "zastąpiłby na zawsze każdy późniejszy", file=label, table=METADATA_TABLE, column="wartosc",
            rows=[values["data_eksportu"][1]]))
    name = values["nazwa_jednostki"][0] or ""
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in name):
        problems.append(CONTROL_IN_NAME.problem(
            "nazwa_jednostki zawiera znaki sterujące albo niewidoczne (np. tabulator, nowy wiersz)", file=label,
            table=METADATA_TABLE, column="wartosc", rows=[values["nazwa_jednostki"][1]]))
    zakres = {fold(v): v for v in ZAKRES_VALUES}.get(fold(values["zakres"][0] or ""))
    if zakres is None:
        bad("zakres", "dozwolone: " + ", ".join(ZAKRES_VALUES))
    version = (values["wersja_formatu"][0] or "").removesuffix(".0")
    if version != FORMAT_VERSION:
        bad("wersja_formatu", f"obsługiwana jest tylko wersja {FORMAT_VERSION}")
    replaced, problem = _replaced_tables(values, zakres, label)
    problems += [problem] if problem else []
    if problems:
        return None, None, problems
    meta = ExportMetadata(
        jednostka=jednostka,
        nazwa_jednostki=values["nazwa_jednostki"][0] or "",
        data_eksportu=dates["data_eksportu"],
        okres_od=dates["okres_od"],
        okres_do=dates["okres_do"],
        zakres=zakres or "",
        wersja_formatu=version,
        zastepuje_tabele=replaced,
    )
    frame = pl.DataFrame(
        {ROW: [values["okres_do"][1]], "okres_od": [meta.okres_od], "okres_do": [meta.okres_do],
         "data_eksportu": [meta.data_eksportu]}
    )
    return meta, frame, problems


def _replaced_tables(values: Values, zakres: str | None, label: str) -> tuple[tuple[str, ...], Problem | None]:
    """The optional tables a `pełny` export declares it replaces though it leaves them out (`zastepuje_tabele`,
    comma-separated; empty or absent: none), or the problem with the declaration."""
    text, row = values.get(REPLACES_KEY, (None, 0))
    names = [n.strip().lower() for n in (text or "").split(",") if n.strip()]
    if not names:
        return (), None
    optional = [t for t, spec in TABLES.items() if spec.optional]
    wrong = [n for n in names if n not in optional]
    where = {"file": label, "table": METADATA_TABLE, "column": "wartosc", "rows": [row]}
    if wrong:
        return (), BAD_REPLACED.problem(f"{REPLACES_KEY}: wymienić można tylko tabele opcjonalne ({', '.join(optional)}), "
                                        f"rozdzielone przecinkami; {len(wrong)} z podanych nimi nie jest", **where)
    if zakres != "pełny":
        return (), BAD_REPLACED.problem(f"{REPLACES_KEY} dotyczy tylko eksportu o zakresie pełny (eksport okresowy "
                                        "niczego nie zastępuje); usuń ten klucz albo zmień zakres", **where)
    return tuple(dict.fromkeys(names)), None


def _read_metadata(exports: list[ExportData], stacked: pl.DataFrame, excel: bool, found: dict[int, dict[str, list[Problem]]]) -> None:
    """Check and type the `metadane` tables of a batch (key/value rows)."""
    by_export: dict[int, list[tuple[int, str | None, str | None]]] = defaultdict(list)
    for export, row, key, value in stacked.select(EXPORT, ROW, "klucz", "wartosc").iter_rows():
        by_export[export].append((row, key, value))
    parsed: dict[int, Values] = {}
    for i, text in split(stacked, by_export).items():
        exports[i].text[METADATA_TABLE] = text
        values, problems = _metadata_values(by_export[i], exports[i].labels[METADATA_TABLE])
        found[i][METADATA_TABLE] += problems
        if not problems:
            parsed[i] = values
    texts = [values[key][0] for values in parsed.values() for key in _DATE_KEYS]
    dates = iter(_parse_dates(texts, excel))
    for i, values in parsed.items():
        data = exports[i]
        data.meta, frame, problems = _metadata(values, {key: next(dates) for key in _DATE_KEYS}, data.labels[METADATA_TABLE], excel)
        found[i][METADATA_TABLE] += problems
        if frame is not None:
            data.tables[METADATA_TABLE] = frame


def _read_table(exports: list[ExportData], table: str, excel: bool, stacked: pl.DataFrame, indexes: list[int],
                found: dict[int, dict[str, list[Problem]]]) -> None:
    """Trim, check and type one table of every export of a batch, stacked (`indexes`: the exports it holds)."""
    columns = list(METADATA_COLUMNS) if table == METADATA_TABLE else TABLES[table].column_names
    stacked, extra = finish_text(stacked, columns)
    for i, rows in extra.items():
        found[i][table].append(extra_fields_problem(exports[i].labels[table], table, len(columns), rows))
    if extra:
        stacked = stacked.filter(~pl.col(EXPORT).is_in(list(extra)))
    if table == METADATA_TABLE:
        _read_metadata(exports, stacked, excel, found)
        return
    indexes = [i for i in indexes if i not in extra]
    labels = {i: exports[i].labels[table] for i in indexes}
    typed, problems, failed = coerce_table(stacked, TABLES[table], labels, excel)
    texts, typeds, faileds = split(stacked, indexes), split(typed, indexes), split(failed, indexes)
    for i in indexes:
        exports[i].text[table], exports[i].tables[table], exports[i].failed[table] = texts[i], typeds[i], faileds[i]
        found[i][table] += _with_date_hints(problems.get(i, []), texts[i], faileds[i])


def _with_date_hints(problems: list[Problem], text: pl.DataFrame, failed: pl.DataFrame) -> list[Problem]:
    """The type errors of one table, a date column's saying which format its dates look like (see `date_hints`)."""
    code = TYPE_ERRORS["date"].code
    for p in problems:
        if p.code == code and p.column in text.columns and p.column in failed.columns:
            hint = date_hint(text[p.column], failed[p.column])
            if hint:
                p.message = f"{p.message}; {hint}"
    return problems


def read_exports(paths: Sequence[Path], hashes: Sequence[str] | None = None, *, positions: Sequence[int] | None = None,
                 limits: ReadLimits = DEFAULT_LIMITS, kept: dict[Path, bytes] | None = None) -> list[ExportData]:
    """Read a batch of exports into typed frames; problems are collected per export, not raised.

    Files are parsed one by one; trimming, typing and their checks run once per table for the
    whole batch (see `pipeline.read.batch`).  `hashes`: their content hashes, if already known;
    `positions`: their places among the exports of the call (1, 2, ... if not given); `kept`: the bytes of
    their small files, kept when they were hashed (`pipeline.read.containers.content_hash`).
    """
    with spool_folder() as spool:
        return _read_exports(paths, hashes, spool, positions or range(1, len(paths) + 1), limits, kept)


def _read_exports(paths: Sequence[Path], hashes: Sequence[str] | None, spool: Path, positions: Sequence[int],
                  limits: ReadLimits, kept: dict[Path, bytes] | None = None) -> list[ExportData]:
    exports = [ExportData(path, n) for path, n in zip(paths, positions, strict=True)]
    found: dict[int, dict[str, list[Problem]]] = {}  # per export, per table in member order
    parts: dict[tuple[str, bool], list[tuple[int, pl.DataFrame]]] = defaultdict(list)
    scannable: dict[str, dict[tuple[str, ...], list[tuple[int, CsvFile]]]] = defaultdict(lambda: defaultdict(list))
    for i, data in enumerate(exports):
        if personal_kinds(data.path.name):
            data.problems.append(NAME_WITH_PERSONAL_DATA.problem(
                "nazwa eksportu (pliku albo folderu) zawiera dane osobowe; nazwy nie pokazujemy, "
                "prosimy nadać eksportowi nazwę bez danych osobowych", file=data.name))
            continue
        try:
            data.container = open_container(data.path, hashes[i] if hashes else None, limits, kept)
        except ExportRejected as e:
            data.problems += [_named(p, data.name) for p in e.problems]
            continue
        data.problems += [_named(p, data.name) for p in data.container.problems]
        found[i] = {}
        budget = Budget(limits)
        for table, member in data.container.members.items():
            data.labels[table] = member.label
            found[i][table] = []
            try:
                _read_member(data, i, table, parts[(table, data.excel)], scannable[table], spool, budget)
            except ExportRejected as e:
                found[i][table] += e.problems
    scanned: dict[tuple[str, bool], tuple[list[pl.DataFrame], list[int]]] = {}
    for table, waiting in scannable.items():
        scanned[(table, False)] = _parse_scannable(waiting, parts[(table, False)], found)
    for key in parts.keys() | scanned.keys():
        single = parts.get(key, [])
        frames, indexes = scanned.get(key, ([], []))
        if not single and not frames:
            continue
        stacked = pl.concat([stack(single), *frames], how="diagonal_relaxed") if single else pl.concat(frames, how="diagonal_relaxed")
        _read_table(exports, *key, stacked, sorted(indexes + [i for i, _ in single]), found)
    for i, tables in found.items():
        data = exports[i]
        data.problems += [p for problems in tables.values() for p in problems]
        for name, spec in TABLES.items():
            if spec.optional and name not in data.tables and not tables.get(name):
                data.tables[name] = empty_table(name)
    return exports


def _named(problem: Problem, name: str) -> Problem:
    """A container's problem, naming the export's file."""
    problem.file = problem.file or name
    return problem


def read_export(path: Path, limits: ReadLimits = DEFAULT_LIMITS) -> ExportData:
    """Read one export (see `read_exports`)."""
    return read_exports([path], limits=limits)[0]


@cache
def empty_table(table: str) -> pl.DataFrame:
    """A typed frame with no rows, for an optional table the export left out (or, in the gate, one it could not read)."""
    spec = TABLES[table]
    text = pl.DataFrame({ROW: pl.Series([], dtype=pl.Int64)} | {c: pl.Series([], dtype=pl.String) for c in spec.column_names})
    return text.select(pl.col(ROW), *(column_expr(pl.col(c.name), c, False).alias(c.name) for c in spec.columns))
