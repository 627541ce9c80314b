"""Software borrowers in the monthly step: hand-computed small cases (ARR, EBITDA margin,
covenant conversion, PIK, recovery), the budget channel's direction with common random
numbers, the software sector basis in refinancing, and inertness for a book without software."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from tests.engine.factory import flat_paths, one_loan, portfolio
from tests.engine.random_case import random_paths, random_portfolio

from cliffwatch.codes import (
    Archetype,
    AssetKind,
    CovenantAction,
    DefaultCause,
    RateKind,
    RefiOutcome,
)
from cliffwatch.engine.params import EngineParams
from cliffwatch.engine.reference import run_reference
from cliffwatch.engine.run import run_block, trace
from cliffwatch.tape.arrays import NO_MONTH, PortfolioArrays

M = 1e6
HORIZON = 24
ARR0, GROWTH, GROSS, EBITDA_M, EV_ARR = 120 * M, 0.10, 0.75, 0.20, 5.0


def software(vulnerability: float = 0.8, **terms: float) -> dict:
    """A software business asset row with the module's default economics."""
    return dict(dict(kind=AssetKind.software_business, arr=ARR0, arr_growth=GROWTH,
                     gross_margin=GROSS, ebitda_margin=EBITDA_M, vulnerability=vulnerability,
                     ev_to_arr=EV_ARR), **terms)


def test_arr_after_n_months_and_ebitda_margin_compression() -> None:
    budget, multiple, v = 0.10, 0.8, 0.8
    kappa = EngineParams().software_churn_sensitivity
    pa = one_loan(cash=1e12, assets=[software(v)], drawn=1 * M)
    bor = trace(pa, flat_paths(pa, HORIZON, software_budget=budget,
                               software_multiple=multiple), horizon=HORIZON)["borrower"]
    for t in (0, 5, 11, 23):
        plan = ARR0 * 1.10 ** (t / 12)
        churn = (t + 1) * budget / 12  # budget-years through month t
        arr = plan * math.exp(-v * kappa * churn) * (1 - v * budget)
        row = bor.iloc[t]
        assert row["arr"] == pytest.approx(arr, rel=1e-12)
        # cost of revenue variable, operating expenses on the plan: EBITDA = 0.75 rev - 0.55 plan
        ebitda = 0.75 * arr / 12 - 0.55 * plan / 12
        assert row["ebitda"] == pytest.approx(ebitda, rel=1e-12)
        assert row["ebitda"] / row["revenue"] < EBITDA_M - 0.05  # operating leverage
        assert row["cfads"] == pytest.approx(ebitda, rel=1e-12)
    # no reallocation: the margin is the tape's
    flat = trace(pa, flat_paths(pa, HORIZON), horizon=HORIZON)["borrower"]
    np.testing.assert_allclose(flat["ebitda"] / flat["revenue"], EBITDA_M, rtol=1e-12)


def _covenant_case(ebitda_margin: float, **terms: float | int) -> tuple[int, int]:
    pa = one_loan(cash=1e12, assets=[software(0.0, ebitda_margin=ebitda_margin)],
                  drawn=100 * M, cov_action=CovenantAction.event_of_default, **terms)
    s = run_block(pa, flat_paths(pa, HORIZON), horizon=HORIZON)
    return int(s.default_month[0, 0]), int(s.default_cause[0, 0])


def test_arr_covenant_converts_to_ebitda_covenant_on_its_month() -> None:
    # debt / ARR = 100 / 120 passes 2.0x; EBITDA is negative, so any EBITDA test fails
    terms = dict(max_arr_leverage=2.0, max_leverage=6.0)
    assert _covenant_case(-0.05, **terms, cov_convert_month=7) == (8, DefaultCause.covenant)
    assert _covenant_case(-0.05, **terms, cov_convert_month=NO_MONTH)[0] == NO_MONTH
    assert _covenant_case(-0.05, max_leverage=6.0)[0] == 2  # no ARR test: EBITDA from the start
    assert _covenant_case(0.2, max_arr_leverage=0.8)[0] == 2  # 0.83x > 0.8x


