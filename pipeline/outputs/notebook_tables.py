"""Tables the notebooks show: quality over time, the annual table, trends, unit comparison.

Notebooks only call these and draw; every figure comes from the indicator registry or the
measures module, so a notebook cannot disagree with the CLI.  Each table has its `Column`s
(key, Polish header, kind) beside it: `notebook_setup.table` renders a frame with them in a
notebook and `spreadsheets.write_workbook` in a workbook, both through `formats`.  The
programme evaluation has its own module (`evaluation`).
"""

from __future__ import annotations

import duckdb
import polars as pl

from pipeline.indicators import measures, registry
from pipeline.outputs.annual_report import indicator_rows
from pipeline.outputs.formats import cell
from pipeline.outputs.spreadsheets import Column
from pipeline.sql import query

OUTCOMES = {"loaded": "wczytany", "rejected": "odrzucony"}
LOAD_COLUMNS = (
    Column("load_id", "nr", "count"), Column("file_name", "plik"), Column("jednostka", "jednostka"),
    Column("data_eksportu", "data eksportu", "date"), Column("okres_od", "okres od", "date"),
    Column("okres_do", "okres do", "date"), Column("zakres", "zakres"), Column("wynik", "wynik"),
    Column("findings", "ustalenia", "count"),
)
REASON_COLUMNS = (Column("code", "kod reguły"), Column("message", "powód"), Column("exports", "odrzucone eksporty", "count"))
FINDING_COLUMNS = (Column("year", "rok", "year"), Column("code", "kod"), Column("message", "ustalenie"),
                   Column("records", "rekordy", "count"))
BREACH_COLUMNS = (Column("jednostka", "jednostka"), Column("id_asystenta", "asystent (identyfikator)"),
                  Column("max_families", "najwięcej rodzin naraz", "count"),
                  Column("days_above_limit", "dni ponad limit", "count"))
DEFINITION_COLUMNS = (Column("label", "wskaźnik"), Column("definition", "definicja"))
REASONS_COLUMNS = (Column("przyczyna", "przyczyna zakończenia"), Column("rodziny", "rodziny", "count"))
COHORT_COLUMNS = (Column("kohorta", "rok rozpoczęcia"), Column("n", "asystentury", "count"),
                  Column("events", "zakończone", "count"), Column("q25", "25% zakończonych po (dniach)", "count"),
                  Column("median", "mediana (dni)", "count"), Column("q75", "75% zakończonych po (dniach)", "count"))
REENTRY_COLUMNS = (Column("year", "rok zakończenia", "year"), Column("closures", "zakończenia (obserwowane 12 miesięcy)", "count"),
                   Column("reentries", "powroty do wsparcia w 12 miesięcy", "count"), Column("share", "udział powrotów", "percent"))
CASELOAD_COLUMNS = (Column("year", "rok", "year"), Column("families_per_assistant", "rodzin na asystenta (średnio dziennie)", "decimal"),
                    Column("families_per_fte", "rodzin na etat (średnio dziennie)", "decimal"))
UNIT_COLUMNS = (Column("jednostka", "jednostka"), Column("rodziny", "rodziny objęte wsparciem", "count"),
                Column("rodzin_na_asystenta", "rodzin na asystenta", "decimal"),
                Column("udzial_celow", "zakończenia z osiągnięciem celów", "percent"),
                Column("udzial_sadu", "rodziny zobowiązane przez sąd", "percent"),
                Column("koszt_na_rodzine", "koszt na rodzinę", "money"))
STANDING_MEASURES = {c.key: c for c in UNIT_COLUMNS[2:]}
STANDING_COLUMNS = (Column("label", "miara"), Column("ta_jednostka_text", "ta jednostka"), Column("q1_text", "dolny kwartyl"),
                    Column("mediana_text", "mediana"), Column("q3_text", "górny kwartyl"), Column("pozycja", "pozycja", "count"),
                    Column("z", "z jednostek", "count"))


