"""The rating-implied benchmark: what a naive external model says the tape loses.

Per facility, over the run horizon ``H`` months::

    benchmark EL = EAD x PD(letter, H) x LGD(seniority)

* **EAD** is the facility's exposure at t0 as every exposure column of the results reports it
  (:func:`cliffwatch.analytics.credit_metrics.facility_face`): the commitment, or the drawn
  balance where that is larger. It assumes undrawn commitments are fully drawn at default and
  no amortisation before it (a 100% credit-conversion factor), the usual naive convention; the
  engine's own EAD is path-dependent and defined only on default paths, so it cannot serve an
  external benchmark.
* **PD** is the long-run average cumulative default rate of the borrower's rating letter over
  ``H`` (:meth:`~cliffwatch.market.default_studies.DefaultStudies.cumulative_pd`, interpolated
  in years: a 60-month run uses the five-year column). An NR borrower takes its parent's letter
  when the parent is rated, else the letter of its archetype (:func:`benchmark_ratings`).
* **LGD** comes from the facility's seniority class (:func:`seniority_classes`): secured
  facilities of the borrower's most senior secured rank are *senior secured*; junior-lien
  secured facilities and unsecured facilities of the borrower's most senior unsecured rank are
  *senior unsecured*; unsecured facilities ranking below another unsecured facility of the same
  borrower are *subordinated*.

Lender figures split facility figures by holding share; the share no lender on the tape holds
is reported as ``unallocated``. Money in USD, probabilities and LGDs as decimals.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cliffwatch.analytics.credit_metrics import facility_face
from cliffwatch.codes import Rating
from cliffwatch.market.default_studies import SENIORITIES, DefaultStudies
from cliffwatch.tape.arrays import PortfolioArrays

RATING_BASES: tuple[str, ...] = ("tape", "parent", "archetype")
"""Where a borrower's benchmark letter comes from: its own rating, its rated parent's, or the
unrated mapping of its archetype."""


def seniority_classes(pa: PortfolioArrays) -> np.ndarray:
    """(NF,) index into ``SENIORITIES`` of each facility, from its ``secured`` flag and rank.

    Ranks compare within a borrower (1 = most senior). A secured facility at the borrower's
    best secured rank is senior secured (0); a junior-lien secured facility is senior
    unsecured (1); an unsecured facility at the borrower's best unsecured rank is senior
    unsecured (1); one ranking below it is subordinated (2).
    """
    nf, nb = pa.n_facilities, pa.n_borrowers
    out = np.empty(nf, dtype=np.int64)
    big = np.iinfo(np.int64).max
    best_sec = np.full(nb, big, dtype=np.int64)
    best_uns = np.full(nb, big, dtype=np.int64)
    np.minimum.at(best_sec, pa.f_borrower[pa.f_secured], pa.f_rank[pa.f_secured])
    np.minimum.at(best_uns, pa.f_borrower[~pa.f_secured], pa.f_rank[~pa.f_secured])
    b, rank = pa.f_borrower, pa.f_rank.astype(np.int64)
    out[pa.f_secured] = np.where(rank[pa.f_secured] <= best_sec[b[pa.f_secured]], 0, 1)
    out[~pa.f_secured] = np.where(rank[~pa.f_secured] <= best_uns[b[~pa.f_secured]], 1, 2)
    return out


def benchmark_ratings(pa: PortfolioArrays, studies: DefaultStudies) -> tuple[np.ndarray, list[str]]:
    """Letter used for each borrower and where it comes from (one of ``RATING_BASES``).

    Returns
    -------
    (NB,) int array of ``codes.Rating`` letters (never NR) and (NB,) list of bases.
    """
    nr = int(Rating.NR)
    letters = np.asarray(pa.b_rating, dtype=np.int64).copy()
    bases = ["tape"] * pa.n_borrowers
    for b in np.flatnonzero(letters == nr):
        parent = int(pa.b_parent[b])
        if (studies.unrated.use_parent.value and parent >= 0
                and int(pa.b_rating[parent]) != nr):
            letters[b], bases[b] = int(pa.b_rating[parent]), "parent"
        else:
            letters[b] = studies.letter_for_archetype(int(pa.b_archetype[b]))
            bases[b] = "archetype"
    return letters, bases


@dataclass(frozen=True)
class FacilityBenchmark:
    """The benchmark's inputs and result per facility (NF rows)."""

    ead: np.ndarray
    """(NF,) exposure at t0 (commitment, or drawn if larger), USD."""
    pd: np.ndarray
    """(NF,) rating-implied cumulative PD of the borrower over the horizon, decimal."""
    seniority: np.ndarray
    """(NF,) index into ``SENIORITIES``."""
    lgd: np.ndarray
    """(NF,) seniority LGD, share of EAD."""
    el: np.ndarray
    """(NF,) benchmark expected loss ``ead * pd * lgd``, USD."""


