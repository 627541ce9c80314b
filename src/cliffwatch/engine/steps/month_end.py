"""Month end: peak balances, lender exposures and fire-sale contagion, after every borrower.

* `fac_peak_drawn` keeps each facility's highest month-end balance (USD).
* Lender exposures: `lender_drawn[p, t, l] = Σ share × balance` and `lender_undrawn = Σ share ×
  undrawn commitment` of open facilities before maturity (USD).
* **Contagion** (`EngineParams.contagion`): per generation `g`, `multiplier_g ×= max(exp(−sold_g
  / depth), 1 − max_impact_per_month)` with `sold_g` the units liquidated by all borrowers
  defaulting in month `t` (Cont–Schaanning exponential impact; `depth` in GPUs). It applies to
  GPU values from month `t+1` for collateral tests, refinancing values and sale proceeds. Off →
  the multiplier stays 1. `gpu_units_sold` and `gpu_price_impact` are reported per path.
  Exogenous price paths already contain the scenario's own declines; the multiplier is only the
  endogenous part.
"""

from __future__ import annotations

import math

from cliffwatch.engine.jit import step_fn
from cliffwatch.engine.layout import FS, FT, IS, ST_ACTIVE, P
from cliffwatch.engine.state import Book, Outputs, PathState, Trace


@step_fn
def close_month(bk: Book, ps: PathState, out: Outputs, tr: Trace, p: int, t: int) -> None:
    """Peaks, the facility trace's balances, lender exposures and the fire-sale impact."""
    fs, st = ps.fs, ps.st
    for f in range(bk.nf):
        if fs[f, FS.BAL] > out.fac_peak_drawn[p, f]:
            out.fac_peak_drawn[p, f] = fs[f, FS.BAL]
        if tr.on:
            tr.fac[t, f, FT.BALANCE] = fs[f, FS.BAL]
            tr.fac[t, f, FT.STEP_UP] = fs[f, FS.STEP]
            tr.fac[t, f, FT.STATUS] = st[f, IS.MODE]
    # Exposure sums start at +0.0, so a zero term (closed or defaulted facility, drawn
    # commitment) leaves their bits unchanged and is skipped: no load-add-store.
    for h in range(bk.h_facility.shape[0]):
        f = bk.h_facility[h]
        drawn = bk.h_share[h] * fs[f, FS.BAL]
        if drawn != 0.0:
            out.lender_drawn[p, t, bk.h_lender[h]] += drawn
        if st[f, IS.MODE] == ST_ACTIVE and t < st[f, IS.MAT]:
            undrawn = bk.h_share[h] * fs[f, FS.AVAIL]
            if undrawn != 0.0:
                out.lender_undrawn[p, t, bk.h_lender[h]] += undrawn
    prm = bk.prm
    for g in range(bk.G):
        out.gpu_units_sold[p, g] += ps.sold[g]
        if prm[P.CONTAGION] > 0.0 and ps.sold[g] > 0.0:
            ps.impact[g] *= max(math.exp(-ps.sold[g] / prm[P.DEPTH]), 1.0 - prm[P.MAX_IMPACT])