def test_ebitda_leverage_threshold_is_debt_over_four_quarters_of_trailing_ebitda() -> None:
    plan = [ARR0 * 1.10 ** (t / 12) / 12 for t in range(3)]
    leverage = 100 * M / (4 * sum(EBITDA_M * x for x in plan))
    assert _covenant_case(EBITDA_M, max_leverage=leverage * (1 + 1e-9))[0] == NO_MONTH
    assert _covenant_case(EBITDA_M, max_leverage=leverage * (1 - 1e-9))[0] == 2


def test_pik_toggle_capitalises_interest_with_its_margin() -> None:
    coupon, margin, drawn, months = 0.06, 0.02, 1 * M, 12
    pa = one_loan(assets=[software(arr=0.0)], drawn=drawn, coupon=coupon, pik_share=1.0,
                  pik_margin=margin)
    out = trace(pa, flat_paths(pa, months), horizon=months)
    fac = out["facility"]
    balance, pik, accrued = drawn, 0.0, drawn * coupon / 12  # month 0 accrues, pays nothing
    for t in range(1, months):
        balance, pik = balance + accrued, pik + accrued  # all interest paid in kind
        assert fac["pik"].iloc[t] == pytest.approx(accrued, rel=1e-12)
        assert fac["interest"].iloc[t] == pytest.approx(0.0, abs=1e-9)
        accrued = balance * coupon / 12 + min(pik, balance) * margin / 12
        assert fac["balance"].iloc[t] == pytest.approx(balance, rel=1e-12)
    assert out["summary"]["default_month"].iloc[0] == NO_MONTH


def test_partial_pik_still_defaults_when_the_cash_part_is_unpaid() -> None:
    drawn, coupon = 1 * M, 0.06
    pa = one_loan(assets=[software(arr=0.0)], drawn=drawn, coupon=coupon, pik_share=0.5)
    s = run_block(pa, flat_paths(pa, 6), horizon=6)
    assert (s.default_month[0, 0], s.default_cause[0, 0]) == (1, DefaultCause.payment)
    # the toggle moved half the interest into the balance: the claim is unchanged
    ead = drawn + drawn * coupon / 12
    assert s.fac_ead[0, 0] == pytest.approx(ead, rel=1e-12)
    assert s.fac_loss[0, 0] == pytest.approx(ead, rel=1e-12)


@pytest.mark.parametrize("ratio", [0.65, 0.4])
def test_recovery_is_enterprise_value_times_sale_ratio_through_the_waterfall(
        ratio: float) -> None:
    multiple, ev_arr = 0.5, 4.0
    pa = one_loan(assets=[software(0.0, arr_growth=0.0, ev_to_arr=ev_arr)], drawn=400 * M,
                  collateral=(0,), max_arr_leverage=2.0,
                  cov_action=CovenantAction.event_of_default)
    fp = flat_paths(pa, 6, software_multiple=multiple)
    params = EngineParams(software_sale_ratio=ratio)
    s = run_block(pa, fp, params, horizon=6)
    assert (s.default_month[0, 0], s.default_cause[0, 0]) == (2, DefaultCause.covenant)
    bor = trace(pa, fp, params, horizon=6)["borrower"]
    proceeds = ev_arr * ARR0 * multiple * ratio
    ead = s.fac_ead[0, 0]
    assert ead == pytest.approx(400 * M * (1 + 0.06 / 12), rel=1e-12)
    recovery = proceeds + bor["default_cash"].iloc[2]
    assert s.fac_loss[0, 0] == pytest.approx(ead - recovery, rel=1e-12)


