"""Twin of ``steps/month_end.py``: peaks, lender exposures and fire-sale contagion."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from cliffwatch.engine.layout import ST_ACTIVE

if TYPE_CHECKING:
    from cliffwatch.engine.reference.path import ReferencePath


def close_month(ref: ReferencePath, t: int) -> None:
    """Peaks, lender exposures, and the fire-sale impact on next month's GPU values:
    ``impact_g ×= max(exp(−sold_g / depth), 1 − max_impact_per_month)``."""
    pa, out, prm = ref.pa, ref.out, ref.prm
    for f, s in enumerate(ref.fac):
        out["fac_peak_drawn"][f] = max(out["fac_peak_drawn"][f], s.balance)
    for h in range(len(pa.h_facility)):
        s = ref.fac[pa.h_facility[h]]
        out["lender_drawn"][t, pa.h_lender[h]] += pa.h_share[h] * s.balance
        if s.status == ST_ACTIVE and t < s.maturity:
            out["lender_undrawn"][t, pa.h_lender[h]] += pa.h_share[h] * s.available
    out["gpu_units_sold"] += ref.sold
    if prm.contagion:
        for g, sold in enumerate(ref.sold):
            if sold > 0.0:
                ref.impact[g] *= max(math.exp(-sold / prm.gpu_market_depth_units),
                                     1.0 - prm.max_impact_per_month)
