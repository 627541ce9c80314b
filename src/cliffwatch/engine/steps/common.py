"""Small formulas several steps share: rates, the balloon date and collateral value.

Scalar arguments only where they run every facility-month (a compiled helper taking arrays
costs an atomic incref/decref pair per array per call).
"""

from __future__ import annotations

import numpy as np

from cliffwatch.codes import RateKind
from cliffwatch.engine.jit import kernel_fn, step_fn
from cliffwatch.engine.layout import ST_POST_ARD
from cliffwatch.tape.arrays import NO_MONTH

FLOATING = int(RateKind.floating)


@kernel_fn
def floating_rate(sofr: float, spread: float, floor: float, cap: float) -> float:
    """All-in floating rate: ``spread + min(max(sofr, floor), cap)``, per year."""
    return spread + min(max(sofr, floor), cap)


@kernel_fn
def contract_rate(rate_kind: int, coupon: float, spread: float, sofr: float, floor: float,
                  cap: float) -> float:
    """Current contractual rate (step-up excluded), per year: the fixed coupon or
    ``spread + min(max(SOFR, floor), cap)``."""
    if rate_kind == FLOATING:
        return floating_rate(sofr, spread, floor, cap)
    return coupon


@kernel_fn
def balloon_month(status: int, maturity: int, ard: int, legal: int) -> int:
    """Month the balloon falls due: the ARD, then the legal final once past the ARD."""
    if status == ST_POST_ARD:
        return legal
    if ard < NO_MONTH:
        return ard
    return maturity


@step_fn
def collateral_value(f: int, a_lo: int, a_hi: int, f_coll_ptr: np.ndarray,
                     coll_asset: np.ndarray, aval: np.ndarray) -> float:
    """Value of the facility's collateral (all the borrower's assets if it names none), USD."""
    v = 0.0
    if f_coll_ptr[f + 1] > f_coll_ptr[f]:
        for j in range(f_coll_ptr[f], f_coll_ptr[f + 1]):
            v += aval[coll_asset[j]]
    else:
        for a in range(a_lo, a_hi):
            v += aval[a]
    return v
