"""Open the DuckDB warehouse file, waiting a little for another writer.

DuckDB lets one process write a database file at a time (it locks the file).
A second process retries for a few seconds and then fails with a message an
analyst understands; it never touches the file meanwhile.

`connect` only opens (a reader also refuses a state left stale by an interrupted
load); `open_for_writing` is what writers call: it opens, creates the schema if
needed and finishes a rebuild an interrupted load left (see `recovery`).
"""

from __future__ import annotations

import time
from pathlib import Path

import duckdb

from pipeline.config import WRITER_WAIT_SECONDS
from pipeline.warehouse.recovery import is_stale, refresh_stale_units
from pipeline.warehouse.schema import ddl
from pipeline.warehouse.version import refusal, stored_version


class WarehouseError(Exception):
    """The warehouse cannot be opened or written; the message says why, in Polish."""


def _is_lock_error(e: Exception) -> bool:
    text = str(e).lower()
    return "lock" in text or "conflicting" in text


def connect(path: Path, *, read_only: bool = False, wait: float = WRITER_WAIT_SECONDS) -> duckdb.DuckDBPyConnection:
    """Open the warehouse file as it is; wait up to `wait` s for another writer's lock."""
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
    try:
        why = refusal(path, stored_version(con))
    except duckdb.Error as e:
        con.close()
        raise WarehouseError(f"nie można odczytać magazynu danych {path} ({type(e).__name__})") from None
    if why is not None:
        con.close()
        raise WarehouseError(why)
    if read_only and is_stale(con):
        con.close()
        raise WarehouseError(
            f"bieżący stan magazynu danych {path} nie został odświeżony po przerwanym wczytywaniu; "
            "uruchom ponownie wczytywanie (python -m pipeline ingest ...), które go dokończy"
        )
    return con


def open_for_writing(path: Path, *, wait: float = WRITER_WAIT_SECONDS) -> duckdb.DuckDBPyConnection:
    """Open the warehouse to write: create its schema when new, finish what an interrupted load left."""
    con = connect(path, wait=wait)
    try:
        for statement in ddl():
            con.execute(statement)
        refresh_stale_units(con)
    except duckdb.Error as e:
        con.close()
        raise WarehouseError(f"nie można przygotować magazynu danych {path}: {e}") from None
    return con
