"""Twin of ``steps/sweeps.py``: excess cash flow swept to trapped, post-ARD and sweep loans."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cliffwatch.codes import Amortization
from cliffwatch.engine.constants import BALANCE_EPS
from cliffwatch.engine.layout import ST_ACTIVE, ST_CLOSED, ST_POST_ARD
from cliffwatch.engine.reference.state import BorrowerMonth

if TYPE_CHECKING:
    from cliffwatch.engine.reference.path import ReferencePath


def sweep(ref: ReferencePath, b: int, t: int, m: BorrowerMonth, cause: int) -> None:
    """``share × remaining excess`` of ``min(CFADS − debt service, cash)``, by seniority."""
    if cause:
        return
    pa, bo = ref.pa, ref.bor[b]
    excess = max(min(m.cfads - m.debt_service, bo.cash), 0.0)
    for f in range(pa.b_fac_ptr[b], pa.b_fac_ptr[b + 1]):
        s = ref.fac[f]
        sweeping = s.status == ST_POST_ARD or (
            s.status == ST_ACTIVE and t >= s.start
            and (s.trapped or s.amort == Amortization.sweep))
        if not sweeping or excess <= 0.0:
            continue
        share = pa.f_sweep_share[f] if pa.f_sweep_share[f] > 0.0 else 1.0
        x = min(share * excess, s.balance)
        s.balance -= x
        excess -= x
        if s.status == ST_POST_ARD and s.balance <= BALANCE_EPS:
            y = min(share * excess, s.step_accrued)
            s.step_accrued -= y
            excess -= y
            x += y
            if s.step_accrued <= BALANCE_EPS:
                s.status = ST_CLOSED
        bo.cash -= x
        m.sweep += x
