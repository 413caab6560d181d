"""A column and dictionary mapping (`--mapping FILE.toml`) for exports that name things their own way.

The file says, in Polish keys:

    [tabele]                          # file or sheet name in the export -> table of the contract
    Pracownicy = "asystenci"
    [kolumny.asystenci]               # header in the export -> column of the contract
    "Nr pracownika" = "id_asystenta"
    [wartosci.asystenci.forma_zatrudnienia]   # value in the export -> the contract's dictionary value
    UoP = "umowa o pracę"
    [pomin]                           # columns to drop (e.g. notes nobody needs), by contract table
    asystenci = ["Uwagi"]
    [daty]
    format = "%d/%m/%Y"               # the export's date format (strftime codes), for every date column;
                                      # "excel": Excel serial day numbers of five digits (43966 = 2020-05-15)

Names are matched case-insensitively with surrounding spaces trimmed.  The mapping is applied to
a copy, which the contract reader then reads as usual: an unmapped unknown column, file or
dictionary value is still an error.  Messages name the user's own file and column, the contract's
in brackets (`plik Sprawy.csv [asystentury.csv], kolumna Nr rodziny [id_rodziny]`, see `SourceNames`).
"""

from __future__ import annotations

import os
import stat
import tomllib
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

import polars as pl

from pipeline.contract import METADATA_KEYS, METADATA_TABLE, TABLES, fold
from pipeline.problems import ExportRejected, Problem, escape_controls, issue
from pipeline.read.coerce import EXCEL_EPOCH, fold_expr
from pipeline.read.containers import DUPLICATE_TABLE, NOT_A_FILE, NOT_ALLOWED, file_kind, open_container
from pipeline.read.date_hints import EXCEL_FORMAT
from pipeline.read.limits import DEFAULT_LIMITS, ReadLimits
from pipeline.read.personal import NAME_WITH_PERSONAL_DATA, personal_kinds, shown_name
from pipeline.read.raw import RawExport, RawTable, read_raw, write_raw
from pipeline.read.spool import spool_folder

_SECTIONS = {"tabele", "kolumny", "wartosci", "pomin", "daty"}
MAX_MAPPING_BYTES = 1 << 20  # a mapping of every table, column and dictionary value is a few kilobytes

UNREADABLE_MAPPING = issue("MAP-001", "pliku mapowania nie da się odczytać (nie zwykły plik, za duży, nie UTF-8 albo nie TOML)")
WRONG_ENTRY = issue("MAP-002", "wpis pliku mapowania jest niepoprawny (typ, nieznana tabela, kolumna, wartość albo format)")
SAME_TARGET = issue("MAP-003", "plik mapowania nadaje jedną nazwę kontraktu dwóm kolumnom albo tabelom")


class MappingError(Exception):
    """A mapping file that cannot be used (the message, coded, says which entry and why)."""

    def __init__(self, message: str, code: str = WRONG_ENTRY.code) -> None:
        self.code, self.text = code, escape_controls(message)
        super().__init__(f"[{code}] {self.text}")


def _key(text: str) -> str:
    return text.strip().lower()


