"""SQL helpers shared by every stage: read the project's .sql files, split statements, run queries."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

_ROOT = Path(__file__).resolve().parents[1]  # pipeline/


@cache
def sql_text(relative: str) -> str:
    """The text of a .sql file under pipeline/, e.g. 'warehouse/sql/current_state.sql'."""
    return (_ROOT / relative).read_text(encoding="utf-8")


def statements(text: str) -> list[str]:
    """Split SQL on semicolons at line ends (the project's files keep one statement per block)."""
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";\n") if s.strip().rstrip(";").strip()]


def caseload_sweep_sql(intervals: str) -> str:
    """The caseload sweep over a relation of assignment intervals (see sql/caseload_sweep.sql): shared by the
    caseload warning of the checks and the caseload figures."""
    return sql_text("sql/caseload_sweep.sql").format(intervals=intervals)


def query(con: duckdb.DuckDBPyConnection, sql: str, params: dict | list | None = None) -> pl.DataFrame:
    """Run a query and return all of it as a polars frame."""
    return pl.from_arrow(con.sql(sql, params=params or None).to_arrow_table())


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: dict | list | None = None) -> Any:
    """Run a query and return the first cell (None when no row); always reads the whole result."""
    rows = con.execute(sql, params or []).fetchall()
    return rows[0][0] if rows else None
