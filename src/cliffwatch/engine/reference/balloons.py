"""Twin of ``steps/balloons.py``: maturity, ARD and legal final; the refinancing window."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from cliffwatch.codes import Amortization, DefaultCause, FacilityKind, RateKind, RefiOutcome
from cliffwatch.engine.constants import BALANCE_EPS, DEFAULT_REFI_TENOR_MONTHS, GOLDEN_FRACTION
from cliffwatch.engine.layout import ST_ACTIVE, ST_CLOSED, ST_POST_ARD
from cliffwatch.engine.reference.common import collateral_value, event_month
from cliffwatch.engine.reference.state import WINDOW, BorrowerMonth
from cliffwatch.engine.refinancing import max_new_loan
from cliffwatch.tape.arrays import NO_MONTH
from cliffwatch.units import MONTHS_PER_YEAR

if TYPE_CHECKING:
    from cliffwatch.engine.reference.path import ReferencePath


def refinancing_spread(ref: ReferencePath, b: int, t: int) -> float:
    """HY index spread, plus the software sector basis for a software borrower."""
    sp = ref.fp.spread[ref.p, t]
    if ref.software[b]:
        sp += ref.fp.software_spread[ref.p, t]
    return float(sp)


def trailing_noi(ref: ReferencePath, b: int, f: int, t: int) -> float:
    """``(Σ CFADS − Σ other facilities' debt service) × 12 / months`` over ≤ 3 months."""
    n = min(t + 1, WINDOW)
    bo, s = ref.bor[b], ref.fac[f]
    # the kernel's order of operations: a borrower whose only debt service is this
    # facility's is left with rounding dust, not zero, and the sizing sees the same sign
    d, e = bo.debt_service, s.debt_service
    others = d[0] + d[1] + d[2] - e[0] - e[1] - e[2]
    return (sum(bo.cfads) - others) * MONTHS_PER_YEAR / n


def refinance(ref: ReferencePath, b: int, f: int, t: int, sp: float, due: float, value: float,
              tenor: int, early: bool) -> float | None:
    """Take the new loan if it (plus a cash paydown at the balloon date) covers ``due``;
    returns the cash paid, or None if there is no refinancing."""
    pa, fp, p, s, bo = ref.pa, ref.fp, ref.p, ref.fac[f], ref.bor[b]
    new_spread = sp * ref.prm.rating_spread_multiplier[pa.b_rating[b]]
    rate = new_spread + min(max(fp.sofr[p, t], pa.f_floor[f]), pa.f_cap[f])
    size = max_new_loan(trailing_noi(ref, b, f, t), value, rate, int(pa.f_refi_amort_months[f]),
                        pa.f_refi_min_dscr[f], pa.f_refi_max_ltv[f], pa.f_refi_min_dy[f])
    new = due if size >= due else size
    # ahead of the balloon date only a full refinancing is taken (no early paydown)
    if not (new > BALANCE_EPS and bo.cash >= due - new and not (early and new < due)):
        return None
    bo.cash -= due - new
    s.balance, s.step_accrued, s.status = new, 0.0, ST_ACTIVE
    s.rate_kind, s.spread, s.pik = RateKind.floating, new_spread, 0.0
    s.start, s.maturity, s.ard, s.io = t, t + tenor, NO_MONTH, 0
    if pa.f_kind[f] != FacilityKind.revolver:
        s.amort = Amortization.annuity
        refi_amort = int(pa.f_refi_amort_months[f])
        s.term = refi_amort if refi_amort > 0 else tenor
        s.available = 0.0
    return due - new


def settle_balloon(ref: ReferencePath, b: int, f: int, t: int, u: float,
                   early: bool = False) -> tuple[int, float, float]:
    """Refinance (market open iff spread below the threshold and ``u`` below the access
    probability), repay from cash, step up (ABS at ARD), extend once, or fail. ``early``
    (a month of the refinancing window) tries only a refinancing of the whole balloon,
    else ``not_due``."""
    pa, s, bo = ref.pa, ref.fac[f], ref.bor[b]
    due = s.balance + s.step_accrued
    kind = pa.f_kind[f]
    tenor = (s.ard if s.ard < NO_MONTH else s.maturity) - s.start
    tenor = tenor if tenor > 0 else DEFAULT_REFI_TENOR_MONTHS
    sp = refinancing_spread(ref, b, t)
    market_open = sp < pa.f_access_spread[f] and u < ref.fp.market_access[ref.p, t]
    if due <= BALANCE_EPS:
        s.balance = s.step_accrued = 0.0
        if kind == FacilityKind.revolver and market_open:
            s.start, s.maturity = t, t + tenor
        else:
            s.status, s.available = ST_CLOSED, 0.0
        return RefiOutcome.repaid, 0.0, due
    value = collateral_value(ref, f, b)
    if market_open:
        paid = refinance(ref, b, f, t, sp, due, value, tenor, early)
        if paid is not None:
            return RefiOutcome.refinanced, paid, due
    if early:
        return RefiOutcome.not_due, 0.0, due
    if bo.cash >= due:
        bo.cash -= due
        s.balance = s.step_accrued = s.available = 0.0
        s.status = ST_CLOSED
        return RefiOutcome.repaid, due, due
    if (kind == FacilityKind.abs and s.status == ST_ACTIVE and s.ard < NO_MONTH
            and pa.f_legal_final_month[f] > t):
        s.status, s.available = ST_POST_ARD, 0.0
        return RefiOutcome.abs_step_up, 0.0, due
    ltv = due / value if value > 0.0 else math.inf
    fee = pa.f_ext_fee[f] * due
    if (pa.f_ext_months[f] > 0 and not s.extended and ltv <= pa.f_ext_max_ltv[f]
            and bo.cash >= fee):
        bo.cash -= fee
        s.extended, s.maturity = True, t + int(pa.f_ext_months[f])
        return RefiOutcome.extended, fee, due
    return RefiOutcome.failed_default, 0.0, due


def settle_balloons(ref: ReferencePath, b: int, t: int, m: BorrowerMonth, cause: int) -> int:
    """Every balloon due in month ``t`` or inside the refinancing window; returns the cause."""
    if cause:
        return cause
    pa, fp, p, out = ref.pa, ref.fp, ref.p, ref.out
    for f in range(pa.b_fac_ptr[b], pa.b_fac_ptr[b + 1]):
        s = ref.fac[f]
        if not s.open or t < s.start:
            continue
        k = event_month(s) - t  # months before the balloon date
        if k > 0 and (k > ref.prm.refi_window_months or s.status != ST_ACTIVE
                      or t <= s.start or s.balance <= BALANCE_EPS):
            continue
        u = fp.refi_u[p, f] + k * GOLDEN_FRACTION
        outcome, paid, due = settle_balloon(ref, b, f, t, u - math.floor(u), k > 0)
        if outcome == RefiOutcome.not_due:
            continue
        m.refi_paydown += paid
        if out["fac_refi_month"][f] == NO_MONTH:
            out["fac_refi_month"][f] = t
            out["fac_refi_due"][f] = due
            out["fac_refi_outcome"][f] = outcome
        if outcome in (RefiOutcome.abs_step_up, RefiOutcome.extended,
                       RefiOutcome.failed_default):
            out["cliff_month"][b] = min(out["cliff_month"][b], t)
        if outcome == RefiOutcome.failed_default:
            return int(DefaultCause.maturity)
    return cause
