"""The indicator registry: one record per figure (key, labels, definitions, unit, decimals) and its SQL.

Each figure's SQL (`pipeline/indicators/sql/figures/<key>.sql`) returns the records behind the
figure (pseudonymised ids), read through the staging macros of `sql/staging/macros.sql` (one
unit's current state, the period logic); the record's `aggregate` turns those rows into the
number.  So `--explain KEY` lists exactly what the figure counts, and the CLI, the notebooks and
the annual information all read the same definition.  Adding an indicator is one record here and
one SQL file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from pipeline.config import DEFAULT_CASELOAD_LIMIT
from pipeline.contract import TABLES
from pipeline.indicators.periods import Period, year_period
from pipeline.sql import caseload_sweep_sql, query, sql_text, statements
from pipeline.warehouse import coverage

_SQL = Path(__file__).parent / "sql"


@dataclass(frozen=True)
class Indicator:
    """One figure of the annual information, defined once."""

    key: str
    label: str  # Polish, as the annual information names it
    definition: str  # English, the contract's words (INDICATORS.md), for period d0 .. d1
    definicja: str  # Polish, for the report, the notebooks and the workbooks
    unit_of_measure: str = "rodziny"
    aggregate: str = "count(*)"
    decimals: int = 0
    null_when_empty: bool = False  # a median of nothing is unknown, a count of nothing is 0
    # The date column that alone places a record in a period, when the SQL only picks rows (no DISTINCT, no join, no
    # clipping) with `<column> BETWEEN $d0 AND $d1`: a series of years then takes the records of its whole span once
    # and counts each in the year of that date (one scan instead of one join per year: the work log is the largest table).
    dated_by: str | None = None
    # The kind of activity (rodzaj) whose work-log records the figure sums, when its SQL is `staging/
    # activities_in_period.sql` of that kind (a test holds them together): a series sums every kind in one scan.
    activity_kind: str | None = None

    @property
    def sql(self) -> str:
        return members_sql(self.key)

    def value(self, raw: Any) -> int | float | None:
        """The aggregate's value as the JSON of CLI.md carries it."""
        if self.null_when_empty:
            return None if raw is None else float(raw)
        return int(raw or 0)


_SUM_LICZBA = "coalesce(sum(liczba), 0)"

INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "assistants", "liczba asystentów rodziny",
        "assistants whose employment (data_zatrudnienia .. data_zakonczenia_zatrudnienia, the last day worked, inclusive) "
        "overlaps the period",
        "asystenci, których zatrudnienie (od daty zatrudnienia do ostatniego dnia pracy) obejmuje choć jeden dzień okresu",
        unit_of_measure="asystenci"),
    Indicator(
        "families_supported", "rodziny objęte wsparciem asystenta",
        "families with an episode that overlaps the period",
        "rodziny z asystenturą trwającą choć jeden dzień okresu"),
    Indicator(
        "children_in_supported_families", "dzieci w rodzinach objętych wsparciem",
        "children of a family counted above who were a minor on at least one day of the period on which that family had "
        "an active episode (children placed in foster care at the time included)",
        "dzieci tych rodzin, które były niepełnoletnie w choć jednym dniu okresu, w którym rodzina miała trwającą "
        "asystenturę (także dzieci przebywające wtedy w pieczy)",
        unit_of_measure="dzieci"),
    Indicator(
        "families_court_obliged", "rodziny zobowiązane przez sąd do współpracy",
        "families with an episode that overlaps the period, has zobowiazanie_sadu true and data_postanowienia_sadu <= d1",
        "rodziny z asystenturą w okresie, zobowiązane przez sąd postanowieniem wydanym najpóźniej w ostatnim dniu okresu"),
    Indicator(
        "families_with_children_in_foster_care", "rodziny, których dzieci przebywały w pieczy zastępczej",
        "families with a child (of any age) whose placement was active on a day of the period on which the family had an "
        "active episode",
        "rodziny, których dziecko przebywało w pieczy zastępczej w dniu okresu, w którym rodzina miała trwającą asystenturę"),
    Indicator(
        "children_returned_home", "dzieci, które powróciły do rodziny biologicznej",
        "children with a placement whose data_zakonczenia is in the period, with reason 'powrót do rodziny biologicznej', "
        "where the child's family had an active episode on that very data_zakonczenia",
        "dzieci, których piecza zakończyła się w okresie powrotem do rodziny biologicznej, gdy rodzina miała w tym dniu "
        "trwającą asystenturę",
        unit_of_measure="dzieci"),
    Indicator(
        "families_with_children_returned_home", "rodziny, do których powróciły dzieci",
        "the distinct families of those children",
        "różne rodziny tych dzieci"),
    Indicator(
        "families_closed", "rodziny, z którymi zakończono współpracę",
        "families with an episode whose data_zakonczenia is in the period (even if the family has another episode active later)",
        "rodziny, z którymi zakończono asystenturę w okresie (także gdy później zaczęła się kolejna)"),
    Indicator(
        "families_closed_goals_achieved", "w tym z powodu osiągnięcia celów",
        "families with an episode that ended in the period with reason 'osiągnięcie celów'",
        "rodziny, z którymi zakończono asystenturę w okresie z powodu osiągnięcia celów"),
    Indicator(
        "advice_sessions", "udzielone porady",
        "sum of liczba (an empty liczba counts as 1) over dzialania of kind 'porada' dated in the period",
        "suma liczby porad z rejestru działań w okresie (pusta liczba = 1)",
        unit_of_measure="porady", aggregate=_SUM_LICZBA, dated_by="data", activity_kind="porada"),
    Indicator(
        "consultations", "konsultacje z innymi podmiotami",
        "sum of liczba (an empty liczba counts as 1) over dzialania of kind 'konsultacja' dated in the period",
        "suma liczby konsultacji z innymi podmiotami w okresie (pusta liczba = 1)",
        unit_of_measure="konsultacje", aggregate=_SUM_LICZBA, dated_by="data", activity_kind="konsultacja"),
    Indicator(
        "families_za_zyciem", "rodziny wspierane na podstawie ustawy „Za życiem”",
        "families with an episode that overlaps the period and has za_zyciem true",
        "rodziny z asystenturą w okresie prowadzoną na podstawie ustawy „Za życiem”"),
    Indicator(
        "max_caseload", "największa liczba rodzin u jednego asystenta jednocześnie",
        "the largest, over assistants and days of the period, number of distinct families whose episode has an active "
        "assignment to that assistant on that day (0 when none is active in the period)",
        "największa w okresie liczba różnych rodzin, z którymi jeden asystent miał jednocześnie trwający przydział",
        aggregate="coalesce(max(families), 0)"),
    Indicator(
        "caseload_breach_days", "dni z przekroczeniem limitu rodzin na asystenta",
        "assistant-days in the period on which that number is above the legal limit (a parameter, default 15)",
        "liczba dni pracy asystentów w okresie z liczbą rodzin powyżej limitu ustawowego",
        unit_of_measure="dni", aggregate="coalesce(sum(days), 0)"),
    Indicator(
        "median_closed_episode_days", "mediana czasu trwania zakończonej współpracy (dni)",
        "median of data_zakonczenia - data_rozpoczecia + 1 over episodes that ended in the period (the mean of the two "
        "middle values for an even count; null when none ended)",
        "mediana długości (w dniach, oba końce włącznie) asystentur zakończonych w okresie",
        unit_of_measure="dni", aggregate="quantile_cont(days, 0.5)", decimals=1, null_when_empty=True),
    # The rest of the seed's section 3
    Indicator(
        "home_visits", "wizyty w domu rodziny",
        "sum of liczba (empty = 1) over dzialania of kind 'wizyta w domu rodziny' dated in the period",
        "suma liczby wizyt w domu rodziny z rejestru działań w okresie (pusta liczba = 1)",
        unit_of_measure="wizyty", aggregate=_SUM_LICZBA, dated_by="data", activity_kind="wizyta w domu rodziny"),
    Indicator(
        "diagnostic_group_meetings", "posiedzenia grup diagnostyczno-pomocowych",
        "the same for kind 'posiedzenie grupy diagnostyczno-pomocowej' (the \"Niebieskie Karty\" procedure)",
        "suma liczby posiedzeń grup diagnostyczno-pomocowych (procedura „Niebieskie Karty”) z udziałem asystentów w "
        "okresie (pusta liczba = 1)",
        unit_of_measure="posiedzenia", aggregate=_SUM_LICZBA, dated_by="data",
        activity_kind="posiedzenie grupy diagnostyczno-pomocowej"),
    Indicator(
        "skill_trainings", "treningi umiejętności",
        "the same for kind 'trening umiejętności'",
        "suma liczby treningów umiejętności z rejestru działań w okresie (pusta liczba = 1)",
        unit_of_measure="treningi", aggregate=_SUM_LICZBA, dated_by="data", activity_kind="trening umiejętności"),
    Indicator(
        "projects_completed", "zrealizowane projekty socjalne i zajęcia grupowe",
        "projekty rows whose data_do is in the period",
        "projekty socjalne, zajęcia grupowe i wydarzenia zakończone w okresie (projekt trwający na przełomie lat "
        "należy do roku, w którym się zakończył)",
        unit_of_measure="projekty", dated_by="data_do"),
    Indicator(
        "project_children", "dzieci uczestniczące w projektach",
        "sum of liczba_dzieci over those rows",
        "suma liczby dzieci uczestniczących w projektach zakończonych w okresie",
        unit_of_measure="dzieci", aggregate="coalesce(sum(liczba_dzieci), 0)", dated_by="data_do"),
)
BY_KEY: dict[str, Indicator] = {i.key: i for i in INDICATORS}
CLOSED_BY_REASON = "families_closed_by_reason"
CLOSED_BY_REASON_LABEL = "rodziny, z którymi zakończono współpracę, według przyczyny"
CLOSED_BY_REASON_DEFINITION = (
    "families_closed broken down by przyczyna_zakonczenia: a family with two episodes that ended in the period for "
    "two reasons counts under each, so the parts may add up to more than families_closed; reasons with no family are "
    "left out")
