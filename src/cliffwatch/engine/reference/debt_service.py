"""Twin of ``steps/debt_service.py``: amounts due, liquidity, payment."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cliffwatch.codes import Amortization, DefaultCause, FacilityKind
from cliffwatch.engine.amortization import scheduled_principal
from cliffwatch.engine.constants import BALANCE_EPS
from cliffwatch.engine.layout import ST_ACTIVE
from cliffwatch.engine.reference.common import event_month, rate
from cliffwatch.engine.reference.state import WINDOW, BorrowerMonth, Facility

if TYPE_CHECKING:
    from cliffwatch.engine.reference.path import ReferencePath

Dues = dict[int, tuple[float, float, float]]
"""(interest, fees, principal) due per facility, USD."""


def principal_due(ref: ReferencePath, f: int, s: Facility, t: int, payment_date: bool) -> float:
    """Scheduled principal on a payment date (rate of the period just ended) plus custom
    schedule amounts dated ``t``."""
    pa = ref.pa
    due = 0.0
    if payment_date and s.status == ST_ACTIVE:
        due = scheduled_principal(s.amort, s.balance, rate(ref, f, s, max(t - 1, 0)),
                                  int(pa.f_pay_freq[f]), t - s.start, s.term, s.io)
    if s.amort == Amortization.custom and s.status == ST_ACTIVE:
        for j in range(pa.f_sched_ptr[f], pa.f_sched_ptr[f + 1]):
            if pa.sched_month[j] == t:
                due += min(pa.sched_amount[j], s.balance - due)
    return due


def amounts_due(ref: ReferencePath, b: int, t: int, cause: int) -> Dues:
    """Interest and fees on payment dates, scheduled and custom principal, per facility."""
    pa = ref.pa
    dues: Dues = {}
    for f in range(pa.b_fac_ptr[b], pa.b_fac_ptr[b + 1]):
        s = ref.fac[f]
        s.debt_service[t % WINDOW] = 0.0
        dues[f] = (0.0, 0.0, 0.0)
        if cause or not s.open or t <= s.start:
            continue
        payment_date = (t - s.start) % int(pa.f_pay_freq[f]) == 0 or t == event_month(s)
        interest = s.accrued if payment_date else 0.0
        fees = s.fee_accrued if payment_date else 0.0
        dues[f] = (interest, fees, principal_due(ref, f, s, t, payment_date))
    return dues


def liquidity(ref: ReferencePath, b: int, t: int, m: BorrowerMonth, dues: Dues,
              total_due: float) -> float:
    """Revolver draws until cash covers ``total_due``, then (software borrowers) the PIK
    toggle; returns the total due after the toggle."""
    pa, bo = ref.pa, ref.bor[b]
    fs = range(pa.b_fac_ptr[b], pa.b_fac_ptr[b + 1])
    for f in fs:
        s = ref.fac[f]
        if bo.cash >= total_due:
            break
        if (pa.f_kind[f] == FacilityKind.revolver and s.status == ST_ACTIVE
                and s.start <= t < s.maturity and s.available > 0.0):
            d = min(s.available, total_due - bo.cash)
            s.balance += d
            s.available -= d
            bo.cash += d
            m.revolver_draw += d
    if ref.software[b] and bo.cash < total_due - BALANCE_EPS:
        # PIK toggle (software loans): capitalise a share of each facility's interest
        for f in fs:
            interest, fees, principal = dues[f]
            pik = pa.f_pik_share[f] * interest
            if pik > 0.0:
                s = ref.fac[f]
                dues[f] = (interest - pik, fees, principal)
                total_due -= pik
                s.accrued -= pik
                s.balance += pik
                s.pik += pik
    return total_due


def pay(ref: ReferencePath, b: int, t: int, m: BorrowerMonth, cause: int, dues: Dues) -> int:
    """Cash, then revolvers and the PIK toggle, else payment default; returns the cause."""
    bo = ref.bor[b]
    total_due = sum(sum(d) for d in dues.values())
    if not cause and bo.cash < total_due:
        total_due = liquidity(ref, b, t, m, dues, total_due)
        if bo.cash < total_due - BALANCE_EPS:
            cause = DefaultCause.payment
    if not cause:
        bo.cash -= total_due
        m.debt_service = total_due
        for f, (interest, fees, principal) in dues.items():
            s = ref.fac[f]
            s.balance -= principal
            s.accrued -= interest
            s.fee_accrued -= fees
            s.debt_service[t % WINDOW] = interest + fees + principal
    bo.debt_service[t % WINDOW] = m.debt_service
    return int(cause)
