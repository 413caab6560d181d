"""Open the DuckDB warehouse file, waiting (bounded) while another process holds it.

DuckDB lets one process write a database file, or several processes read it, never both at
once (it locks the file).  So every reader holds the file only while it reads: a command opens,
reads and closes; a notebook's connection is opened by a cell and closed when the cell ends
(`pipeline/outputs/notebooks/reading.py`), so an idle kernel never blocks a load.  A writer
(`ingest`, `run`) waits up to WRITER_WAIT_SECONDS for readers to finish, a reader waits up to
READER_WAIT_SECONDS for a running load; each says once that it waits, and when it gives up one
coded line names what holds the file (another load, a notebook kernel, a reader: DuckDB's lock
error gives the holder's PID, its command line tells which) and what to do.  Neither touches the
file meanwhile.

`connect` only opens (a reader also refuses a state left stale by an interrupted
load); `open_for_writing` is what writers call: it opens, creates the schema if
needed and finishes a rebuild an interrupted load left (see `recovery`).
"""

from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path

import duckdb

from pipeline.config import READER_WAIT_SECONDS, WRITER_WAIT_SECONDS
from pipeline.warehouse.recovery import is_stale, refresh_stale_units
from pipeline.warehouse.schema import ddl
from pipeline.warehouse.version import refusal, stored_version

WRITER_GAVE_UP = "MAG-001"  # a load (or another writer) waited for the file and gave up
READER_GAVE_UP = "MAG-002"  # a reader waited for a running load and gave up
WRITING_COMMANDS = ("ingest", "run", "demo", "funding", "migrate")  # the commands of `python -m pipeline` that write
POLL_SECONDS = 0.25


class WarehouseError(Exception):
    """The warehouse cannot be opened or written; the message says why, in Polish."""


def _is_lock_error(e: Exception) -> bool:
    text = str(e).lower()
    return "lock" in text or "conflicting" in text


def _command_line(pid: int) -> list[str]:
    """The holder's command line (Linux /proc), or [] where it cannot be read."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return []
    return [a.decode("utf-8", "replace") for a in raw.split(b"\0") if a]


def holder_kind(args: list[str]) -> str:
    """What a process is, from its command line: "kernel", "load", "reader" or "other"."""
    if any("ipykernel" in a for a in args):
        return "kernel"
    if "pipeline" in args:
        after = args[args.index("pipeline") + 1:]
        return "load" if after and after[0] in WRITING_COMMANDS else "reader"
    return "other"


def describe_holder(error: Exception) -> tuple[str, str]:
    """(what holds the file, what to do), in Polish, from DuckDB's lock error (it names the holder's PID)."""
    found = re.search(r"\(PID (\d+)\)", str(error))
    if not found:
        return ("inny proces (inne wczytywanie, jądro notatnika albo inny odczyt)",
                "poczekaj, aż się zakończy, i spróbuj ponownie")
    pid = int(found.group(1))
    args = _command_line(pid)
    kind = holder_kind(args)
    if kind == "kernel":
        return (f"jądro notatnika JupyterLab (PID {pid}): wykonuje komórkę albo ma własne połączenie z magazynem",
                "poczekaj, aż komórka się skończy, albo przerwij ją (Kernel → Interrupt Kernel); połączenie otwarte "
                "w notatniku ręcznie zamknij (con.close()) albo zatrzymaj jądro (Kernel → Shut Down Kernel); "
                "potem spróbuj ponownie")
    if kind == "load":
        command = args[args.index("pipeline") + 1]
        return (f"inne wczytywanie (python -m pipeline {command}, PID {pid})",
                "poczekaj, aż się zakończy, i spróbuj ponownie")
    if kind == "reader":
        command = " ".join(["python -m pipeline", *args[args.index("pipeline") + 1:][:1]])
        return (f"odczyt ({command}, PID {pid})",
                "poczekaj, aż się zakończy, i spróbuj ponownie")
    name = os.path.basename(args[0]) if args else "nieznany program"
    return (f"inny program z otwartym połączeniem do magazynu ({name}, PID {pid}; np. notatnik albo sesja DuckDB "
            f"spoza projektu)", "zamknij w nim połączenie (con.close()) albo zakończ go, i spróbuj ponownie")


def _gave_up(path: Path, read_only: bool, wait: float, error: Exception) -> WarehouseError:
    holder, todo = describe_holder(error)
    if read_only:
        return WarehouseError(f"{READER_GAVE_UP}: magazyn danych {path} jest używany przez inny proces do zapisu: "
                              f"{holder}; odczyt czekał {wait:.0f} s i zrezygnował; {todo}")
    return WarehouseError(f"{WRITER_GAVE_UP}: magazyn danych {path} jest używany przez inny proces: {holder}; "
                          f"zapis czekał {wait:.0f} s i zrezygnował, magazyn pozostał bez zmian; {todo}")


def _open_waiting(path: Path, read_only: bool, wait: float) -> duckdb.DuckDBPyConnection:
    """duckdb.connect, retried while another process holds the file's lock, at most `wait` s."""
    deadline = time.monotonic() + wait
    told = False
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only)
        except duckdb.IOException as e:
            if not _is_lock_error(e):
                raise WarehouseError(f"nie można otworzyć magazynu danych {path}: {e}") from None
            if time.monotonic() >= deadline:
                raise _gave_up(path, read_only, wait, e) from None
            if not told and wait >= 2:
                holder, _ = describe_holder(e)
                print(f"czekam na magazyn danych {path}: używa go {holder} (najdłużej {wait:.0f} s)",
                      file=sys.stderr, flush=True)
                told = True
            time.sleep(POLL_SECONDS)
        except duckdb.Error as e:
            raise WarehouseError(f"nie można otworzyć magazynu danych {path}: {e}") from None


def connect(path: Path, *, read_only: bool = False, wait: float | None = None) -> duckdb.DuckDBPyConnection:
    """Open the warehouse file as it is; wait up to `wait` s (default: a reader's or a writer's wait) for the lock."""
    path = Path(path)
    if wait is None:
        wait = READER_WAIT_SECONDS if read_only else WRITER_WAIT_SECONDS
    if read_only and not path.exists():
        raise WarehouseError(f"magazyn danych {path} nie istnieje: najpierw wczytaj eksporty (python -m pipeline ingest)")
    if not read_only:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise WarehouseError(f"nie można utworzyć folderu magazynu danych {path.parent}: {e.strerror}") from None
    con = _open_waiting(path, read_only, wait)
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