def annual_columns(year: int) -> tuple[Column, ...]:
    """The annual table's columns: the indicator, last year, this year (as formatted text), the change."""
    return (Column("label", "wskaźnik"), Column("previous_text", str(year - 1)), Column("current_text", str(year)),
            Column("change", "zmiana"))


def indicator_columns(keys: list[str], first: Column | None = None) -> tuple[Column, ...]:
    """Columns for indicators of the registry: their Polish labels, counts or decimals by their definition."""
    found = [registry.BY_KEY[k] for k in keys]
    columns = tuple(Column(i.key, i.label, "decimal" if i.decimals else "count") for i in found)
    return ((first,) if first else ()) + columns


def loads(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """The load log: one row per load attempt (the reasons are codes and places, never values)."""
    frame = query(con, """SELECT load_id, file_name, jednostka, data_eksportu, okres_od, okres_do, zakres, loaded_at,
                                 outcome, findings, reasons FROM raw.loads ORDER BY load_id""")
    return frame.with_columns(pl.col("outcome").replace(OUTCOMES).alias("wynik"))


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
    """The year's indicators beside last year's (none when last year had no family), the change, the Polish definition."""
    now = registry.compute(con, year, unit, limit)
    before = registry.compute(con, year - 1, unit, limit)
    previous = before if before["families_supported"] else None
    rows = []
    for row in indicator_rows(now, previous):
        kind = "decimal" if row["decimals"] else "count"
        rows.append({"key": row["key"], "label": row["label"], "previous": row["previous"], "current": row["current"],
                     "previous_text": cell(row["previous"], kind, row["decimals"]),
                     "current_text": cell(row["current"], kind, row["decimals"]),
                     "change": row["change"], "definition": row["definition"]})
    return pl.DataFrame(rows, strict=False)


def closed_by_reason(values: dict) -> pl.DataFrame:
    """The year's closures by reason, from computed values."""
    reasons = values[registry.CLOSED_BY_REASON]
    return pl.DataFrame({"przyczyna": list(reasons), "rodziny": list(reasons.values())},
                        schema={"przyczyna": pl.String, "rodziny": pl.Int64})


def caseload_by_year(con: duckdb.DuckDBPyConnection, years: list[int], unit: str | None) -> pl.DataFrame:
    """Mean daily families per assistant and per FTE, by year."""
    schema = {"year": pl.Int64, "families_per_assistant": pl.Float64, "families_per_fte": pl.Float64, "days": pl.Int64}
    return pl.DataFrame([{"year": y} | measures.caseload(con, y, unit) for y in years], schema=schema)


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
    return pl.DataFrame(rows, schema={"year": pl.Int64, "closures": pl.Int64, "reentries": pl.Int64, "share": pl.Float64})


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
            "koszt_na_rodzine": cost[u] / v["families_supported"] if cost.get(u) is not None and v["families_supported"] else None,
        })
    return pl.DataFrame(rows, strict=False)


def standing(units: pl.DataFrame, unit: str) -> pl.DataFrame:
    """Where one unit stands: its value, the others' quartiles, and its rank per measure."""
    rows = []
    for col, column in STANDING_MEASURES.items():
        values = units.select(col).drop_nulls()[col]
        mine = units.filter(pl.col("jednostka") == unit)[col]
        v = mine[0] if len(mine) else None
        row = {
            "miara": col, "label": column.label, "ta_jednostka": v, "q1": values.quantile(0.25) if len(values) else None,
            "mediana": values.median() if len(values) else None, "q3": values.quantile(0.75) if len(values) else None,
            "pozycja": int((values < v).sum()) + 1 if v is not None else None, "z": len(values),
        }
        rows.append(row | {f"{k}_text": cell(row[k], column.kind) for k in ("ta_jednostka", "q1", "mediana", "q3")})
    return pl.DataFrame(rows, strict=False)
