"""Analytic measures beside the annual figures, each with its definition.

- caseload: families per assistant, head count and per FTE — the mean over the
  days of Y of (families with an active assignment, summed over assistants) /
  (assistants employed that day, or their summed wymiar_etatu).
- duration: cooperation length as a Kaplan–Meier curve (lifelines); ongoing
  episodes are censored at their unit's latest export date.
- re-entry: closures in Y followed within 365 days by a new episode of the same
  family, by closure reason; only closures whose 365 days have been observed.
- time to return: days from the start of the family's active episode to a
  child's return home (children counted in children_returned_home).
- monitoring: closures in Y with at least 90 days of post-closure monitoring,
  among those whose 90 days have passed by the latest export.
- assessment recency: families active on 31 Dec of Y with an assessment in the
  last 3 and in the last 6 months (dates after 30 Sep / 30 Jun of Y).
"""

from __future__ import annotations

from datetime import date

import duckdb
import polars as pl

from pipeline.contract import DEFAULT_CASELOAD_LIMIT
from pipeline.indicators.registry import members_sql, parameters
from pipeline.sql import query, sql_text


def _measure_sql(name: str) -> str:
    text = sql_text(f"indicators/sql/measures/{name}.sql")
    return text.replace("{caseload_segments_in_year}", members_sql("caseload_segments"))


def _run(con: duckdb.DuckDBPyConnection, name: str, year: int, unit: str | None,
         limit: int = DEFAULT_CASELOAD_LIMIT) -> pl.DataFrame:
    sql = _measure_sql(name)
    return query(con, sql, parameters(sql, year, unit, limit))


def caseload(con: duckdb.DuckDBPyConnection, year: int, unit: str | None = None) -> dict:
    """Mean daily families per assistant (head count) and per FTE in a year."""
    days = _run(con, "daily_caseload", year, unit).with_columns(pl.col("families", "assistants", "fte").cast(pl.Float64))
    if days.height == 0:
        return {"families_per_assistant": None, "families_per_fte": None, "days": 0}
    return {
        "families_per_assistant": float((days["families"] / days["assistants"]).mean()),
        "families_per_fte": float((days["families"] / days["fte"]).mean()),
        "days": days.height,
    }


def episode_durations(con: duckdb.DuckDBPyConnection, unit: str | None = None) -> pl.DataFrame:
    """Every episode's length in days and whether it ended (censored otherwise)."""
    sql = _measure_sql("episode_durations")
    return query(con, sql, parameters(sql, 2000, unit, 0))


def kaplan_meier(durations: pl.DataFrame) -> dict:
    """Median and quartiles of cooperation length (days) by Kaplan–Meier; None where not reached."""
    from lifelines import KaplanMeierFitter

    if durations.height == 0:
        return {"n": 0, "events": 0, "median": None, "q25": None, "q75": None}
    kmf = KaplanMeierFitter().fit(durations["days"].to_numpy(), durations["ended"].to_numpy())
    sf = kmf.survival_function_["KM_estimate"]

    def first_time_at_or_below(level: float) -> float | None:
        below = sf[sf <= level + 1e-9]  # S is a product of floats: 0.75 may come out as 0.7500000001
        return float(below.index[0]) if len(below) else None

    return {
        "n": durations.height,
        "events": int(durations["ended"].sum()),
        "q25": first_time_at_or_below(0.75),   # a quarter of episodes have ended by then
        "median": first_time_at_or_below(0.5),
        "q75": first_time_at_or_below(0.25),
    }


def kaplan_meier_curve(durations: pl.DataFrame) -> pl.DataFrame:
    """The Kaplan–Meier survival curve (share of episodes still going on after t days)."""
    from lifelines import KaplanMeierFitter

    kmf = KaplanMeierFitter().fit(durations["days"].to_numpy(), durations["ended"].to_numpy())
    sf = kmf.survival_function_.reset_index()
    return pl.DataFrame({"days": sf["timeline"].to_numpy(), "still_ongoing": sf["KM_estimate"].to_numpy()})


def reentry(con: duckdb.DuckDBPyConnection, year: int, unit: str | None = None) -> pl.DataFrame:
    """Observable closures of a year by reason, with re-entries within 12 months and their share."""
    rows = _run(con, "reentry", year, unit)
    return rows.group_by("przyczyna_zakonczenia").agg(
        pl.len().alias("closures"), pl.col("reentered").sum().alias("reentries")
    ).with_columns((pl.col("reentries") / pl.col("closures")).alias("share")).sort("przyczyna_zakonczenia")


def time_to_return(con: duckdb.DuckDBPyConnection, year: int, unit: str | None = None) -> pl.DataFrame:
    """Children returned home in a year with the days since their family's episode began."""
    return _run(con, "time_to_return", year, unit)


def monitoring_share(con: duckdb.DuckDBPyConnection, year: int, unit: str | None = None) -> dict:
    """Share of a year's (observable) closures followed by at least 90 days of monitoring."""
    rows = _run(con, "monitoring", year, unit)
    n = rows.height
    k = int(rows["monitored"].sum()) if n else 0
    return {"closures": n, "monitored": k, "share": k / n if n else None}


def assessment_recency(con: duckdb.DuckDBPyConnection, year: int, unit: str | None = None) -> dict:
    """Families active at year end with an assessment in the last 3 and 6 months."""
    rows = _run(con, "assessment_recency", year, unit)
    n = rows.height
    last = rows["last_assessment"]
    within3 = int((last > date(year, 9, 30)).sum()) if n else 0
    within6 = int((last > date(year, 6, 30)).sum()) if n else 0
    return {"families": n, "within_3_months": within3, "within_6_months": within6,
            "share_3_months": within3 / n if n else None, "share_6_months": within6 / n if n else None}
