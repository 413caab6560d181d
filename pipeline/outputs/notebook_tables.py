"""Tables the notebooks show: quality over time, the annual table, funding, unit comparison.

Notebooks only call these and draw; every figure comes from the indicator
registry or the measures module, so a notebook cannot disagree with the CLI.
"""

from __future__ import annotations

import duckdb
import polars as pl

from pipeline.indicators import measures, registry
from pipeline.outputs.annual_report import indicator_rows
from pipeline.sql import query

PROGRAMME = "program Asystent rodziny"


def loads(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """The load log: one row per load attempt (the reasons are codes and places, never values)."""
    return query(con, """SELECT load_id, file_name, jednostka, data_eksportu, okres_od, okres_do, zakres, loaded_at,
                                outcome, findings, reasons FROM raw.loads ORDER BY load_id""")


def rejection_reasons(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Rule codes that rejected exports, with how many exports each rejected."""
    return query(con, """SELECT r.code, any_value(r.message) AS message, count(DISTINCT l.load_id) AS exports
                         FROM raw.loads AS l, unnest(from_json(l.reasons, '[{"code":"VARCHAR","message":"VARCHAR"}]')) AS t(r)
                         WHERE l.outcome = 'rejected' GROUP BY r.code ORDER BY exports DESC, r.code""")


def findings_by_year(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Findings of loaded exports by the year their export covers, and code."""
    return query(con, """SELECT year(l.okres_do) AS year, f.code, any_value(f.message) AS message, count(*) AS records
                         FROM raw.findings AS f JOIN raw.loads AS l USING (load_id)
                         GROUP BY ALL ORDER BY year, code""")


def caseload_breaches_by_assistant(con: duckdb.DuckDBPyConnection, year: int, unit: str | None, limit: int) -> pl.DataFrame:
    """Per assistant: the year's largest caseload and the days above the limit."""
    sql = f"""SELECT jednostka, id_asystenta, max(families) AS max_families,
                     sum(CASE WHEN families > $limit THEN days ELSE 0 END) AS days_above_limit
              FROM ({registry.members_sql('max_caseload')}) GROUP BY ALL ORDER BY max_families DESC, id_asystenta"""
    return registry.run_sql(con, sql, year, unit, limit)


def annual_table(con: duckdb.DuckDBPyConnection, year: int, unit: str | None, limit: int) -> pl.DataFrame:
    """The year's indicators beside last year's, with the change and the definition in Polish."""
    now = registry.compute(con, year, unit, limit)
    before = registry.compute(con, year - 1, unit, limit)
    return pl.DataFrame([
        {"wskaźnik": row["label"], "klucz": row["key"], f"{year - 1}": row["previous"], f"{year}": row["current"],
         "zmiana": row["change"], "definicja": row["definition"]}
        for row in indicator_rows(now, before)
    ], strict=False)


def cohort_durations(con: duckdb.DuckDBPyConnection, unit: str | None, cohorts: list[tuple[int, int]]) -> pl.DataFrame:
    """Kaplan–Meier median and quartiles of cooperation length by start cohort (years inclusive)."""
    d = measures.episode_durations(con, unit)
    rows = []
    for a, b in cohorts:
        km = measures.kaplan_meier(d.filter(pl.col("start_year").is_between(a, b)))
        rows.append({"kohorta": f"{a}-{b}"} | km)
    return pl.DataFrame(rows, strict=False)


def reentry_by_year(con: duckdb.DuckDBPyConnection, years: list[int], unit: str | None) -> pl.DataFrame:
    """Re-entry within 12 months, all reasons together, per closure year."""
    rows = []
    for y in years:
        r = measures.reentry(con, y, unit)
        n, k = int(r["closures"].sum()) if r.height else 0, int(r["reentries"].sum()) if r.height else 0
        rows.append({"year": y, "closures": n, "reentries": k, "share": k / n if n else None})
    return pl.DataFrame(rows, strict=False)


def funding(con: duckdb.DuckDBPyConnection, unit: str | None) -> pl.DataFrame:
    """Money by year and source (from finansowanie.csv)."""
    return query(con, """SELECT rok AS year, zrodlo, sum(kwota) AS kwota, max(liczba_asystentow) AS liczba_asystentow
                         FROM raw.funding WHERE CAST($unit AS VARCHAR) IS NULL OR jednostka = $unit
                         GROUP BY ALL ORDER BY year, zrodlo""", {"unit": unit})


def cost_table(con: duckdb.DuckDBPyConnection, unit: str | None, limit: int) -> pl.DataFrame:
    """Per year: total money, the programme's part, and cost per family, per goal-achieved closure, per FTE."""
    money = funding(con, unit)
    if money.height == 0:
        return pl.DataFrame()
    by_year = money.group_by("year").agg(
        pl.col("kwota").sum().alias("koszt_ogolem"),
        pl.col("kwota").filter(pl.col("zrodlo") == PROGRAMME).sum().alias("program"),
        pl.col("liczba_asystentow").max().alias("etaty_finansowane"),
    ).sort("year")
    trend = registry.trend(con, by_year["year"].to_list(), unit, limit).select(
        "year", "families_supported", "families_closed_goals_achieved", "assistants")
    return by_year.join(trend, on="year").with_columns(
        (pl.col("koszt_ogolem") / pl.col("families_supported")).alias("koszt_na_rodzine"),
        (pl.col("koszt_ogolem") / pl.col("families_closed_goals_achieved")).alias("koszt_na_zakonczenie_z_celem"),
        (pl.col("koszt_ogolem") / pl.col("etaty_finansowane")).alias("koszt_na_etat"),
        (pl.col("program") > 0).alias("z_programem"),
    )


def before_after(costs: pl.DataFrame, years_before: int = 3) -> pl.DataFrame:
    """Mean yearly figures in the programme's years against the `years_before` years just before it."""
    with_programme = costs.filter(pl.col("z_programem"))
    if with_programme.height == 0:
        return pl.DataFrame()
    first = with_programme["year"].min()
    before = costs.filter(pl.col("year").is_between(first - years_before, first - 1))
    cols = ["families_supported", "families_closed_goals_achieved", "koszt_na_rodzine", "koszt_na_etat"]
    return pl.DataFrame([
        {"okres": f"przed programem ({before['year'].min()}-{before['year'].max()})"} | {c: before[c].mean() for c in cols},
        {"okres": f"z programem ({first}-{with_programme['year'].max()})"} | {c: with_programme[c].mean() for c in cols},
    ])


def units_table(con: duckdb.DuckDBPyConnection, year: int, limit: int) -> pl.DataFrame:
    """One row per unit for a year: caseload, goal-achieved rate, court share, cost per family."""
    by_unit = registry.compute_units(con, year, limit)
    money = query(con, "SELECT jednostka, sum(kwota) AS kwota FROM raw.funding WHERE rok = $y GROUP BY 1", {"y": year})
    cost = dict(money.iter_rows()) if money.height else {}
    rows = []
    for u, v in by_unit.items():
        c = measures.caseload(con, year, u)
        rows.append({
            "jednostka": u, "rodziny": v["families_supported"],
            "rodzin_na_asystenta": c["families_per_assistant"],
            "udzial_celow": v["families_closed_goals_achieved"] / v["families_closed"] if v["families_closed"] else None,
            "udzial_sadu": v["families_court_obliged"] / v["families_supported"] if v["families_supported"] else None,
            "koszt_na_rodzine": cost[u] / v["families_supported"] if u in cost and v["families_supported"] else None,
        })
    return pl.DataFrame(rows, strict=False)


def standing(units: pl.DataFrame, unit: str) -> pl.DataFrame:
    """Where one unit stands: its value, the others' quartiles, and its rank per measure."""
    rows = []
    for col in ("rodzin_na_asystenta", "udzial_celow", "udzial_sadu", "koszt_na_rodzine"):
        values = units.select(col).drop_nulls()[col]
        mine = units.filter(pl.col("jednostka") == unit)[col]
        v = mine[0] if len(mine) else None
        rows.append({
            "miara": col, "ta_jednostka": v, "q1": values.quantile(0.25) if len(values) else None,
            "mediana": values.median() if len(values) else None, "q3": values.quantile(0.75) if len(values) else None,
            "pozycja": int((values < v).sum()) + 1 if v is not None else None, "z": len(values),
        })
    return pl.DataFrame(rows, strict=False)
