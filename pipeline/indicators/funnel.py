"""Funnel-plot control limits for a proportion (Spiegelhalter, Statistics in Medicine 2005, appendix A.1.1).

Around a target rate `theta` (the peer group's pooled rate), the limit for a denominator `n` at
probability `p` is exact binomial, interpolated so that the limits are smooth in `n`: with `r` the
smallest count such that P(R <= r) >= p for R ~ Binomial(n, theta) (scipy's `binom.ppf`),

    alpha = (P(R <= r) - p) / (P(R <= r) - P(R <= r - 1)),   limit = (r - alpha) / n.

The 95 % limits use p = 0.025 and 0.975, the 99.8 % limits p = 0.001 and 0.999.  A unit lies
outside the limits when its rate is below the lower or above the upper limit for its denominator.
"""

from __future__ import annotations

from dataclasses import dataclass

LEVELS: dict[str, float] = {"95": 0.95, "99.8": 0.998}


def binomial_limit(n: int, theta: float, p: float) -> float:
    """The interpolated exact binomial limit of a rate for denominator n at probability p."""
    from scipy.stats import binom

    if n <= 0:
        raise ValueError("mianownik musi być dodatni")
    if not 0.0 <= theta <= 1.0 or not 0.0 < p < 1.0:
        raise ValueError("stopa docelowa musi leżeć w 0..1, a prawdopodobieństwo w (0, 1)")
    if theta in (0.0, 1.0):
        return theta  # a degenerate group rate: every count is certain
    r = float(binom.ppf(p, n, theta))
    at_r, below_r = float(binom.cdf(r, n, theta)), float(binom.cdf(r - 1, n, theta))
    alpha = (at_r - p) / (at_r - below_r)
    return min(max((r - alpha) / n, 0.0), 1.0)


@dataclass(frozen=True)
class Limits:
    """The lower and upper limits at one level for one denominator."""

    lower: float
    upper: float

    def outside(self, rate: float) -> bool:
        return rate < self.lower or rate > self.upper


def limits(n: int, theta: float, level: str = "95") -> Limits:
    """The two-sided limits at a level of LEVELS ("95" or "99.8")."""
    tail = (1.0 - LEVELS[level]) / 2
    return Limits(binomial_limit(n, theta, tail), binomial_limit(n, theta, 1.0 - tail))


def limit_curve(theta: float, n_max: int, points: int = 200) -> list[dict[str, float]]:
    """The limits at both levels for denominators 1 .. n_max (at most `points` of them), for drawing a funnel."""
    if n_max < 1:
        return []
    step = max(1, n_max // points)
    ns = sorted({*range(1, n_max + 1, step), n_max})
    rows = []
    for n in ns:
        row: dict[str, float] = {"n": float(n)}
        for level in LEVELS:
            lim = limits(n, theta, level)
            row[f"lower_{level}"], row[f"upper_{level}"] = lim.lower, lim.upper
        rows.append(row)
    return rows
