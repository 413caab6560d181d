"""What the warehouse covers: the years with data, the last complete year."""

from __future__ import annotations

import duckdb

from pipeline.sql import query, scalar


def data_years(con: duckdb.DuckDBPyConnection, unit: str | None = None) -> list[int]:
    """The years from the first episode start to the end of the latest period an export covers."""
    sql = """SELECT min(year(data_rozpoczecia)) AS first, (SELECT max(year(okres_do)) FROM raw.loads
             WHERE outcome = 'loaded' AND (CAST($unit AS VARCHAR) IS NULL OR jednostka = $unit)) AS last
             FROM core.asystentury WHERE CAST($unit AS VARCHAR) IS NULL OR jednostka = $unit"""
    first, last = query(con, sql, {"unit": unit}).row(0)
    return list(range(first, last + 1)) if first and last else []


def latest_complete_year(con: duckdb.DuckDBPyConnection) -> int | None:
    """The last year that the loaded exports cover up to 31 December."""
    last = scalar(con, "SELECT max(okres_do) FROM raw.loads WHERE outcome = 'loaded'")
    if last is None:
        return None
    return last.year if (last.month, last.day) == (12, 31) else last.year - 1
