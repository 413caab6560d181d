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
dictionary value is still an error, and every message names the contract's table and column.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from tempfile import TemporaryDirectory

import polars as pl

from pipeline.contract import METADATA_KEYS, METADATA_TABLE, TABLES, fold
from pipeline.read.coerce import EXCEL_EPOCH, fold_expr
from pipeline.read.date_hints import EXCEL_FORMAT
from pipeline.read.raw import RawExport, RawTable, read_raw, write_raw

_SECTIONS = {"tabele", "kolumny", "wartosci", "pomin", "daty"}


class MappingError(Exception):
    """A mapping file that cannot be used (the message says which entry and why)."""


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


def load_mapping(path: Path) -> Mapping:
    """Read and check a mapping file; raise MappingError naming the entry that is wrong."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise MappingError(f"nie można odczytać pliku mapowania {path.name}: {e}") from None
    unknown = set(data) - _SECTIONS
    if unknown:
        raise MappingError(f"nieznana sekcja mapowania: {', '.join(sorted(unknown))}; dozwolone: {', '.join(sorted(_SECTIONS))}")
    m = Mapping()
    for source, table in data.get("tabele", {}).items():
        m.tables[_key(source)] = _table(str(table), f"[tabele] {source}")
    for table, renames in data.get("kolumny", {}).items():
        t = _table(table, f"[kolumny.{table}]")
        m.columns[t] = {_key(src): _column(t, str(dst), f"[kolumny.{table}] {src}") for src, dst in renames.items()}
    for table, columns in data.get("wartosci", {}).items():
        t = _table(table, f"[wartosci.{table}]")
        for column, values in columns.items():
            c = _column(t, column, f"[wartosci.{table}.{column}]")
            spec = TABLES[t].column(c) if t in TABLES else None
            if spec is None or spec.type != "dict":
                raise MappingError(f"[wartosci.{table}.{column}]: to nie jest kolumna słownikowa")
            allowed = {fold(v): v for v in spec.values}
            mapped = {}
            for src, dst in values.items():
                if fold(str(dst)) not in allowed:
                    raise MappingError(f"[wartosci.{table}.{column}] {src}: wartości {dst} nie ma w słowniku; "
                                       f"dozwolone: {', '.join(spec.values)}")
                mapped[fold(src)] = allowed[fold(str(dst))]
            m.values.setdefault(t, {})[c] = mapped
    for table, columns in data.get("pomin", {}).items():
        t = _table(table, f"[pomin] {table}")
        m.drop[t] = {_key(c) for c in columns}
    fmt = data.get("daty", {}).get("format")
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
        tables.append(RawTable(name, t.label, frame))
    return RawExport(export.path, export.kind, tables, export.other)


@contextmanager
def mapped_exports(paths: list[Path], mapping: Mapping | None) -> Iterator[list[Path]]:
    """The exports with the mapping applied, as temporary copies named like the originals (so every message
    names the original export); without a mapping, the paths themselves.  An export that cannot be read
    raw is passed on unchanged, and the contract reader says why."""
    if mapping is None:
        yield paths
        return
    from pipeline.problems import ExportRejected

    with TemporaryDirectory(prefix="pipeline-mapping-") as tmp:
        out = []
        for i, path in enumerate(paths):
            try:
                raw = read_raw(path)
            except ExportRejected:
                out.append(path)
                continue
            target = Path(tmp) / str(i) / path.name
            out.append(write_raw(apply_to_raw(raw, mapping), target))
        yield out
