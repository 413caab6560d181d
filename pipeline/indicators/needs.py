"""The needs for the year planned (art. 179 report): families, assistants at the caseload limit, cost.

Everything is projected from the records as known on C = 31.12.(Y-1): an episode that ends after C
is taken as ongoing, one that starts after C does not exist.

- Families supported in Y (the `families_supported` indicator) are exactly the families in an
  episode still going on after C (all of them are supported in Y) plus the families that start an
  episode in Y without being in one on 1 January ("new families").  So the stock is known and the
  new families are projected: their monthly rate is the mean of the last `RATE_YEARS` years, or a
  log-linear Poisson trend when a likelihood-ratio test says the trend is real (p < `TREND_P`).
- Families active on a day of Y: each family of the stock survives by the Kaplan–Meier curve of
  the durations (censored at C) given the time already spent in its episode, S(a+k-1)/S(a); a new
  family starting on day s is still active on day t with probability S(t-s).
- Intervals (95%): a simulation with a fixed seed (`SEED`, `REPLICATES` replicates): each replicate
  draws the durations' curve again (bootstrap of the episodes, Kaplan–Meier refitted), the monthly
  rate again (Poisson counts of the years it was estimated from), the new families of each month
  (Poisson, a uniform day in the month) and every family's end.  The peak is the largest number of
  families active on one day of Y, per replicate.
- FTE needed = ceil(peak / caseload limit); FTE employed on C from the assistants' wymiar_etatu.
- Cost = FTE needed x the cost per FTE of Y-1 (money of Y-1 from the funding file / mean FTE of
  Y-1, as the programme evaluation computes it); the programme's share of Y-1 is assumed for Y.
- The backtest projects each earlier year with enough history the same way (without the
  bootstrap) and sets it beside what happened.

The texts a person reads (status reasons, assumptions) are Polish; the output modules format them.
"""

from __future__ import annotations

import calendar
import math
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import duckdb
import numpy as np
import polars as pl

from pipeline.indicators import evaluation, measures, registry
from pipeline.sql import query
from pipeline.warehouse import coverage

MIN_HISTORY_YEARS = 3   # complete years of records before Y that a projection needs
RATE_YEARS = 3          # the years the monthly rate of new families is estimated from
TREND_P = 0.05          # the likelihood-ratio test's level for using a trend in the rate
SEED = 179              # the simulation's fixed seed (art. 179)
REPLICATES = 1000       # simulated years for the intervals
BACKTEST_REPLICATES = 200  # simulated years for a backtest year's peak (no bootstrap)
LEVEL = 0.95            # the intervals' level

# The programme "Asystent rodziny": the largest bonus a month per assistant at a full FTE, by edition
# (FIELD_NOTES.md; 2023 and earlier set a yearly sum, not a monthly one).
MONTHLY_BONUS = {2024: 200.0, 2025: 200.0}
HOURS_NOTE = ("warunek programu (co najmniej 120 godzin pracy w miesiącu przy pełnym etacie) nie wynika z eksportu: "
              "kwota jest górną granicą")

OK, SHORT_HISTORY, NO_EPISODES = "ok", "za_krotka_historia", "brak_asystentur"


# ---------------------------------------------------------------- survival and arrivals (pure functions)

@dataclass(frozen=True)
class Curve:
    """A Kaplan–Meier step curve: S(t) = share of episodes lasting more than t days (S = 1 before the first time)."""

    times: np.ndarray   # increasing event times (days)
    surv: np.ndarray    # S at and after each time

    def at(self, t: np.ndarray | float) -> np.ndarray:
        """S(t) for t >= 0 (beyond the longest observed time S stays at its last value)."""
        i = np.searchsorted(self.times, np.asarray(t, dtype=float), side="right") - 1
        return np.where(i < 0, 1.0, self.surv[np.clip(i, 0, None)]) if len(self.times) else np.ones_like(np.asarray(t, float))

    def draw(self, u: np.ndarray) -> np.ndarray:
        """Durations D with P(D > t) = S(t), from uniforms u: the first time with S <= u (inf when none)."""
        if not len(self.times):
            return np.full(len(u), np.inf)
        # surv is non-increasing: the first index with surv <= u
        idx = np.searchsorted(-self.surv, -np.asarray(u), side="left")
        out = np.full(len(u), np.inf)
        found = idx < len(self.times)
        out[found] = self.times[idx[found]]
        return out


