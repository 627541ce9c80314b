"""Reverse stress solvers against the METHODS 9 GPU-lease facility oracle."""

from __future__ import annotations

import numpy as np
import pytest

from cliffwatch.analytics.reverse_stress import Outcome, solve_indicator, solve_metric

MONTHS = np.arange(1, 61)  # months 1..60: the last test date is t = 5 years
PEAK_REVENUE, OPEX, DEBT_SERVICE = 50.0, 4.0, 8.0  # $m per month


def min_dscr(utilization: float, decline: float = 0.25) -> float:
    revenue = utilization * PEAK_REVENUE * np.exp(-decline * MONTHS / 12.0)
    return float(np.min((revenue - OPEX) / DEBT_SERVICE))


U_STAR = 12.0 / (50.0 * np.exp(-1.25))
D_STAR = -np.log(12.0 / (0.95 * 50.0)) / 5.0


def test_closed_forms_match_methods() -> None:
    assert U_STAR == pytest.approx(0.8376823, abs=5e-8)
    assert D_STAR == pytest.approx(0.2751646, abs=5e-8)


def test_brentq_utilization_threshold() -> None:
    res = solve_metric(min_dscr, 0.1, 1.0, threshold=1.0)
    assert res.found and res.method == "brentq"
    assert res.threshold == pytest.approx(U_STAR, abs=1e-12)


def test_brentq_rent_decline_threshold() -> None:
    res = solve_metric(lambda d: min_dscr(0.95, d), 0.0, 1.0, threshold=1.0)
    assert res.threshold == pytest.approx(D_STAR, abs=1e-12)


def test_bisection_on_the_default_indicator_both_orientations() -> None:
    res = solve_indicator(lambda u: min_dscr(u) < 1.0, 0.1, 1.0, tol=1e-9)
    assert res.lo <= U_STAR <= res.hi and res.hi - res.lo <= 1e-9
    assert min_dscr(res.lo) < 1.0  # the defaulting side is kept
    res = solve_indicator(lambda d: min_dscr(0.95, d) < 1.0, 0.0, 1.0, tol=1e-9)
    assert res.threshold == pytest.approx(D_STAR, abs=1e-9)


def test_never_and_always_default_give_nan_and_a_flag() -> None:
    res = solve_metric(min_dscr, 0.9, 1.0)
    assert np.isnan(res.threshold) and res.outcome is Outcome.never_in_range
    res = solve_indicator(lambda u: min_dscr(u) < 1.0, 0.1, 0.5)
    assert np.isnan(res.threshold) and res.outcome is Outcome.always_in_range
    assert not res.found