CLOSURE_REASONS = TABLES["asystentury"].column("przyczyna_zakonczenia").values


@dataclass(frozen=True)
class Breakdown:
    """A figure of families broken down by a dictionary column: {canonical label: families}, labels with none left out."""

    key: str
    label: str
    definition: str
    definicja: str
    column: str  # the column of the members SQL that holds the category
    categories: tuple[str, ...]  # the contract's labels, in its order

    @property
    def sql(self) -> str:
        return members_sql(self.key)


FAMILIES_BY_PROBLEM = Breakdown(
    "families_by_problem", "rodziny według zdiagnozowanych problemów",
    "for each problem, the families with an episode that overlaps the period and has a problemy row with that problem "
    "(a family counts under each of its problems; problems with no family are left out)",
    "dla każdego problemu rodziny z asystenturą w okresie, u których zdiagnozowano ten problem (rodzina liczy się przy "
    "każdym swoim problemie, więc części nie sumują się do liczby rodzin)",
    "problem", TABLES["problemy"].column("problem").values)
BREAKDOWNS: tuple[Breakdown, ...] = (FAMILIES_BY_PROBLEM,)
# Every key of INDICATORS.md's tables, in its order.
CONTRACT_KEYS: tuple[str, ...] = (*(i.key for i in INDICATORS), *(b.key for b in BREAKDOWNS))
EXPLAINABLE = (*BY_KEY, CLOSED_BY_REASON, *(b.key for b in BREAKDOWNS))


def _resolve(text: str) -> str:
    """Put the shared parts a file refers to as {name} in place: the caseload sweep, staging files, other figures."""

    def part(match: re.Match) -> str:
        name = match.group(1)
        if name == "caseload_sweep":
            return caseload_sweep_sql("assignment_days")
        for folder in ("staging", "figures", "breakdowns"):
            if (_SQL / folder / f"{name}.sql").exists():
                return _resolve(sql_text(f"indicators/sql/{folder}/{name}.sql"))
        raise KeyError(f"unknown SQL part {{{name}}}")

    return re.sub(r"\{(\w+)\}", part, text)


@cache
def members_sql(key: str, folder: str = "figures") -> str:
    """The SQL listing the records behind one indicator (shared parts resolved)."""
    return _resolve(sql_text(f"indicators/sql/{folder}/{key}.sql"))


@cache
def measure_sql(name: str) -> str:
    """The SQL of an analytic measure (indicators/sql/measures/<name>.sql), shared parts resolved."""
    return _resolve(sql_text(f"indicators/sql/measures/{name}.sql"))


