"""Twin of ``steps/covenants.py``: quarterly DSCR, LTV and leverage tests, cash traps."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from cliffwatch.codes import CovenantAction, DefaultCause
from cliffwatch.engine.constants import BALANCE_EPS, COVENANT_TEST_MONTHS
from cliffwatch.engine.layout import ST_ACTIVE
from cliffwatch.engine.reference.common import collateral_value
from cliffwatch.engine.reference.state import WINDOW, BorrowerMonth

if TYPE_CHECKING:
    from cliffwatch.engine.reference.path import ReferencePath


def leverage_breach(t: int, debt: float, arr: float, ebitda3: float, max_arr_lev: float,
                    max_lev: float, convert: int) -> bool:
    """``debt / ARR > max_arr_lev`` before ``convert``; from then (or without an ARR
    test) ``debt / (4 × trailing-3-month EBITDA) > max_lev``. No debt never breaches."""
    if debt <= BALANCE_EPS:
        return False
    if max_arr_lev < math.inf and t < convert:
        return arr <= 0.0 or debt / arr > max_arr_lev
    if max_lev < math.inf:
        return 4.0 * ebitda3 <= 0.0 or debt / (4.0 * ebitda3) > max_lev
    return False


def shares_collateral(ref: ReferencePath, f: int, g: int) -> bool:
    """Whether ``f`` and ``g`` have an asset in common; a facility naming no collateral is
    secured on all the borrower's assets, so it shares with every facility."""
    pa = ref.pa
    named_f = {int(a) for a in pa.coll_asset[pa.f_coll_ptr[f]:pa.f_coll_ptr[f + 1]]}
    named_g = {int(a) for a in pa.coll_asset[pa.f_coll_ptr[g]:pa.f_coll_ptr[g + 1]]}
    return not named_f or not named_g or bool(named_f & named_g)


def facility_ltv(ref: ReferencePath, f: int, b: int) -> float:
    """LTV of a secured facility on its own collateral: balances of the open secured
    facilities ranking ahead of or pari passu with ``f`` that share an asset with it,
    over the value of ``f``'s collateral."""
    pa = ref.pa
    debt = sum(ref.fac[g].balance for g in range(pa.b_fac_ptr[b], pa.b_fac_ptr[b + 1])
               if pa.f_secured[g] and pa.f_rank[g] <= pa.f_rank[f] and ref.fac[g].open
               and shares_collateral(ref, f, g))
    value = collateral_value(ref, f, b)
    if value > 0.0:
        return debt / value
    return math.inf if debt > BALANCE_EPS else 0.0


def test(ref: ReferencePath, b: int, t: int, m: BorrowerMonth, cause: int) -> int:
    """Trailing 3-month DSCR and borrower LTV every month; at a quarter end the facility
    tests, traps and the DSCR cliff. Returns the cause (covenant default on an EoD breach)."""
    pa, bo, out = ref.pa, ref.bor[b], ref.out
    fs = range(pa.b_fac_ptr[b], pa.b_fac_ptr[b + 1])
    ds3 = sum(bo.debt_service)
    m.dscr = sum(bo.cfads) / ds3 if ds3 > 0.0 else math.inf
    debt = sum(ref.fac[f].balance for f in fs)  # borrower LTV: trace only
    value = sum(ref.asset_value[a] for a in range(pa.b_asset_ptr[b], pa.b_asset_ptr[b + 1]))
    m.ltv = debt / value if value > 0.0 else (math.inf if debt > BALANCE_EPS else 0.0)
    if cause or t % WINDOW != COVENANT_TEST_MONTHS - 1:
        return cause
    if m.dscr < 1.0 and sum(bo.cfads) != 0.0:  # no DSCR cliff before operations start
        out["cliff_month"][b] = min(out["cliff_month"][b], t)
    bo.breached = False
    for f in fs:
        s = ref.fac[f]
        if s.status != ST_ACTIVE or t < s.start:
            continue
        breach = bool(pa.f_min_dscr[f] > 0.0 and m.dscr < pa.f_min_dscr[f]) or bool(
            pa.f_secured[f] and pa.f_max_ltv[f] < math.inf
            and facility_ltv(ref, f, b) > pa.f_max_ltv[f]) or bool(
            ref.software[b] and leverage_breach(
                t, debt, m.arr, sum(bo.cfads), pa.f_max_arr_leverage[f],
                pa.f_max_leverage[f], int(pa.f_cov_convert_month[f])))
        bo.breached = bo.breached or breach
        s.trapped = bool((breach and pa.f_cov_action[f] == CovenantAction.cash_trap) or (
            pa.f_trap_dscr[f] > 0.0 and m.dscr < pa.f_trap_dscr[f]))
        if breach and pa.f_cov_action[f] == CovenantAction.event_of_default:
            cause = DefaultCause.covenant
    return int(cause)
