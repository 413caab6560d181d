"""The shrink guard: a `pełny` export that would remove much of a unit's current records is refused.

A `pełny` export replaces what is known of its unit: a record it does not hold disappears from
the current state (unless a later export holds it).  An export whose tables came out with only
their headers, or cut short, would so silently remove years of records; it is rejected unless
`ingest --allow-shrink` is given, with the counts in the message.
"""

from __future__ import annotations

import duckdb
import polars as pl

from pipeline.contract import TABLES
from pipeline.grammar import number
from pipeline.problems import Problem
from pipeline.read.export import ExportData
from pipeline.read.limits import SHRINK_SHARE, TOO_MUCH_REMOVED


def removed_records(con: duckdb.DuckDBPyConnection, data: ExportData) -> tuple[int, int]:
    """(current records of the export's unit dated up to its date, how many of them it does not hold)."""
    assert data.meta is not None
    keys = pl.concat([
        pl.DataFrame({"tabela": name, "id": data.tables[name][spec.key].cast(pl.String)},
                     schema={"tabela": pl.String, "id": pl.String})
        for name, spec in TABLES.items() if name in data.tables
    ])
    con.register("export_keys", keys.to_arrow())
    try:
        parts = " UNION ALL ".join(
            f"SELECT '{name}' AS tabela, CAST(c.{spec.key} AS VARCHAR) AS id FROM core.{name} AS c "
            "JOIN raw.loads AS l USING (load_id) WHERE c.jednostka = $unit AND l.data_eksportu <= $date"
            for name, spec in TABLES.items()
        )
        total, gone = con.execute(
            f"SELECT count(*), count(*) FILTER (WHERE k.id IS NULL) FROM ({parts}) AS cur "
            "LEFT JOIN export_keys AS k USING (tabela, id)",
            {"unit": data.meta.jednostka, "date": data.meta.data_eksportu},
        ).fetchall()[0]
    finally:
        con.unregister("export_keys")
    return int(total), int(gone)


def shrink_problem(con: duckdb.DuckDBPyConnection, data: ExportData, share: float = SHRINK_SHARE) -> Problem | None:
    """The problem of a `pełny` export that would remove more than `share` of its unit's records (or all)."""
    if data.meta is None or data.meta.zakres != "pełny":
        return None
    total, gone = removed_records(con, data)
    if not total or (gone <= share * total and gone < total):
        return None
    return TOO_MUCH_REMOVED.problem(
        f"eksport pełny usunąłby z bieżącego stanu jednostki {number(gone)} z {number(total)} rekordów "
        f"(dopuszczalne {number(share * 100)} %); jeśli to zamierzone, wczytaj go z --allow-shrink",
        file=data.name)
