"""Load one checked export into the warehouse in one transaction.

Raw versions, findings and the load-log line are written together or not at
all; a rejected export only adds a line to the load log.  The unit's current
state is rebuilt in the same transaction (`refresh=True`), or — when many
exports of a unit arrive in one call — marked stale in that transaction and
rebuilt once afterwards by `refresh_stale_units`, each unit in a transaction of
its own.  A crash in between leaves the mark, so the next writer rebuilds it
and readers refuse to read a stale state.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from datetime import datetime

import duckdb
import polars as pl

from pipeline.contract import TABLES
from pipeline.problems import Problem
from pipeline.read.export import ExportData
from pipeline.sql import scalar, sql_text, statements


@dataclass
class LoadResult:
    """What happened to one export."""

    name: str
    outcome: str  # "loaded" | "already loaded" | "rejected"
    load_id: int | None = None
    problems: list[Problem] | None = None
    findings: list[Problem] | None = None
    row_counts: dict[str, int] | None = None


def already_loaded(con: duckdb.DuckDBPyConnection, content_hash: str) -> int | None:
    """The load id of an earlier successful load of the same content, if any."""
    return scalar(con, "SELECT min(load_id) FROM raw.loads WHERE content_hash = ? AND outcome = 'loaded'", [content_hash])


def _next_load_id(con: duckdb.DuckDBPyConnection) -> int:
    return scalar(con, "SELECT coalesce(max(load_id), 0) + 1 FROM raw.loads")


def refresh_current_state(con: duckdb.DuckDBPyConnection, unit: str) -> None:
    """Rebuild the current state of every table for one unit."""
    template = sql_text("warehouse/sql/current_state.sql")
    for name, spec in TABLES.items():
        text = template.format(table=name, key=spec.key, columns=", ".join(spec.column_names))
        for statement in statements(text):
            con.execute(statement, {"unit": unit})


def _log_line(con: duckdb.DuckDBPyConnection, data: ExportData, outcome: str, reasons: list[Problem],
              row_counts: dict[str, int] | None, findings: int) -> int:
    load_id = _next_load_id(con)
    meta = data.meta
    # the unit name is free text: from a rejected export it may hold what made it fail, so it is not kept
    name = meta.nazwa_jednostki if meta and outcome == "loaded" else None
    con.execute(
        "INSERT INTO raw.loads VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            load_id, data.name, data.container.content_hash if data.container else "",
            meta.jednostka if meta else None, name,
            meta.data_eksportu if meta else None, meta.okres_od if meta else None,
            meta.okres_do if meta else None, meta.zakres if meta else None,
            datetime.now(), outcome, json.dumps([p.to_dict() for p in reasons], ensure_ascii=False),
            json.dumps(row_counts) if row_counts is not None else None, findings,
        ],
    )
    return load_id


def log_rejection(con: duckdb.DuckDBPyConnection, data: ExportData, problems: list[Problem]) -> int:
    """Write the load-log line of a rejected export (its only trace in the warehouse)."""
    con.begin()
    try:
        load_id = _log_line(con, data, "rejected", problems, None, 0)
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return load_id


def _insert_findings(con: duckdb.DuckDBPyConnection, load_id: int, unit: str, findings: list[Problem]) -> None:
    rows = [
        (load_id, unit, f.code, f.table or "", record_id, row, f.message)
        for f in findings
        for record_id, row in zip(f.ids or [None] * len(f.rows), f.rows or [None], strict=False)
    ]
    if rows:
        con.executemany("INSERT INTO raw.findings VALUES (?, ?, ?, ?, ?, ?, ?)", rows)


def _test_pause(con: duckdb.DuckDBPyConnection, variable: str) -> None:
    """For the fault tests only: stop inside a transaction so a test can kill the process there."""
    seconds = os.environ.get(variable)
    if seconds:
        path = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchall()[0][0]
        with open(f"{path}.{variable.rsplit('_', 1)[-1].lower()}", "w") as marker:
            marker.write("inside a load transaction")
        time.sleep(float(seconds))


def stale_units(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Units whose current state awaits a rebuild (empty in a consistent warehouse)."""
    return [u for (u,) in con.execute("SELECT jednostka FROM raw.stale_units ORDER BY 1").fetchall()]


def refresh_stale_units(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Rebuild the current state of every stale unit, each in its own transaction."""
    units = stale_units(con)
    for unit in units:
        con.begin()
        try:
            refresh_current_state(con, unit)
            _test_pause(con, "PIPELINE_TEST_PAUSE_IN_REFRESH")
            con.execute("DELETE FROM raw.stale_units WHERE jednostka = ?", [unit])
            con.commit()
        except BaseException:
            con.rollback()
            raise
    return units


def load_export(con: duckdb.DuckDBPyConnection, data: ExportData, findings: list[Problem], refresh: bool = True) -> int:
    """Append one checked export atomically; rebuild its unit's current state now, or mark it stale."""
    assert data.meta is not None
    unit = data.meta.jednostka
    con.begin()
    try:
        load_id = _log_line(con, data, "loaded", [], data.row_counts(), sum(f.count for f in findings))
        for name, spec in TABLES.items():
            frame = data.tables[name].select(
                pl.lit(load_id, dtype=pl.Int32).alias("load_id"), pl.lit(unit).alias("jednostka"), "_row", *spec.column_names
            )
            con.register("staged_table", frame.to_arrow())
            con.execute(f"INSERT INTO raw.{name} SELECT * FROM staged_table")
            con.unregister("staged_table")
        _insert_findings(con, load_id, unit, findings)
        _test_pause(con, "PIPELINE_TEST_PAUSE_IN_LOAD")
        if refresh:
            refresh_current_state(con, unit)
        else:
            con.execute("INSERT INTO raw.stale_units VALUES (?) ON CONFLICT DO NOTHING", [unit])
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return load_id
