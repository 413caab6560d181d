"""Read a whole export: container, every table, metadata; typed frames out.

`read_export` never raises for bad content: it returns an `ExportData` whose
`problems` say what could not be read.  Only typed frames of an export with
no reading problem are passed on to the checks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from pipeline.contract import (
    FORMAT_VERSION,
    METADATA_KEYS,
    METADATA_TABLE,
    TABLES,
    ZAKRES_VALUES,
    ExportMetadata,
    fold,
)
from pipeline.problems import ExportRejected, Problem
from pipeline.read.coerce import coerce_table, column_expr, date_expr
from pipeline.read.containers import Container, open_container
from pipeline.read.tables import ROW, read_csv_member, read_xlsx_member


@dataclass
class ExportData:
    """One export as read: typed tables, the text they came from, and what went wrong."""

    path: Path
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
        return self.path.name

    @property
    def excel(self) -> bool:
        return self.container is not None and self.container.kind == "xlsx"

    def row_counts(self) -> dict[str, int]:
        return {t: df.height for t, df in self.tables.items()}


def _read_text(container: Container, table: str) -> tuple[pl.DataFrame, str]:
    member = container.members[table]
    if container.kind == "xlsx":
        return read_xlsx_member(container, member), "xlsx"
    return read_csv_member(member)


def _meta_value(values: dict[str, tuple[str | None, int]], key: str) -> str | None:
    return values.get(key, (None, 0))[0]


def parse_metadata(df: pl.DataFrame, label: str, excel: bool) -> tuple[ExportMetadata | None, pl.DataFrame | None, list[Problem]]:
    """Check and type the `metadane` table (key/value rows)."""
    problems: list[Problem] = []
    values: dict[str, tuple[str | None, int]] = {}
    for row, key, value in df.select(ROW, "klucz", "wartosc").iter_rows():
        k = (key or "").strip().lower()
        if k not in METADATA_KEYS:
            problems.append(Problem("STR-030", "nieznany klucz metadanych; dozwolone: " + ", ".join(METADATA_KEYS),
                                    file=label, table=METADATA_TABLE, column="klucz", rows=[row]))
        elif k in values:
            problems.append(Problem("STR-031", f"klucz {k} występuje więcej niż raz", file=label, table=METADATA_TABLE, rows=[row]))
        else:
            values[k] = (value, row)
    for k in METADATA_KEYS:
        if k not in values or values[k][0] is None:
            problems.append(Problem("STR-032", f"brak wartości klucza {k}", file=label, table=METADATA_TABLE, column="wartosc"))
    if problems:
        return None, None, problems

    def bad(key: str, message: str) -> None:
        problems.append(Problem("STR-033", f"{key}: {message}", file=label, table=METADATA_TABLE, column="wartosc", rows=[values[key][1]]))

    jednostka = _meta_value(values, "jednostka") or ""
    if excel and jednostka.isdigit() and len(jednostka) == 6:
        jednostka = "0" + jednostka  # Excel drops the leading zero of a TERYT code stored as a number
    if not (jednostka.isdigit() and len(jednostka) == 7):
        bad("jednostka", "oczekiwano 7-cyfrowego kodu TERYT gminy")
    dates = {}
    for key in ("data_eksportu", "okres_od", "okres_do"):
        parsed = pl.select(date_expr(pl.lit(_meta_value(values, key), dtype=pl.String), excel)).item()
        if parsed is None:
            bad(key, "oczekiwano daty RRRR-MM-DD albo DD.MM.RRRR")
        dates[key] = parsed
    zakres = {fold(v): v for v in ZAKRES_VALUES}.get(fold(_meta_value(values, "zakres") or ""))
    if zakres is None:
        bad("zakres", "dozwolone: " + ", ".join(ZAKRES_VALUES))
    version = (_meta_value(values, "wersja_formatu") or "").removesuffix(".0")
    if version != FORMAT_VERSION:
        bad("wersja_formatu", f"obsługiwana jest tylko wersja {FORMAT_VERSION}")
    if problems:
        return None, None, problems
    meta = ExportMetadata(
        jednostka=jednostka,
        nazwa_jednostki=_meta_value(values, "nazwa_jednostki") or "",
        data_eksportu=dates["data_eksportu"],
        okres_od=dates["okres_od"],
        okres_do=dates["okres_do"],
        zakres=zakres or "",
        wersja_formatu=version,
    )
    frame = pl.DataFrame(
        {ROW: [values["okres_do"][1]], "okres_od": [meta.okres_od], "okres_do": [meta.okres_do],
         "data_eksportu": [meta.data_eksportu]}
    )
    return meta, frame, problems


def read_export(path: Path) -> ExportData:
    """Read an export into typed frames; problems are collected, not raised."""
    data = ExportData(path)
    try:
        data.container = open_container(path)
    except ExportRejected as e:
        for p in e.problems:
            p.file = p.file or path.name
        data.problems += e.problems
        return data
    container = data.container
    for table, member in container.members.items():
        data.labels[table] = member.label
        try:
            text, encoding = _read_text(container, table)
        except ExportRejected as e:
            data.problems += e.problems
            continue
        data.encodings[table] = encoding
        if table == METADATA_TABLE:
            data.meta, frame, problems = parse_metadata(text, member.label, data.excel)
            data.text[table] = text
            data.problems += problems
            if frame is not None:
                data.tables[table] = frame
            continue
        typed, problems, failed = coerce_table(text, TABLES[table], member.label, data.excel)
        data.text[table], data.tables[table], data.failed[table] = text, typed, failed
        data.problems += problems
    for name, spec in TABLES.items():
        if spec.optional and name not in data.tables and not any(p.table == name for p in data.problems):
            data.tables[name] = _empty(name)
    return data


def _empty(table: str) -> pl.DataFrame:
    """A typed frame with no rows, for an optional table the export left out."""
    spec = TABLES[table]
    text = pl.DataFrame({ROW: pl.Series([], dtype=pl.Int64)} | {c: pl.Series([], dtype=pl.String) for c in spec.column_names})
    return text.select(pl.col(ROW), *(column_expr(pl.col(c.name), c, False).alias(c.name) for c in spec.columns))