@dataclass
class Mapping:
    """Renames, value maps, dropped columns and the date format of one source system's exports."""

    tables: dict[str, str] = field(default_factory=dict)  # source name (lower) -> contract table
    columns: dict[str, dict[str, str]] = field(default_factory=dict)  # table -> source header (lower) -> column
    values: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)  # table -> column -> folded source -> value
    drop: dict[str, set[str]] = field(default_factory=dict)  # table -> source headers (lower)
    date_format: str | None = None

    def table_name(self, source: str) -> str:
        return self.tables.get(_key(source), source)

    def apply(self, table: str, frame: pl.DataFrame) -> pl.DataFrame:
        """One table's text frame with its columns renamed or dropped, values mapped and dates reformatted."""
        drop = self.drop.get(table, set())
        renames = self.columns.get(table, {})
        kept = [c for c in frame.columns if _key(c) not in drop]
        names = [_key(renames.get(_key(c), c)) for c in kept]
        doubled = sorted(n for n, k in Counter(names).items() if k > 1)
        if doubled:
            raise ExportRejected([SAME_TARGET.problem(
                f"po zastosowaniu mapowania tabela {table} miałaby dwie kolumny {doubled[0]} (nagłówek eksportu i "
                "nagłówek przemianowany na tę samą nazwę); usuń jedną z nich w [pomin] albo zmień [kolumny]", table=table)])
        frame = frame.select(kept).rename({c: renames[_key(c)] for c in kept if _key(c) in renames})
        if table not in TABLES:
            return frame
        exprs = []
        by_name = {_key(c): c for c in frame.columns}
        for column, mapped in self.values.get(table, {}).items():
            if column in by_name:
                c = by_name[column]
                folded = fold_expr(pl.col(c).str.strip_chars())
                exprs.append(pl.coalesce(folded.replace_strict(mapped, default=None, return_dtype=pl.String), pl.col(c)).alias(c))
        if self.date_format:
            for spec in TABLES[table].columns:
                if spec.type == "date" and spec.name in by_name:
                    exprs.append(_reformat(pl.col(by_name[spec.name]), self.date_format).alias(by_name[spec.name]))
        return frame.with_columns(exprs) if exprs else frame

    def apply_metadata(self, frame: pl.DataFrame) -> pl.DataFrame:
        """The `metadane` table with its date values reformatted."""
        frame = self.apply(METADATA_TABLE, frame)
        if not self.date_format or len(frame.columns) != 2:
            return frame
        key, value = frame.columns
        is_date = pl.col(key).str.strip_chars().str.to_lowercase().is_in([k for k, t in METADATA_KEYS.items() if t == "date"])
        return frame.with_columns(pl.when(is_date).then(_reformat(pl.col(value), self.date_format)).otherwise(pl.col(value)).alias(value))


def _reformat(s: pl.Expr, fmt: str) -> pl.Expr:
    """Cells in `fmt` rewritten as RRRR-MM-DD; any other cell is left as it is (the reader then judges it)."""
    if fmt == EXCEL_FORMAT:
        days = s.str.strip_chars().str.extract(r"^(\d{5})(?:\.\d+)?$").cast(pl.Int64, strict=False)
        parsed = pl.lit(EXCEL_EPOCH) + pl.duration(days=days)
    else:
        parsed = s.str.strip_chars().str.strptime(pl.Date, fmt, strict=False)
    return pl.when(parsed.is_not_null()).then(parsed.dt.strftime("%Y-%m-%d")).otherwise(s)


def _table(name: str, where: str) -> str:
    table = _key(name)
    if table != METADATA_TABLE and table not in TABLES:
        raise MappingError(f"{where}: nie ma tabeli {name} w kontrakcie; tabele: {', '.join(TABLES)}")
    return table


def _column(table: str, name: str, where: str) -> str:
    column = _key(name)
    names = ["klucz", "wartosc"] if table == METADATA_TABLE else TABLES[table].column_names
    if column not in names:
        raise MappingError(f"{where}: tabela {table} nie ma kolumny {name}; kolumny: {', '.join(names)}")
    return column


def _read_mapping_file(path: Path) -> str:
    """The mapping file's text: a regular file of at most MAX_MAPPING_BYTES, never a pipe or a device."""
    fail = UNREADABLE_MAPPING.code
    kind = file_kind(path)
    if kind is not None:
        raise MappingError(f"to nie jest zwykły plik ({kind}); podaj plik .toml", fail)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # swapped for a pipe meanwhile: no hang
        with os.fdopen(fd, "rb") as f:
            if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
                raise MappingError("to nie jest zwykły plik; podaj plik .toml", fail)
            data = f.read(MAX_MAPPING_BYTES + 1)
    except OSError as e:
        raise MappingError(f"nie można odczytać pliku ({e.strerror or type(e).__name__})", fail) from None
    if len(data) > MAX_MAPPING_BYTES:
        raise MappingError(f"plik przekracza {MAX_MAPPING_BYTES // 1024} KiB (mapowanie ma zwykle kilka kilobajtów)", fail)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise MappingError("plik nie jest zapisany w UTF-8", fail) from None