@cache
def _staging_statements() -> tuple[str, ...]:
    return tuple(statements(sql_text("indicators/sql/staging/macros.sql")))


def install_staging(con: duckdb.DuckDBPyConnection) -> None:
    """Create the staging macros on this connection (temporary: nothing is written to the warehouse), once: a
    connection that has the last of them is left as it is (a rolled-back transaction that created them took all)."""
    try:
        con.execute("SELECT 1 FROM stg_observed_until() LIMIT 0").fetchall()
        return
    except duckdb.CatalogException:
        pass
    for statement in _staging_statements():
        con.execute(statement)
    con.execute(coverage.OBSERVED_UNTIL_MACRO)


def scope(con: duckdb.DuckDBPyConnection, when: When, unit: str | None) -> tuple[str, ...] | None:
    """The units a figure of the period counts: for all units, those whose exports cover a day of it (None: every
    loaded unit, or the one unit asked for).  What is covered is the coverage module's answer."""
    if unit is not None:
        return None
    return coverage.read(con).period(*span(when)).scope


def parameters(sql: str, d0: date, d1: date, unit: str | None, limit: int = DEFAULT_CASELOAD_LIMIT) -> dict[str, Any]:
    """The named parameters a statement uses, out of the period, the unit and the caseload limit."""
    values = {"d0": d0, "d1": d1, "unit": unit, "limit": limit}
    used = set(re.findall(r"\$(\w+)", sql))
    return {k: v for k, v in values.items() if k in used}


When = int | Period  # a calendar year, or any period (pipeline/indicators/periods.py)


def span(when: When) -> tuple[date, date]:
    """The first and last day of a year or a period."""
    period = when if isinstance(when, Period) else year_period(when)
    return period.start, period.end


def run_sql(con: duckdb.DuckDBPyConnection, sql: str, year: When, unit: str | None,
            limit: int = DEFAULT_CASELOAD_LIMIT) -> pl.DataFrame:
    """Run a statement over the staging layer for one year or period (and one unit, or all the units whose exports
    cover a day of it)."""
    install_staging(con)
    with coverage.scoped(con, scope(con, year, unit)):
        return query(con, sql, parameters(sql, *span(year), unit, limit))


def run_unbound(con: duckdb.DuckDBPyConnection, sql: str, unit: str | None) -> pl.DataFrame:
    """Run a statement that is not bound to a period (durations, cohorts) over every record of the unit (or of
    every unit)."""
    install_staging(con)
    return query(con, sql, parameters(sql, date(2000, 1, 1), date(2000, 12, 31), unit))


@cache
def _combined_sql() -> str:
    parts = [f"(SELECT {i.aggregate} FROM ({i.sql}) AS m) AS {i.key}" for i in INDICATORS]
    return "SELECT\n" + ",\n".join(parts)


def compute(con: duckdb.DuckDBPyConnection, year: When, unit: str | None = None,
            limit: int = DEFAULT_CASELOAD_LIMIT) -> dict[str, Any]:
    """Every indicator of INDICATORS.md for one year or period (and one unit, or all), as in CLI.md's JSON."""
    row = run_sql(con, _combined_sql(), year, unit, limit).row(0, named=True)
    out: dict[str, Any] = {i.key: i.value(row[i.key]) for i in INDICATORS}
    out[CLOSED_BY_REASON] = closed_by_reason(con, year, unit)
    out |= {b.key: breakdown(con, b, year, unit) for b in BREAKDOWNS}
    return out


