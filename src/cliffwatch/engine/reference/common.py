"""Twin of ``steps/common.py``: rates, the balloon date and collateral value."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cliffwatch.codes import RateKind
from cliffwatch.engine.layout import ST_POST_ARD
from cliffwatch.engine.reference.state import Facility
from cliffwatch.tape.arrays import NO_MONTH

if TYPE_CHECKING:
    from cliffwatch.engine.reference.path import ReferencePath


def rate(ref: ReferencePath, f: int, s: Facility, t: int) -> float:
    """Contractual rate: fixed coupon, or ``spread + min(max(SOFR_t, floor), cap)``."""
    if s.rate_kind == RateKind.floating:
        sofr = ref.fp.sofr[ref.p, t]
        return s.spread + min(max(sofr, ref.pa.f_floor[f]), ref.pa.f_cap[f])
    return s.coupon


def event_month(s: Facility) -> int:
    """Balloon date: legal final after the ARD, else the ARD, else maturity."""
    if s.status == ST_POST_ARD:
        return s.legal
    return s.ard if s.ard < NO_MONTH else s.maturity


def collateral_value(ref: ReferencePath, f: int, b: int) -> float:
    """Sum of the values of the facility's collateral (all the borrower's assets if none)."""
    pa = ref.pa
    assets = list(pa.coll_asset[pa.f_coll_ptr[f]:pa.f_coll_ptr[f + 1]])
    if not assets:
        assets = list(range(pa.b_asset_ptr[b], pa.b_asset_ptr[b + 1]))
    return float(sum(ref.asset_value[a] for a in assets))
