"""Twin of ``steps/distribution.py``: an SPV's surplus cash to its parent."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cliffwatch.codes import Amortization, AssetKind
from cliffwatch.engine.amortization import scheduled_principal
from cliffwatch.engine.constants import DIST_RESERVE_MONTHS
from cliffwatch.engine.layout import ST_ACTIVE, ST_POST_ARD
from cliffwatch.engine.reference.common import event_month, rate
from cliffwatch.engine.reference.state import BorrowerMonth
from cliffwatch.tape.arrays import NO_MONTH
from cliffwatch.units import MONTHS_PER_YEAR

if TYPE_CHECKING:
    from cliffwatch.engine.reference.path import ReferencePath


def debt_service_ahead(ref: ReferencePath, f: int, t: int) -> float:
    """Debt service over months ``t+1 .. t+DIST_RESERVE_MONTHS``: unpaid accruals,
    interest and undrawn fees at month ``t``'s rate, scheduled principal on the current
    balance on each payment date, custom amounts, the whole balance if the balloon falls
    inside."""
    pa, s, n = ref.pa, ref.fac[f], DIST_RESERVE_MONTHS
    r = rate(ref, f, s, t)
    need = (s.accrued + s.fee_accrued + s.balance * r * n / MONTHS_PER_YEAR
            + s.available * pa.f_undrawn_fee[f] * n / MONTHS_PER_YEAR)
    if event_month(s) - t <= n:
        return need + s.balance
    freq = int(pa.f_pay_freq[f])
    for m in range(t + 1, t + n + 1):
        if m > s.start and (m - s.start) % freq == 0:
            need += scheduled_principal(s.amort, s.balance, r, freq, m - s.start, s.term,
                                        s.io)
    if s.amort == Amortization.custom:
        for j in range(pa.f_sched_ptr[f], pa.f_sched_ptr[f + 1]):
            if t < pa.sched_month[j] <= t + n:
                need += pa.sched_amount[j]
    return need


def distributable(ref: ReferencePath, b: int, t: int) -> float:
    """Cash above a reserve of the next ``DIST_RESERVE_MONTHS`` months' debt service and
    the capex still to spend; 0 while any facility is trapped or past its ARD."""
    pa = ref.pa
    reserve = 0.0
    for f in range(pa.b_fac_ptr[b], pa.b_fac_ptr[b + 1]):
        s = ref.fac[f]
        if s.status == ST_POST_ARD or (s.status == ST_ACTIVE and s.trapped):
            return 0.0
        if s.status == ST_ACTIVE:
            reserve += debt_service_ahead(ref, f, t)
    for a in range(pa.b_asset_ptr[b], pa.b_asset_ptr[b + 1]):
        comp = pa.a_completion_month[a]
        if pa.a_kind[a] == AssetKind.data_center and t < comp:
            reserve += pa.a_capex_remaining[a] * (comp - t - 1) / comp
    return max(ref.bor[b].cash - reserve, 0.0)


def distribute(ref: ReferencePath, b: int, t: int, m: BorrowerMonth, cause: int) -> None:
    """Pass the SPV's distributable cash to its parent (received when the parent is next
    processed: this month if it comes later in borrower order, else next month)."""
    parent = int(ref.pa.b_parent[b])
    bo = ref.bor[b]
    if (not cause and parent >= 0 and ref.bor[parent].default_month == NO_MONTH
            and not bo.breached):
        m.distribution_out = distributable(ref, b, t)
        bo.cash -= m.distribution_out
        ref.bor[parent].dist_in += m.distribution_out
