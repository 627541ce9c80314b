"""Invariants on random portfolios (hypothesis): cash conservation, non-negative balances,
loss bounds, absolute priority, monotonicity of floating interest in SOFR."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st
from tests.engine.factory import flat_paths, one_loan
from tests.engine.random_case import random_paths, random_portfolio
from tests.reliability_counts import Tally

from cliffwatch.codes import Amortization, RateKind
from cliffwatch.engine.params import EngineParams
from cliffwatch.engine.recovery import waterfall
from cliffwatch.engine.run import run_block, trace
from cliffwatch.tape.arrays import PortfolioArrays

HORIZON = 30
BRIDGE_IN = ("revenue", "rvg", "draws", "revolver_draw", "distribution_in")
BRIDGE_OUT = ("opex", "capex", "debt_service", "sweep", "refi_paydown", "default_cash",
              "distribution_out")


@given(st.integers(0, 2**32 - 1))
def test_cash_is_conserved_and_balances_stay_non_negative(tally: Tally, seed: int) -> None:
    tally("random portfolios: cash conservation")
    rng = np.random.default_rng(seed)
    pa = random_portfolio(rng, HORIZON)
    fp = random_paths(rng, pa, HORIZON, n_paths=1)
    out = trace(pa, fp, EngineParams(contagion=True), HORIZON)
    bor = out["borrower"]
    alive = bor["status"].to_numpy() == 0
    flows = (bor["cash_open"] + bor[list(BRIDGE_IN)].sum(axis=1)
             - bor[list(BRIDGE_OUT)].sum(axis=1))
    # every term of the bridge sets the size of its rounding error
    scale = 1.0 + bor[["cash_open", *BRIDGE_IN, *BRIDGE_OUT]].abs().sum(axis=1)
    assert (np.abs(flows - bor["cash_close"]) <= 1e-9 * scale).all()
    # next month opens with this month's close
    for b in range(pa.n_borrowers):
        rows = bor[bor["borrower"] == b]
        np.testing.assert_allclose(rows["cash_open"].to_numpy()[1:],
                                   rows["cash_close"].to_numpy()[:-1], rtol=0, atol=0)
    _assert_distributions_reach_the_parent(pa, bor)
    fac = out["facility"]
    assert (fac["balance"] >= -1e-6).all()
    assert (fac["accrued_step_up"] >= -1e-6).all()
    # a surviving borrower never ends a month with a debt-service shortfall
    assert (bor.loc[alive, "cash_close"] >= -1e-6).all()


def _assert_distributions_reach_the_parent(pa: PortfolioArrays, bor: pd.DataFrame) -> None:
    """Every distribution an SPV pays is received by its parent: the same month if the parent
    is processed later in borrower order, else the next month (cash conserved in the pair)."""
    out = bor.pivot(index="month", columns="borrower", values="distribution_out").to_numpy()
    got = bor.pivot(index="month", columns="borrower", values="distribution_in").to_numpy()
    want = np.zeros_like(got)
    for b, parent in enumerate(pa.b_parent):
        if parent < 0:
            assert (out[:, b] == 0.0).all()
        elif parent > b:
            want[:, parent] += out[:, b]
        else:
            want[1:, parent] += out[:-1, b]
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-6)


@given(st.integers(0, 2**32 - 1))
def test_loss_is_between_zero_and_ead(tally: Tally, seed: int) -> None:
    tally("random portfolios: 0 <= loss <= EAD")
    rng = np.random.default_rng(seed)
    pa = random_portfolio(rng, HORIZON)
    fp = random_paths(rng, pa, HORIZON, n_paths=3)
    s = run_block(pa, fp, EngineParams(), HORIZON)
    assert (s.fac_loss >= -1e-6).all()
    assert (s.fac_loss <= s.fac_ead + 1e-6).all()
    defaulted = s.default_month[:, pa.f_borrower] < HORIZON
    assert (s.fac_ead[~defaulted] == 0.0).all()
    assert (s.fac_peak_drawn >= -1e-6).all()


money = st.floats(0.0, 1e8, allow_nan=False)


@given(st.lists(st.tuples(money, st.booleans(), st.integers(1, 3)), min_size=1, max_size=6),
       st.lists(money, min_size=1, max_size=3), money)
def test_waterfall_bounds_and_absolute_priority(tally: Tally, claims, proceeds, cash) -> None:
    tally("random claims: recovery waterfall bounds and absolute priority")
    claims.sort(key=lambda c: c[2])
    ead = np.array([c[0] for c in claims])
    secured = np.array([c[1] for c in claims])
    rank = np.array([c[2] for c in claims], np.int64)
    na = len(proceeds)
    coll = [[(i + j) % na] if secured[i] else [] for i, j in enumerate(range(len(claims)))]
    ptr = np.concatenate([[0], np.cumsum([len(c) for c in coll])]).astype(np.int64)
    flat = np.array([a for c in coll for a in c], np.int64)
    rec = np.zeros(len(claims))
    left = waterfall(0, len(claims), 0, na, ead, secured, rank, ptr, flat,
                     np.array(proceeds, float), cash, rec)
    total = sum(proceeds) + cash
    assert (rec >= -1e-9).all() and (rec <= ead * (1 + 1e-12) + 1e-9).all()
    assert rec.sum() <= total * (1 + 1e-12) + 1e-6
    assert abs(rec.sum() + left - total) <= 1e-9 * (1 + total)
    # the residual pool reaches a rank only after every more senior claim is paid in full
    for r in np.unique(rank):
        junior_unsecured = (rank > r) & ~secured & (rec > 1e-6)
        if junior_unsecured.any():
            senior = rank <= r
            np.testing.assert_allclose(rec[senior], ead[senior], rtol=1e-9, atol=1e-6)
    if left > 1e-6:
        np.testing.assert_allclose(rec, ead, rtol=1e-9, atol=1e-6)


@given(st.integers(0, 2**32 - 1), st.sampled_from(list(Amortization)),
       st.floats(0.0, 0.03))
def test_higher_sofr_never_lowers_floating_interest(seed: int, amort: Amortization,
                                                    bump: float) -> None:
    rng = np.random.default_rng(seed)
    months = 48
    pa = one_loan(cash=1e10, drawn=1e7, rate_kind=RateKind.floating,
                  spread=float(rng.uniform(0.01, 0.05)), floor=float(rng.uniform(0, 0.03)),
                  amort=amort, amort_term_months=int(rng.integers(12, 240)),
                  io_months=int(rng.integers(0, 12)), maturity_month=int(rng.integers(6, 60)),
                  pay_freq=int(rng.choice([1, 3])), day_count=int(rng.integers(0, 3)),
                  schedule=((12, 1e6), (24, 2e6)))
    sofr = np.clip(0.04 + np.cumsum(rng.normal(0, 0.003, months)), 0, None)[None, :]
    extra = np.cumsum(rng.uniform(0, bump / months, months))[None, :]
    lo = trace(pa, flat_paths(pa, months, sofr=sofr), horizon=months)["facility"]
    hi = trace(pa, flat_paths(pa, months, sofr=sofr + extra), horizon=months)["facility"]
    assert hi["interest"].sum() >= lo["interest"].sum() - 1e-6
    assert (hi["interest"].to_numpy() >= lo["interest"].to_numpy() - 1e-6).all()