def compute_units(con: duckdb.DuckDBPyConnection, year: When, limit: int = DEFAULT_CASELOAD_LIMIT) -> dict[str, dict[str, Any]]:
    """Every indicator for one year and every unit whose exports cover a day of it, at once (one GROUP BY per figure,
    not one pass per unit; a unit with no record in the year has zeros)."""
    covered = coverage.read(con).period(*span(year))
    units = list(covered.scope or covered.loaded)
    out: dict[str, dict[str, Any]] = {u: {} for u in units}
    for i in INDICATORS:
        sql = f"SELECT jednostka, {i.aggregate} AS v FROM ({i.sql}) AS m GROUP BY jednostka"
        found = dict(run_sql(con, sql, year, None, limit).iter_rows())
        for u in units:
            out[u][i.key] = i.value(found.get(u))
    sql = f"SELECT jednostka, przyczyna_zakonczenia, count(*) AS n FROM ({members_sql(CLOSED_BY_REASON)}) GROUP BY ALL"
    reasons: dict[str, dict[str, int]] = {}
    for u, reason, n in run_sql(con, sql, year, None, limit).iter_rows():
        reasons.setdefault(u, {})[reason] = int(n)
    for u in units:
        out[u][CLOSED_BY_REASON] = {r: reasons[u][r] for r in CLOSURE_REASONS if reasons.get(u, {}).get(r)}
    for b in BREAKDOWNS:
        sql = f"SELECT jednostka, {b.column}, count(*) AS n FROM ({b.sql}) GROUP BY ALL"
        parts: dict[str, dict[str, int]] = {}
        for u, category, n in run_sql(con, sql, year, None, limit).iter_rows():
            parts.setdefault(u, {})[category] = int(n)
        for u in units:
            out[u][b.key] = {c: parts[u][c] for c in b.categories if parts.get(u, {}).get(c)}
    return out


def closed_by_reason(con: duckdb.DuckDBPyConnection, year: When, unit: str | None = None) -> dict[str, int]:
    """families_closed broken down by closure reason (a family counts under each of its reasons)."""
    sql = f"SELECT przyczyna_zakonczenia, count(*) AS n FROM ({members_sql(CLOSED_BY_REASON)}) GROUP BY 1"
    counts = dict(run_sql(con, sql, year, unit).iter_rows())
    return {r: int(counts[r]) for r in CLOSURE_REASONS if counts.get(r)}


def breakdown(con: duckdb.DuckDBPyConnection, b: Breakdown, year: When, unit: str | None = None) -> dict[str, int]:
    """One breakdown for a year: families per category, in the contract's order, categories with none left out."""
    sql = f"SELECT {b.column}, count(*) AS n FROM ({b.sql}) GROUP BY 1"
    counts = dict(run_sql(con, sql, year, unit).iter_rows())
    return {c: int(counts[c]) for c in b.categories if counts.get(c)}


def explain(con: duckdb.DuckDBPyConnection, key: str, year: When, unit: str | None = None,
            limit: int = DEFAULT_CASELOAD_LIMIT) -> pl.DataFrame:
    """The records (pseudonymised ids) behind one indicator."""
    if key not in EXPLAINABLE:
        raise KeyError(key)
    return run_sql(con, f"SELECT * FROM ({members_sql(key)}) ORDER BY ALL", year, unit, limit)


def trend_frame(values_by_year: dict[int, dict[str, Any]]) -> pl.DataFrame:
    """One row per year with every indicator (closures by reason and families by problem as extra columns), from
    computed values."""
    rows = []
    for y, values in sorted(values_by_year.items()):
        by_reason = values[CLOSED_BY_REASON]
        rows.append({"year": y} | {i.key: values[i.key] for i in INDICATORS}
                    | {f"closed: {r}": by_reason.get(r, 0) for r in CLOSURE_REASONS}
                    | {f"{b.column}: {c}": values[b.key].get(c, 0) for b in BREAKDOWNS for c in b.categories})
    return pl.DataFrame(rows)


_PERIODS = "periods AS (SELECT unnest($years) AS year, unnest($starts) AS d0, unnest($ends) AS d1)"


def over_periods(sql: str) -> str:
    """A figure's SQL for the period of the row `p` of `periods` (its `$d0`, `$d1` read `p.d0`, `p.d1`): put inside a
    subquery or a LATERAL join over `periods`, it is computed for every period in one statement."""
    return re.sub(r"\$d([01])\b", r"p.d\1", sql)


# The figures over caseload segments, as the series computes them: the segments of the whole series are swept once
# (`max_caseload`'s records for the series' first to last day) and each period takes those that overlap it, clipped to
# it, instead of sweeping every assignment again for every period.  The same values: the number of families an
# assistant has on a day does not depend on the period the day is counted in (clipping the assignments to a period
# keeps exactly its days), so a period's segments are the series' segments cut at its first and last day.
_OVER_SERIES_SEGMENTS = {
    "max_caseload": "coalesce(max(s.families), 0)",
    "caseload_breach_days": "coalesce(sum(least(s.seg_to, p.d1) - greatest(s.seg_from, p.d0) + 1) "
                            "FILTER (WHERE s.families > $limit), 0)",
}


