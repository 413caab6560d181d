"""The annual information's facts beyond the indicators: the assistants' employment basis, the programme
grant, and whether the warehouse covers the previous year (so that a comparison may be printed).

Each is read from the warehouse for one year and one unit (or all units), and worded here the way the
seed report words it ("na podstawie umowy o pracę w systemie zadaniowego czasu pracy").
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from pipeline import grammar
from pipeline.config import DEFAULT_CASELOAD_LIMIT
from pipeline.indicators import registry
from pipeline.sql import query
from pipeline.warehouse import coverage

PROGRAMME_SOURCE = "program Asystent rodziny"
BASIS = {"umowa o pracę": "na podstawie umowy o pracę", "umowa cywilnoprawna": "na podstawie umowy cywilnoprawnej",
         "inna": "na innej podstawie"}
WORKING_TIME = {"zadaniowy": "w systemie zadaniowego czasu pracy", "podstawowy": "w podstawowym systemie czasu pracy",
                "równoważny": "w równoważnym systemie czasu pracy", "inny": "w innym systemie czasu pracy"}


@dataclass(frozen=True)
class Basis:
    """How many of the year's assistants were employed on one basis (form of employment, working-time system)."""

    form: str
    system: str
    assistants: int

    @property
    def phrase(self) -> str:
        return f"{BASIS.get(self.form, self.form)} {WORKING_TIME.get(self.system, self.system)}"


def employment_bases(con: duckdb.DuckDBPyConnection, year: int, unit: str | None,
                     limit: int = DEFAULT_CASELOAD_LIMIT) -> list[Basis]:
    """The assistants counted for the year (the `assistants` indicator's records) by basis, most first."""
    sql = f"""SELECT a.forma_zatrudnienia AS form, a.system_czasu_pracy AS system, count(*) AS n
              FROM ({registry.members_sql('assistants')}) AS m
              JOIN core.asystenci AS a USING (jednostka, id_asystenta)
              GROUP BY ALL ORDER BY n DESC, form, system"""
    rows = registry.run_sql(con, sql, year, unit, limit).iter_rows()
    return [Basis(form, system, int(n)) for form, system, n in rows]


def employment_phrase(bases: list[Basis]) -> str:
    """What follows "zatrudniał czterech asystentów rodziny": one basis -> " na podstawie umowy o pracę w systemie
    zadaniowego czasu pracy"; several -> the count on each (": 3 na podstawie ... i 1 na podstawie ..."); none -> ""."""
    if not bases:
        return ""
    if len(bases) == 1:
        return " " + bases[0].phrase
    parts = [f"{grammar.number(b.assistants)} {b.phrase}" for b in bases]
    return ": " + ", ".join(parts[:-1]) + " i " + parts[-1]


@dataclass(frozen=True)
class Grant:
    """The programme's money for the year: the total and how many units received it."""

    amount: float
    units: int


def programme_grant(con: duckdb.DuckDBPyConnection, year: int, unit: str | None) -> Grant | None:
    """The funding rows of the government programme "Asystent rodziny" for the year (None when there is none)."""
    amount, units = query(con, """SELECT sum(kwota), count(DISTINCT jednostka) FROM raw.funding
                                  WHERE rok = $year AND zrodlo = $source
                                    AND (CAST($unit AS VARCHAR) IS NULL OR jednostka = $unit)""",
                          {"year": year, "source": PROGRAMME_SOURCE, "unit": unit}).row(0)
    return Grant(float(amount), int(units)) if units else None


def covers_year(con: duckdb.DuckDBPyConnection, year: int, unit: str | None) -> bool:
    """Whether the loaded exports of the unit (of every unit, when None) cover a day of the year."""
    return coverage.read(con).covers(year, unit)
