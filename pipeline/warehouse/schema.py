"""The warehouse's tables, derived from the contract.

`raw` keeps every version of every record with the load it came from
(append-only); `core` holds the current state per the merge rules; the load
log and the findings sit beside `raw`.
"""

from __future__ import annotations

from pipeline.contract import TABLES, Column

SCHEMA_VERSION = 3  # 1: the first written version; 2: the optional table `projekty`; 3: `raw.published_cells`

_SQL_TYPES = {
    "id": "VARCHAR",
    "date": "DATE",
    "month": "DATE",
    "decimal": "DOUBLE",
    "integer": "BIGINT",
    "bool": "BOOLEAN",
    "dict": "VARCHAR",
    "text": "VARCHAR",
}


def sql_type(column: Column) -> str:
    return _SQL_TYPES[column.type]


def _columns(table: str) -> str:
    return ",\n    ".join(f"{c.name} {sql_type(c)}" for c in TABLES[table].columns)


def ddl() -> list[str]:
    """Statements that create every schema object (idempotent)."""
    statements = [
        "CREATE SCHEMA IF NOT EXISTS raw",
        "CREATE SCHEMA IF NOT EXISTS core",
        "CREATE TABLE IF NOT EXISTS raw.warehouse_info (key VARCHAR PRIMARY KEY, value VARCHAR)",
        """CREATE TABLE IF NOT EXISTS raw.loads (
    load_id INTEGER PRIMARY KEY,
    file_name VARCHAR NOT NULL,
    content_hash VARCHAR NOT NULL,
    jednostka VARCHAR,
    nazwa_jednostki VARCHAR,
    data_eksportu DATE,
    okres_od DATE,
    okres_do DATE,
    zakres VARCHAR,
    loaded_at TIMESTAMP NOT NULL,
    outcome VARCHAR NOT NULL,
    reasons JSON,
    row_counts JSON,
    findings INTEGER
)""",
        """CREATE TABLE IF NOT EXISTS raw.findings (
    load_id INTEGER NOT NULL,
    jednostka VARCHAR NOT NULL,
    code VARCHAR NOT NULL,
    table_name VARCHAR NOT NULL,
    record_id VARCHAR,
    row_number BIGINT,
    message VARCHAR NOT NULL
)""",
        # units whose current state must be rebuilt (set with a loaded export, cleared with the rebuild)
        "CREATE TABLE IF NOT EXISTS raw.stale_units (jednostka VARCHAR PRIMARY KEY)",
        """CREATE TABLE IF NOT EXISTS raw.funding (
    jednostka VARCHAR NOT NULL,
    rok INTEGER NOT NULL,
    zrodlo VARCHAR NOT NULL,
    kwota DOUBLE NOT NULL,
    liczba_asystentow DOUBLE NOT NULL,
    PRIMARY KEY (jednostka, rok, zrodlo)
)""",
        # every cell of every statement published (`statement --publish`): later publications of the same year keep
        # what it hid hidden (pipeline/outputs/publication/nest.py); jednostka '*' is the total of all units
        """CREATE TABLE IF NOT EXISTS raw.published_cells (
    jednostka VARCHAR NOT NULL,
    okres VARCHAR NOT NULL,
    okres_od DATE NOT NULL,
    okres_do DATE NOT NULL,
    klucz VARCHAR NOT NULL,
    wartosc DOUBLE,
    status VARCHAR NOT NULL,
    prog INTEGER NOT NULL,
    opublikowano TIMESTAMP NOT NULL,
    PRIMARY KEY (jednostka, okres_od, okres_do, klucz)
)""",
    ]
    for name in TABLES:
        statements.append(
            f"CREATE TABLE IF NOT EXISTS raw.{name} (\n    load_id INTEGER NOT NULL,\n    jednostka VARCHAR NOT NULL,\n"
            f"    _row BIGINT NOT NULL,\n    {_columns(name)}\n)"
        )
        statements.append(
            f"CREATE TABLE IF NOT EXISTS core.{name} (\n    jednostka VARCHAR NOT NULL,\n    {_columns(name)},\n"
            f"    load_id INTEGER NOT NULL\n)"
        )
    statements.append(
        f"INSERT INTO raw.warehouse_info VALUES ('schema_version', '{SCHEMA_VERSION}') ON CONFLICT DO NOTHING"
    )
    return statements
