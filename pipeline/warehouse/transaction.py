"""One transaction: everything in it or nothing, even when a signal arrives at its edge.

The commit is outside the block that rolls back: an exception raised just after the commit (a
SIGTERM turned into an exception by the ingest job) must not try to roll back what is committed.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress

import duckdb


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Run the block in a transaction: commit after it, roll back if it raises."""
    con.begin()
    try:
        yield
    except BaseException:
        with suppress(duckdb.Error):
            con.rollback()
        raise
    try:
        con.commit()
    except duckdb.Error:
        with suppress(duckdb.Error):
            con.rollback()
        raise
