"""Open the DuckDB warehouse file, waiting a little for another writer.

DuckDB lets one process write a database file at a time (it locks the file).
A second process retries for a few seconds and then fails with a message an
analyst understands; it never touches the file meanwhile.
"""

from __future__ import annotations

import time
from pathlib import Path

import duckdb

from pipeline.warehouse.schema import ddl

DEFAULT_WAIT_SECONDS = 10.0
PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DB = PROJECT_ROOT / "data" / "warehouse.duckdb"


class WarehouseError(Exception):
    """The warehouse cannot be opened or written; the message says why, in Polish."""


def _is_lock_error(e: Exception) -> bool:
    text = str(e).lower()
    return "lock" in text or "conflicting" in text


def connect(path: Path, *, read_only: bool = False, wait: float = DEFAULT_WAIT_SECONDS) -> duckdb.DuckDBPyConnection:
    """Open the warehouse (creating its schema when writing); wait up to `wait` s for a lock."""
    path = Path(path)
    if read_only and not path.exists():
        raise WarehouseError(f"magazyn danych {path} nie istnieje: najpierw wczytaj eksporty (python -m pipeline ingest)")
    if not read_only:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise WarehouseError(f"nie można utworzyć folderu magazynu danych {path.parent}: {e.strerror}") from None
    deadline = time.monotonic() + wait
    while True:
        try:
            con = duckdb.connect(str(path), read_only=read_only)
            break
        except duckdb.IOException as e:
            if _is_lock_error(e) and time.monotonic() < deadline:
                time.sleep(0.25)
                continue
            if _is_lock_error(e):
                raise WarehouseError(
                    f"magazyn danych {path} jest używany przez inny proces (np. trwa inne wczytywanie); "
                    f"spróbuj ponownie, gdy się zakończy"
                ) from None
            raise WarehouseError(f"nie można otworzyć magazynu danych {path}: {e}") from None
        except duckdb.Error as e:
            raise WarehouseError(f"nie można otworzyć magazynu danych {path}: {e}") from None
    if not read_only:
        try:
            for statement in ddl():
                con.execute(statement)
            from pipeline.warehouse.load import refresh_stale_units

            refresh_stale_units(con)  # finish what an interrupted ingest left (see warehouse/load.py)
        except duckdb.Error as e:
            con.close()
            raise WarehouseError(f"nie można przygotować magazynu danych {path}: {e}") from None
    elif _stale(con):
        con.close()
        raise WarehouseError(
            f"bieżący stan magazynu danych {path} nie został odświeżony po przerwanym wczytywaniu; "
            "uruchom ponownie wczytywanie (python -m pipeline ingest ...), które go dokończy"
        )
    return con


def _stale(con: duckdb.DuckDBPyConnection) -> bool:
    try:
        return bool(con.execute("SELECT count(*) FROM raw.stale_units").fetchall()[0][0])
    except duckdb.CatalogException:  # a warehouse made before the table existed
        return False