def facility_benchmark(
    pa: PortfolioArrays, horizon_months: int, studies: DefaultStudies
) -> FacilityBenchmark:
    """EAD x rating-implied PD over ``horizon_months`` x seniority LGD of every facility."""
    letters, _ = benchmark_ratings(pa, studies)
    b_pd = studies.cumulative_pd(letters, horizon_months)
    pd = b_pd[pa.f_borrower]
    seniority = seniority_classes(pa)
    lgd = studies.lgd.values()[seniority]
    ead = facility_face(pa)
    return FacilityBenchmark(ead, pd, seniority, lgd, ead * pd * lgd)


def split_by_holder(values: np.ndarray, pa: PortfolioArrays) -> tuple[np.ndarray, float]:
    """Split per-facility amounts (NF,) by holding share.

    Returns
    -------
    (NL,) each lender's share of the amounts, USD, and the amount held by no lender on the
    tape (facilities whose shares sum to less than one), USD.
    """
    v = np.asarray(values, dtype=np.float64)
    per_lender = np.bincount(pa.h_lender, weights=pa.h_share * v[pa.h_facility],
                             minlength=pa.n_lenders)
    held = np.bincount(pa.h_facility, weights=pa.h_share, minlength=pa.n_facilities)
    unallocated = float(np.sum(np.clip(1.0 - held, 0.0, None) * v))
    return per_lender, unallocated


def weighted_lgd(pd: np.ndarray, ead: np.ndarray, el: np.ndarray) -> float:
    """PD-and-EAD-weighted average LGD ``Σ PD·EAD·LGD / Σ PD·EAD`` over facilities.

    With the model's own LGD ``EL / (PD·EAD)`` per facility this is ``Σ EL / Σ PD·EAD`` over
    facilities whose borrower can default (PD > 0); facilities that never default carry no
    weight. NaN when no facility can default.

    Parameters
    ----------
    pd : (NF,) horizon PD of the facility's borrower, decimal.
    ead : (NF,) expected exposure at default given default, USD (NaN where PD = 0).
    el : (NF,) expected loss, USD.
    """
    p = np.asarray(pd, dtype=np.float64)
    live = p > 0.0
    weight = float(np.sum(p[live] * np.asarray(ead, dtype=np.float64)[live]))
    if weight <= 0.0:
        return float("nan")
    return float(np.sum(np.asarray(el, dtype=np.float64)[live]) / weight)


def ratio(model: np.ndarray | float, benchmark: np.ndarray | float) -> np.ndarray:
    """``model / benchmark`` (NaN where the benchmark is zero)."""
    m = np.asarray(model, dtype=np.float64)
    b = np.asarray(benchmark, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(b > 0.0, m / np.where(b > 0.0, b, 1.0), np.nan)


__all__ = [
    "RATING_BASES", "SENIORITIES", "FacilityBenchmark", "benchmark_ratings",
    "facility_benchmark", "ratio", "seniority_classes", "split_by_holder", "weighted_lgd",
]
