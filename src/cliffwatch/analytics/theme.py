"""The two sides of the AI theme: infrastructure and software losses per lender.

Private-credit lenders finance both the AI-infrastructure buildout (GPU loans, data centers)
and the software buyouts whose budgets that buildout cannibalises (DOMAIN.md section 9). This
module splits every lender's book, and the whole book, into the two sides and measures how
much the sides diversify each other:

* the **software side** is every facility of a borrower in
  :meth:`~cliffwatch.tape.arrays.PortfolioArrays.software_borrowers`; every other facility is
  the **infrastructure side**;
* per side and jointly: exposure at t0, expected EAD, EL, VaR99 and ES99 with standard errors
  (the existing :mod:`~cliffwatch.analytics.risk_measures`, path by path on the same paths);
* the diversification benefit ``ES_infra + ES_software - ES_joint`` (USD and as a share of the
  side sum; ES is subadditive so it is >= 0 up to rounding, ~0 means the sides fall together),
  its delta-method standard error from the ES influence functions of the three series on the
  same paths, and the Pearson correlation of the side losses across paths;
* a lender is **two-sided** when each side holds at least :data:`TWO_SIDED_MIN_SHARE` of its
  theme exposure.

Money in USD, shares and correlations as decimals.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from cliffwatch.analytics import credit_metrics as cm
from cliffwatch.analytics.risk_measures import es_influence, es_standard_error, var_es
from cliffwatch.engine.outputs import EngineSummary
from cliffwatch.results import conform
from cliffwatch.tape.arrays import PortfolioArrays

THEME_LEVEL: float = 0.99
"""Confidence level of the side VaR / ES and the diversification benefit."""
TWO_SIDED_MIN_SHARE: float = 0.10
"""Smallest share of a lender's theme exposure (drawn + undrawn at t0) that each side must
hold for the lender to count as two-sided [estimate]: below 10% one side is a rounding error
of the book, above it a joint move of the sides is material to the lender's capital."""
BOOK_ID: str = "portfolio"
"""Lender id of the whole-book row (all holders; the same id as in ``sensitivities``)."""
BOOK_NAME: str = "whole book"
"""Lender name of the whole-book row."""


@dataclass(frozen=True)
class ThemeSplit:
    """Loss statistics of K loss series split into two sides (index 0 infra, 1 software).

    Arrays have shape ``(K,)`` (joint and derived figures) or ``(K, 2)`` (per side); USD unless
    stated.
    """

    el_side: np.ndarray
    """(K, 2) expected loss per side."""
    el_joint: np.ndarray
    """(K,) expected loss of the joint series."""
    el_joint_se: np.ndarray
    """(K,) Monte Carlo standard error of el_joint."""
    var_side: np.ndarray
    """(K, 2) VaR at the split's level per side."""
    var_joint: np.ndarray
    """(K,) VaR of the joint series."""
    es_side: np.ndarray
    """(K, 2) expected shortfall per side."""
    es_side_se: np.ndarray
    """(K, 2) standard error of es_side."""
    es_joint: np.ndarray
    """(K,) expected shortfall of the joint series."""
    es_joint_se: np.ndarray
    """(K,) standard error of es_joint."""
    diversification: np.ndarray
    """(K,) ``ES_infra + ES_software - ES_joint``."""
    diversification_se: np.ndarray
    """(K,) delta-method standard error of the diversification benefit (paired paths)."""
    diversification_share: np.ndarray
    """(K,) diversification / (ES_infra + ES_software), decimal; NaN when both ES are 0."""
    correlation: np.ndarray
    """(K,) Pearson correlation of the side losses across paths; NaN if a side is constant."""


def _columns(x: np.ndarray) -> np.ndarray:
    """``x`` as a float (P, K) array: a (P,) series becomes one column."""
    arr = np.asarray(x, dtype=np.float64)
    return arr[:, None] if arr.ndim == 1 else arr


