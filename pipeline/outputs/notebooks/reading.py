"""A notebook's connection to the warehouse that exists only while a cell reads it.

DuckDB lets either one process write the warehouse file or several read it (the file is locked
across processes), so a kernel that kept a connection open between cells would block every
`ingest` for as long as the notebook stays open.  `CellConnection` is what a notebook's `con` is:
it looks like a DuckDB connection (`con.execute(...)`, `con.sql(...)`, and every function of
`pipeline` that takes a connection accepts it), opens the warehouse read-only when a cell first
uses it and closes it when the cell ends (IPython's `post_execute` event).  The next cell opens
it again and sees whatever was loaded meanwhile.  Outside IPython (a script, a test) it stays
open until `close()` (or the end of a `with` block).

A cell that meets a running load waits for it (bounded, `READER_WAIT_SECONDS`) and says so.
"""

from __future__ import annotations

import weakref
from pathlib import Path
from typing import Any

import duckdb


class NotebookError(Exception):
    """A notebook cannot start; the message says why and what to do, in Polish (shown without a traceback)."""

    def _render_traceback_(self) -> list[str]:  # IPython shows this instead of a traceback
        return [str(self)]


_open: weakref.WeakSet[CellConnection] = weakref.WeakSet()
_HOOK_FLAG = "_asystenci_close_after_cell"


def close_all(*_: Any) -> None:
    """Close every notebook connection that is open (what runs after each cell)."""
    for connection in list(_open):
        connection.close()


def close_after_each_cell() -> bool:
    """Register `close_all` on IPython's post_execute event once per shell; False outside IPython."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    if shell is None:
        return False
    if not getattr(shell, _HOOK_FLAG, False):
        shell.events.register("post_execute", close_all)
        setattr(shell, _HOOK_FLAG, True)
    return True


class CellConnection:
    """A read-only warehouse connection opened on first use and closed after the cell (see the module)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._con: duckdb.DuckDBPyConnection | None = None
        close_after_each_cell()

    @property
    def is_open(self) -> bool:
        """True while a cell holds the warehouse file."""
        return self._con is not None

    def connection(self) -> duckdb.DuckDBPyConnection:
        """The open DuckDB connection (opened now if it is not)."""
        if self._con is None:
            from pipeline.warehouse.connection import WarehouseError, connect

            try:
                self._con = connect(self.path, read_only=True)
            except WarehouseError as e:
                raise NotebookError(str(e)) from None
            _open.add(self)
        return self._con

    def close(self) -> None:
        """Let go of the warehouse file (the next use opens it again)."""
        if self._con is not None:
            con, self._con = self._con, None
            _open.discard(self)
            con.close()

    def __getattr__(self, name: str) -> Any:  # execute, sql, table, query, ...: DuckDB's connection API
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.connection(), name)

    def __enter__(self) -> CellConnection:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<magazyn danych {self.path} ({'otwarty w tej komórce' if self.is_open else 'zamknięty między komórkami'})>"
