"""Entry cohorts with competing outcomes (INDICATORS.md, "Entry cohorts"): the exact Aalen–Johansen estimate.

For the episodes that started in year Y: the cumulative incidence at 12, 24 and 36 months of closure
with goals achieved and of closure for any other reason; for the placements that started in Y while
the child's family had an active episode: of a return home and of any other end, at 12 and 24
months.  Ongoing members are censored at the unit's latest `data_eksportu` (c).  A member begun before the
unit's first covered day (or in a gap between its exports) is left out: an export that begins in 2023 holds only
the 2022 episodes still going on in 2023, so a 2022 cohort would be made of survivors (coverage.observes_start).  Over the distinct
times t <= h at which some outcome occurs, CIF_k(h) = sum S(t-) * d_k(t) / n(t), with n(t) the
members whose time is >= t and S the Kaplan–Meier survival from any outcome; outcomes precede
censorings at the same time; ties are simultaneous.  A horizon is observable for cohort Y when
Y-12-31 + h days <= c; otherwise its value is None (not zero).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import duckdb
import numpy as np
import polars as pl

from pipeline.indicators.registry import measure_sql, run_unbound
from pipeline.warehouse import coverage

EPISODE_OUTCOMES = ("goals", "other")
PLACEMENT_OUTCOMES = ("returned", "other")
EPISODE_HORIZONS: dict[str, int] = {"12": 365, "24": 730, "36": 1095}
PLACEMENT_HORIZONS: dict[str, int] = {"12": 365, "24": 730}


@dataclass(frozen=True)
class Step:
    """The estimate just after an outcome time t."""

    t: int
    at_risk: int  # n(t): members whose time is >= t
    events: dict[str, int]  # d_k(t)
    remaining: float  # S(t): Kaplan–Meier share with no outcome yet
    incidence: dict[str, float]  # CIF_k(t)


def incidence_steps(days: Sequence[int], outcomes: Sequence[str | None], kinds: Sequence[str]) -> list[Step]:
    """The Aalen–Johansen steps of a cohort: one per distinct time at which some outcome occurs.

    `outcomes[i]` is one of `kinds`, or None for a member censored at `days[i]`."""
    t_all = np.asarray(days, dtype=np.int64)
    unknown = {o for o in outcomes if o is not None} - set(kinds)
    if unknown:
        raise ValueError(f"nieznane zdarzenia: {sorted(unknown)}")
    sorted_t = np.sort(t_all)
    event_times = sorted({int(t) for t, o in zip(t_all, outcomes, strict=True) if o is not None})
    counts = {k: {} for k in kinds}
    for t, o in zip(t_all, outcomes, strict=True):
        if o is not None:
            counts[o][int(t)] = counts[o].get(int(t), 0) + 1
    steps: list[Step] = []
    survival, cif = 1.0, dict.fromkeys(kinds, 0.0)
    for t in event_times:
        n = int(len(sorted_t) - np.searchsorted(sorted_t, t, side="left"))  # time >= t: censored at t still at risk
        d = {k: counts[k].get(t, 0) for k in kinds}
        for k in kinds:
            cif[k] += survival * d[k] / n
        survival *= 1.0 - sum(d.values()) / n
        steps.append(Step(t, n, d, survival, dict(cif)))
    return steps


def incidence_at(steps: list[Step], horizon: int, kinds: Sequence[str]) -> dict[str, float]:
    """CIF_k at `horizon` days (the last step at or before it; zero before the first outcome)."""
    last = None
    for s in steps:
        if s.t > horizon:
            break
        last = s
    return dict(last.incidence) if last else dict.fromkeys(kinds, 0.0)


@dataclass
class Cohort:
    """One start year's cohort: its size, and per outcome and horizon the incidence (None: not observable)."""

    year: int
    n: int
    incidence: dict[str, dict[str, float | None]]
    at_risk: dict[str, int | None] = field(default_factory=dict)  # members still at risk at each horizon

    def as_json(self) -> dict[str, Any]:
        return {"n": self.n} | self.incidence


def observable(year: int, horizon: int, censored_at: date) -> bool:
    """Cohort `year` is observed to `horizon` days when Y-12-31 + horizon <= c."""
    return date(year, 12, 31) + timedelta(days=horizon) <= censored_at