def _weighted_correlation(a: np.ndarray, b: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Column-wise Pearson correlation of (P, K) arrays under weights w (P,) summing to one."""
    da, db = a - w @ a, b - w @ b
    cov = w @ (da * db)
    sd = np.sqrt((w @ np.square(da)) * (w @ np.square(db)))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(sd > 0, cov / np.where(sd > 0, sd, 1.0), np.nan)


def _diversification_se(infra: np.ndarray, software: np.ndarray, joint: np.ndarray,
                        alpha: float, w: np.ndarray) -> np.ndarray:
    """SE of ES_i + ES_s - ES_j: the three ES estimates share paths, so their errors are
    correlated; the influence of the difference is the difference of the influences."""
    influence = (es_influence(infra, alpha, w) + es_influence(software, alpha, w)
                 - es_influence(joint, alpha, w))
    n = infra.shape[0]
    scale = n / (n - 1.0) if n > 1 else np.nan
    return np.sqrt(np.square(w) @ np.square(influence) * scale)


def split_measures(infra: np.ndarray, software: np.ndarray, joint: np.ndarray | None = None,
                   alpha: float = THEME_LEVEL, weights: np.ndarray | None = None) -> ThemeSplit:
    """EL, VaR, ES per side and jointly, the diversification benefit and the side correlation.

    Parameters
    ----------
    infra, software : ndarray, shape (P,) or (P, K)
        Loss per path of the infrastructure and software side (USD), same paths.
    joint : ndarray, same shape, optional
        Loss of the whole series per path; ``infra + software`` if omitted. Passing the loss
        computed independently (e.g. the lender's total) lets callers check the split adds up.
    alpha : float
        Confidence level of VaR and ES.
    weights : ndarray (P,), optional
        Sample weights (e.g. importance-sampling likelihood ratios); equal if omitted.

    Returns
    -------
    ThemeSplit with ``(K,)`` / ``(K, 2)`` arrays (K = 1 for (P,) inputs).
    """
    i2, s2 = _columns(infra), _columns(software)
    j2 = i2 + s2 if joint is None else _columns(joint)
    if not i2.shape == s2.shape == j2.shape:
        raise ValueError(f"side and joint losses differ in shape: {i2.shape}, {s2.shape}, "
                         f"{j2.shape}")
    w = cm.path_weights(weights, i2.shape[0])
    stacked = np.concatenate([i2, s2, j2], axis=1)  # (P, 3K): one call per measure
    k = i2.shape[1]
    el, el_se = cm.mean_and_se(stacked, weights)
    var, es = (np.atleast_1d(v) for v in var_es(stacked, alpha, weights))
    es_se = np.atleast_1d(es_standard_error(stacked, alpha, weights))
    side = np.s_[: 2 * k]

    def pair(x: np.ndarray) -> np.ndarray:
        return x[side].reshape(2, k).T

    es_sum = es[:k] + es[k:2 * k]
    diversification = es_sum - es[2 * k:]
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(es_sum > 0, diversification / np.where(es_sum > 0, es_sum, 1.0), np.nan)
    return ThemeSplit(
        el_side=pair(el), el_joint=el[2 * k:], el_joint_se=el_se[2 * k:],
        var_side=pair(var), var_joint=var[2 * k:], es_side=pair(es), es_side_se=pair(es_se),
        es_joint=es[2 * k:], es_joint_se=es_se[2 * k:], diversification=diversification,
        diversification_se=_diversification_se(i2, s2, j2, alpha, w),
        diversification_share=share, correlation=_weighted_correlation(i2, s2, w),
    )


def facility_software_side(pa: PortfolioArrays) -> np.ndarray:
    """(NF,) bool: the facility's borrower is on the software side of the theme."""
    return pa.software_borrowers()[pa.f_borrower]


def side_losses(summary: EngineSummary, pa: PortfolioArrays) -> tuple[np.ndarray, np.ndarray]:
    """Loss per path of each lender and of the whole book, on each side.

    Returns
    -------
    (infra, software) : ndarrays (P, NL + 1), USD; columns are the lenders in tape order, then
    the whole book (every facility at 100%, whoever holds it).
    """
    soft_f = facility_software_side(pa)
    out = []
    for on_side in (~soft_f, soft_f):
        held = on_side[pa.h_facility]
        lender = summary.lender_loss(pa.h_facility[held], pa.h_lender[held], pa.h_share[held],
                                     pa.n_lenders)
        book = summary.fac_loss[:, on_side].sum(axis=1)
        out.append(np.column_stack([lender, book]))
    return out[0], out[1]


def joint_losses(summary: EngineSummary, pa: PortfolioArrays) -> np.ndarray:
    """(P, NL + 1) loss per path of each lender and the whole book, computed without the split
    (the totals the lender and scenario tables report), USD."""
    return np.column_stack([cm.lender_losses(summary, pa), summary.fac_loss.sum(axis=1)])


def _by_side(per_facility: np.ndarray, pa: PortfolioArrays) -> np.ndarray:
    """(NL + 1, 2) held amounts per lender and the book, infra / software, from (NF,) values."""
    soft_f = facility_software_side(pa)
    cols = []
    for on_side in (~soft_f, soft_f):
        held = on_side[pa.h_facility]
        lender = np.bincount(pa.h_lender[held],
                             weights=pa.h_share[held] * per_facility[pa.h_facility[held]],
                             minlength=pa.n_lenders)
        cols.append(np.append(lender, per_facility[on_side].sum()))
    return np.column_stack(cols)


def side_exposure(pa: PortfolioArrays) -> np.ndarray:
    """(NL + 1, 2) drawn + undrawn exposure at t0 (commitment, or the drawn balance where it is
    larger) per lender and the whole book, infra / software, USD."""
    return _by_side(cm.facility_face(pa), pa)


def side_ead(summary: EngineSummary, pa: PortfolioArrays,
             weights: np.ndarray | None = None) -> np.ndarray:
    """(NL + 1, 2) expected exposure at default over paths (0 on paths without default) per
    lender and the whole book, infra / software, USD."""
    w = cm.path_weights(weights, summary.n_paths)
    return _by_side(w @ summary.fac_ead, pa)


def two_sided(exposure: np.ndarray, min_share: float = TWO_SIDED_MIN_SHARE) -> np.ndarray:
    """(K,) bool: each side holds at least ``min_share`` of the theme exposure (K, 2)."""
    total = exposure.sum(axis=1)
    return (total > 0) & (exposure.min(axis=1) >= min_share * total)


def theme_columns(m: ThemeSplit, exposure: np.ndarray, ead: np.ndarray) -> dict[str, Any]:
    """The measure columns of a ``theme_split`` table from the measures, the month-0 exposure
    per side (K, 2) and the EAD per side (K, 2), USD; rows are lenders then the book."""
    total = exposure.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        soft_share = np.where(total > 0, exposure[:, 1] / np.where(total > 0, total, 1.0), np.nan)
    return {
        "exposure_infra": exposure[:, 0], "exposure_software": exposure[:, 1],
        "software_share": soft_share, "ead_infra": ead[:, 0], "ead_software": ead[:, 1],
        "el_infra": m.el_side[:, 0], "el_software": m.el_side[:, 1], "el_joint": m.el_joint,
        "el_joint_se": m.el_joint_se, "var99_infra": m.var_side[:, 0],
        "var99_software": m.var_side[:, 1], "var99_joint": m.var_joint,
        "es99_infra": m.es_side[:, 0], "es99_software": m.es_side[:, 1],
        "es99_joint": m.es_joint, "es99_infra_se": m.es_side_se[:, 0],
        "es99_software_se": m.es_side_se[:, 1], "es99_joint_se": m.es_joint_se,
        "diversification": m.diversification, "diversification_se": m.diversification_se,
        "diversification_share": m.diversification_share, "loss_correlation": m.correlation,
        "two_sided": two_sided(exposure),
    }


def theme_split_table(scenario: str, pa: PortfolioArrays, summary: EngineSummary,
                      weights: np.ndarray | None = None) -> pd.DataFrame:
    """One row per lender and one for the whole book: the two sides of the AI theme.

    See the ``theme_split`` entry of :data:`cliffwatch.results.TABLES` for the columns.
    """
    infra, software = side_losses(summary, pa)
    m = split_measures(infra, software, joint_losses(summary, pa), THEME_LEVEL, weights)
    ids = [*pa.lender_ids, BOOK_ID]
    names = [*pa.lender_names, BOOK_NAME]
    df = pd.DataFrame({"scenario": scenario, "lender_id": ids, "lender_name": names}
                      | theme_columns(m, side_exposure(pa), side_ead(summary, pa, weights)))
    return conform("theme_split", df)