def _channel_book(rng: np.random.Generator, n: int = 6) -> PortfolioArrays:
    """n software borrowers (the last one with vulnerability 0), levered unitranches with ARR
    covenants converting to EBITDA covenants, a PIK toggle, maturing inside the horizon."""
    assets, facilities = [], []
    for b in range(n):
        v = 0.0 if b == n - 1 else float(rng.uniform(0.4, 1.0))
        arr = float(rng.uniform(50, 150)) * M
        assets.append(software(v, borrower=b, arr=arr, arr_growth=float(rng.uniform(0, 0.2)),
                               ebitda_margin=float(rng.uniform(0.25, 0.4)),
                               ev_to_arr=float(rng.uniform(1.5, 3.0))))
        facilities.append(dict(
            borrower=b, drawn=arr * float(rng.uniform(0.8, 1.4)), rate_kind=RateKind.floating,
            spread=0.055, collateral=(b,), max_arr_leverage=1.6, max_leverage=6.0,
            cov_convert_month=12, cov_action=CovenantAction.event_of_default, pik_share=0.5,
            pik_margin=0.01, maturity_month=int(rng.integers(18, 36)), refi_min_dscr=1.2,
            refi_max_ltv=0.65, access_spread=0.08))
    borrowers = [dict(cash=float(rng.uniform(2, 10)) * M) for _ in range(n)]
    return portfolio(borrowers=borrowers, assets=assets, facilities=facilities)


def test_more_budget_reallocation_lowers_arr_and_raises_expected_loss() -> None:
    rng = np.random.default_rng(11)
    pa = _channel_book(rng)
    fp = random_paths(rng, pa, 36, n_paths=300)
    fp = dataclasses.replace(fp, software_budget=np.clip(fp.software_budget, 0.0, None))
    hi = dataclasses.replace(fp, software_budget=fp.software_budget + 0.05)
    lo_s, hi_s = run_block(pa, fp, horizon=36), run_block(pa, hi, horizon=36)
    assert hi_s.fac_loss.sum(axis=1).mean() > lo_s.fac_loss.sum(axis=1).mean()
    assert (hi_s.default_month <= lo_s.default_month).mean() > 0.95
    for p in range(3):  # path by path, while both runs are alive
        a = trace(pa, fp, horizon=36, path=p)["borrower"]
        b = trace(pa, hi, horizon=36, path=p)["borrower"]
        alive = (a["status"] == 0) & (b["status"] == 0)
        vulnerable = alive & (a["borrower"] < pa.n_borrowers - 1)
        assert (b.loc[vulnerable, "arr"] < a.loc[vulnerable, "arr"]).all()
        immune = a["borrower"] == pa.n_borrowers - 1
        np.testing.assert_array_equal(a.loc[immune, ["arr", "ebitda", "revenue", "opex"]],
                                      b.loc[immune, ["arr", "ebitda", "revenue", "opex"]])
    immune_f = pa.n_facilities - 1
    np.testing.assert_array_equal(lo_s.fac_loss[:, immune_f], hi_s.fac_loss[:, immune_f])


def test_a_wider_software_basis_never_helps_refinancing() -> None:
    rng = np.random.default_rng(5)
    n, mat = 400, 12
    pa = one_loan(cash=20 * M, assets=[software(0.0)], drawn=300 * M, collateral=(0,),
                  rate_kind=RateKind.floating, spread=0.05, maturity_month=mat,
                  refi_min_dscr=1.1, refi_max_ltv=0.7, access_spread=0.07)
    levels = dict(spread=rng.uniform(0.02, 0.06, (n, 1)),
                  market_access=rng.uniform(0.3, 1.0, (n, 1)), refi_u=rng.uniform(size=(n, 1)))
    basis = rng.uniform(0.0, 0.03, (n, 1))
    params = EngineParams(refi_window_months=0)
    lo = run_block(pa, flat_paths(pa, mat + 1, n, software_spread=basis, **levels), params,
                   horizon=mat + 1)
    hi = run_block(pa, flat_paths(pa, mat + 1, n, software_spread=basis + 0.01, **levels),
                   params, horizon=mat + 1)
    refi_lo = lo.fac_refi_outcome[:, 0] == RefiOutcome.refinanced
    refi_hi = hi.fac_refi_outcome[:, 0] == RefiOutcome.refinanced
    assert not (refi_hi & ~refi_lo).any()
    assert (refi_lo & ~refi_hi).any()  # the basis does bind somewhere
    assert (hi.fac_loss[:, 0] >= lo.fac_loss[:, 0]).all()


