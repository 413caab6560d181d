"""Load the analyst's funding table (read and checked by `pipeline.read.funding`) into `raw.funding`.

The file replaces the funding rows of the units it names, in one transaction.
"""

from __future__ import annotations

import duckdb
import polars as pl


def load_funding(con: duckdb.DuckDBPyConnection, frame: pl.DataFrame) -> int:
    """Replace the funding rows of the units in `frame`; return the number of rows loaded."""
    con.begin()
    try:
        con.register("funding_frame", frame.to_arrow())
        con.execute("DELETE FROM raw.funding WHERE jednostka IN (SELECT DISTINCT jednostka FROM funding_frame)")
        con.execute("INSERT INTO raw.funding SELECT jednostka, rok, zrodlo, kwota, liczba_asystentow FROM funding_frame")
        con.unregister("funding_frame")
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return frame.height