def curve_from_frame(frame: pl.DataFrame) -> Curve:
    """A curve given as a frame of days and still_ongoing (`measures.kaplan_meier_curve`) as a step function."""
    if frame.height == 0:
        return Curve(np.array([]), np.array([]))
    return Curve(frame["days"].to_numpy().astype(float), frame["still_ongoing"].to_numpy().astype(float))


def curve_of(durations: pl.DataFrame) -> Curve:
    """The Kaplan–Meier curve of durations (columns days, ended): `km_arrays`, the same curve as
    `measures.kaplan_meier_curve` (a test holds them equal) without importing lifelines (seconds) for every report."""
    if durations.height == 0:
        return Curve(np.array([]), np.array([]))
    return km_arrays(durations["days"].to_numpy(), durations["ended"].to_numpy())


def km_arrays(days: np.ndarray, ended: np.ndarray) -> Curve:
    """Kaplan–Meier in numpy, S(t) = S(t-) (1 - d(t)/n(t)) (the bootstrap refits it a thousand times)."""
    order = np.argsort(days, kind="stable")
    days, ended = days[order].astype(float), ended[order].astype(bool)
    times, first = np.unique(days, return_index=True)
    at_risk = len(days) - first
    events = np.add.reduceat(ended.astype(float), first) if len(days) else np.array([])
    surv = np.cumprod(1.0 - events / at_risk)
    return Curve(times, surv)


def stock_survival(ages: np.ndarray, curve: Curve, offsets: np.ndarray) -> np.ndarray:
    """Expected survivors of a stock on days C+k (k in offsets, k >= 1) given the ages a (days in the episode on C,
    start day counted): the sum over families of S(a+k-1) / S(a)."""
    ages = np.asarray(ages, dtype=float)
    if not len(ages):
        return np.zeros(len(offsets))
    ages, counts = np.unique(ages, return_counts=True)   # a national stock has many families of the same age
    base = curve.at(ages)
    later = curve.at(ages[None, :] + np.asarray(offsets, float)[:, None] - 1)
    ratio = np.divide(later, base[None, :], out=np.zeros_like(later), where=base[None, :] > 0)
    return ratio @ counts.astype(float)


def arrivals_active(daily_rate: np.ndarray, curve: Curve) -> np.ndarray:
    """Expected new families active on each day t of Y when daily_rate[s] start on day s: sum_s<=t rate[s] S(t-s)."""
    n = len(daily_rate)
    s = curve.at(np.arange(n))
    return np.array([float(np.dot(daily_rate[: t + 1], s[t::-1])) for t in range(n)])


def fte_needed(peak: float, limit: int) -> int:
    """The FTE so that `peak` families at once stay within `limit` families per FTE: ceil(peak / limit), the peak
    first rounded to whole families (half up)."""
    if limit < 1:
        raise ValueError("the caseload limit must be at least 1")
    return math.ceil(math.floor(peak + 0.5) / limit)


# ---------------------------------------------------------------- the monthly rate of new families

@dataclass(frozen=True)
class Rate:
    """The monthly rate of new families for the 12 months of Y, and how it was chosen."""

    months: np.ndarray          # expected new families in each month of Y
    mean_monthly: float         # the mean over the estimation months
    trend_used: bool
    p_value: float | None       # the likelihood-ratio test of a trend
    yearly_change: float | None  # the trend's relative change a year (exp(12 b) - 1)
    counts: np.ndarray          # the monthly counts it was estimated from
    beta: np.ndarray | None     # (a, b) of log rate = a + b * month index, when a trend is used
    cov: np.ndarray | None


