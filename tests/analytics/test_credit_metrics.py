"""Credit metrics from engine summaries: hand cases, one-factor oracles and Euler additivity."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cliffwatch.analytics import credit_metrics as cm
from cliffwatch.analytics.risk_measures import expected_shortfall
from cliffwatch.tape.arrays import NO_MONTH

from .builders import make_portfolio, one_factor_summary

HOLDINGS = [(0, 0, 0.5), (0, 1, 0.5), (1, 0, 1.0), (2, 1, 0.7), (3, 0, 0.2), (3, 1, 0.3)]


def portfolio():
    return make_portfolio([0, 0, 1, 2], [100.0, 50.0, 80.0, 60.0], [18, 40, 70, 12], HOLDINGS, 2)


def test_pd_by_horizon_hand_case() -> None:
    dm = np.array([[5, NO_MONTH], [12, 30], [40, NO_MONTH], [NO_MONTH, 0]])
    pd = cm.pd_by_horizon(dm, (12, 24, 36, 60), max_month=48)
    np.testing.assert_allclose(pd, [[0.25, 0.5, 0.5, 0.75], [0.25, 0.25, 0.5, 0.5]])


def test_facility_metrics_recover_the_one_factor_inputs() -> None:
    pa = portfolio()
    s = one_factor_summary(pa, 20_000, pd=0.05, rho=0.2, lgd=0.6, horizon=60, seed=3)
    fm = cm.facility_metrics(s, pa)
    np.testing.assert_allclose(fm.lgd, 0.6, rtol=1e-12)
    np.testing.assert_allclose(fm.ead, pa.f_commitment, rtol=1e-12)
    assert np.all(np.abs(fm.pd[:, -1] - 0.05) < 4 * fm.pd_se)
    np.testing.assert_allclose(fm.el, s.fac_loss.mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(fm.el, fm.pd[:, -1] * fm.ead * fm.lgd, rtol=1e-12)
    assert np.all(np.diff(fm.pd, axis=1) >= 0)
    # the month is uniform on [0, 60): P(default within 12) = pd * 12/60
    assert np.all(np.abs(fm.pd[:, 0] - 0.01) < 4 * np.sqrt(0.01 * 0.99 / 20_000))


def test_borrower_metrics_causes_add_up_and_el_rolls_up() -> None:
    pa = portfolio()
    s = one_factor_summary(pa, 5_000, pd=0.1, rho=0.2, lgd=0.5, horizon=36, seed=4)
    bm = cm.borrower_metrics(s, pa)
    np.testing.assert_allclose(bm.pd_by_cause.sum(axis=1), bm.pd, rtol=1e-12)
    fac_el = s.fac_loss.mean(axis=0)
    np.testing.assert_allclose(bm.el, [fac_el[0] + fac_el[1], fac_el[2], fac_el[3]], rtol=1e-12)
    assert np.all((bm.median_default_month >= 0) & (bm.median_default_month < 36))
    hits = (s.cliff_month >= 12) & (s.cliff_month < 24)
    np.testing.assert_allclose(bm.p_cliff_window, hits.mean(axis=0))


def test_never_defaulting_facility_has_nan_ead_and_lgd() -> None:
    pa = portfolio()
    s = one_factor_summary(pa, 200, pd=1e-12, rho=0.2, lgd=0.5, horizon=24, seed=5)
    fm = cm.facility_metrics(s, pa)
    assert np.all(np.isnan(fm.ead)) and np.all(np.isnan(fm.lgd))
    assert np.all(fm.el == 0.0)


def test_lender_exposure_and_losses_follow_holdings() -> None:
    pa = portfolio()
    np.testing.assert_allclose(cm.lender_exposure(pa), [50 + 50 + 0.2 * 60, 50 + 0.7 * 80 + 18])
    s = one_factor_summary(pa, 1_000, pd=0.2, rho=0.3, lgd=0.4, horizon=24, seed=6)
    ll = cm.lender_losses(s, pa)
    f = s.fac_loss
    np.testing.assert_allclose(ll[:, 0], 0.5 * f[:, 0] + f[:, 1] + 0.2 * f[:, 3])


def test_loss_distribution_metrics_shapes_and_order() -> None:
    x = np.random.default_rng(7).exponential(size=(5_000, 3))
    m = cm.loss_distribution_metrics(x)
    assert m.var.shape == (3, 3) and m.es_se.shape == (3, 3)
    assert np.all(np.diff(m.var, axis=1) >= 0) and np.all(m.es >= m.var)
    np.testing.assert_allclose(m.es[:, 1], expected_shortfall(x, 0.99))


def test_euler_contributions_sum_to_lender_es() -> None:
    pa = portfolio()
    s = one_factor_summary(pa, 4_000, pd=0.1, rho=0.3, lgd=0.6, horizon=60, seed=8)
    contrib = cm.euler_contributions(s, pa, 0.99)
    es = expected_shortfall(cm.lender_losses(s, pa), 0.99)
    totals = np.bincount(pa.h_lender, contrib, minlength=2)
    np.testing.assert_allclose(totals, es, rtol=1e-12)


@settings(max_examples=40)
@given(
    st.integers(0, 2**32 - 1),
    st.integers(20, 400),
    st.floats(0.5, 0.995),
    st.booleans(),
)
def test_euler_contributions_sum_exactly_with_ties_and_weights(
    seed: int, n_paths: int, alpha: float, weighted: bool
) -> None:
    pa = portfolio()
    rng = np.random.default_rng(seed)
    s = one_factor_summary(pa, n_paths, pd=0.3, rho=0.4, lgd=0.5, horizon=24, seed=seed)
    w = rng.uniform(0.1, 2.0, n_paths) if weighted else None
    contrib = cm.euler_contributions(s, pa, alpha, w)
    es = expected_shortfall(cm.lender_losses(s, pa), alpha, w)
    totals = np.bincount(pa.h_lender, contrib, minlength=2)
    np.testing.assert_allclose(totals, es, rtol=1e-10, atol=1e-9)


def test_el_by_structure_and_archetype() -> None:
    pa = make_portfolio([0, 1, 1], [1.0, 2.0, 3.0], [10, 20, 30], [(0, 0, 1.0)], 1,
                        structures=["abs", "hy_bond", "abs"])
    el = cm.el_by_label(np.array([1.0, 2.0, 4.0]), pa.facility_structures)
    assert el.to_dict() == {"abs": 5.0, "hy_bond": 2.0}
    arch = cm.el_by_archetype(np.array([1.0, 2.0, 4.0]), pa)
    assert arch.to_dict() == {"hyperscaler": 1.0, "neocloud": 6.0}


def test_weights_rejected_when_malformed() -> None:
    with pytest.raises(ValueError, match="weights"):
        cm.pd_by_horizon(np.zeros((3, 1), int), weights=np.ones(2))


def test_euler_contribution_is_the_tail_mean_of_the_held_loss() -> None:
    # continuous losses, n(1-a) = 20 paths: contribution = mean of share*L_f over the 20 worst
    import dataclasses

    pa = portfolio()
    s = one_factor_summary(pa, 2_000, pd=0.3, rho=0.3, lgd=0.5, horizon=24, seed=9)
    noisy = s.fac_loss * np.random.default_rng(10).uniform(0.5, 1.5, s.fac_loss.shape)
    s = dataclasses.replace(s, fac_loss=noisy)
    contrib = cm.euler_contributions(s, pa, 0.99)
    lender = cm.lender_losses(s, pa)
    for h, (f, lend, share) in enumerate(HOLDINGS):
        worst = np.argsort(lender[:, lend])[-20:]
        assert contrib[h] == pytest.approx(share * noisy[worst, f].mean(), rel=1e-12)


def test_vectorised_facility_metrics_equal_a_per_record_reference() -> None:
    pa = portfolio()
    s = one_factor_summary(pa, 500, pd=0.2, rho=0.3, lgd=0.45, horizon=48, seed=11)
    w = np.random.default_rng(12).uniform(0.5, 2.0, 500)
    fm = cm.facility_metrics(s, pa, w)
    for f in range(pa.n_facilities):
        b = pa.f_borrower[f]
        num_pd = {h: 0.0 for h in (12, 24, 36, 48)}
        p_def = ead = loss = 0.0
        for p in range(500):
            for h in num_pd:
                num_pd[h] += w[p] * (s.default_month[p, b] < h)
            if s.default_month[p, b] < 48:
                p_def += w[p]
                ead += w[p] * s.fac_ead[p, f]
                loss += w[p] * s.fac_loss[p, f]
        np.testing.assert_allclose(fm.pd[f], [num_pd[h] / w.sum() for h in (12, 24, 36, 48)],
                                   rtol=1e-12)
        assert fm.ead[f] == pytest.approx(ead / p_def, rel=1e-12)
        assert fm.lgd[f] == pytest.approx(loss / ead, rel=1e-12)
        assert fm.el[f] == pytest.approx(loss / w.sum(), rel=1e-12)


def test_mean_and_se_equal_weights_is_classical_and_weighted_matches_replication() -> None:
    x = np.random.default_rng(16).exponential(size=(1_000, 2))
    mean, se = cm.mean_and_se(x)
    np.testing.assert_allclose(se, x.std(axis=0, ddof=1) / np.sqrt(1_000), rtol=1e-12)
    np.testing.assert_allclose(mean, x.mean(axis=0), rtol=1e-12)
    # importance sampling of E[1{Z > 2}] with a shifted normal: SE vs replication
    rng = np.random.default_rng(17)
    est, ses = [], []
    for _ in range(200):
        z = rng.standard_normal(2_000) + 2.0
        m, s = cm.mean_and_se((z > 2.0).astype(float)[:, None], np.exp(-2.0 * z + 2.0))
        est.append(m[0])
        ses.append(s[0])
    assert np.mean(ses) == pytest.approx(np.std(est, ddof=1), rel=0.2)
