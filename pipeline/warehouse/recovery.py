"""Rebuild the current state (`core.*`) of the units a load marked stale, and say whether any is stale.

A load writes its exports and marks their units in `raw.stale_units` in one
transaction; `refresh_stale_units` then rebuilds those units' current state by the
merge rules (`sql/current_state.sql`) in a transaction of its own that clears the
marks.  A crash in between leaves the marks: the next writer rebuilds, and readers
refuse a stale state meanwhile.
"""

from __future__ import annotations

import duckdb

from pipeline.contract import TABLES
from pipeline.sql import sql_text, statements
from pipeline.warehouse.transaction import transaction


def refresh_current_state(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild the current state of every table for the units marked stale."""
    template = sql_text("warehouse/sql/current_state.sql")
    for name, spec in TABLES.items():
        text = template.format(table=name, key=spec.key, columns=", ".join(spec.column_names))
        for statement in statements(text):
            con.execute(statement)


def stale_units(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Units whose current state awaits a rebuild (empty in a consistent warehouse)."""
    return [u for (u,) in con.execute("SELECT jednostka FROM raw.stale_units ORDER BY 1").fetchall()]


def refresh_stale_units(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Rebuild the current state of every stale unit, all in one transaction that clears their marks."""
    units = stale_units(con)
    if not units:
        return units
    with transaction(con):
        refresh_current_state(con)
        clear_stale_marks(con)
    return units




def clear_stale_marks(con: duckdb.DuckDBPyConnection) -> None:
    """Clear every stale mark (inside the rebuild's transaction)."""
    con.execute("DELETE FROM raw.stale_units")


def is_stale(con: duckdb.DuckDBPyConnection) -> bool:
    """True when some unit's current state awaits a rebuild."""
    try:
        return bool(con.execute("SELECT count(*) FROM raw.stale_units").fetchall()[0][0])
    except duckdb.CatalogException:  # a warehouse made before the table existed, or an empty file
        return False