_WORDS = {dict: "tabeli TOML [sekcja]", str: "tekstu w cudzysłowie", list: "listy [\"...\"]"}


def _typed(value: object, kind: type, where: str) -> object:
    """`value` if it has the TOML type `kind`; else a MappingError naming the entry and what was expected."""
    if not isinstance(value, kind):
        given = {bool: "wartość logiczna", int: "liczba", float: "liczba", dict: "sekcja", list: "lista",
                 str: "tekst"}.get(type(value), "inny typ")
        raise MappingError(f"{where}: oczekiwano {_WORDS[kind]}, podano: {given}")
    return value


def _one_each(pairs: dict[str, str], where: str, what: str) -> dict[str, str]:
    """Source names (folded) -> targets; a MappingError when two sources fold to one name or share one target."""
    out: dict[str, str] = {}
    for source, target in pairs.items():
        key = _key(source)
        if key in out:
            raise MappingError(f"{where}: nazwę {source.strip()} podano dwa razy (wielkość liter i spacje się nie liczą)",
                               SAME_TARGET.code)
        out[key] = target
    doubled = sorted(t for t, n in Counter(out.values()).items() if n > 1)
    if doubled:
        sources = [s for s, t in pairs.items() if t == doubled[0]]
        raise MappingError(f"{where}: {what} {', '.join(sources)} mapują się na jedną nazwę {doubled[0]}; "
                           "każda nazwa kontraktu może pochodzić tylko z jednej", SAME_TARGET.code)
    return out


