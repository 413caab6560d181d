"""The indicator registry: key, Polish label, definition and SQL of every figure.

Each indicator's SQL (pipeline/indicators/sql/<key>.sql) returns the records
behind the figure (pseudonymised ids), and `aggregate` turns them into the
number.  So `--explain KEY` lists exactly what the figure counts, and the CLI,
the notebooks and the annual information all read the same definition.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

import duckdb
import polars as pl

from pipeline.contract import DEFAULT_CASELOAD_LIMIT, TABLES
from pipeline.sql import caseload_segments_sql, query, sql_text


@dataclass(frozen=True)
class Indicator:
    """One figure of the annual information."""

    key: str
    label: str
    definition: str
    aggregate: str = "count(*)"
    unit_of_measure: str = "rodziny"

    @property
    def sql(self) -> str:
        return members_sql(self.key)


INDICATORS: tuple[Indicator, ...] = (
    Indicator("assistants", "liczba asystentów rodziny",
              "assistants whose employment (data_zatrudnienia .. data_zakonczenia_zatrudnienia, the last day worked, "
              "inclusive) overlaps Y", unit_of_measure="asystenci"),
    Indicator("families_supported", "rodziny objęte wsparciem asystenta", "families with an episode that overlaps Y"),
    Indicator("children_in_supported_families", "dzieci w rodzinach objętych wsparciem",
              "children of a family counted above who were a minor on at least one day of Y on which that family had an "
              "active episode (children placed in foster care at the time included)", unit_of_measure="dzieci"),
    Indicator("families_court_obliged", "rodziny zobowiązane przez sąd do współpracy",
              "families with an episode that overlaps Y, has zobowiazanie_sadu true and data_postanowienia_sadu <= d1"),
    Indicator("families_with_children_in_foster_care", "rodziny, których dzieci przebywały w pieczy zastępczej",
              "families with a child (of any age) whose placement was active on a day of Y on which the family had an "
              "active episode"),
    Indicator("children_returned_home", "dzieci, które powróciły do rodziny biologicznej",
              "children with a placement whose data_zakonczenia is in Y, with reason 'powrót do rodziny biologicznej', "
              "where the child's family had an active episode on that very data_zakonczenia", unit_of_measure="dzieci"),
    Indicator("families_with_children_returned_home", "rodziny, do których powróciły dzieci",
              "the distinct families of those children"),
    Indicator("families_closed", "rodziny, z którymi zakończono współpracę",
              "families with an episode whose data_zakonczenia is in Y (even if the family has another episode active later)"),
    Indicator("families_closed_goals_achieved", "w tym z powodu osiągnięcia celów",
              "families with an episode that ended in Y with reason 'osiągnięcie celów'"),
    Indicator("advice_sessions", "udzielone porady",
              "sum of liczba (an empty liczba counts as 1) over dzialania of kind 'porada' dated in Y",
              "coalesce(sum(liczba), 0)", "porady"),
    Indicator("consultations", "konsultacje z innymi podmiotami",
              "sum of liczba (an empty liczba counts as 1) over dzialania of kind 'konsultacja' dated in Y",
              "coalesce(sum(liczba), 0)", "konsultacje"),
    Indicator("families_za_zyciem", "rodziny wspierane na podstawie ustawy „Za życiem”",
              "families with an episode that overlaps Y and has za_zyciem true"),
    Indicator("max_caseload", "największa liczba rodzin u jednego asystenta jednocześnie",
              "the largest, over assistants and days of Y, number of distinct families whose episode has an active "
              "assignment to that assistant on that day (0 when none is active in Y)", "coalesce(max(families), 0)"),
    Indicator("caseload_breach_days", "dni z przekroczeniem limitu rodzin na asystenta",
              "assistant-days in Y on which that number is above the legal limit (a parameter, default 15)",
              "coalesce(sum(days), 0)", "dni"),
    Indicator("median_closed_episode_days", "mediana czasu trwania zakończonej współpracy (dni)",
              "median of data_zakonczenia - data_rozpoczecia + 1 over episodes that ended in Y (the mean of the two "
              "middle values for an even count; null when none ended)", "quantile_cont(days, 0.5)", "dni"),
)
BY_KEY: dict[str, Indicator] = {i.key: i for i in INDICATORS}
# The definitions in Polish, for the annual information and the notebooks.
DEFINITIONS_PL: dict[str, str] = {
    "assistants": "asystenci, których zatrudnienie (od daty zatrudnienia do ostatniego dnia pracy) obejmuje choć jeden dzień roku",
    "families_supported": "rodziny z asystenturą trwającą choć jeden dzień roku",
    "children_in_supported_families": "dzieci tych rodzin, które były niepełnoletnie w choć jednym dniu roku, w którym rodzina "
                                      "miała trwającą asystenturę (także dzieci przebywające wtedy w pieczy)",
    "families_court_obliged": "rodziny z asystenturą w roku, zobowiązane przez sąd postanowieniem wydanym najpóźniej 31 grudnia",
    "families_with_children_in_foster_care": "rodziny, których dziecko przebywało w pieczy zastępczej w dniu roku, w którym "
                                             "rodzina miała trwającą asystenturę",
    "children_returned_home": "dzieci, których piecza zakończyła się w roku powrotem do rodziny biologicznej, gdy rodzina miała "
                              "w tym dniu trwającą asystenturę",
    "families_with_children_returned_home": "różne rodziny tych dzieci",
    "families_closed": "rodziny, z którymi zakończono asystenturę w roku (także gdy później zaczęła się kolejna)",
    "families_closed_goals_achieved": "rodziny, z którymi zakończono asystenturę w roku z powodu osiągnięcia celów",
    "advice_sessions": "suma liczby porad z rejestru działań w roku (pusta liczba = 1)",
    "consultations": "suma liczby konsultacji z innymi podmiotami w roku (pusta liczba = 1)",
    "families_za_zyciem": "rodziny z asystenturą w roku prowadzoną na podstawie ustawy „Za życiem”",
    "max_caseload": "największa w roku liczba różnych rodzin, z którymi jeden asystent miał jednocześnie trwający przydział",
    "caseload_breach_days": "liczba dni pracy asystentów w roku z liczbą rodzin powyżej limitu ustawowego (15)",
    "median_closed_episode_days": "mediana długości (w dniach, oba końce włącznie) asystentur zakończonych w roku",
}
CLOSED_BY_REASON = "families_closed_by_reason"
CLOSED_BY_REASON_LABEL = "rodziny, z którymi zakończono współpracę, według przyczyny"
CLOSURE_REASONS = TABLES["asystentury"].column("przyczyna_zakonczenia").values


@cache
def members_sql(key: str) -> str:
    """The SQL listing the records behind one indicator (sub-queries resolved)."""
    text = sql_text(f"indicators/sql/{key}.sql")
    if "{caseload_segments_in_year}" in text:
        text = text.replace("{caseload_segments_in_year}", members_sql("caseload_segments"))
    if "{caseload_segments}" in text:
        text = text.replace("{caseload_segments}", caseload_segments_sql("assignment_days"))
    if "{children_returned_home}" in text:
        text = text.replace("{children_returned_home}", members_sql("children_returned_home"))
    return text


def parameters(sql: str, year: int, unit: str | None, limit: int) -> dict[str, Any]:
    values = {"d0": date(year, 1, 1), "d1": date(year, 12, 31), "unit": unit, "limit": limit}
    used = set(re.findall(r"\$(\w+)", sql))
    return {k: v for k, v in values.items() if k in used}


def _combined_sql() -> str:
    parts = [f"(SELECT {i.aggregate} FROM ({i.sql}) AS m) AS {i.key}" for i in INDICATORS]
    return "SELECT\n" + ",\n".join(parts)


def compute(con: duckdb.DuckDBPyConnection, year: int, unit: str | None = None,
            limit: int = DEFAULT_CASELOAD_LIMIT) -> dict[str, Any]:
    """Every indicator of INDICATORS.md for one year (and one unit, or all), as in CLI.md's JSON."""
    sql = _combined_sql()
    row = query(con, sql, parameters(sql, year, unit, limit)).row(0, named=True)
    out: dict[str, Any] = {}
    for i in INDICATORS:
        v = row[i.key]
        out[i.key] = (float(v) if v is not None else None) if i.key == "median_closed_episode_days" else int(v or 0)
    out[CLOSED_BY_REASON] = closed_by_reason(con, year, unit)
    return out


