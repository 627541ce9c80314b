"""The default waterfall: hand-computed splits and absolute priority."""

from __future__ import annotations

import numpy as np
import pytest
from tests.engine.factory import flat_paths, portfolio

from cliffwatch.codes import DefaultCause
from cliffwatch.engine.params import EngineParams
from cliffwatch.engine.recovery import waterfall
from cliffwatch.engine.run import run_block

M = 1e6


def _run_waterfall(ead, secured, rank, coll, proceeds, cash):
    nf = len(ead)
    ptr = np.concatenate([[0], np.cumsum([len(c) for c in coll])]).astype(np.int64)
    flat = np.array([a for c in coll for a in c], dtype=np.int64)
    rec = np.zeros(nf)
    left = waterfall(0, nf, 0, len(proceeds), np.array(ead, float), np.array(secured),
                     np.array(rank, np.int64), ptr, flat, np.array(proceeds, float), cash, rec)
    return rec, left


def test_secured_then_pool_by_rank() -> None:
    # senior secured on asset 0 (8m), junior secured on asset 1 (3m), two unsecured rank 3
    rec, left = _run_waterfall(ead=[10 * M, 5 * M, 4 * M, 2 * M], secured=[True, True, False,
                               False], rank=[1, 2, 3, 3], coll=[(0,), (1,), (), ()],
                               proceeds=[8 * M, 3 * M], cash=1 * M)
    # pool = 1m cash; rank-1 deficiency 2m takes it all; juniors get nothing more
    np.testing.assert_allclose(rec, [9 * M, 3 * M, 0.0, 0.0])
    assert left == 0.0


def test_pari_passu_within_rank_and_residual() -> None:
    rec, left = _run_waterfall(ead=[4 * M, 6 * M], secured=[False, False], rank=[1, 1],
                               coll=[(), ()], proceeds=[5 * M], cash=0.0)
    np.testing.assert_allclose(rec, [2 * M, 3 * M])
    rec, left = _run_waterfall(ead=[4 * M, 6 * M], secured=[False, False], rank=[1, 1],
                               coll=[(), ()], proceeds=[12 * M], cash=0.5 * M)
    np.testing.assert_allclose(rec, [4 * M, 6 * M])
    assert left == pytest.approx(2.5 * M)


def test_senior_junior_default_at_known_month_splits_recovery() -> None:
    """No income and no cash: both loans miss the month-1 payment; GPUs worth 20m are sold."""
    gpu = dict(units=1000.0)
    pa = portfolio(
        borrowers=[dict(cash=0.0)], assets=[gpu],
        facilities=[dict(drawn=10 * M, coupon=0.06, rank=1, collateral=(0,), maturity_month=60),
                    dict(drawn=10 * M, coupon=0.12, rank=2, collateral=(0,), maturity_month=60),
                    dict(drawn=3 * M, coupon=0.10, rank=3, secured=False, maturity_month=60)])
    params = EngineParams()
    s = run_block(pa, flat_paths(pa, 6, gpu_value=20_000.0, gpu_rent=0.0), params, horizon=6)
    assert s.default_month[0, 0] == 1
    assert s.default_cause[0, 0] == DefaultCause.payment
    ead = np.array([10 * M * (1 + 0.06 / 12), 10 * M * (1 + 0.12 / 12), 3 * M * (1 + 0.1 / 12)])
    np.testing.assert_allclose(s.fac_ead[0], ead, rtol=1e-12)
    proceeds = 1000 * 20_000.0 * (1 - params.gpu_fire_sale_haircut) * (1 - params.gpu_sale_cost)
    expected_loss = [0.0, ead[1] - (proceeds - ead[0]), ead[2]]
    np.testing.assert_allclose(s.fac_loss[0], expected_loss, rtol=1e-12, atol=1e-6)
    assert s.gpu_units_sold[0, 0] == 1000.0
    assert s.gpu_price_impact[0, 0] == 1.0  # contagion off


def test_contagion_depresses_next_month_values() -> None:
    params = EngineParams(contagion=True, gpu_market_depth_units=1000.0)
    pa = portfolio(borrowers=[dict(cash=0.0)], assets=[dict(units=500.0)],
                   facilities=[dict(drawn=1 * M, collateral=(0,), maturity_month=60)])
    s = run_block(pa, flat_paths(pa, 6, gpu_rent=0.0), params, horizon=6)
    assert s.gpu_price_impact[0, 0] == pytest.approx(np.exp(-0.5), rel=1e-12)
    big = EngineParams(contagion=True, gpu_market_depth_units=10.0)
    s = run_block(pa, flat_paths(pa, 6, gpu_rent=0.0), big, horizon=6)
    assert s.gpu_price_impact[0, 0] == pytest.approx(1 - big.max_impact_per_month)
