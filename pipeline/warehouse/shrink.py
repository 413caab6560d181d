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
from pipeline.warehouse.load import replaced_tables


def _keys(data: ExportData, tables: set[str]) -> pl.DataFrame:
    """(unit, date, table, id) of every record an export holds in `tables`."""
    assert data.meta is not None
    frames = [
        pl.DataFrame({"tabela": name, "id": data.tables[name][spec.key].cast(pl.String)},
                     schema={"tabela": pl.String, "id": pl.String})
        for name, spec in TABLES.items() if name in data.tables and name in tables
    ]
    keys = pl.concat(frames) if frames else pl.DataFrame(schema={"tabela": pl.String, "id": pl.String})
    return keys.with_columns(pl.lit(data.meta.jednostka).alias("jednostka"), pl.lit(data.meta.data_eksportu).alias("data_eksportu"))


def removed_records(con: duckdb.DuckDBPyConnection, data: ExportData, before: list[ExportData] = ()) -> tuple[int, int]:
    """(current records of the export's unit dated up to its date, how many of them it does not hold), counting
    the tables the export replaces (`replaced_tables`) and, as current, also the records of `before`: the exports
    of the same call that load before it (they are not in the warehouse yet)."""
    assert data.meta is not None
    replaced = replaced_tables(data)
    unit, day = data.meta.jednostka, data.meta.data_eksportu
    earlier = [_keys(e, replaced) for e in before
               if e.meta is not None and e.meta.jednostka == unit and e.meta.data_eksportu <= day]
    pending = pl.concat(earlier).select("tabela", "id").unique() if earlier else pl.DataFrame(schema={"tabela": pl.String, "id": pl.String})
    con.register("export_keys", _keys(data, replaced).select("tabela", "id").to_arrow())
    con.register("pending_keys", pending.to_arrow())
    try:
        parts = " UNION ".join(
            f"SELECT '{name}' AS tabela, CAST(c.{spec.key} AS VARCHAR) AS id FROM core.{name} AS c "
            "JOIN raw.loads AS l USING (load_id) WHERE c.jednostka = $unit AND l.data_eksportu <= $date"
            for name, spec in TABLES.items() if name in replaced
        )
        total, gone = con.execute(
            f"SELECT count(*), count(*) FILTER (WHERE k.id IS NULL) FROM ({parts} UNION SELECT tabela, id FROM pending_keys) AS cur "
            "LEFT JOIN export_keys AS k USING (tabela, id)",
            {"unit": unit, "date": day},
        ).fetchall()[0]
    finally:
        con.unregister("export_keys")
        con.unregister("pending_keys")
    return int(total), int(gone)


def shrink_problem(con: duckdb.DuckDBPyConnection, data: ExportData, share: float = SHRINK_SHARE,
                   before: list[ExportData] = ()) -> Problem | None:
    """The problem of a `pełny` export that would remove more than `share` of its unit's records (or all);
    `before`: the exports of the same call loaded before it (see `removed_records`)."""
    if data.meta is None or data.meta.zakres != "pełny":
        return None
    total, gone = removed_records(con, data, before)
    if not total or (gone <= share * total and gone < total):
        return None
    return TOO_MUCH_REMOVED.problem(
        f"eksport pełny usunąłby z bieżącego stanu jednostki {number(gone)} z {number(total)} rekordów "
        f"(dopuszczalne {number(share * 100)} %); jeśli to zamierzone, wczytaj go z --allow-shrink",
        file=data.name)


def shrink_problems(con: duckdb.DuckDBPyConnection, exports: list[ExportData], share: float = SHRINK_SHARE) -> list[Problem | None]:
    """`shrink_problem` of each export of a chunk (in loading order), counting as current what the warehouse
    holds and what the chunk's earlier exports that pass bring: a call that loads a unit's data and an empty
    `pełny` export together is caught as if they came one by one."""
    out: list[Problem | None] = []
    passed: list[ExportData] = []
    for data in exports:
        problem = shrink_problem(con, data, share, passed)
        out.append(problem)
        if problem is None:
            passed.append(data)
    return out