def closed_by_reason(con: duckdb.DuckDBPyConnection, year: int, unit: str | None = None) -> dict[str, int]:
    """families_closed broken down by closure reason (a family counts under each of its reasons)."""
    sql = f"SELECT przyczyna_zakonczenia, count(*) AS n FROM ({members_sql(CLOSED_BY_REASON)}) GROUP BY 1"
    counts = dict(query(con, sql, parameters(sql, year, unit, 0)).iter_rows())
    return {r: int(counts[r]) for r in CLOSURE_REASONS if counts.get(r)}


def explain(con: duckdb.DuckDBPyConnection, key: str, year: int, unit: str | None = None,
            limit: int = DEFAULT_CASELOAD_LIMIT) -> pl.DataFrame:
    """The records (pseudonymised ids) behind one indicator."""
    if key != CLOSED_BY_REASON and key not in BY_KEY:
        raise KeyError(key)
    sql = f"SELECT * FROM ({members_sql(key)}) ORDER BY ALL"
    return query(con, sql, parameters(sql, year, unit, limit))


def trend(con: duckdb.DuckDBPyConnection, years: list[int], unit: str | None = None,
          limit: int = DEFAULT_CASELOAD_LIMIT) -> pl.DataFrame:
    """One row per year with every indicator (closures by reason as extra columns)."""
    rows = []
    for y in years:
        values = compute(con, y, unit, limit)
        by_reason = values.pop(CLOSED_BY_REASON)
        rows.append({"year": y} | values | {f"closed: {r}": by_reason.get(r, 0) for r in CLOSURE_REASONS})
    return pl.DataFrame(rows)


def data_years(con: duckdb.DuckDBPyConnection, unit: str | None = None) -> list[int]:
    """The years from the first episode start to the end of the latest period an export covers."""
    sql = """SELECT min(year(data_rozpoczecia)) AS first, (SELECT max(year(okres_do)) FROM raw.loads
             WHERE outcome = 'loaded' AND (CAST($unit AS VARCHAR) IS NULL OR jednostka = $unit)) AS last
             FROM core.asystentury WHERE CAST($unit AS VARCHAR) IS NULL OR jednostka = $unit"""
    first, last = query(con, sql, {"unit": unit}).row(0)
    return list(range(first, last + 1)) if first and last else []
