"""Hull–White / Vasicek SOFR model against METHODS 3 closed forms, QuantLib and Monte Carlo."""

from __future__ import annotations

import numpy as np
import pytest
import QuantLib as ql
from scipy import integrate

from cliffwatch.market.curve import PiecewiseLinearForward, VasicekCurve
from cliffwatch.market.generator import hull_white
from cliffwatch.market.reference import load_reference
from cliffwatch.market.short_rate import (
    HullWhite,
    pathwise_discount,
    vasicek_mean,
    vasicek_zcb,
)

FLAT = PiecewiseLinearForward(np.array([0.0, 50.0]), np.array([0.04, 0.04]))


def test_vasicek_zcb_matches_methods_oracle_to_1e8() -> None:
    p = vasicek_zcb(0.043, 0.15, 0.035, 0.01, np.array([1.0, 5.0, 10.0]))
    np.testing.assert_allclose(p, [0.95847290, 0.81716983, 0.68032096], atol=1e-8)


def test_vasicek_moments_oracle() -> None:
    assert vasicek_mean(0.043, 0.15, 0.035, 5.0) == pytest.approx(0.0387789, abs=1e-7)
    hw = HullWhite(0.15, 0.01, VasicekCurve(0.043, 0.15, 0.035, 0.01))
    assert hw.variance(5.0) == pytest.approx(2.58957e-4, rel=1e-5)


def test_hw_on_vasicek_curve_is_vasicek() -> None:
    hw = HullWhite(0.15, 0.01, VasicekCurve(0.043, 0.15, 0.035, 0.01))
    t = np.linspace(0.0, 30.0, 61)
    np.testing.assert_allclose(hw.alpha(t), vasicek_mean(0.043, 0.15, 0.035, t), atol=1e-14)
    np.testing.assert_allclose(
        hw.zcb(0.0, t, 0.043), vasicek_zcb(0.043, 0.15, 0.035, 0.01, t), rtol=1e-12
    )


def test_hw_zcb_oracle_and_curve_repricing() -> None:
    hw = HullWhite(0.10, 0.012, FLAT)
    assert hw.zcb(5.0, 10.0, 0.04) == pytest.approx(0.815851, abs=1e-6)
    assert hw.alpha(10.0) == pytest.approx(0.042877, abs=1e-6)
    assert hw.variance(10.0) == pytest.approx(6.2256e-4, rel=1e-4)
    curve = hull_white(load_reference()).curve
    model = HullWhite(0.15, 0.01, curve)
    t = np.array([0.5, 1.0, 3.0, 7.0, 25.0])
    np.testing.assert_allclose(model.zcb(0.0, t, curve.forward(0.0)), curve.discount(t), rtol=1e-13)


@pytest.mark.parametrize(("t", "maturity", "r"), [(5.0, 10.0, 0.04), (2.0, 7.0, 0.03)])
def test_hw_zcb_matches_quantlib(t: float, maturity: float, r: float) -> None:
    d = ql.Date(1, 7, 2026)
    ql.Settings.instance().evaluationDate = d
    flat = ql.FlatForward(d, 0.04, ql.Actual365Fixed(), ql.Continuous, ql.NoFrequency)
    qlm = ql.HullWhite(ql.YieldTermStructureHandle(flat), 0.10, 0.012)
    ours = HullWhite(0.10, 0.012, FLAT).zcb(t, maturity, r)
    assert ours == pytest.approx(qlm.discountBond(t, maturity, r), abs=1e-9)


def test_piecewise_integral_is_exact() -> None:
    curve = hull_white(load_reference()).curve
    for t in (0.3, 1.0, 2.7, 9.0, 40.0):
        pts = [k for k in curve.knots if 0 < k < t]
        f = lambda u: float(curve.forward(u))  # noqa: E731
        expected = integrate.quad(f, 0, t, limit=200, points=pts or None)[0]
        assert float(curve.integral(t)) == pytest.approx(expected, abs=1e-12)


def test_hw_mc_moments_and_zcb_within_4se() -> None:
    hw = HullWhite(0.10, 0.012, FLAT)
    n = 20_000
    z = np.random.default_rng(11).standard_normal((121, n))
    r = hw.simulate(z)
    for years in (1, 5, 10):
        x = r[12 * years]
        se_mean = x.std() / np.sqrt(n)
        assert abs(x.mean() - hw.alpha(years)) < 4 * se_mean
        se_var = hw.variance(years) * np.sqrt(2.0 / (n - 1))
        assert abs(x.var(ddof=1) - hw.variance(years)) < 4 * se_var
    d = pathwise_discount(r)
    assert abs(d.mean() - FLAT.discount(10.0)) < 4 * d.std() / np.sqrt(n)


def test_simulator_reprices_reference_curve() -> None:
    hw = hull_white(load_reference())
    n = 20_000
    r = hw.simulate(np.random.default_rng(5).standard_normal((61, n)))
    d = pathwise_discount(r)
    assert abs(d.mean() - hw.curve.discount(5.0)) < 4 * d.std() / np.sqrt(n)
