"""Recovery waterfall of a defaulted borrower (absolute priority).

1. Each secured facility, most senior first, takes the sale proceeds of its own collateral
   assets up to its exposure at default (EAD); an asset pledged to several facilities serves
   them in seniority order (input order within equal rank).
2. What is left of every asset's proceeds plus the borrower's cash forms the residual pool.
   It pays the remaining claims (unsecured facilities and secured deficiency claims) by rank,
   most senior first, pro rata within one rank.

Recovery never exceeds EAD, total recovery never exceeds proceeds plus cash, and a junior rank
recovers nothing from the pool until every more senior claim is paid in full.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, error_model="numpy")
def waterfall(
    f_lo: int,
    f_hi: int,
    a_lo: int,
    a_hi: int,
    ead: np.ndarray,
    f_secured: np.ndarray,
    f_rank: np.ndarray,
    f_coll_ptr: np.ndarray,
    coll_asset: np.ndarray,
    proceeds: np.ndarray,
    cash: float,
    recovery: np.ndarray,
) -> float:
    """Allocate a defaulted borrower's proceeds and cash to its facilities.

    Parameters
    ----------
    f_lo, f_hi : int
        The borrower's facility rows ``f_lo:f_hi``, sorted most senior first.
    a_lo, a_hi : int
        The borrower's asset rows ``a_lo:a_hi``.
    ead : numpy.ndarray
        (NF,) exposure at default per facility, USD.
    f_secured, f_rank, f_coll_ptr, coll_asset : numpy.ndarray
        Facility terms from ``PortfolioArrays``.
    proceeds : numpy.ndarray
        (NA,) net sale proceeds per asset, USD; consumed in place (left holds the unused part).
    cash : float
        Borrower cash, USD (>= 0).
    recovery : numpy.ndarray
        (NF,) output: recovery per facility, USD (rows ``f_lo:f_hi`` are written).

    Returns
    -------
    float
        Value left for equity after all claims, USD.
    """
    for f in range(f_lo, f_hi):
        recovery[f] = 0.0
        if not f_secured[f]:
            continue
        for j in range(f_coll_ptr[f], f_coll_ptr[f + 1]):
            a = coll_asset[j]
            take = min(proceeds[a], ead[f] - recovery[f])
            if take > 0.0:
                recovery[f] += take
                proceeds[a] -= take
    pool = max(cash, 0.0)
    for a in range(a_lo, a_hi):
        pool += proceeds[a]
        proceeds[a] = 0.0
    f = f_lo
    while f < f_hi:
        g = f
        claims = 0.0
        while g < f_hi and f_rank[g] == f_rank[f]:
            claims += ead[g] - recovery[g]
            g += 1
        if claims > 0.0 and pool > 0.0:
            paid = min(pool, claims)
            for h in range(f, g):
                recovery[h] += (ead[h] - recovery[h]) * (paid / claims)
            pool -= paid
        f = g
    return pool
