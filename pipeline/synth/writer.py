"""Write an export in any container and dialect of the contract.

Used by the synthetic generator and by the tests' fixtures; the inverse of
`pipeline.read`.  Tables are polars frames with the contract's columns and
Python-typed values (dates, bools, floats, ints, strings).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Literal

import polars as pl

from pipeline.contract import METADATA_TABLE, TABLES, ExportMetadata
from pipeline.read.containers import ContainerKind

_STRIP = str.maketrans("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ", "acelnoszzACELNOSZZ")


@dataclass(frozen=True)
class Dialect:
    """How an export is written: container, encoding, date style, diacritics, booleans."""

    container: ContainerKind = "folder"
    encoding: Literal["utf-8", "utf-8-sig", "windows-1250"] = "utf-8"
    dates: Literal["iso", "pl"] = "iso"
    strip_diacritics: bool = False
    bools: tuple[str, str] = ("T", "N")
    decimal_comma: bool = False


def metadata_rows(meta: ExportMetadata) -> list[tuple[str, object]]:
    return [
        ("jednostka", meta.jednostka),
        ("nazwa_jednostki", meta.nazwa_jednostki),
        ("data_eksportu", meta.data_eksportu),
        ("okres_od", meta.okres_od),
        ("okres_do", meta.okres_do),
        ("zakres", meta.zakres),
        ("wersja_formatu", meta.wersja_formatu),
    ]


def _text_frame(df: pl.DataFrame, table: str, d: Dialect) -> pl.DataFrame:
    """Render a typed frame as the dialect's text cells."""
    spec = TABLES[table]
    fmt = "%Y-%m-%d" if d.dates == "iso" else "%d.%m.%Y"
    exprs = []
    for c in spec.columns:
        col = pl.col(c.name)
        dtype = df.schema[c.name]
        if c.type == "month":
            e = col.dt.strftime("%Y-%m") if dtype == pl.Date else col.cast(pl.String)
        elif dtype == pl.Date:
            e = col.dt.strftime(fmt)
        elif dtype == pl.Boolean:
            e = pl.when(col).then(pl.lit(d.bools[0])).when(~col).then(pl.lit(d.bools[1]))
        elif dtype.is_float():
            e = col.cast(pl.String)
            if d.decimal_comma:
                e = e.str.replace(".", ",", literal=True)
        else:
            e = col.cast(pl.String)
        if c.type == "dict" and d.strip_diacritics:
            e = e.str.replace_many(list("ąćęłńóśźż"), list("acelnoszz"))
        exprs.append(e.alias(c.name))
    return df.select(exprs)


def _csv_bytes(df: pl.DataFrame, d: Dialect) -> bytes:
    text = df.write_csv(separator=";", quote_char='"', null_value="", line_terminator="\r\n" if d.encoding == "windows-1250" else "\n")
    return text.encode(d.encoding)


def _meta_frame(meta: ExportMetadata, d: Dialect) -> pl.DataFrame:
    fmt = "%Y-%m-%d" if d.dates == "iso" else "%d.%m.%Y"
    rows = [(k, v.strftime(fmt) if isinstance(v, date) else str(v)) for k, v in metadata_rows(meta)]
    if d.strip_diacritics:
        rows = [(k, v.translate(_STRIP) if k == "zakres" else v) for k, v in rows]
    return pl.DataFrame(rows, schema=["klucz", "wartosc"], orient="row")


def export_files(meta: ExportMetadata, tables: dict[str, pl.DataFrame], d: Dialect) -> dict[str, bytes]:
    """The CSV files of an export, by file name."""
    files = {f"{METADATA_TABLE}.csv": _csv_bytes(_meta_frame(meta, d), d)}
    for name, df in tables.items():
        files[f"{name}.csv"] = _csv_bytes(_text_frame(df, name, d), d)
    return files


def write_export(path: Path, meta: ExportMetadata, tables: dict[str, pl.DataFrame], d: Dialect = Dialect()) -> Path:
    """Write one export to `path` (a folder, or a file ending .zip / .xlsx); return the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if d.container == "xlsx":
        _write_xlsx(path, meta, tables, d)
        return path
    files = export_files(meta, tables, d)
    if d.container == "zip":
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, data in sorted(files.items()):
                info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, data)
        path.write_bytes(buf.getvalue())
    else:
        path.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            (path / name).write_bytes(data)
    return path


def _write_xlsx(path: Path, meta: ExportMetadata, tables: dict[str, pl.DataFrame], d: Dialect) -> None:
    """Write a workbook with real Excel dates, numbers and text, as an office system would."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": False})
    wb.set_properties({"created": datetime(2000, 1, 1)})
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws = wb.add_worksheet(METADATA_TABLE)
    ws.write_row(0, 0, ["klucz", "wartosc"])
    for i, (k, v) in enumerate(metadata_rows(meta), start=1):
        ws.write_string(i, 0, k)
        if isinstance(v, date):
            ws.write_datetime(i, 1, datetime(v.year, v.month, v.day), date_fmt)
        else:
            ws.write_string(i, 1, str(v))
    for name, df in tables.items():
        ws = wb.add_worksheet(name)
        spec = TABLES[name]
        ws.write_row(0, 0, spec.column_names)
        text = _text_frame(df, name, d)
        for j, c in enumerate(spec.columns):
            values = df[c.name].to_list() if c.type in ("date", "decimal", "integer") else text[c.name].to_list()
            for i, v in enumerate(values, start=1):
                if v is None:
                    continue
                if isinstance(v, date):
                    ws.write_datetime(i, j, datetime(v.year, v.month, v.day), date_fmt)
                elif isinstance(v, (int, float)) and not isinstance(v, bool):
                    ws.write_number(i, j, v)
                else:
                    ws.write_string(i, j, str(v))
    wb.close()


_POLARS_TYPES = {
    "id": pl.String, "dict": pl.String, "text": pl.String, "date": pl.Date, "month": pl.Date,
    "decimal": pl.Float64, "integer": pl.Int64, "bool": pl.Boolean,
}


def polars_schema(table: str) -> dict[str, pl.DataType]:
    """The typed schema of a contract table (birth months are first days of the month)."""
    return {c.name: _POLARS_TYPES[c.type] for c in TABLES[table].columns}


def typed_frame(table: str, rows: list[dict]) -> pl.DataFrame:
    """A typed frame of a contract table from row dicts (missing keys are empty cells)."""
    schema = polars_schema(table)
    return pl.DataFrame([{k: r.get(k) for k in schema} for r in rows], schema=schema, orient="row")