def load_mapping(path: Path) -> Mapping:
    """Read and check a mapping file; raise MappingError naming the entry that is wrong (never a traceback)."""
    text = _read_mapping_file(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise MappingError(f"to nie jest poprawny plik TOML: {e}", UNREADABLE_MAPPING.code) from None
    unknown = set(data) - _SECTIONS
    if unknown:
        raise MappingError(f"nieznana sekcja mapowania: {', '.join(sorted(unknown))}; dozwolone: {', '.join(sorted(_SECTIONS))}")
    m = Mapping()
    tables = {str(src): _table(str(_typed(dst, str, f"[tabele] {src}")), f"[tabele] {src}")
              for src, dst in _typed(data.get("tabele", {}), dict, "[tabele]").items()}
    m.tables = _one_each(tables, "[tabele]", "pliki albo arkusze")
    for table, renames in _typed(data.get("kolumny", {}), dict, "[kolumny]").items():
        t = _table(table, f"[kolumny.{table}]")
        where = f"[kolumny.{table}]"
        columns = {src: _column(t, str(_typed(dst, str, f"{where} {src}")), f"{where} {src}")
                   for src, dst in _typed(renames, dict, where).items()}
        m.columns[t] = _one_each(columns, where, "kolumny")
    for table, columns in _typed(data.get("wartosci", {}), dict, "[wartosci]").items():
        t = _table(table, f"[wartosci.{table}]")
        for column, values in _typed(columns, dict, f"[wartosci.{table}]").items():
            where = f"[wartosci.{table}.{column}]"
            c = _column(t, column, where)
            spec = TABLES[t].column(c) if t in TABLES else None
            if spec is None or spec.type != "dict":
                raise MappingError(f"{where}: to nie jest kolumna słownikowa")
            allowed = {fold(v): v for v in spec.values}
            mapped = {}
            for src, dst in _typed(values, dict, where).items():
                dst = _typed(dst, str, f"{where} {src}")
                if fold(dst) not in allowed:
                    raise MappingError(f"{where} {src}: wartości {dst} nie ma w słowniku; "
                                       f"dozwolone: {', '.join(spec.values)}")
                mapped[fold(src)] = allowed[fold(dst)]
            m.values.setdefault(t, {})[c] = mapped
    for table, columns in _typed(data.get("pomin", {}), dict, "[pomin]").items():
        t = _table(table, f"[pomin] {table}")
        m.drop[t] = {_key(str(_typed(c, str, f"[pomin] {table}"))) for c in _typed(columns, list, f"[pomin] {table}")}
    fmt = _typed(data.get("daty", {}), dict, "[daty]").get("format")
    if fmt is not None:
        if not isinstance(fmt, str) or ("%" not in fmt and fmt != EXCEL_FORMAT):
            raise MappingError(f"[daty] format: oczekiwano wzoru daty, np. \"%d/%m/%Y\", albo \"{EXCEL_FORMAT}\"")
        m.date_format = fmt
    return m


def apply_to_raw(export: RawExport, mapping: Mapping) -> RawExport:
    """The raw export with its tables renamed and mapped (tables the mapping does not know stay as they are)."""
    tables = []
    for t in export.tables:
        name = mapping.table_name(t.name)
        frame = mapping.apply_metadata(t.frame) if _key(name) == METADATA_TABLE else mapping.apply(_key(name), t.frame)
        tables.append(RawTable(name, t.label, frame, t.bom))
    return RawExport(export.path, export.kind, tables, export.other)


@dataclass(frozen=True)
class SourceNames:
    """How the user's own export names what its mapped copy names the contract's way (for messages), and what
    the original container breaks that its copy would not show (checked on the original, before the mapping)."""

    labels: dict[str, str] = field(default_factory=dict)  # contract table -> the source file or sheet, as messages name it
    columns: dict[str, dict[str, str]] = field(default_factory=dict)  # contract table -> contract column -> source header
    problems: list[Problem] = field(default_factory=list)

    def rename(self, problem: Problem, copy_labels: dict[str, str]) -> Problem:
        """The problem naming the source's file and columns, the contract's in brackets."""
        table = problem.table or ""
        changes = {}
        source = self.labels.get(table)
        if problem.file and source and problem.file == copy_labels.get(table) and source != problem.file:
            changes["file"] = f"{source} [{problem.file}]"
        headers = self.columns.get(table, {})
        if problem.column and headers:
            parts = problem.column.split(", ")
            if any(c in headers for c in parts):
                changes["column"] = ", ".join(f"{headers[c]} [{c}]" if c in headers else c for c in parts)
        return replace(problem, **changes) if changes else problem


def source_names(raw: RawExport, mapping: Mapping) -> SourceNames:
    """The source's names of the tables and columns the mapping renames (names holding personal data are left out)."""
    labels: dict[str, str] = {}
    columns: dict[str, dict[str, str]] = {}
    for t in raw.tables:
        table = _key(mapping.table_name(t.name))
        label = f"{raw.path.name}/{Path(t.label).name}" if raw.kind == "zip" else t.label
        if not personal_kinds(label):
            labels[table] = label
        renames = mapping.columns.get(table, {})
        for header in t.frame.columns:
            contract = renames.get(_key(header))
            if contract and contract != header and not personal_kinds(header):
                columns.setdefault(table, {})[contract] = header.strip()
    return SourceNames(labels, columns)


_SOURCES: dict[Path, SourceNames] = {}  # mapped copy (or original passed on) -> its source's names, while mapped


def names_of(path: Path) -> SourceNames | None:
    """The source's names of an export given to `mapped_exports` (None for an export read without a mapping)."""
    return _SOURCES.get(path)


def _structure(path: Path, original_problems: list[Problem], raw: RawExport, mapping: Mapping) -> list[Problem]:
    """What the original container breaks whatever its names say, which its mapped copy would hide: a subfolder,
    a pipe or device named like a table, a zip's files in several folders, names with personal data, and two files
    or sheets that are one table once mapped (the copy would keep only one)."""
    problems = [p for p in original_problems if p.code in (NOT_A_FILE.code, NAME_WITH_PERSONAL_DATA.code)]
    if raw.kind == "folder":
        entries = sorted(path.iterdir())
        folders = [shown_name(f.name, "folder", n) for n, f in enumerate(entries, start=1) if file_kind(f) == "folder"]
        if folders:
            problems.append(NOT_ALLOWED.problem(f"niedozwolony folder w eksporcie ({len(folders)}): {', '.join(folders[:10])}; "
                                                "w folderze eksportu mogą być tylko pliki tabel .csv"))
    elif raw.kind == "zip":
        problems += [p for p in original_problems if p.code == NOT_ALLOWED.code and "korzeniu archiwum" in p.message]
    tables = Counter(_key(mapping.table_name(t.name)) for t in raw.tables)
    for table, n in sorted(tables.items()):
        if n > 1:
            problems.append(DUPLICATE_TABLE.problem(f"tabela {table} występuje w eksporcie {n} razy (także po "
                                                    "zastosowaniu mapowania)", table=table))
    return problems


def _only_first(raw: RawExport, mapping: Mapping) -> RawExport:
    """The raw export with one file or sheet per table once mapped (the doubled ones are reported by `_structure`)."""
    seen: set[str] = set()
    tables = []
    for t in raw.tables:
        key = _key(mapping.table_name(t.name))
        if key not in seen:
            seen.add(key)
            tables.append(t)
    return RawExport(raw.path, raw.kind, tables, raw.other)


@contextmanager
def mapped_exports(paths: list[Path], mapping: Mapping | None,
                   limits: ReadLimits = DEFAULT_LIMITS) -> Iterator[list[Path]]:
    """The exports with the mapping applied, as temporary copies named like the originals (so every message
    names the original export); without a mapping, the paths themselves.

    The mapping changes names and values only: every container and size check of the contract reader runs on
    the original first.  An original it would not read at all (too big, a zip bomb, not a file) is passed on
    unchanged, so the reader rejects it with its own message; what the copy would hide (a subfolder, a pipe named
    like a table, a table twice) is kept with the copy and reported by the gate (`names_of`)."""
    if mapping is None:
        yield paths
        return
    with spool_folder() as tmp:
        out: list[Path] = []
        try:
            for i, path in enumerate(paths):
                out.append(_mapped(path, i, tmp / str(i) / path.name, mapping, limits))
            yield out
        finally:
            for copy in out:
                _SOURCES.pop(copy, None)


def _too_big(folder: Path, limits: ReadLimits) -> bool:
    """Whether a folder's regular files pass the size limits (read whole into memory by `read_raw`, they must not)."""
    sizes = [f.stat().st_size for f in folder.iterdir() if file_kind(f) is None]
    return any(n > limits.member_bytes for n in sizes) or sum(sizes) > limits.export_bytes


def _mapped(path: Path, i: int, target: Path, mapping: Mapping, limits: ReadLimits) -> Path:
    """One export's mapped copy (or the original, when it cannot or must not be mapped)."""
    try:
        original = open_container(path, limits=limits)  # raises for what is not safe to read: size, ratio, kind
        if original.kind == "folder" and _too_big(path, limits):
            return path  # the reader's own budget rejects it, file by file, without holding it
        raw = read_raw(path)
    except ExportRejected:
        return path
    problems = [replace(p, file=p.file or shown_name(path.name, "eksport", i + 1))
                for p in _structure(path, original.problems, raw, mapping)]
    try:
        copy = write_raw(apply_to_raw(_only_first(raw, mapping), mapping), target)
    except ExportRejected as e:  # the mapping makes a table impossible (two columns of one name)
        _SOURCES[path] = SourceNames(problems=problems + [replace(p, file=shown_name(path.name, "eksport", i + 1))
                                                          for p in e.problems])
        return path
    _SOURCES[copy] = replace(source_names(raw, mapping), problems=problems)
    return copy
