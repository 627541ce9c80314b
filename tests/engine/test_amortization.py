"""Schedules against numpy-financial and the METHODS 7 oracles (kernel traced end to end)."""

from __future__ import annotations

import numpy as np
import numpy_financial as npf
import pytest
from tests.engine.factory import flat_paths, one_loan

from cliffwatch.codes import Amortization, FacilityKind, RateKind, RefiOutcome
from cliffwatch.engine.amortization import (
    balance_after,
    level_payment,
    payments_left,
    scheduled_principal,
)
from cliffwatch.engine.run import run_block, trace

P0 = 1_000_000.0
R = 0.06


def test_level_payment_matches_numpy_financial() -> None:
    assert level_payment(P0, R / 12, 120) == pytest.approx(11_102.050194, rel=1e-9)
    assert level_payment(P0, R / 12, 120) == pytest.approx(-npf.pmt(R / 12, 120, P0), rel=1e-12)
    assert level_payment(P0, 0.0, 120) == P0 / 120


def test_first_split_and_balance_after_60() -> None:
    pmt = level_payment(P0, R / 12, 120)
    principal = scheduled_principal(Amortization.annuity, P0, R, 1, 1, 120, 0)
    assert principal == pytest.approx(-npf.ppmt(R / 12, 1, 120, P0), rel=1e-10)
    assert pmt - principal == pytest.approx(5_000.0, rel=1e-12)
    assert balance_after(P0, R / 12, pmt, 60) == pytest.approx(574_259.771780, rel=1e-9)


@pytest.mark.parametrize("k", [1, 2, 17, 60, 119, 120])
def test_stateless_annuity_equals_ppmt(k: int) -> None:
    pmt = -npf.pmt(R / 12, 120, P0)
    bal = balance_after(P0, R / 12, pmt, k - 1)
    got = scheduled_principal(Amortization.annuity, bal, R, 1, k, 120, 0)
    assert got == pytest.approx(-npf.ppmt(R / 12, k, 120, P0), rel=1e-8)


def test_payments_left_counts_quarterly_periods() -> None:
    assert payments_left(3, 3, 60) == 20
    assert payments_left(60, 3, 60) == 1


def test_io_then_annuity_and_straight_line() -> None:
    assert scheduled_principal(Amortization.io_then_annuity, P0, R, 1, 12, 120, 12) == 0.0
    first = scheduled_principal(Amortization.io_then_annuity, P0, R, 1, 13, 120, 12)
    assert first == pytest.approx(-npf.ppmt(R / 12, 1, 120, P0), rel=1e-10)
    assert scheduled_principal(Amortization.straight_line, P0, R, 3, 3, 60, 0) == P0 / 20
    assert scheduled_principal(Amortization.bullet, P0, R, 1, 5, 120, 0) == 0.0


def test_balloon_of_30y_loan_at_10y_is_the_oracle() -> None:
    pa = one_loan(cash=2e6, amort=Amortization.annuity, amort_term_months=360,
                  maturity_month=120, drawn=P0, coupon=R)
    fp = flat_paths(pa, 121)
    tr = trace(pa, fp, horizon=121)["facility"]
    assert tr["interest"].iloc[1] + tr["principal"].iloc[1] == pytest.approx(5_995.505252,
                                                                              rel=1e-9)
    assert tr["balance"].iloc[119] == pytest.approx(
        836_857.249637 + -npf.ppmt(R / 12, 120, 360, P0), rel=1e-9)
    s = run_block(pa, fp, horizon=121)
    assert s.fac_refi_month[0, 0] == 120
    assert s.fac_refi_due[0, 0] == pytest.approx(836_857.249637, rel=1e-9)
    assert s.fac_refi_outcome[0, 0] == RefiOutcome.repaid  # market closed, cash covers it


def test_floating_reamortisation_oracle() -> None:
    pa = one_loan(cash=1e7, amort=Amortization.annuity, amort_term_months=120,
                  maturity_month=120, drawn=P0, rate_kind=RateKind.floating, spread=0.0,
                  coupon=0.0)
    sofr = np.where(np.arange(30) < 12, 0.06, 0.08)[None, :]
    fp = flat_paths(pa, 30, sofr=sofr, gpu_rent=0.0)
    tr = trace(pa, fp, horizon=30)["facility"]
    assert tr["balance"].iloc[12] == pytest.approx(924_727.779227, rel=1e-9)
    pay13 = tr["interest"].iloc[13] + tr["principal"].iloc[13]
    assert pay13 == pytest.approx(12_038.767306, rel=1e-9)
    assert tr["interest"].iloc[13] == pytest.approx(924_727.779227 * 0.08 / 12, rel=1e-9)


def test_abs_past_ard_sweeps_balloon_in_126_months() -> None:
    balloon = 836_857.25
    income = dict(kind=0, units=1.0, contracted_share=1.0, contract_price=9000.0 / 730.0)
    pa = one_loan(kind=FacilityKind.abs, drawn=balloon, coupon=R, amort=Amortization.bullet,
                  ard_month=1, maturity_month=1, legal_final_month=300, step_up=0.03,
                  sweep_share=1.0, start_month=-1, assets=[income])
    fp = flat_paths(pa, 200, gpu_value=0.0)
    out = trace(pa, fp, horizon=200)
    fac = out["facility"]
    assert out["summary"]["default_month"].iloc[0] > 199
    # month 0 is a payment date with nothing accrued; the ARD falls at month 1
    first_sweep = 9000.0 - balloon * R / 12
    assert fac["sweep"].iloc[1] == pytest.approx(first_sweep, rel=1e-12)
    assert fac["accrued_step_up"].iloc[1] == pytest.approx(
        (balloon - first_sweep) * 0.03 / 12, rel=1e-12)
    repaid = int(np.argmax(fac["balance"].to_numpy() <= 1e-6))  # sweeps run at months 1..
    assert repaid == int(np.ceil(npf.nper(R / 12, -9000.0, balloon)))
    assert repaid == 126
    s = run_block(pa, fp, horizon=200)
    assert s.fac_refi_outcome[0, 0] == RefiOutcome.abs_step_up
