"""Analytic measures beside the annual figures, each with its definition.

- caseload: families per assistant, head count and per FTE — the mean over the
  days of Y of (families with an active assignment, summed over assistants) /
  (assistants employed that day, or their summed wymiar_etatu).
- mean FTE: the assistants' summed wymiar_etatu averaged over every day of Y
  (a full-time assistant employed half the year counts 0.5; days with nobody
  employed count 0).
- duration: cooperation length as a Kaplan–Meier curve (lifelines); ongoing
  episodes are censored at their unit's latest export date.
- re-entry: closures in Y followed within 365 days by a new episode of the same
  family, by closure reason; only closures whose 365 days have been observed.
- a proportion's Wilson score interval (small counts: goal-achieved rates).
"""

from __future__ import annotations

import duckdb
import polars as pl

from pipeline.indicators.registry import measure_sql, run_sql, run_unbound, span


def _run(con: duckdb.DuckDBPyConnection, name: str, year: int, unit: str | None) -> pl.DataFrame:
    return run_sql(con, measure_sql(name), year, unit)


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


def mean_fte(con: duckdb.DuckDBPyConnection, year: int, unit: str | None = None) -> float:
    """The assistants' FTE (wymiar_etatu) averaged over every day of the year, not a head count."""
    d0, d1 = span(year)
    fte = _run(con, "daily_caseload", year, unit)["fte"].cast(pl.Float64).sum()
    return float(fte) / ((d1 - d0).days + 1)


def episode_durations(con: duckdb.DuckDBPyConnection, unit: str | None = None) -> pl.DataFrame:
    """Every episode's length in days and whether it ended (censored otherwise)."""
    return run_unbound(con, measure_sql("episode_durations"), unit)


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


def wilson_interval(successes: int, n: int, z: float = 1.96) -> tuple[float | None, float | None]:
    """The Wilson score 95% interval of a proportion (None when n is 0)."""
    if n == 0:
        return None, None
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * ((p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5) / denom
    return max(0.0, centre - half), min(1.0, centre + half)
