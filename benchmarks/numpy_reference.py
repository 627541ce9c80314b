"""A plain, honestly vectorised numpy version of the engine's core monthly step (baseline).

Arrays are (paths, facilities) / (paths, borrowers) / (paths, assets); only the months are a
Python loop. Per month: utilization, GPU and data-center revenue, operating cost, cash, the
interest of each facility (fixed or floating with floor and cap, 30/360 monthly accrual),
scheduled principal (annuity re-amortised at the current rate, straight line, bullet, balloon at
maturity) on payment dates, and the payment-default test ``cash < total due``; a defaulted
borrower's facilities lose their balance plus accrued interest (LGD 1) and stop.

Omitted (the numba engine has them): refinancing and extensions, ABS ARD / step-up / sweeps,
revolver draws and scheduled draws, covenants and cash traps, undrawn fees, capex, GPU contract
renewals after expiry (contracts simply run on), counterparty and cross defaults, residual-value
guarantees, real day counts, custom schedules and IO periods, the recovery waterfall, fire-sale
contagion and lender exposures. It therefore does *less* work per facility-month than the engine.
"""

from __future__ import annotations

import numpy as np
from scipy import special

from cliffwatch.codes import Amortization, AssetKind, RateKind
from cliffwatch.engine.params import HOURS_PER_MONTH, EngineParams
from cliffwatch.market.paths import FactorPaths
from cliffwatch.tape.arrays import PortfolioArrays

KW_PER_MW: float = 1_000.0
MONTHS_PER_YEAR: int = 12
UTIL_CLIP: float = 1e-9
"""Keeps logit(utilization) finite, as the engine does."""


def _segment_sum(x: np.ndarray, ptr: np.ndarray) -> np.ndarray:
    """Sum the columns of ``x`` (P, n) over CSR segments ``ptr`` -> (P, len(ptr) - 1)."""
    cs = np.zeros((x.shape[0], x.shape[1] + 1))
    np.cumsum(x, axis=1, out=cs[:, 1:])
    return cs[:, ptr[1:]] - cs[:, ptr[:-1]]


def _asset_flows(pa: PortfolioArrays, fp: FactorPaths, util_b: np.ndarray, t: int,
                 ) -> tuple[np.ndarray, np.ndarray]:
    """(P, NA) revenue and operating cost of every asset in month ``t``, USD."""
    gpu = pa.a_kind == AssetKind.gpu_fleet
    live = gpu & (pa.a_in_service_month <= t)
    u = util_b[:, pa.a_borrower]
    gen = np.maximum(pa.a_gpu_gen, 0)
    rent = fp.gpu_rent[:, gen, t]
    cu = pa.a_units * pa.a_contracted_share
    mu = pa.a_units - cu
    busy = cu + mu * u
    rev_gpu = HOURS_PER_MONTH * (cu * pa.a_contract_price + mu * u * rent)
    opex_gpu = HOURS_PER_MONTH * (busy * pa.a_power_kw * pa.a_pue * fp.power_price[:, t:t + 1]
                                  + pa.a_units * pa.a_opex_per_gpu_hour)
    dc = (pa.a_kind == AssetKind.data_center) & (pa.a_completion_month <= t)
    years = np.maximum(t - pa.a_completion_month, 0) // MONTHS_PER_YEAR
    rent_dc = pa.a_leased_mw * KW_PER_MW * pa.a_lease_rate * (1.0 + pa.a_escalator) ** years
    revenue = np.where(live, rev_gpu, 0.0) + np.where(dc, rent_dc, 0.0)
    opex = np.where(live, opex_gpu, 0.0) + np.where(dc, pa.a_opex_ratio * rent_dc, 0.0)
    return revenue, opex


def _principal(pa: PortfolioArrays, bal: np.ndarray, rate: np.ndarray, t: int) -> np.ndarray:
    """(P, NF) scheduled principal due in month ``t`` on payment dates (balloon at maturity)."""
    freq = pa.f_pay_freq.astype(np.int64)
    elapsed = t - pa.f_start_month
    n_left = np.maximum((pa.f_amort_term_months - elapsed) // freq + 1, 1)
    r_p = rate * freq / MONTHS_PER_YEAR
    growth = (1.0 + r_p) ** n_left
    with np.errstate(divide="ignore", invalid="ignore"):
        annuity = np.where(r_p > 0, bal * r_p * growth / (growth - 1.0), bal / n_left) - bal * r_p
    prin = np.where(pa.f_amort == Amortization.annuity, annuity, 0.0)
    prin = np.where(pa.f_amort == Amortization.straight_line, bal / n_left, prin)
    prin = np.minimum(np.maximum(prin, 0.0), bal)
    return np.where(t >= pa.f_maturity_month, bal, prin)


def run_numpy(pa: PortfolioArrays, fp: FactorPaths, params: EngineParams | None = None,
              horizon: int = 60) -> tuple[np.ndarray, np.ndarray]:
    """Run the simplified step; returns (P, NF) facility losses and (P, NB) default months."""
    prm = params or EngineParams()
    n_p = fp.n_paths
    bal = np.broadcast_to(pa.f_drawn, (n_p, pa.n_facilities)).copy()
    accr = np.zeros_like(bal)
    loss = np.zeros_like(bal)
    cash = np.broadcast_to(pa.b_cash, (n_p, pa.n_borrowers)).copy()
    default_month = np.full((n_p, pa.n_borrowers), horizon, np.int64)
    alive = np.ones((n_p, pa.n_borrowers), bool)
    fb = pa.f_borrower
    floating = pa.f_rate_kind == RateKind.floating
    for t in range(horizon):
        common = special.logit(np.clip(fp.utilization[:, t], UTIL_CLIP, 1 - UTIL_CLIP))
        util_b = special.expit(common[:, None] + prm.idio_util_vol * fp.util_idio)
        revenue, opex = _asset_flows(pa, fp, util_b, t)
        cash += _segment_sum(revenue - opex, pa.b_asset_ptr) * alive
        base = np.minimum(np.maximum(fp.sofr[:, t:t + 1], pa.f_floor), pa.f_cap)
        rate = np.where(floating, pa.f_spread + base, pa.f_coupon)
        open_ = alive[:, fb] & (t < pa.f_maturity_month + 1)
        accr += np.where(open_, bal * rate / MONTHS_PER_YEAR, 0.0)
        paying = ((t > pa.f_start_month) & ((t - pa.f_start_month) % pa.f_pay_freq == 0)) | (
            t == pa.f_maturity_month)
        prin = np.where(open_ & paying, _principal(pa, bal, rate, t), 0.0)
        interest = np.where(open_ & paying, accr, 0.0)
        due = _segment_sum(prin + interest, pa.b_fac_ptr)
        fails = alive & (cash < due)
        pays = alive & ~fails
        pays_f = pays[:, fb]
        cash -= np.where(pays, due, 0.0)
        bal -= np.where(pays_f, prin, 0.0)
        accr = np.where(pays_f & paying, 0.0, accr)
        fails_f = fails[:, fb]
        loss += np.where(fails_f, bal + accr, 0.0)
        bal = np.where(fails_f, 0.0, bal)
        default_month[fails] = t
        alive &= ~fails
    return loss, default_month
