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
from pipeline.indicators.breakdowns import completed_projects
from pipeline.indicators.cohorts import OUTCOME_LABELS, Cohort
from pipeline.outputs.formats import cell
from pipeline.outputs.spreadsheets import Column
from pipeline.outputs.wording import indicator_rows, problem_rows
from pipeline.sql import query
from pipeline.warehouse import coverage

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


SECTION3_KEYS = ["home_visits", "diagnostic_group_meetings", "skill_trainings", "projects_completed", "project_children"]
PROJECT_COLUMNS = (Column("nazwa", "projekt (tytuł)"), Column("rodzaj", "rodzaj"), Column("data_od", "od", "date"),
                   Column("data_do", "do", "date"), Column("liczba_dzieci", "dzieci", "count"),
                   Column("liczba_rodzin", "rodziny", "count"))
PROBLEM_COLUMNS = (Column("problem", "problem"), Column("families", "rodziny", "count"),
                   Column("share", "udział w rodzinach objętych wsparciem", "percent"))
LEADING_PROBLEMS = 5  # the problems a trend follows: the most frequent in the chosen year
NOT_OBSERVABLE = "nieobserwowalne"
COHORT_HORIZONS = {"episodes": ("12", "24", "36"), "placements": ("12", "24")}
COHORT_UNITS = 5  # notebook 03 without a unit shows the cohorts of at most this many loaded units
COHORT_SHORT = {"goals": "cele", "other": "inne", "returned": "powrót"}


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


def previous_year(con: duckdb.DuckDBPyConnection, year: int, unit: str | None, limit: int) -> dict | None:
    """The indicators of the year before, where the loaded exports cover it (None: nothing to compare with)."""
    if not coverage.read(con).covers(year - 1, unit):
        return None
    return registry.compute(con, year - 1, unit, limit)


def annual_table(con: duckdb.DuckDBPyConnection, year: int, unit: str | None, limit: int) -> pl.DataFrame:
    """The year's indicators beside last year's (none when last year had no family), the change, the Polish definition."""
    now = registry.compute(con, year, unit, limit)
    before = previous_year(con, year, unit, limit)
    previous = before if before and before["families_supported"] else None
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



def projects(con: duckdb.DuckDBPyConnection, year: int, unit: str | None) -> tuple[pl.DataFrame, tuple[Column, ...]]:
    """The projects that ended in the year (projects_completed), in the order they ended; the unit's code is a
    column only when several units are shown together."""
    frame = pl.DataFrame(completed_projects(con, year, unit), schema=registry.explain(con, "projects_completed", year, unit).schema)
    several = unit is None and frame["jednostka"].n_unique() > 1
    return frame, ((Column("jednostka", "jednostka"),) if several else ()) + PROJECT_COLUMNS


def problems(values: dict) -> pl.DataFrame:
    """Families by problem (most families first) with the share of the families supported (a fraction)."""
    rows = problem_rows(values)
    return pl.DataFrame({"problem": [r["problem"] for r in rows], "families": [r["families"] for r in rows],
                         "share": [None if r["share"] is None else r["share"] / 100 for r in rows]},
                        schema={"problem": pl.String, "families": pl.Int64, "share": pl.Float64})


def problems_by_year(trend: pl.DataFrame, top: int = LEADING_PROBLEMS) -> pl.DataFrame:
    """The leading problems of the trend's last year (by families; 'inny' left out, none with no family),
    one row per year and problem: year, problem, families."""
    if trend.height == 0:
        return pl.DataFrame(schema={"year": pl.Int64, "problem": pl.String, "families": pl.Int64})
    last = trend.row(-1, named=True)
    problems_ = [c.split(": ", 1)[1] for c in trend.columns if c.startswith("problem: ")]
    ranked = sorted((p for p in problems_ if p != "inny" and last[f"problem: {p}"]), key=lambda p: -last[f"problem: {p}"])
    chosen = ranked[:top]
    return pl.DataFrame([{"year": y, "problem": p, "families": int(n)} for p in chosen
                         for y, n in zip(trend["year"], trend[f"problem: {p}"], strict=True)],
                        schema={"year": pl.Int64, "problem": pl.String, "families": pl.Int64})


