"""Which warehouse a DuckDB file is: this project's (and of which schema version), empty, or another one.

The schema version is written in `raw.warehouse_info` when the warehouse is created.  Before any
statement that writes, the file is identified: an empty file becomes a warehouse; a file of this
project at the current version is used; one at an older version is refused with the command that
migrates it (`python -m pipeline migrate --db FILE`); a newer one, or a database that is not this
project's warehouse, is refused and left as it is.
"""

from __future__ import annotations

import duckdb

from pipeline.warehouse.schema import SCHEMA_VERSION

PRE_VERSION = 0  # a warehouse of this project made before the version was written


def _tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    rows = con.execute("SELECT table_schema || '.' || table_name FROM information_schema.tables "
                       "WHERE table_catalog = current_database()").fetchall()
    return {name for (name,) in rows}


def stored_version(con: duckdb.DuckDBPyConnection) -> int | None:
    """The schema version of the file: None when it has no table at all (a new file), -1 when it is not
    this project's warehouse, 0 for one of this project's without a version, else the version written."""
    tables = _tables(con)
    if not tables:
        return None
    if "raw.warehouse_info" not in tables:
        return PRE_VERSION if {"raw.loads", "core.asystentury"} <= tables else -1
    rows = con.execute("SELECT value FROM raw.warehouse_info WHERE key = 'schema_version'").fetchall()
    try:
        return int(rows[0][0]) if rows else -1
    except (TypeError, ValueError):
        return -1


def refusal(path: object, version: int | None) -> str | None:
    """Why a file of `version` cannot be used as it is (None: it can)."""
    if version is None or version == SCHEMA_VERSION:
        return None
    if version < 0:
        return (f"plik {path} nie jest magazynem danych tego programu (brak tabeli raw.warehouse_info z wersją schematu); "
                "nic w nim nie zmieniono: podaj inny plik w --db albo ASYSTENCI_DB")
    if version < SCHEMA_VERSION:
        return (f"magazyn danych {path} ma starszą wersję schematu ({version}, obecna {SCHEMA_VERSION}); "
                f"zaktualizuj go poleceniem: python -m pipeline migrate --db {path}")
    return (f"magazyn danych {path} ma nowszą wersję schematu ({version}) niż ten program ({SCHEMA_VERSION}); "
            "użyj nowszej wersji programu")