def _poisson_fit(y: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Poisson regression log mu = a + b x by Newton's method: coefficients, covariance, log-likelihood."""
    X = np.column_stack([np.ones_like(x), x])
    beta = np.array([math.log(max(y.mean(), 1e-9)), 0.0])
    for _ in range(50):
        mu = np.exp(X @ beta)
        info = X.T @ (X * mu[:, None])
        step = np.linalg.solve(info, X.T @ (y - mu))
        beta = beta + step
        if np.max(np.abs(step)) < 1e-10:
            break
    mu = np.exp(X @ beta)
    return beta, np.linalg.inv(X.T @ (X * mu[:, None])), float(np.sum(y * np.log(np.where(y > 0, mu, 1)) - mu))


def monthly_rate(counts: np.ndarray, p_level: float = TREND_P) -> Rate:
    """The rate of new families for the next 12 months from consecutive monthly counts (oldest first)."""
    from scipy.stats import chi2

    counts = np.asarray(counts, dtype=float)
    mean = float(counts.mean()) if len(counts) else 0.0
    flat = Rate(np.full(12, mean), mean, False, None, None, counts, None, None)
    if len(counts) < 24 or counts.sum() == 0 or np.count_nonzero(counts) < 2:
        return flat
    x = np.arange(len(counts), dtype=float)
    beta, cov, ll = _poisson_fit(counts, x)
    ll0 = float(np.sum(counts * np.log(np.where(counts > 0, mean, 1)) - mean))
    p = float(chi2.sf(max(0.0, 2 * (ll - ll0)), 1))
    change = float(math.exp(12 * beta[1]) - 1)
    if p >= p_level:
        return Rate(flat.months, mean, False, p, change, counts, None, None)
    future = np.exp(beta[0] + beta[1] * (len(counts) + np.arange(12)))
    return Rate(future, mean, True, p, change, counts, beta, cov)


def _draw_rate(rate: Rate, rng: np.random.Generator) -> np.ndarray:
    """One replicate of the 12 monthly rates: the estimate's own uncertainty."""
    if rate.trend_used and rate.beta is not None and rate.cov is not None:
        a, b = rng.multivariate_normal(rate.beta, rate.cov)
        return np.exp(a + b * (len(rate.counts) + np.arange(12)))
    n = len(rate.counts)
    return np.full(12, rng.poisson(rate.counts.sum()) / n if n else 0.0)


def daily_rates(months: np.ndarray, year: int) -> np.ndarray:
    """Spread each month's expected new families evenly over its days."""
    return np.concatenate([np.full(calendar.monthrange(year, m)[1], months[m - 1] / calendar.monthrange(year, m)[1])
                           for m in range(1, 13)])


# ---------------------------------------------------------------- the projection of one year

@dataclass(frozen=True)
class History:
    """What the records as known on C say: the durations, the stock's ages, the monthly new families."""

    cutoff: date
    durations: pl.DataFrame      # days, ended (censored at C)
    ages: np.ndarray             # the stock's days in their episodes on C
    monthly_new: np.ndarray      # new families a month over the RATE_YEARS years before Y (oldest first)


def year_days(year: int) -> list[date]:
    first = date(year, 1, 1)
    return [first + timedelta(days=i) for i in range((date(year, 12, 31) - first).days + 1)]


def month_starts(year: int) -> list[int]:
    """The day-of-year index (0 = 1 January) of each month's first day."""
    return [(date(year, m, 1) - date(year, 1, 1)).days for m in range(1, 13)]


def _quantiles(values: np.ndarray) -> tuple[float, float]:
    """The interval's ends among the simulated counts (whole numbers: the lower end rounded down, the upper up)."""
    tail = (1 - LEVEL) / 2
    return float(np.quantile(values, tail, method="lower")), float(np.quantile(values, 1 - tail, method="higher"))


def simulate(history: History, rate: Rate, year: int, replicates: int, bootstrap: bool,
             seed: int = SEED) -> dict[str, np.ndarray]:
    """Simulated years: families supported, active on each month's first day, the peak (one value per replicate)."""
    rng = np.random.default_rng(seed)
    n_days = len(year_days(year))
    firsts = month_starts(year)
    month_first = np.array([*firsts, n_days])
    days_np = history.durations["days"].to_numpy().astype(float)
    ended_np = history.durations["ended"].to_numpy().astype(bool)
    point_curve = km_arrays(days_np, ended_np)
    supported, peak, at_firsts = np.zeros(replicates), np.zeros(replicates), np.zeros((replicates, 12))
    ages = history.ages.astype(float)
    for r in range(replicates):
        if bootstrap and len(days_np):
            pick = rng.integers(0, len(days_np), len(days_np))
            curve = km_arrays(days_np[pick], ended_np[pick])
            months = _draw_rate(rate, rng)
        else:
            curve, months = point_curve, rate.months
        counts = rng.poisson(months)
        starts = np.concatenate([rng.integers(month_first[m], month_first[m + 1], counts[m]) for m in range(12)])
        # the stock: D given D > a, by u uniform on (0, S(a)); it is active through day index D - a - 1 of Y
        base = curve.at(ages)
        d_stock = curve.draw(rng.uniform(0, 1, len(ages)) * base)
        last_stock = np.where(base > 0, d_stock - ages - 1, 0)  # ongoing after C: active on 1 January at least
        d_new = curve.draw(rng.uniform(0, 1, len(starts)))
        last_new = starts + d_new - 1
        delta = np.zeros(n_days + 1)
        np.add.at(delta, 0, len(ages))
        np.add.at(delta, np.clip(last_stock + 1, 0, n_days).astype(int), -1)
        np.add.at(delta, starts, 1)
        np.add.at(delta, np.clip(last_new + 1, 0, n_days).astype(int), -1)
        active = np.cumsum(delta)[:n_days]
        supported[r] = len(ages) + len(starts)
        peak[r] = active.max() if n_days else 0
        at_firsts[r] = active[firsts]
    return {"supported": supported, "peak": peak, "at_firsts": at_firsts}


def project(history: History, year: int, replicates: int = REPLICATES, bootstrap: bool = True) -> dict[str, Any]:
    """The projection of year Y from a History: expected values (analytic) and the simulation's intervals."""
    curve = curve_of(history.durations)
    rate = monthly_rate(history.monthly_new)
    n_days = len(year_days(year))
    stock = len(history.ages)
    expected = stock_survival(history.ages, curve, np.arange(1, n_days + 1)) + arrivals_active(daily_rates(rate.months, year), curve)
    sim = simulate(history, rate, year, replicates, bootstrap)
    low_s, high_s = _quantiles(sim["supported"])
    low_p, high_p = _quantiles(sim["peak"])
    firsts = month_starts(year)
    monthly = []
    for m, i in enumerate(firsts):
        lo, hi = _quantiles(sim["at_firsts"][:, m])
        monthly.append({"month": date(year, m + 1, 1).isoformat(), "expected": float(expected[i]), "low": lo, "high": hi})
    return {
        "stock": stock,
        "new_families": {"expected": float(rate.months.sum()), "monthly_rate": float(rate.months.mean()),
                         "mean_monthly_observed": rate.mean_monthly, "months_observed": len(rate.counts),
                         "observed_total": int(rate.counts.sum()), "trend_used": rate.trend_used,
                         "trend_p_value": rate.p_value, "trend_yearly_change": rate.yearly_change},
        "families_supported": {"expected": stock + float(rate.months.sum()), "low": low_s, "high": high_s},
        "active_on_first_day": monthly,
        "peak_active": {"expected": float(sim["peak"].mean()), "low": low_p, "high": high_p,
                        "expected_curve_max": float(expected.max()) if n_days else 0.0},
        "median_duration_days": _median(curve),
    }


def _median(curve: Curve) -> float | None:
    below = np.nonzero(curve.surv <= 0.5 + 1e-9)[0]
    return float(curve.times[below[0]]) if len(below) else None


# ---------------------------------------------------------------- reading the records

# Only the episodes begun on a covered day: of those begun before the unit's first export, the exports hold only the
# ones still going on then (the long ones), which would lengthen every duration.
_DURATIONS_SQL = """
SELECT least(coalesce(data_zakonczenia, $c), $c) - data_rozpoczecia + 1 AS days,
       coalesce(data_zakonczenia <= $c, false) AS ended
FROM stg_episodes($unit) WHERE data_rozpoczecia <= $c AND data_rozpoczecia >= $since
ORDER BY days, ended
"""

_STOCK_SQL = """
SELECT id_rodziny, $c - min(data_rozpoczecia) + 1 AS age
FROM stg_episodes($unit)
WHERE data_rozpoczecia <= $c AND (data_zakonczenia IS NULL OR data_zakonczenia > $c)
GROUP BY jednostka, id_rodziny
ORDER BY age, jednostka, id_rodziny
"""

# New families of a year X: a family with an episode starting in X that was in no episode on 1 January of X; the
# month of its first start in X.  families_supported(X) = active on 1 January + these (both as known on C).
_NEW_SQL = """
WITH e AS (
    SELECT jednostka, id_rodziny, data_rozpoczecia AS s,
           CASE WHEN data_zakonczenia <= $c THEN data_zakonczenia END AS f
    FROM stg_episodes($unit) WHERE data_rozpoczecia <= $c
), starts AS (
    SELECT jednostka, id_rodziny, year(s) AS y, min(s) AS first_start
    FROM e WHERE year(s) BETWEEN $y0 AND $y1 GROUP BY ALL
)
SELECT y, month(first_start) AS m, count(*) AS n
FROM starts AS st
WHERE NOT EXISTS (SELECT 1 FROM e WHERE e.jednostka = st.jednostka AND e.id_rodziny = st.id_rodziny
                  AND e.s < make_date(st.y, 1, 1) AND (e.f IS NULL OR e.f >= make_date(st.y, 1, 1)))
GROUP BY ALL
"""


def history(con: duckdb.DuckDBPyConnection, cutoff: date, unit: str | None, rate_years: int = RATE_YEARS) -> History:
    """The records as known on `cutoff` (31 December): durations, the stock's ages, the monthly new families."""
    registry.install_staging(con)
    spans = [a for u in coverage.read(con).of(unit) for a, _ in u.spans]
    since = min(spans) if spans else cutoff
    durations = query(con, _DURATIONS_SQL, {"c": cutoff, "unit": unit, "since": since})
    ages = query(con, _STOCK_SQL, {"c": cutoff, "unit": unit})["age"].to_numpy()
    y1 = cutoff.year
    y0 = y1 - rate_years + 1
    new = query(con, _NEW_SQL, {"c": cutoff, "unit": unit, "y0": y0, "y1": y1})
    counts = np.zeros(12 * rate_years)
    for y, m, n in new.iter_rows():
        counts[(y - y0) * 12 + m - 1] = n
    return History(cutoff, durations, np.asarray(ages, dtype=float), counts)


def actual_peak(con: duckdb.DuckDBPyConnection, year: int, unit: str | None) -> int:
    """The largest number of families active on one day of the year (as the warehouse holds it now)."""
    registry.install_staging(con)
    sql = """WITH days AS (SELECT CAST(d AS DATE) AS day FROM range(CAST($d0 AS TIMESTAMP),
                 CAST($d1 AS TIMESTAMP) + INTERVAL 1 DAY, INTERVAL 1 DAY) AS t(d))
             SELECT coalesce(max(n), 0) FROM (SELECT day, count(DISTINCT (jednostka, id_rodziny)) AS n
             FROM days JOIN stg_episodes($unit) ON active_between(data_rozpoczecia, data_zakonczenia, day, day)
             GROUP BY day)"""
    return int(con.execute(sql, {"d0": date(year, 1, 1), "d1": date(year, 12, 31), "unit": unit}).fetchone()[0])


def families_supported(con: duckdb.DuckDBPyConnection, year: int, unit: str | None) -> int:
    """The `families_supported` indicator of a year (the registry's own definition)."""
    sql = f"SELECT count(*) FROM ({registry.members_sql('families_supported')})"
    return int(registry.run_sql(con, sql, year, unit)[0, 0])


def employed(con: duckdb.DuckDBPyConnection, day: date, unit: str | None) -> tuple[int, float]:
    """Assistants employed on a day (any form of employment) and their summed wymiar_etatu."""
    registry.install_staging(con)
    row = con.execute("""SELECT count(*), coalesce(sum(wymiar_etatu), 0) FROM stg_assistants($u)
                         WHERE active_between(data_zatrudnienia, data_zakonczenia_zatrudnienia, $d, $d)""",
                      {"u": unit, "d": day}).fetchone()
    return int(row[0]), float(row[1])


def monthly_fte(con: duckdb.DuckDBPyConnection, year: int, unit: str | None) -> list[dict[str, Any]]:
    """Each month of a year: assistants employed on a day of it, their FTE (wymiar_etatu x the month's share of days
    employed) and the largest bonus of the programme's edition (None when the edition sets no monthly sum)."""
    registry.install_staging(con)
    rows = []
    bonus = MONTHLY_BONUS.get(year)
    for m in range(1, 13):
        d0, d1 = date(year, m, 1), date(year, m, calendar.monthrange(year, m)[1])
        n, fte = con.execute("""
            SELECT count(*), coalesce(sum(wymiar_etatu * (clip_to(data_zakonczenia_zatrudnienia, $d1)
                   - clip_from(data_zatrudnienia, $d0) + 1) / ($d1 - $d0 + 1)), 0)
            FROM stg_assistants($u) WHERE active_between(data_zatrudnienia, data_zakonczenia_zatrudnienia, $d0, $d1)""",
                             {"u": unit, "d0": d0, "d1": d1}).fetchone()
        rows.append({"month": d0.isoformat(), "assistants": int(n), "fte": float(fte),
                     "max_bonus": None if bonus is None else bonus * float(fte)})
    return rows


def covered_history(con: duckdb.DuckDBPyConnection, unit: str | None) -> tuple[int | None, int | None]:
    """The first year the unit's loaded exports cover and its last complete year (the coverage module's answer)."""
    covered = coverage.read(con)
    years = covered.years(unit)
    return (years[0] if years else None), covered.last_complete_year(unit)


# ---------------------------------------------------------------- cost, coverage, backtest

def cost(con: duckdb.DuckDBPyConnection, year: int, unit: str | None, fte_need: int, fte_employed: float) -> dict[str, Any]:
    """FTE needed x the cost per FTE of year-1 (money from the funding file / mean FTE), the programme's share."""
    prev = year - 1
    money = evaluation.money_by_source(con, prev, unit).filter(pl.col("year") == prev)
    if money.height == 0:
        return {"year_of_costs": prev, "cost_per_fte": None, "cost_needed": None, "cost_gap": None,
                "programme_share": None, "programme_part": None,
                "reason": f"brak danych o wydatkach na asystentów rodziny za rok {prev} (plik finansowania): koszt nie jest liczony"}
    by_source = dict(zip(money["source"].to_list(), money["amount"].to_list(), strict=True))
    total = float(sum(by_source.values()))
    fte = measures.mean_fte(con, prev, unit)
    per_fte = evaluation.ratio(total, fte)
    share = evaluation.ratio(float(by_source.get(evaluation.PROGRAMME, 0.0)), total)
    if per_fte is None:
        return {"year_of_costs": prev, "cost_per_fte": None, "cost_needed": None, "cost_gap": None,
                "programme_share": share, "programme_part": None,
                "reason": f"w roku {prev} nikt nie był zatrudniony (średni etat 0): kosztu etatu nie da się policzyć"}
    needed = fte_need * per_fte
    return {"year_of_costs": prev, "money": total, "mean_fte": fte, "cost_per_fte": per_fte, "cost_needed": needed,
            "cost_gap": max(0.0, fte_need - fte_employed) * per_fte, "programme_share": share,
            "programme_part": None if share is None else needed * share, "reason": None}


def coverage_of_need(supported: int, need_families: int | None) -> dict[str, Any] | None:
    """The share of the families helped for "bezradność w sprawach opiekuńczo-wychowawczych" that assistants
    supported, and the gap (None without the number)."""
    if need_families is None:
        return None
    return {"need_families": need_families, "supported": supported,
            "share": evaluation.ratio(supported, need_families), "gap": max(0, need_families - supported)}


def backtest(con: duckdb.DuckDBPyConnection, year: int, unit: str | None, first_year: int) -> dict[str, Any]:
    """Each earlier year X with MIN_HISTORY_YEARS years before it: the projection from data up to X-1 beside what
    happened (families supported, peak active), and the mean absolute errors."""
    rows = []
    for x in range(first_year + MIN_HISTORY_YEARS, year):
        h = history(con, date(x - 1, 12, 31), unit)
        if h.durations.height == 0:
            continue
        p = project(h, x, BACKTEST_REPLICATES, bootstrap=False)
        rows.append({"year": x, "projected_families": p["families_supported"]["expected"],
                     "actual_families": families_supported(con, x, unit),
                     "projected_peak": p["peak_active"]["expected"], "actual_peak": actual_peak(con, x, unit)})
    return {"years": rows, **_errors(rows, "families"), **_errors(rows, "peak")}


def _errors(rows: list[dict], what: str) -> dict[str, float | None]:
    errs = [abs(r[f"projected_{what}"] - r[f"actual_{what}"]) for r in rows]
    pct = [abs(r[f"projected_{what}"] - r[f"actual_{what}"]) / r[f"actual_{what}"] for r in rows if r[f"actual_{what}"]]
    return {f"mae_{what}": float(np.mean(errs)) if errs else None, f"mape_{what}": float(np.mean(pct)) if pct else None}


# ---------------------------------------------------------------- everything for the command and the report

def assumptions(limit: int, trend_used: bool, year: int) -> list[str]:
    """The assumptions the figures rest on, in Polish (each output shows them beside the figures)."""
    prev = year - 1
    rate = ("z trendem log-liniowym (test ilorazu wiarygodności, p < 0,05)" if trend_used
            else f"średnia miesięczna z lat {prev - RATE_YEARS + 1}–{prev} (trend nieistotny w teście ilorazu "
                 "wiarygodności przy p < 0,05 albo za mało danych)")
    return [
        f"dane według stanu na 31.12.{prev}: asystentury zakończone później traktujemy jako trwające",
        "rodziny objęte wsparciem w roku = rodziny w trakcie asystentury po 31 grudnia + nowe rodziny w roku",
        f"nowe rodziny w miesiącu: {rate}; bez sezonowości",
        "czas trwania asystentur: krzywa Kaplana–Meiera wszystkich asystentur do 31.12."
        f"{prev}; rodzina w trakcie asystentury kończy ją według tej krzywej z uwzględnieniem czasu, który już trwa",
        "asystentura dłuższa niż najdłuższa zaobserwowana trwa do końca roku",
        f"przedziały 95%: symulacja {REPLICATES} lat (ziarno {SEED}): losowanie asystentur do krzywej (bootstrap), "
        "liczby nowych rodzin (Poisson) i końców asystentur",
        f"etaty potrzebne = szczyt rodzin jednocześnie ÷ limit {limit} rodzin na asystenta, w górę do pełnego etatu",
    ]


def needs(con: duckdb.DuckDBPyConnection, year: int, unit: str | None = None, limit: int = 15,
          need_families: int | None = None, with_backtest: bool = True) -> dict[str, Any]:
    """The needs for year Y from the records up to 31.12.(Y-1); a status and a Polish reason where it cannot be said."""
    if limit < 1:
        raise ValueError("the caseload limit must be at least 1")
    prev = year - 1
    cutoff = date(prev, 12, 31)
    first, last = covered_history(con, unit)
    n_assistants, fte_now = employed(con, cutoff, unit)
    out: dict[str, Any] = {
        "year": year, "unit": unit, "data_until": cutoff.isoformat(), "caseload_limit": limit,
        "history_years": [] if first is None else list(range(first, min(prev, last or prev) + 1)),
        "status": OK, "reason": None,
        "employed": {"date": cutoff.isoformat(), "assistants": n_assistants, "fte": fte_now},
        "monthly_fte": {"previous_year": prev, "previous": monthly_fte(con, prev, unit),
                        "bonus_per_month_full_fte": MONTHLY_BONUS.get(prev), "note": HOURS_NOTE},
    }
    h = history(con, cutoff, unit)
    years_before = len(out["history_years"])
    if h.durations.height == 0:
        whose = f"jednostka {unit} nie ma" if unit else "magazyn nie ma"
        return out | {"status": NO_EPISODES, "reason": f"{whose} żadnej asystentury do 31.12.{prev}: nie ma z czego prognozować"}
    if years_before < MIN_HISTORY_YEARS:
        span = f"{first}–{prev}" if years_before > 1 else str(prev)
        return out | {"status": SHORT_HISTORY,
                      "reason": f"eksporty obejmują {years_before} pełne lata przed rokiem {year} ({span}); prognoza "
                                f"wymaga co najmniej {MIN_HISTORY_YEARS} lat (czasy trwania i napływ nowych rodzin)"
                      if years_before > 1 else
                      f"eksporty obejmują {'jeden pełny rok' if years_before == 1 else 'mniej niż rok'} przed rokiem "
                      f"{year}; prognoza wymaga co najmniej {MIN_HISTORY_YEARS} lat (czasy trwania i napływ nowych rodzin)"}
    p = project(h, year)
    need = fte_needed(p["peak_active"]["expected"], limit)
    need_high = fte_needed(p["peak_active"]["high"], limit)
    bonus = MONTHLY_BONUS.get(year, MONTHLY_BONUS[max(MONTHLY_BONUS)])
    projected = [{"month": m["month"], "expected_active": m["expected"], "low": m["low"], "high": m["high"],
                  "fte_needed": fte_needed(m["expected"], limit), "fte_employed": fte_now,
                  "max_bonus_employed": bonus * fte_now} for m in p["active_on_first_day"]]
    out |= {"projection": p,
            "fte": {"needed": need, "needed_at_high": need_high, "employed": fte_now, "gap": need - fte_now},
            "cost": cost(con, year, unit, need, fte_now),
            "coverage_of_need": coverage_of_need(families_supported(con, prev, unit), need_families),
            "assumptions": assumptions(limit, p["new_families"]["trend_used"], year)}
    out["monthly_fte"] |= {"projected": projected, "bonus_per_month_full_fte_projected": bonus,
                           "projected_note": f"rok {year}: etaty zatrudnione jak 31.12.{prev}; premia według zasad "
                                             f"edycji {year if year in MONTHLY_BONUS else max(MONTHLY_BONUS)}"
                                             + ("" if year in MONTHLY_BONUS else " (założenie: zasady bez zmian)")}
    if with_backtest:
        out["backtest"] = backtest(con, year, unit, first)
    return out
