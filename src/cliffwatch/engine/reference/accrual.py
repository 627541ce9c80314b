"""Twin of ``steps/accrual.py``: interest, undrawn fee, step-up and PIK margin of month t."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cliffwatch.engine.layout import ST_POST_ARD
from cliffwatch.engine.reference.common import rate

if TYPE_CHECKING:
    from cliffwatch.engine.reference.path import ReferencePath


def accrue(ref: ReferencePath, b: int, t: int, cause: int) -> None:
    """``balance × rate × year fraction`` (day count of the facility on the real calendar)."""
    if cause:
        return
    pa = ref.pa
    for f in range(pa.b_fac_ptr[b], pa.b_fac_ptr[b + 1]):
        s = ref.fac[f]
        if not s.open or t < s.start:
            continue
        yf = ref.yf[pa.f_day_count[f], t]
        s.accrued += s.balance * rate(ref, f, s, t) * yf
        if t < s.maturity:
            s.fee_accrued += s.available * pa.f_undrawn_fee[f] * yf
        if s.status == ST_POST_ARD:
            s.step_accrued += s.balance * pa.f_step_up[f] * yf
        if s.pik > 0.0:  # PIK margin on the capitalised part still outstanding
            s.accrued += min(s.pik, s.balance) * pa.f_pik_margin[f] * yf
