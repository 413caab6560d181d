"""The figures of the programme "Asystent rodziny"'s evaluation: money by source, unit costs, before vs with.

Everything follows the chosen year (only years up to and including it are used). Money comes
from the analyst's funding file (raw.funding), families and closures from the indicator
registry, FTE from the assistants' wymiar_etatu averaged over the year (`measures.mean_fte`).
A ratio whose denominator is zero or unknown is None (an empty cell, never an error value).
The sentences and the workbook are written by `pipeline.outputs.evaluation`.
"""

from __future__ import annotations

import duckdb
import polars as pl

from pipeline.indicators import measures, registry
from pipeline.sql import query
from pipeline.warehouse import coverage

PROGRAMME, OWN, OTHER = "program Asystent rodziny", "środki własne", "inne"  # contract.FUNDING_SOURCES


WINDOWS = (2, 3, 5)        # years before the programme the sensitivity check compares with


DEFAULT_WINDOW = 3


MIN_CLOSURES = 10          # fewer closures in a period: the goal-achieved rates are not compared


FLAT = 0.10                # own funds within ±10% count as "about the same"



def ratio(numerator: float | None, denominator: float | None) -> float | None:
    """numerator / denominator, or None when either is unknown or the denominator is zero."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator



def money_by_source(con: duckdb.DuckDBPyConnection, year: int, unit: str | None) -> pl.DataFrame:
    """Money by year and source, for the years up to and including `year`."""
    return query(con, """SELECT rok AS year, zrodlo AS source, sum(kwota) AS amount FROM raw.funding
                         WHERE rok <= $year AND (CAST($unit AS VARCHAR) IS NULL OR jednostka = $unit)
                         GROUP BY ALL ORDER BY year, source""", {"year": year, "unit": unit})



def cost_table(con: duckdb.DuckDBPyConnection, year: int, unit: str | None, limit: int) -> pl.DataFrame:
    """Per funded year up to `year` that the exports cover (a funding row of a year without records would be a cost
    per no family): money by source, the programme's share, families, closures, FTE, unit costs."""
    money_rows = money_by_source(con, year, unit)
    covered = coverage.read(con)
    rows = []
    for y in sorted(y for y in set(money_rows["year"].to_list()) if not covered.year(y, unit).empty):
        part = money_rows.filter(pl.col("year") == y)
        by_source = dict(zip(part["source"].to_list(), part["amount"].to_list(), strict=True))
        own, programme, other = (float(by_source.get(s, 0.0)) for s in (OWN, PROGRAMME, OTHER))
        total = own + programme + other
        values = registry.compute(con, y, unit, limit)
        fte = measures.mean_fte(con, y, unit)
        rows.append({
            "year": y, "own": own, "programme": programme, "other": other, "total": total,
            "programme_share": ratio(programme, total), "families_supported": values["families_supported"],
            "families_closed": values["families_closed"],
            "families_closed_goals_achieved": values["families_closed_goals_achieved"], "fte": fte,
            "cost_per_family": ratio(total, values["families_supported"]),
            "cost_per_goal": ratio(total, values["families_closed_goals_achieved"]),
            "cost_per_fte": ratio(total, fte), "with_programme": programme > 0,
        })
    schema = {"year": pl.Int64, "own": pl.Float64, "programme": pl.Float64, "other": pl.Float64, "total": pl.Float64,
              "programme_share": pl.Float64, "families_supported": pl.Int64, "families_closed": pl.Int64,
              "families_closed_goals_achieved": pl.Int64, "fte": pl.Float64, "cost_per_family": pl.Float64,
              "cost_per_goal": pl.Float64, "cost_per_fte": pl.Float64, "with_programme": pl.Boolean}
    return pl.DataFrame(rows, schema=schema)



def _span(years: list[int]) -> str:
    return str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"



def period_row(costs: pl.DataFrame, name: str) -> dict:
    """One period's yearly means of money and families, its pooled closures and its unit costs (ratios of sums)."""
    n = costs.height
    total, families, fte = costs["total"].sum(), costs["families_supported"].sum(), costs["fte"].sum()
    closed, goals = int(costs["families_closed"].sum()), int(costs["families_closed_goals_achieved"].sum())
    return {
        "period": f"{name} ({_span(costs['year'].to_list())})", "years": n,
        "own": costs["own"].sum() / n, "programme": costs["programme"].sum() / n, "total": total / n,
        "families_supported": families / n, "families_closed": closed, "families_closed_goals_achieved": goals,
        "goal_rate": ratio(goals, closed), "cost_per_family": ratio(total, families),
        "cost_per_goal": ratio(total, goals), "cost_per_fte": ratio(total, fte),
    }



def programme_years(costs: pl.DataFrame) -> list[int]:
    return costs.filter(pl.col("with_programme"))["year"].to_list()



def before_years(costs: pl.DataFrame, window: int) -> list[int]:
    """The funded years among the `window` years just before the programme's first year."""
    with_programme = programme_years(costs)
    if not with_programme:
        return []
    first = min(with_programme)
    return costs.filter(pl.col("year").is_between(first - window, first - 1) & ~pl.col("with_programme"))["year"].to_list()



def periods(costs: pl.DataFrame, window: int = DEFAULT_WINDOW) -> pl.DataFrame:
    """Before vs with the programme: two rows when both exist, else none."""
    before, with_programme = before_years(costs, window), programme_years(costs)
    if not before or not with_programme:
        return pl.DataFrame()
    return pl.DataFrame([
        period_row(costs.filter(pl.col("year").is_in(before)), "przed programem"),
        period_row(costs.filter(pl.col("year").is_in(with_programme)), "z programem"),
    ])



def sensitivity(costs: pl.DataFrame) -> pl.DataFrame:
    """Cost per family before vs with the programme, for each choice of the years before."""
    rows = []
    for window in WINDOWS:
        p = periods(costs, window)
        if p.height:
            before, after = p.row(0, named=True), p.row(1, named=True)
            rows.append({"window": window, "period": _span(before_years(costs, window)), "before": before["cost_per_family"],
                         "with": after["cost_per_family"], "change": relative_change(after["cost_per_family"], before["cost_per_family"])})
    return pl.DataFrame(rows)



def relative_change(new: float | None, old: float | None) -> float | None:
    return None if new is None else ratio(new - old if old is not None else None, old)
