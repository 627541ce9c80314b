"""Twin of ``steps/draws.py``: scheduled draws."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cliffwatch.engine.layout import ST_ACTIVE
from cliffwatch.engine.reference.state import BorrowerMonth

if TYPE_CHECKING:
    from cliffwatch.engine.reference.path import ReferencePath


def scheduled_draws(ref: ReferencePath, b: int, t: int, m: BorrowerMonth, cause: int) -> None:
    """``min(amount, undrawn)`` of every draw dated ``t``, into the balance and cash."""
    pa, bo = ref.pa, ref.bor[b]
    for f in range(pa.b_fac_ptr[b], pa.b_fac_ptr[b + 1]):
        s = ref.fac[f]
        if cause or s.status != ST_ACTIVE or t < s.start or t >= s.maturity:
            continue
        for j in range(pa.f_draw_ptr[f], pa.f_draw_ptr[f + 1]):
            if pa.draw_month[j] == t:
                amt = min(pa.draw_amount[j], s.available)
                s.balance += amt
                s.available -= amt
                bo.cash += amt
                m.draws += amt
