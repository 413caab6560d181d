"""Funnel-plot limits (exact binomial, interpolated) against values worked out by hand."""

from __future__ import annotations

import pytest

from pipeline.indicators.funnel import binomial_limit, limit_curve, limits


def test_binomial_limits_for_ten_at_one_half_by_hand():
    # Binomial(10, 1/2): P(R <= r) = sum C(10, i) / 1024.  P(R <= 1) = 11/1024, P(R <= 2) = 56/1024,
    # P(R <= 7) = 968/1024, P(R <= 8) = 1013/1024, P(R <= 9) = 1023/1024, P(R <= 0) = 1/1024.
    # p = 0.975: r = 8, alpha = (1013/1024 - 0.975) / (45/1024) = 14.6/45, limit = (8 - alpha)/10
    assert binomial_limit(10, 0.5, 0.975) == pytest.approx((8 - 14.6 / 45) / 10, abs=1e-12)
    # p = 0.025: r = 2, alpha = (56 - 25.6)/45, limit = (2 - alpha)/10 = 0.13244...
    assert binomial_limit(10, 0.5, 0.025) == pytest.approx((2 - 30.4 / 45) / 10, abs=1e-12)
    # 99.8 %: p = 0.999: r = 9, alpha = (1023 - 1022.976)/10; p = 0.001: r = 1, alpha = (11 - 1.024)/10
    lim = limits(10, 0.5, "99.8")
    assert lim.upper == pytest.approx((9 - 0.024 / 10) / 10, abs=1e-12)
    assert lim.lower == pytest.approx((1 - 9.976 / 10) / 10, abs=1e-12)


def test_binomial_limits_for_four_at_one_fifth_by_hand():
    # Binomial(4, 0.2): P(0) = 0.4096, P(1) = 0.4096, P(2) = 0.1536, P(3) = 0.0256, P(4) = 0.0016
    # p = 0.975: P(R <= 2) = 0.9728 < 0.975 <= P(R <= 3) = 0.9984 -> r = 3, alpha = (0.9984 - 0.975)/0.0256
    assert binomial_limit(4, 0.2, 0.975) == pytest.approx((3 - 0.0234 / 0.0256) / 4, abs=1e-12)
    # p = 0.025: P(R <= 0) = 0.4096 >= 0.025 -> r = 0, alpha = (0.4096 - 0.025)/0.4096: the limit is below 0 -> 0
    assert binomial_limit(4, 0.2, 0.025) == 0.0


def test_outside_the_limits_and_the_boundary():
    lim = limits(10, 0.5, "95")
    assert not lim.outside(0.5)
    assert lim.outside(0.8) and lim.outside(0.1)     # 0.8 > 0.7676, 0.1 < 0.1324
    assert not lim.outside(lim.upper) and not lim.outside(lim.lower)   # on the limit is inside


def test_limits_narrow_as_the_denominator_grows_and_degenerate_rates():
    wide, narrow = limits(20, 0.3), limits(2000, 0.3)
    assert wide.lower < narrow.lower < 0.3 < narrow.upper < wide.upper
    assert limits(50, 0.0) .upper == 0.0 and limits(50, 1.0).lower == 1.0
    with pytest.raises(ValueError):
        binomial_limit(0, 0.5, 0.975)


def test_limit_curve_covers_one_to_n_max():
    curve = limit_curve(0.4, 1000, points=50)
    assert curve[0]["n"] == 1 and curve[-1]["n"] == 1000 and len(curve) <= 52
    assert all(r["lower_99.8"] <= r["lower_95"] <= 0.4 <= r["upper_95"] <= r["upper_99.8"] for r in curve)
    assert limit_curve(0.4, 0) == []