def problems_table(long: pl.DataFrame) -> tuple[pl.DataFrame, tuple[Column, ...]]:
    """The leading problems as a table: one row per problem, one column per year."""
    if long.height == 0:
        return pl.DataFrame(), ()
    years = sorted(long["year"].unique().to_list())
    wide = long.with_columns(pl.col("year").cast(pl.String)).pivot(on="year", index="problem", values="families",
                                                                    maintain_order=True)
    return wide, (Column("problem", "problem"), *(Column(str(y), str(y), "count") for y in years))


def cohort_table(cohorts: list[Cohort], what: str, last_year: int | None = None) -> tuple[pl.DataFrame, tuple[Column, ...]]:
    """Entry cohorts of one unit as a table a person reads: per start year the cohort's size, then per horizon
    the cumulative incidence of each outcome and the number still at risk; "nieobserwowalne" where the
    cohort is too recent to be observed that long (never a zero).  Cohorts after `last_year` are left out."""
    horizons = COHORT_HORIZONS[what]
    outcomes = list(OUTCOME_LABELS[what])
    columns = [Column("rok", "rok rozpoczęcia" if what == "episodes" else "rok umieszczenia"),
               Column("n", "w kohorcie", "count")]
    for h in horizons:
        columns += [Column(f"{o}_{h}", f"{COHORT_SHORT[o]} {h} m.") for o in outcomes]
        columns.append(Column(f"risk_{h}", f"w ryzyku {h} m."))
    rows = []
    for k in cohorts:
        if last_year is not None and k.year > last_year:
            continue
        row: dict = {"rok": str(k.year), "n": k.n}
        for h in horizons:
            for o in outcomes:
                v = k.incidence[o][h]
                row[f"{o}_{h}"] = NOT_OBSERVABLE if v is None else cell(v, "percent")
            risk = k.at_risk.get(h)
            row[f"risk_{h}"] = NOT_OBSERVABLE if risk is None else cell(risk, "count")
        rows.append(row)
    schema = {c.key: (pl.Int64 if c.key == "n" else pl.String) for c in columns}
    return pl.DataFrame(rows, schema=schema, orient="row"), tuple(columns)


def loaded_units(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The units with a loaded export, by code."""
    return [u.code for u in coverage.read(con).of()]


NEEDS_MONTH_COLUMNS = (Column("month", "pierwszy dzień miesiąca", "date"),
                       Column("expected", "rodziny aktywne: oczekiwane", "decimal"),
                       Column("low", "od (95%)", "count"), Column("high", "do (95%)", "count"),
                       Column("fte_needed", "etaty potrzebne", "count"))
NEEDS_BACKTEST_COLUMNS = (Column("year", "rok", "year"), Column("projected_families", "rodziny: prognoza", "decimal"),
                          Column("actual_families", "rodziny: było", "count"),
                          Column("projected_peak", "szczyt: prognoza", "decimal"),
                          Column("actual_peak", "szczyt: było", "count"))


def needs_result(con: duckdb.DuckDBPyConnection, year: int, unit: str | None, limit: int) -> dict | None:
    """The needs for year + 1 from the records up to 31.12.year (`indicators.needs`); None when the exports do not
    cover the whole year."""
    from pipeline.indicators import needs

    if (coverage.read(con).last_complete_year(unit) or 0) < year:
        return None
    return needs.needs(con, year + 1, unit, limit)


def needs_frames(result: dict) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The months of the year planned (expected families active on the first day, interval, FTE) and the backtest."""
    from datetime import date

    months = [{"month": date.fromisoformat(m["month"]), "expected": m["expected_active"], "low": m["low"],
               "high": m["high"], "fte_needed": m["fte_needed"]}
              for m in (result.get("monthly_fte", {}).get("projected") or [])]
    schema = {"month": pl.Date, "expected": pl.Float64, "low": pl.Float64, "high": pl.Float64, "fte_needed": pl.Int64}
    back_schema = {"year": pl.Int64, "projected_families": pl.Float64, "actual_families": pl.Int64,
                   "projected_peak": pl.Float64, "actual_peak": pl.Int64}
    back = (result.get("backtest") or {}).get("years", [])
    return pl.DataFrame(months, schema=schema), pl.DataFrame(back, schema=back_schema)
