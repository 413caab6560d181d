"""Small hand-made exports for tests: rows with sensible defaults, written in any dialect."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from pipeline.checks.pii import scan_exports
from pipeline.contract import TABLES, ExportMetadata
from pipeline.problems import Problem
from pipeline.read.export import ExportData, read_exports
from pipeline.synth.writer import Dialect, typed_frame, write_export
from pipeline.warehouse.load import Checked, write_batch
from pipeline.warehouse.recovery import refresh_stale_units

UNIT = "1603011"
DEFAULT = Dialect()


def d(text: str) -> date:
    return date.fromisoformat(text)


def month(text: str) -> date:
    return date.fromisoformat(text + "-01")


def assistant(id: str, start: str = "2012-04-01", end: str | None = None, fte: float = 1.0, **kw) -> dict:
    return {"id_asystenta": id, "data_zatrudnienia": d(start), "data_zakonczenia_zatrudnienia": end and d(end),
            "forma_zatrudnienia": "umowa o pracę", "system_czasu_pracy": "zadaniowy", "wymiar_etatu": fte} | kw


def family(id: str, **kw) -> dict:
    return {"id_rodziny": id, "typ_rodziny": "pełna", "liczba_osob": 4, "wielodzietna": False} | kw


def episode(id: str, fam: str, start: str, end: str | None = None, reason: str | None = None, court: str | None = None,
            za_zyciem: bool = False, monitoring: str | None = None, **kw) -> dict:
    if end and reason is None:
        reason = "osiągnięcie celów"
    return {"id_asystentury": id, "id_rodziny": fam, "data_rozpoczecia": d(start), "data_zakonczenia": end and d(end),
            "przyczyna_zakonczenia": reason, "zobowiazanie_sadu": court is not None,
            "data_postanowienia_sadu": court and d(court), "za_zyciem": za_zyciem,
            "data_zakonczenia_monitoringu": monitoring and d(monitoring)} | kw


def assignment(id: str, ep: str, asy: str, start: str, end: str | None = None) -> dict:
    return {"id_przydzialu": id, "id_asystentury": ep, "id_asystenta": asy, "data_od": d(start), "data_do": end and d(end)}


def child(id: str, fam: str, born: str, sex: str = "K", disabled: bool = False) -> dict:
    return {"id_dziecka": id, "id_rodziny": fam, "miesiac_urodzenia": month(born), "plec": sex, "niepelnosprawnosc": disabled}


def placement(id: str, kid: str, start: str, end: str | None = None, reason: str | None = None, form: str = "rodzinna") -> dict:
    if end and reason is None:
        reason = "powrót do rodziny biologicznej"
    return {"id_umieszczenia": id, "id_dziecka": kid, "data_umieszczenia": d(start), "data_zakonczenia": end and d(end),
            "forma_pieczy": form, "przyczyna_zakonczenia": reason}


def activity(id: str, ep: str, asy: str, day: str, kind: str = "porada", count: int | None = None) -> dict:
    return {"id_dzialania": id, "id_asystentury": ep, "id_asystenta": asy, "data": d(day), "rodzaj": kind, "liczba": count}


def assessment(id: str, ep: str, day: str) -> dict:
    return {"id_oceny": id, "id_asystentury": ep, "data_oceny": d(day)}


def project(id: str, name: str, start: str, end: str, children: int, families: int | None = None,
            kind: str = "projekt socjalny") -> dict:
    return {"id_projektu": id, "nazwa": name, "rodzaj": kind, "data_od": d(start), "data_do": d(end),
            "liczba_dzieci": children, "liczba_rodzin": families}


def tables(**rows: list[dict]) -> dict[str, pl.DataFrame]:
    """Typed frames of every required table (and the optional ones given)."""
    out = {}
    for name, spec in TABLES.items():
        if name in rows or not spec.optional:
            out[name] = typed_frame(name, rows.get(name, []))
    return out


def meta(exported: str = "2025-01-15", start: str = "2024-01-01", end: str = "2024-12-31", zakres: str = "okresowy",
         unit: str = UNIT) -> ExportMetadata:
    return ExportMetadata(unit, "MOPS Kędzierzyn-Koźle", d(exported), d(start), d(end), zakres, "1")


def small_case() -> dict[str, list[dict]]:
    """A valid little unit: two assistants, three families, all kinds of records."""
    return {
        "asystenci": [assistant("A1"), assistant("A2", start="2020-01-01")],
        "rodziny": [family("R1"), family("R2", typ_rodziny="niepełna"), family("R3")],
        "asystentury": [
            episode("E1", "R1", "2022-03-01", "2024-06-30", monitoring="2024-09-30"),
            episode("E2", "R2", "2023-01-10", court="2022-12-01"),
            episode("E3", "R3", "2024-02-01", za_zyciem=True),
        ],
        "przydzialy": [
            assignment("P1", "E1", "A1", "2022-03-01"),
            assignment("P2", "E2", "A1", "2023-01-10", "2023-12-31"),
            assignment("P3", "E2", "A2", "2024-01-01"),
            assignment("P4", "E3", "A2", "2024-02-01"),
        ],
        "dzieci": [child("D1", "R1", "2010-05"), child("D2", "R2", "2015-01", "M"), child("D3", "R3", "2024-01")],
        "piecza": [placement("U1", "D2", "2022-06-01", "2024-03-15")],
        "dzialania": [
            activity("Z1", "E1", "A1", "2024-01-05", "porada", 3),
            activity("Z2", "E2", "A2", "2024-02-05", "konsultacja"),
        ],
        "oceny": [assessment("O1", "E2", "2024-12-01"), assessment("O2", "E3", "2024-11-15")],
        "problemy": [{"id_problemu": "B1", "id_asystentury": "E2", "problem": "ubóstwo"}],
        "projekty": [
            project("K1", "Mikołaj w Krainie Lodu", "2024-12-02", "2024-12-13", 74, 31),
            project("K2", "Wakacje z asystentem", "2024-07-01", "2024-08-30", 12, kind="zajęcia grupowe"),
        ],
    }


def write(path: Path, rows: dict[str, list[dict]] | None = None, m: ExportMetadata | None = None,
          dialect: Dialect = DEFAULT) -> Path:
    """Write an export of `rows` (default: small_case) to `path`."""
    suffix = {"folder": "", "zip": ".zip", "xlsx": ".xlsx"}[dialect.container]
    target = path if path.suffix or not suffix else path.with_name(path.name + suffix)
    return write_export(target, m or meta(), tables(**(rows if rows is not None else small_case())), dialect)


def read_export(path: Path) -> ExportData:
    """Read one export as `ingest` reads a batch."""
    return read_exports([path])[0]


def scan_export(data: ExportData) -> list[Problem]:
    """Personal-data problems of one export."""
    return scan_exports([data])[0]


def load_exports(con: duckdb.DuckDBPyConnection, exports: list[ExportData]) -> None:
    """Write accepted exports without the GX gate, in this order, as one batch (as `ingest` writes a chunk), then
    rebuild their units' current state once."""
    results = write_batch(con, [Checked(data, [], []) for data in exports])
    refresh_stale_units(con)
    assert all(r.load_id is not None for r in results)


def load_export(con: duckdb.DuckDBPyConnection, data: ExportData, findings: list[Problem] | None = None) -> int:
    """Write one accepted export without the GX gate and rebuild its unit's current state."""
    result = write_batch(con, [Checked(data, [], list(findings or []))])[0]
    refresh_stale_units(con)
    assert result.load_id is not None
    return result.load_id


PESEL_WEIGHTS = (1, 3, 7, 9, 1, 3, 7, 9, 1, 3)


def pesel_valid(digits: str) -> bool:
    """The PESEL check digit, written plainly: the reference the vectorised scan is tested against."""
    if len(digits) != 11 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:10], PESEL_WEIGHTS, strict=True))
    return (10 - total % 10) % 10 == int(digits[10])


def load_outcomes(db: Path) -> dict[str, str]:
    """`raw.loads` of the warehouse at `db`: file name -> outcome (loaded / rejected ...)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return dict(con.execute("SELECT file_name, outcome FROM raw.loads").fetchall())
    finally:
        con.close()
