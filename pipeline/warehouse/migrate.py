"""`python -m pipeline migrate`: bring a warehouse of an older schema version to the current one.

Each step takes a warehouse from version N to N + 1 in one transaction; the steps run in order.
Version 0 (made before the version was written) differs from version 1 only by the tables added
since (created, empty, by the DDL) and the version row; version 1 from version 2 by the optional
table `projekty` (raw and core, created empty by the DDL); version 3 from version 2 by
`raw.published_cells` (the record of published statements, created empty).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import duckdb

from pipeline.warehouse.schema import SCHEMA_VERSION, ddl
from pipeline.warehouse.transaction import transaction
from pipeline.warehouse.version import PRE_VERSION, stored_version


def _create_new_tables(con: duckdb.DuckDBPyConnection) -> None:
    for statement in ddl():  # CREATE ... IF NOT EXISTS, and the version row
        con.execute(statement)


STEPS: dict[int, Callable[[duckdb.DuckDBPyConnection], None]] = {PRE_VERSION: _create_new_tables, 1: _create_new_tables,
                                                               2: _create_new_tables}


def migrate(path: Path) -> tuple[int, int]:
    """Migrate the warehouse file to the current version; return (version before, version after).
    Raises ValueError with a Polish message when the file cannot be migrated."""
    con = duckdb.connect(str(path))
    try:
        before = stored_version(con)
        if before is None or before < 0:
            raise ValueError(f"plik {path} nie jest magazynem danych tego programu; nie ma czego aktualizować")
        if before > SCHEMA_VERSION:
            raise ValueError(f"magazyn danych {path} ma nowszą wersję schematu ({before}) niż ten program ({SCHEMA_VERSION})")
        version = before
        while version < SCHEMA_VERSION:
            with transaction(con):
                STEPS[version](con)
                con.execute("UPDATE raw.warehouse_info SET value = $v WHERE key = 'schema_version'", {"v": str(version + 1)})
            version += 1
        return before, version
    finally:
        con.close()