def _neutral(pa: PortfolioArrays) -> PortfolioArrays:
    nf = pa.n_facilities
    return dataclasses.replace(
        pa, f_max_arr_leverage=np.full(nf, np.inf), f_max_leverage=np.full(nf, np.inf),
        f_cov_convert_month=np.full(nf, NO_MONTH, np.int32), f_pik_share=np.zeros(nf),
        f_pik_margin=np.zeros(nf))


@pytest.mark.parametrize("seed", range(12))
def test_a_book_without_software_ignores_every_software_field(seed: int) -> None:
    rng = np.random.default_rng(1000 + seed)
    pa = random_portfolio(rng, 30, software=False)
    assert not pa.software_borrowers().any()
    fp = random_paths(rng, pa, 30, n_paths=2)
    neutral_fp = dataclasses.replace(
        fp, software_budget=np.zeros_like(fp.software_budget),
        software_multiple=np.ones_like(fp.software_multiple),
        software_spread=np.zeros_like(fp.software_spread))
    params = EngineParams(contagion=bool(seed % 2))
    got = run_block(pa, fp, params, horizon=30)
    want = run_block(_neutral(pa), neutral_fp, params, horizon=30)
    for f in dataclasses.fields(got):
        np.testing.assert_array_equal(getattr(got, f.name), getattr(want, f.name), f.name)
    a, b = trace(pa, fp, params, 30, path=1), trace(_neutral(pa), neutral_fp, params, 30, 1)
    for k in ("facility", "borrower"):
        assert a[k].equals(b[k])


def test_kernel_equals_reference_on_cash_starved_pik_books() -> None:
    """Every facility toggles and every borrower starts without cash, so the PIK branch, the
    PIK margin and the payment defaults after a toggle all run on both implementations."""
    toggled = 0
    for seed in range(10):
        rng = np.random.default_rng(2000 + seed)
        pa = random_portfolio(rng, 30)
        pa = dataclasses.replace(
            pa, f_pik_share=np.full(pa.n_facilities, 0.8),
            f_pik_margin=np.full(pa.n_facilities, 0.015), b_cash=np.zeros(pa.n_borrowers),
            b_archetype=np.full(pa.n_borrowers, Archetype.software, np.int8))
        fp = random_paths(rng, pa, 30, n_paths=2)
        s = run_block(pa, fp, horizon=30)
        for p in range(2):
            ref, _ = run_reference(pa, fp, EngineParams(), 30, path=p)
            for name, want in ref.items():
                np.testing.assert_allclose(getattr(s, name)[p], want, rtol=1e-9, atol=1e-6,
                                           err_msg=f"seed {seed} path {p} {name}")
            toggled += trace(pa, fp, horizon=30, path=p)["facility"]["pik"].sum() > 0.0
    assert toggled >= 10  # of 20 paths


def test_software_factors_are_checked_for_shape_and_finiteness() -> None:
    pa = one_loan(assets=[software()])
    fp = flat_paths(pa, 12)
    with pytest.raises(ValueError, match="software_spread has shape"):
        run_block(pa, dataclasses.replace(fp, software_spread=np.zeros((1, 6))), horizon=12)
    budget = fp.software_budget.copy()
    budget[0, 3] = np.inf
    with pytest.raises(ValueError, match=r"software_budget is not finite at index \(0, 3\)"):
        run_block(pa, dataclasses.replace(fp, software_budget=budget), horizon=12)