def over_span(sql: str) -> str:
    """A figure's SQL for the series' whole span: its `$d0`, `$d1` read the first and the last day of the series."""
    return re.sub(r"\$d([01])\b", lambda m: "$span_first" if m.group(1) == "0" else "$span_last", sql)


def has_spans(key: str) -> bool:
    """Whether a figure (or breakdown) is counted from a spans form (indicators/sql/staging/<key>_spans.sql)."""
    return (_SQL / "staging" / f"{key}_spans.sql").exists()


@cache
def spans_sql(key: str) -> str:
    """A figure's spans form over the series' whole span: the records behind it, each with the days s_from .. s_to on
    which it counts.  The figure of a period is its distinct members with a day in the period; a member counts in a
    calendar year when one of its rows overlaps the year, so a series expands each row to its years once, instead of
    joining every record again for every year."""
    return over_span(members_sql(f"{key}_spans", "staging"))


def _spanned_members(key: str) -> str:
    """The distinct members of a spans form with each year of the series' span they count in."""
    return (f"SELECT DISTINCT s.* EXCLUDE (s_from, s_to), unnest(range(year(s.s_from), year(s.s_to) + 1)) AS year "
            f"FROM ({spans_sql(key)}) AS s WHERE s.s_from <= s.s_to")


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _series_part(i: Indicator) -> str:
    """One figure's column of the series statement, for the period of the row `p` (and its rows of the per-year
    tables joined to it, see `_series_sql`)."""
    if i.activity_kind:  # the work log's sum for the kind (a year with none: 0, the sum over none)
        return f"coalesce(worklog.{i.key}, 0) AS {i.key}"
    if has_spans(i.key):  # calendar years: each member in the years its rows overlap (a count of distinct members)
        return f"coalesce(spanned_{i.key}.n, 0) AS {i.key}"
    if i.key in _OVER_SERIES_SEGMENTS:
        return (f"(SELECT {_OVER_SERIES_SEGMENTS[i.key]} FROM segments AS s WHERE s.seg_from <= p.d1 AND s.seg_to >= p.d0) "
                f"AS {i.key}")
    if i.dated_by:  # calendar years (compute_years): a record of the span is in the year of its date
        empty = f"(SELECT {i.aggregate} FROM ({over_span(i.sql)}) AS m WHERE false)"  # a year with none: as over none
        return f"coalesce(dated_{i.key}.v, {empty}) AS {i.key}"
    return f"(SELECT {i.aggregate} FROM ({over_periods(i.sql)}) AS m) AS {i.key}"


def _per_year_tables() -> dict[str, str]:
    """The series' tables of one row per calendar year (a column `year`), each computed once over the whole span:
    the work log's sums of every figure's kind (one scan for all), the dated figures, the spans forms' counts."""
    activities = over_span(members_sql("activities_in_period", "staging"))
    # grouped by year and every kind first (cheaper than filtering the work log by kind), then one column per figure
    sums = ", ".join(f"coalesce(sum(v) FILTER (WHERE rodzaj = {_literal(i.activity_kind)}), 0) AS {i.key}"
                     for i in INDICATORS if i.activity_kind)
    tables = {"worklog": f"SELECT year, {sums} FROM (SELECT year(m.data) AS year, m.rodzaj, sum(m.liczba) AS v "
                         f"FROM ({activities}) AS m GROUP BY ALL) GROUP BY 1"}
    for i in INDICATORS:
        if i.dated_by and not i.activity_kind:
            tables[f"dated_{i.key}"] = (f"SELECT year(m.{i.dated_by}) AS year, {i.aggregate} AS v "
                                        f"FROM ({over_span(i.sql)}) AS m GROUP BY 1")
        if has_spans(i.key):
            tables[f"spanned_{i.key}"] = f"SELECT year, count(*) AS n FROM ({_spanned_members(i.key)}) GROUP BY 1"
    return tables