def cohorts_of(members: pl.DataFrame, censored_at: date, kinds: Sequence[str], horizons: dict[str, int]) -> list[Cohort]:
    """Every start year's cohort, from the earliest member's start year to the year of c (or the latest start)."""
    if members.height == 0:
        return []
    first, last = int(members["start_year"].min()), max(censored_at.year, int(members["start_year"].max()))
    out = []
    for y in range(first, last + 1):
        group = members.filter(pl.col("start_year") == y)
        days, outcomes = group["days"].to_list(), group["outcome"].to_list()
        steps = incidence_steps(days, outcomes, kinds) if group.height else []
        seen = {m: group.height > 0 and observable(y, h, censored_at) for m, h in horizons.items()}
        at_h = {m: incidence_at(steps, h, kinds) for m, h in horizons.items()}
        incidence = {k: {m: (at_h[m][k] if seen[m] else None) for m in horizons} for k in kinds}
        at_risk = {m: (sum(1 for t in days if t >= h) if seen[m] else None) for m, h in horizons.items()}
        out.append(Cohort(y, group.height, incidence, at_risk))
    return out


def censoring_date(con: duckdb.DuckDBPyConnection, unit: str) -> date | None:
    """The latest data_eksportu among the unit's loaded exports (None: the unit has none)."""
    return coverage.read(con).observed_until(unit)


def members(con: duckdb.DuckDBPyConnection, unit: str, what: str) -> pl.DataFrame:
    """The cohort members of one unit (`what`: 'episodes' or 'placements') seen from their start (coverage)."""
    name = {"episodes": "cohort_episodes", "placements": "cohort_placements"}[what]
    found = run_unbound(con, measure_sql(name), unit)
    covered = coverage.read(con).unit(unit)
    if covered is None or found.height == 0:
        return found
    starts = found["start_day"].to_list()
    return found.filter(pl.Series([covered.observes_start(d) for d in starts], dtype=pl.Boolean))


class CohortValues(dict):
    """The JSON object of CLI.md (its keys exactly), with the numbers at risk beside it as an attribute.

    `at_risk[what][year][months]` is the number still at risk at each horizon (None: not observable);
    the table view shows it, while `json.dumps` prints only the contract's keys."""

    def __init__(self, values: dict[str, Any], at_risk: dict[str, dict[str, dict[str, int | None]]]) -> None:
        super().__init__(values)
        self.at_risk = at_risk


def entry_cohorts(con: duckdb.DuckDBPyConnection, unit: str) -> CohortValues | None:
    """Both entry-cohort tables of one unit, as the JSON of CLI.md (`indicators --cohorts`); None when no export."""
    episodes, c = unit_cohorts(con, unit, "episodes")
    placements, _ = unit_cohorts(con, unit, "placements")
    if c is None:
        return None
    return CohortValues({
        "unit": unit, "censored_at": c.isoformat(),
        "episodes": {str(k.year): k.as_json() for k in episodes},
        "placements": {str(k.year): k.as_json() for k in placements},
    }, {"episodes": {str(k.year): dict(k.at_risk) for k in episodes},
        "placements": {str(k.year): dict(k.at_risk) for k in placements}})


OUTCOME_LABELS: dict[str, dict[str, str]] = {
    "episodes": {"goals": "zakończenie z osiągnięciem celów", "other": "zakończenie z innej przyczyny"},
    "placements": {"returned": "powrót dziecka do rodziny", "other": "inne zakończenie pieczy"},
}


def cohort_frame(cohorts: list[Cohort], what: str) -> pl.DataFrame:
    """One row per start year, outcome and horizon: n, the number still at risk, the incidence (None: too recent)."""
    labels = OUTCOME_LABELS[what]
    rows = []
    for k in cohorts:
        for outcome, by_h in k.incidence.items():
            for m in by_h:
                rows.append({"rok_rozpoczecia": k.year, "n": k.n, "zdarzenie": labels[outcome], "miesiace": int(m),
                             "w_ryzyku": k.at_risk.get(m), "skumulowana_czestosc": by_h[m],
                             "obserwowalne": by_h[m] is not None})
    schema = {"rok_rozpoczecia": pl.Int64, "n": pl.Int64, "zdarzenie": pl.String, "miesiace": pl.Int64,
              "w_ryzyku": pl.Int64, "skumulowana_czestosc": pl.Float64, "obserwowalne": pl.Boolean}
    return pl.DataFrame(rows, schema=schema, orient="row")


def unit_cohorts(con: duckdb.DuckDBPyConnection, unit: str, what: str) -> tuple[list[Cohort], date | None]:
    """The cohorts of one unit with the number at risk ('episodes' or 'placements'), and the censoring date."""
    c = censoring_date(con, unit)
    if c is None:
        return [], None
    kinds, horizons = ((EPISODE_OUTCOMES, EPISODE_HORIZONS) if what == "episodes"
                       else (PLACEMENT_OUTCOMES, PLACEMENT_HORIZONS))
    return cohorts_of(members(con, unit, what), c, kinds, horizons), c
