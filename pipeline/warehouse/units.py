"""What the warehouse holds per unit: its name, its exports' dates, the years its exports cover, its loads.

The years a unit's exports cover run from the year of the earliest `okres_od` to the year of the
latest `okres_do` of its loaded exports: a figure for a year outside them would be a confident zero
about a period no export describes (the CLI refuses such a year, the report leaves out such a
comparison).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb

from pipeline import grammar
from pipeline.sql import query


@dataclass(frozen=True)
class LoadedUnit:
    """One unit as the load log knows it."""

    code: str
    name: str
    first_export: date | None
    last_export: date | None
    first_year: int | None
    last_year: int | None
    loads: int
    rejected: int

    @property
    def years(self) -> range:
        """The years its loaded exports cover (empty when none was loaded)."""
        if self.first_year is None or self.last_year is None:
            return range(0)
        return range(self.first_year, self.last_year + 1)


_UNITS_SQL = """
SELECT jednostka AS code,
       coalesce(arg_max(nazwa_jednostki, data_eksportu) FILTER (WHERE outcome = 'loaded'),
                arg_max(nazwa_jednostki, data_eksportu)) AS name,
       min(data_eksportu) FILTER (WHERE outcome = 'loaded') AS first_export,
       max(data_eksportu) FILTER (WHERE outcome = 'loaded') AS last_export,
       year(min(okres_od) FILTER (WHERE outcome = 'loaded')) AS first_year,
       year(max(okres_do) FILTER (WHERE outcome = 'loaded')) AS last_year,
       count(*) FILTER (WHERE outcome = 'loaded') AS loads,
       count(*) FILTER (WHERE outcome = 'rejected') AS rejected
FROM raw.loads
WHERE jednostka IS NOT NULL
GROUP BY jednostka
ORDER BY jednostka
"""


def loaded_units(con: duckdb.DuckDBPyConnection) -> list[LoadedUnit]:
    """Every unit named in the load log (also one whose every export was rejected), by code."""
    frame = query(con, _UNITS_SQL)
    return [LoadedUnit(**{k: (int(v) if k in ("first_year", "last_year") and v is not None else v)
                          for k, v in row.items()}) for row in frame.iter_rows(named=True)]


def covered_years(units: list[LoadedUnit]) -> range:
    """The years covered by at least one loaded export of these units (empty when none)."""
    loaded = [u for u in units if u.loads]
    if not loaded:
        return range(0)
    return range(min(u.years.start for u in loaded), max(u.years.stop for u in loaded))


def unit_names(con: duckdb.DuckDBPyConnection, unit: str | None) -> list[str]:
    """The names (from their latest export) of the unit, or of every loaded unit."""
    return query(con, """SELECT jednostka, arg_max(nazwa_jednostki, data_eksportu) AS name FROM raw.loads
                         WHERE outcome = 'loaded' AND (CAST($unit AS VARCHAR) IS NULL OR jednostka = $unit)
                         GROUP BY jednostka ORDER BY jednostka""", {"unit": unit})["name"].to_list()


def unit_name(con: duckdb.DuckDBPyConnection, unit: str | None) -> str:
    """The unit's name from its latest export (or "łącznie 2 ośrodki pomocy społecznej" for several units)."""
    names = unit_names(con, unit)
    if len(names) == 1:
        return names[0]
    return f"łącznie {grammar.count(len(names), 'ośrodek')} pomocy społecznej"