@cache
def _series_sql() -> str:
    """Every figure for every period of `periods` in one statement.  The per-year tables are joined to the periods
    (a correlated lookup in each made DuckDB compute them again for every figure that reads them)."""
    tables = _per_year_tables()
    ctes = [_PERIODS, f"segments AS MATERIALIZED ({over_span(members_sql('max_caseload'))})",
            *(f"{name} AS ({sql})" for name, sql in tables.items())]
    joins = "".join(f"\nLEFT JOIN {name} ON {name}.year = p.year" for name in tables)
    return ("WITH " + ",\n".join(ctes) + "\nSELECT p.year,\n" + ",\n".join(map(_series_part, INDICATORS))
            + "\nFROM periods AS p" + joins)


@cache
def _series_counts_sql(key: str, column: str) -> str:
    """Members of a figure counted per period and category (periods with no member have no row)."""
    if has_spans(key):  # calendar years: each member in the years its rows overlap
        return (f"WITH {_PERIODS}\nSELECT m.year, m.{column} AS category, count(*) AS n\n"
                f"FROM ({_spanned_members(key)}) AS m SEMI JOIN periods AS p ON p.year = m.year GROUP BY ALL")
    return (f"WITH {_PERIODS}\nSELECT p.year, m.{column} AS category, count(*) AS n\n"
            f"FROM periods AS p, LATERAL ({over_periods(members_sql(key))}) AS m GROUP BY ALL")


def compute_years(con: duckdb.DuckDBPyConnection, years: list[int], unit: str | None = None,
                  limit: int = DEFAULT_CASELOAD_LIMIT) -> dict[int, dict[str, Any]]:
    """Every indicator for each year, the same values as `compute` year by year, in a few statements over the
    series of years (each figure's SQL correlated with the year's first and last day) instead of three a year.
    For all units, the years that count the same units (the coverage's scope) are computed together."""
    groups: dict[tuple[str, ...] | None, list[int]] = {}
    covered = coverage.read(con) if unit is None else None
    for y in sorted(set(years)):
        groups.setdefault(covered.year(y).scope if covered else None, []).append(y)
    out: dict[int, dict[str, Any]] = {}
    for units, group in groups.items():
        with coverage.scoped(con, units):
            out |= _series(con, group, unit, limit)
    return {y: out[y] for y in years}


def _series(con: duckdb.DuckDBPyConnection, distinct: list[int], unit: str | None, limit: int) -> dict[int, dict[str, Any]]:
    """compute_years for distinct sorted years of one scope (set on the connection)."""
    if not distinct:
        return {}
    spans = [span(y) for y in distinct]
    values = {"years": distinct, "starts": [s for s, _ in spans], "ends": [e for _, e in spans], "unit": unit,
              "limit": limit, "span_first": min(s for s, _ in spans), "span_last": max(e for _, e in spans)}
    install_staging(con)

    def run(sql: str) -> pl.DataFrame:
        return query(con, sql, {k: v for k, v in values.items() if f"${k}" in sql})

    out: dict[int, dict[str, Any]] = {}
    for row in run(_series_sql()).iter_rows(named=True):
        out[row["year"]] = {i.key: i.value(row[i.key]) for i in INDICATORS}
    reasons: dict[int, dict[str, int]] = {}
    for y, reason, n in run(_series_counts_sql(CLOSED_BY_REASON, "przyczyna_zakonczenia")).iter_rows():
        reasons.setdefault(y, {})[reason] = int(n)
    for y in distinct:
        out[y][CLOSED_BY_REASON] = {r: reasons[y][r] for r in CLOSURE_REASONS if reasons.get(y, {}).get(r)}
    for b in BREAKDOWNS:
        parts: dict[int, dict[str, int]] = {}
        for y, category, n in run(_series_counts_sql(b.key, b.column)).iter_rows():
            parts.setdefault(y, {})[category] = int(n)
        for y in distinct:
            out[y][b.key] = {c: parts[y][c] for c in b.categories if parts.get(y, {}).get(c)}
    return out


def trend(con: duckdb.DuckDBPyConnection, years: list[int], unit: str | None = None,
          limit: int = DEFAULT_CASELOAD_LIMIT) -> pl.DataFrame:
    """One row per year with every indicator (closures by reason as extra columns)."""
    return trend_frame(compute_years(con, years, unit, limit))
