"""GLT vulnerability and Cont–Schaanning fire-sale equilibria against METHODS 5 oracles."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from tests.oracles import fire_sale as c

A = np.array([100.0, 60.0, 40.0])
E = np.array([5.0, 4.0, 4.0])
M = np.array([[0.7, 0.3], [0.4, 0.6], [0.1, 0.9]])
F = np.array([-0.02, 0.0])
ELL = 1e-4
RULE = c.ThresholdRule(buffer=0.06, target=0.08, minimum=0.02)
Q = np.array([100.0, 80.0, 60.0])
D = np.array([90.0, 74.0, 52.0])


def test_glt_toy_oracle() -> None:
    r = c.glt_vulnerability(A, E, M, F, ELL)
    tol = 1e-9
    np.testing.assert_allclose(r.returns, [-0.014, -0.008, -0.002], atol=tol)
    np.testing.assert_allclose(r.sales, [-26.6, -6.72, -0.72], atol=tol)
    np.testing.assert_allclose(r.price_change, [-0.002138, -0.001266], atol=tol)
    np.testing.assert_allclose(r.losses, [-0.18764, -0.096888, -0.054128], atol=tol)
    assert r.aggregate_vulnerability == pytest.approx(-0.0260505, abs=1e-7)
    np.testing.assert_allclose(r.systemicness, [-0.0202979, -0.0051899, -0.0005627], atol=1e-7)
    np.testing.assert_allclose(r.indirect_vulnerability, [-0.037528, -0.024222, -0.013532],
                               atol=1e-9)
    assert abs(r.systemicness.sum() - r.aggregate_vulnerability) <= 1e-15


@given(
    arrays(np.float64, 4, elements=st.floats(10, 1000)),
    arrays(np.float64, 4, elements=st.floats(0.02, 0.3)),
    arrays(np.float64, (4, 3), elements=st.floats(0.01, 1)),
    arrays(np.float64, 3, elements=st.floats(-0.1, 0.05)),
)
def test_systemicness_sums_to_aggregate_vulnerability(
    a: np.ndarray, eq_share: np.ndarray, m: np.ndarray, f: np.ndarray
) -> None:
    m = m / m.sum(axis=1, keepdims=True)
    r = c.glt_vulnerability(a, a * eq_share, m, f, 1e-4)
    assert abs(r.systemicness.sum() - r.aggregate_vulnerability) <= 1e-15 + 1e-13 * abs(
        r.aggregate_vulnerability
    )


def test_multi_round_fixed_point_matches_iteration() -> None:
    res = c.glt_spillover(A, E, M, F, ELL)
    assert res.spectral_radius == pytest.approx(0.15680, abs=1e-5)
    assert not res.divergent
    np.testing.assert_allclose(res.total_price_change, [-0.00250323, -0.00154245], atol=5e-9)
    it = c.glt_spillover_iterated(A, E, M, F, ELL, rounds=500)
    np.testing.assert_allclose(it, res.total_price_change, atol=1e-15)


def test_divergent_spillover_is_flagged_and_capped() -> None:
    with pytest.warns(RuntimeWarning, match="spectral radius"):
        res = c.glt_spillover(A * 10, E * 10, M, F, ELL, max_rounds=200)
    assert res.spectral_radius == pytest.approx(1.568, abs=1e-3)
    assert res.divergent
    assert np.all(np.isfinite(res.total_price_change))
    assert np.all(res.total_price_change >= -1.0)


def test_one_asset_multiplier() -> None:
    mult = c.one_asset_multiplier(1e-4, 9.0, 500.0)
    assert mult == pytest.approx(1.8182, abs=1e-4)
    # first-round dP = ell * b * a * R with R = -2%: -0.9%; total -1.63636%
    assert -0.009 * mult == pytest.approx(-0.0163636, abs=1e-7)
    assert c.one_asset_multiplier(1e-3, 9.0, 500.0) == float("inf")


def test_amplification_factor_warns_when_unstable() -> None:
    amp = c.amplification_factor(np.array([500.0]), np.array([9.0]), 1e4)
    assert amp.multiplier == pytest.approx(c.one_asset_multiplier(1e-4, 9.0, 500.0))
    assert not amp.unstable
    with pytest.warns(RuntimeWarning, match="loop gain"):
        amp = c.amplification_factor(np.array([600.0, 600.0]), np.array([9.0, 9.0]), 1e4)
    assert amp.unstable and amp.multiplier == float("inf")


@pytest.mark.parametrize(
    ("depth", "price"),
    [(10_000, 0.9520390), (2_000, 0.8514436), (5_000, 0.9346861), (20_000, 0.9578066),
     (50_000, 0.9591479)],
)
def test_cont_schaanning_oracle_iteration_equals_brentq(depth: float, price: float) -> None:
    it = c.fire_sale_iterate(Q, D, 1.0, 0.04, RULE, depth)
    br = c.fire_sale_brentq(Q, D, 1.0, 0.04, RULE, depth)
    assert it.price == pytest.approx(price, abs=5e-8)  # oracle printed to 7 dp
    assert br.price == pytest.approx(it.price, abs=1e-14)
    assert np.all(np.diff(it.path) <= 0.0)


def test_cont_schaanning_sales_and_cascade_path() -> None:
    it = c.fire_sale_iterate(Q, D, 1.0, 0.04, RULE, 10_000)
    np.testing.assert_allclose(it.sales, [31.674, 51.599, 0.0], atol=1e-3)
    assert it.iterations == pytest.approx(21, abs=1)
    full = c.fire_sale_iterate(Q, D, 1.0, 0.04, RULE, 2_000)
    assert full.sales.sum() == pytest.approx(240.0)
    np.testing.assert_allclose(full.path[:5], [0.96, 0.939326, 0.900635, 0.863571, 0.851444],
                               atol=1e-6)


def test_equilibrium_does_not_depend_on_holder_order() -> None:
    perm = np.array([2, 0, 1])
    a = c.fire_sale_iterate(Q, D, 1.0, 0.04, RULE, 5_000)
    b = c.fire_sale_iterate(Q[perm], D[perm], 1.0, 0.04, RULE, 5_000)
    assert a.price == b.price
    np.testing.assert_array_equal(a.sales[perm], b.sales)


def test_gpu_amplification_from_the_portfolio() -> None:
    import dataclasses

    from tests.analytics.builders import make_portfolio

    from cliffwatch.codes import AssetKind

    pa = make_portfolio([0, 1, 1], [20_000.0, 30_000.0, 999.0], [30, 30, 30],
                        [(0, 0, 1.0)], 1)
    pa = dataclasses.replace(
        pa, gpu_generations=("H100", "B200"),
        a_borrower=np.array([0, 0, 1, 1], np.int32),
        a_kind=np.array([AssetKind.gpu_fleet] * 3 + [AssetKind.data_center], np.int8),
        a_gpu_gen=np.array([0, 1, 0, -1], np.int32),
        a_units=np.array([1000.0, 500.0, 2000.0, 0.0]),
        f_coll_ptr=np.array([0, 2, 3, 4], np.int32), coll_asset=np.array([0, 1, 2, 3], np.int32),
    )
    exp = c.gpu_exposure(pa, np.array([25.0, 10.0]))
    np.testing.assert_allclose(exp.debt, [20_000.0, 30_000.0])  # the DC loan is not on GPUs
    np.testing.assert_allclose(exp.value, [30_000.0, 50_000.0])
    np.testing.assert_allclose(exp.leverage, [2.0, 1.5])
    amp = c.gpu_amplification(pa, np.array([25.0, 10.0]), 10_000.0)
    assert amp["H100"].loop_gain == pytest.approx(0.5) and amp["H100"].multiplier == 2.0
    assert amp["B200"].loop_gain == pytest.approx(0.1)
    with pytest.warns(RuntimeWarning, match="loop gain"):
        crash = c.gpu_amplification(pa, np.array([5.0, 1.0]), 10_000.0)  # equity < 0
    assert crash["H100"].unstable and crash["B200"].unstable
