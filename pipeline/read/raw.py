"""Read any export-like container as it is: every file or sheet as a frame of text, headers as written.

Used where the contract's own reader would reject the input on purpose: the mapping (an export that
names things its own way) and the pseudonymiser (an identified export).  Nothing is checked here
beyond decoding; the contract reader checks the result.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from pipeline.problems import ExportRejected
from pipeline.read.containers import UNREADABLE_CONTAINER, ContainerKind
from pipeline.read.instruction_sheet import unchanged_instruction_sheets
from pipeline.read.tables import BROKEN_CSV, decode


@dataclass
class RawTable:
    """One file or sheet: its name without extension, how messages name it, and its cells as text."""

    name: str
    label: str
    frame: pl.DataFrame
    bom: bool = False  # a CSV that began with a UTF-8 BOM (written back with one: Excel reads its Polish letters)


@dataclass
class RawExport:
    """A container's tables as text, and its other files (bytes, by name) which are passed on unchanged."""

    path: Path
    kind: ContainerKind
    tables: list[RawTable]
    other: dict[str, bytes]


UTF8_BOM = b"\xef\xbb\xbf"


def _csv(data: bytes, name: str, label: str) -> RawTable:
    text, _ = decode(data, label)
    try:
        frame = pl.read_csv(io.BytesIO(text.encode("utf-8")), separator=";", quote_char='"', infer_schema=False)
    except pl.exceptions.PolarsError:
        raise ExportRejected([BROKEN_CSV.problem("plik CSV jest uszkodzony", file=label)]) from None
    return RawTable(name, label, frame, data.startswith(UTF8_BOM))


def read_raw(path: Path) -> RawExport:
    """Every table of a folder, .zip or .xlsx as text frames; raise ExportRejected if it cannot be read."""
    if path.is_dir():
        tables, other = [], {}
        for f in sorted(path.iterdir()):
            if f.is_file() and f.suffix.lower() == ".csv":
                tables.append(_csv(f.read_bytes(), f.stem, f.name))
            elif f.is_file():
                other[f.name] = f.read_bytes()
        return RawExport(path, "folder", tables, other)
    suffix = path.suffix.lower()
    if suffix == ".zip":
        try:
            with zipfile.ZipFile(path) as zf:
                members = [(i.filename, zf.read(i)) for i in zf.infolist() if not i.is_dir()]
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as e:
            raise ExportRejected([UNREADABLE_CONTAINER.problem(f"archiwum zip jest uszkodzone ({type(e).__name__})")]) from None
        tables, other = [], {}
        for name, data in members:
            p = Path(name)
            if p.suffix.lower() == ".csv":
                tables.append(_csv(data, p.stem, f"{path.name}/{name}"))
            else:
                other[p.name] = data
        return RawExport(path, "zip", tables, other)
    if suffix == ".xlsx":
        import fastexcel

        try:
            reader = fastexcel.read_excel(path.read_bytes())
            sheets = list(reader.sheet_names)
            skip = unchanged_instruction_sheets(reader, sheets)
            tables = []
            for s in sheets:
                if s in skip:
                    continue
                frame = reader.load_sheet(s, dtypes="string").to_polars()
                frame = frame.rename({c: str(c) for c in frame.columns}).with_columns(pl.all().cast(pl.String))
                tables.append(RawTable(s, f"{path.name}[{s}]", frame))
        except ExportRejected:
            raise
        except Exception as e:  # fastexcel's own error types
            raise ExportRejected([UNREADABLE_CONTAINER.problem(f"skoroszyt .xlsx jest nieczytelny ({type(e).__name__})")]) from None
        return RawExport(path, "xlsx", tables, {})
    raise ExportRejected([UNREADABLE_CONTAINER.problem("nieznany rodzaj eksportu: oczekiwano folderu, .zip albo .xlsx")])


def write_raw(export: RawExport, target: Path) -> Path:
    """Write text tables as an export of the same kind: a folder (also for a zip source: it is read the same way)
    or an .xlsx of text cells.  Other files are written unchanged, so the contract reader still sees them."""
    if export.kind == "xlsx":
        import xlsxwriter

        target.parent.mkdir(parents=True, exist_ok=True)
        wb = xlsxwriter.Workbook(str(target))
        for t in export.tables:
            ws = wb.add_worksheet(t.name)
            ws.write_row(0, 0, t.frame.columns)
            for i, row in enumerate(t.frame.iter_rows(), start=1):
                for j, v in enumerate(row):
                    if v is not None:
                        ws.write_string(i, j, v)
        wb.close()
        return target
    target.mkdir(parents=True, exist_ok=True)
    for t in export.tables:
        text = t.frame.write_csv(separator=";", quote_char='"', null_value="").encode("utf-8")
        (target / f"{t.name}.csv").write_bytes((UTF8_BOM if t.bom else b"") + text)
    for name, data in export.other.items():
        (target / name).write_bytes(data)
    return target


def write_zip(folder: Path, target: Path) -> Path:
    """Pack a folder's files into a .zip (fixed timestamps: the same content gives the same bytes)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in sorted(folder.iterdir()):
            zf.writestr(zipfile.ZipInfo(f.name, date_time=(2000, 1, 1, 0, 0, 0)), f.read_bytes(), zipfile.ZIP_DEFLATED)
    target.write_bytes(buf.getvalue())
    return target
