"""Twin of ``steps/default.py``: acceleration, collateral sale and the recovery waterfall."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cliffwatch.codes import AssetKind, DefaultCause
from cliffwatch.engine.layout import ST_DEFAULTED

if TYPE_CHECKING:
    from cliffwatch.engine.reference.path import ReferencePath


def cross_default(ref: ReferencePath, b: int, t: int) -> int:
    """``cross_default`` once the borrower's exogenous default month has come, else 0."""
    if ref.fp.borrower_ext_default_month[ref.p, b] <= t:
        return int(DefaultCause.cross_default)
    return 0


def sale_proceeds(ref: ReferencePath, b: int, t: int) -> dict[int, float]:
    """Net proceeds per asset; every GPU unit of the borrower counts as sold."""
    pa, prm, p = ref.pa, ref.prm, ref.p
    proceeds = {}
    for a in range(pa.b_asset_ptr[b], pa.b_asset_ptr[b + 1]):
        if pa.a_kind[a] == AssetKind.gpu_fleet:
            g = pa.a_gpu_gen[a]
            proceeds[a] = (pa.a_units[a] * ref.fp.gpu_value[p, g, t] * ref.impact[g]
                           * (1.0 - prm.gpu_fire_sale_haircut) * (1.0 - prm.gpu_sale_cost))
            ref.sold[g] += pa.a_units[a]
        elif pa.a_kind[a] == AssetKind.data_center:
            proceeds[a] = ref.asset_value[a] * (1.0 - prm.dc_sale_cost)
        elif pa.a_kind[a] == AssetKind.software_business:
            proceeds[a] = ref.asset_value[a] * prm.software_sale_ratio
        else:
            proceeds[a] = 0.0
    return proceeds


def liquidate(ref: ReferencePath, b: int, t: int, cause: int) -> float:
    """Sell the collateral, pay secured claims from their own assets by rank, then the
    residual pool (leftover proceeds + cash) by rank, pro rata within a rank; returns the
    cash the estate used."""
    pa = ref.pa
    fs = range(pa.b_fac_ptr[b], pa.b_fac_ptr[b + 1])
    ead = {f: (ref.fac[f].balance + ref.fac[f].accrued + ref.fac[f].fee_accrued
               + ref.fac[f].step_accrued) if ref.fac[f].open else 0.0 for f in fs}
    proceeds = sale_proceeds(ref, b, t)
    rec = {f: 0.0 for f in fs}
    for f in fs:
        if pa.f_secured[f]:
            for a in pa.coll_asset[pa.f_coll_ptr[f]:pa.f_coll_ptr[f + 1]]:
                take = min(proceeds[a], ead[f] - rec[f])
                if take > 0.0:
                    rec[f] += take
                    proceeds[a] -= take
    used = max(ref.bor[b].cash, 0.0)
    pool = used + sum(proceeds.values())
    for rank in sorted({int(pa.f_rank[f]) for f in fs}):
        group = [f for f in fs if pa.f_rank[f] == rank]
        claims = sum(ead[f] - rec[f] for f in group)
        if claims > 0.0 and pool > 0.0:
            paid = min(pool, claims)
            for f in group:
                rec[f] += (ead[f] - rec[f]) * (paid / claims)
            pool -= paid
    for f in fs:
        ref.out["fac_ead"][f] = ead[f]
        ref.out["fac_loss"][f] = max(ead[f] - rec[f], 0.0)  # as the kernel
        s = ref.fac[f]
        if s.open:
            s.status = ST_DEFAULTED
        s.balance = s.accrued = s.fee_accrued = s.step_accrued = s.available = 0.0
    ref.bor[b].cash -= used
    ref.bor[b].default_month = t
    ref.out["default_month"][b] = t
    ref.out["default_cause"][b] = cause
    return used
