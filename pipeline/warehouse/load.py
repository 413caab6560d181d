"""Write checked exports into the warehouse: a batch of exports in one transaction.

Every accepted export of a batch adds its raw versions, findings and load-log
line, every rejected one only its log line, all together or not at all; an
export is never half-written.  The units touched are marked stale in the same
transaction; `refresh_stale_units` then rebuilds their current state in one
transaction of its own that clears the marks.  A crash in between leaves the
marks, so the next writer rebuilds and readers refuse a stale state.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import duckdb
import polars as pl

from pipeline.contract import TABLES
from pipeline.problems import Problem
from pipeline.read.batch import EXPORT, ROW, stack
from pipeline.read.export import ExportData
from pipeline.sql import scalar
from pipeline.warehouse.transaction import transaction


@dataclass
class LoadResult:
    """What happened to one export."""

    name: str
    outcome: str  # "loaded" | "already loaded" | "rejected"
    load_id: int | None = None
    problems: list[Problem] | None = None
    findings: list[Problem] | None = None
    row_counts: dict[str, int] | None = None
    report_error: str | None = None  # the quality report could not be written (the load itself stands)


@dataclass
class Checked:
    """An export and what the gate said of it: problems reject it, findings load with it."""

    data: ExportData
    problems: list[Problem]
    findings: list[Problem]


def replaced_tables(data: ExportData) -> set[str]:
    """The tables whose records an export gives whole: every table it holds (even with no row).  An optional
    table it leaves out is not among them (a `pełny` export that leaves it out leaves its records as they
    were) unless the export's metadata declares it replaces it (`zastepuje_tabele`: its records are removed)."""
    held = set(data.container.members) if data.container is not None else set(data.tables)
    declared = set(data.meta.zastepuje_tabele) if data.meta is not None else set()
    return {name for name, spec in TABLES.items() if not spec.optional or name in held or name in declared}


def already_loaded(con: duckdb.DuckDBPyConnection, hashes: list[str]) -> dict[str, int]:
    """For each content hash loaded before, the load id of its first successful load."""
    if not hashes:
        return {}
    rows = con.execute("SELECT content_hash, min(load_id) FROM raw.loads WHERE outcome = 'loaded' AND content_hash IN "
                       "(SELECT unnest($hashes)) GROUP BY 1", {"hashes": hashes}).fetchall()
    return dict(rows)


def _log_row(load_id: int, data: ExportData, outcome: str, reasons: list[Problem],
             row_counts: dict[str, int] | None, findings: int) -> tuple:
    meta = data.meta
    # the unit name is free text: from a rejected export it may hold what made it fail, so it is not kept
    name = meta.nazwa_jednostki if meta and outcome == "loaded" else None
    return (
        load_id, data.name, data.container.content_hash if data.container else "",
        meta.jednostka if meta else None, name,
        meta.data_eksportu if meta else None, meta.okres_od if meta else None,
        meta.okres_do if meta else None, meta.zakres if meta else None,
        datetime.now(), outcome, json.dumps([p.to_dict() for p in reasons], ensure_ascii=False),
        json.dumps(row_counts) if row_counts is not None else None, findings,
    )


def _insert_findings(con: duckdb.DuckDBPyConnection, rows: list[tuple]) -> None:
    if rows:
        frame = pl.DataFrame(rows, schema={"load_id": pl.Int32, "jednostka": pl.String, "code": pl.String, "tabela": pl.String,
                                           "record_id": pl.String, "row": pl.Int64, "message": pl.String}, orient="row")
        _insert(con, "raw.findings", frame)


_LOG_SCHEMA = {"load_id": pl.Int32, "file_name": pl.String, "content_hash": pl.String, "jednostka": pl.String,
               "nazwa_jednostki": pl.String, "data_eksportu": pl.Date, "okres_od": pl.Date, "okres_do": pl.Date,
               "zakres": pl.String, "loaded_at": pl.Datetime("us"), "outcome": pl.String, "reasons": pl.String,
               "row_counts": pl.String, "findings": pl.Int32}


def _insert_log(con: duckdb.DuckDBPyConnection, rows: list[tuple]) -> None:
    """The load-log lines of a batch in one insert (a row at a time cost seconds at national scale)."""
    _insert(con, "raw.loads", pl.DataFrame(rows, schema=_LOG_SCHEMA, orient="row"))


def _insert(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> None:
    con.register("staged_rows", frame.to_arrow())
    try:
        con.execute(f"INSERT INTO {table} SELECT * FROM staged_rows")
    finally:
        con.unregister("staged_rows")


def _finding_rows(load_id: int, unit: str, findings: list[Problem]) -> list[tuple]:
    return [
        (load_id, unit, f.code, f.table or "", record_id, row, f.message)
        for f in findings
        for record_id, row in zip(f.ids or [None] * len(f.rows), f.rows or [None], strict=False)
    ]


def write_batch(con: duckdb.DuckDBPyConnection, batch: list[Checked]) -> list[LoadResult]:
    """Write a batch of checked exports in one transaction; return what happened to each, in order.

    An export whose content was already loaded (before, or earlier in the batch) is not written again.
    """
    hashes = [c.data.container.content_hash for c in batch if c.data.container is not None]
    known = already_loaded(con, hashes)
    results: list[LoadResult] = []
    log_rows: list[tuple] = []
    finding_rows: list[tuple] = []
    parts: dict[str, list[tuple[int, pl.DataFrame]]] = {name: [] for name in TABLES}
    units: dict[int, str] = {}
    load_id = scalar(con, "SELECT coalesce(max(load_id), 0) FROM raw.loads")
    for c in batch:
        data = c.data
        content = data.container.content_hash if data.container else None
        if content in known:
            results.append(LoadResult(data.name, "already loaded", known[content]))
            continue
        load_id += 1
        if c.problems:
            log_rows.append(_log_row(load_id, data, "rejected", c.problems, None, 0))
            results.append(LoadResult(data.name, "rejected", load_id, c.problems, [], None))
            continue
        assert data.meta is not None and content is not None
        known[content] = load_id
        units[load_id] = data.meta.jednostka
        replaced = replaced_tables(data)
        # the log keeps a count for each table the export gives whole: the merge rules read which (current_state.sql)
        counts = {t: n for t, n in data.row_counts().items() if t not in TABLES or t in replaced}
        log_rows.append(_log_row(load_id, data, "loaded", [], counts, sum(f.count for f in c.findings)))
        finding_rows += _finding_rows(load_id, data.meta.jednostka, c.findings)
        for name in TABLES:
            parts[name].append((load_id, data.tables[name]))
        results.append(LoadResult(data.name, "loaded", load_id, [], c.findings, counts))
    if not log_rows:
        return results
    with transaction(con):
        _insert_log(con, log_rows)
        if units:
            unit_of = pl.DataFrame({EXPORT: list(units), "jednostka": list(units.values())},
                                   schema={EXPORT: pl.Int64, "jednostka": pl.String})
            for name, spec in TABLES.items():
                rows = stack(parts[name]).join(unit_of, on=EXPORT, how="left").select(
                    pl.col(EXPORT).cast(pl.Int32).alias("load_id"), "jednostka", ROW, *spec.column_names)
                _insert(con, f"raw.{name}", rows)
            _insert_findings(con, finding_rows)
            con.execute("INSERT INTO raw.stale_units SELECT unnest($units) ON CONFLICT DO NOTHING",
                        {"units": sorted(set(units.values()))})
    return results

