"""The refinancing cliff: maturity wall, refinancing gap, time to cliff, committed drawdowns.

Months are offsets from the valuation month (month 0); a month maps to the calendar quarter of
``valuation_date + month``. Money in USD.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cliffwatch.codes import Amortization, RateKind, RefiOutcome
from cliffwatch.engine.outputs import EngineSummary
from cliffwatch.tape.arrays import NO_MONTH, PortfolioArrays
from cliffwatch.units import MONTHS_PER_YEAR

REFERENCE_SOFR: float = 0.0365
"""SOFR at t0 (mid-2026) used to size floating-rate annuity balloons, decimal per year
(DOMAIN 7: "SOFR is taken as 3.65% at t0" [estimate])."""
FAILED_OUTCOMES: tuple[RefiOutcome, ...] = (
    RefiOutcome.failed_default, RefiOutcome.extended, RefiOutcome.abs_step_up,
)
"""Outcomes that count as a failure to refinance: default, extension, or ABS past its ARD
(Trepp counts loans not paid off at maturity, extensions included, as failed payoffs)."""
WINDOW: tuple[int, int] = (12, 24)
"""The cliff window, months [12, 24): +4Q to +8Q (DOMAIN 7, scenario S6)."""
GAP_PERCENTILES: tuple[float, float] = (5.0, 95.0)
"""Percentiles of the per-path refinancing gap reported beside its mean."""
MONTHS_PER_QUARTER: int = 3


def quarter_keys(months: np.ndarray, valuation_date: np.datetime64) -> np.ndarray:
    """Absolute calendar-quarter index (year·4 + quarter-1) of month offsets (int64)."""
    base = np.asarray(valuation_date).astype("datetime64[M]").astype(np.int64)  # since 1970-01
    return (base + np.asarray(months, dtype=np.int64)) // MONTHS_PER_QUARTER + 1970 * 4


def quarter_label(key: int) -> str:
    """``2027Q3`` for an absolute quarter index."""
    return f"{key // 4}Q{key % 4 + 1}"


def maturity_wall(
    due_month: np.ndarray,
    due_amount: np.ndarray,
    structures: tuple[str, ...] | np.ndarray,
    valuation_date: np.datetime64,
) -> pd.DataFrame:
    """Debt due per calendar quarter and structure.

    Parameters
    ----------
    due_month : ndarray (NF,) int
        Month of the maturity / ARD event (NO_MONTH rows are dropped).
    due_amount : ndarray (NF,) float
        Principal due then, USD.
    structures : (NF,) labels
    valuation_date : datetime64 of month 0

    Returns
    -------
    DataFrame with columns quarter, structure, due; sorted by quarter then structure.
    """
    months = np.asarray(due_month, dtype=np.int64)
    keep = months < NO_MONTH
    df = pd.DataFrame({
        "key": quarter_keys(months[keep], valuation_date),
        "structure": np.asarray(structures, dtype=object)[keep],
        "due": np.asarray(due_amount, dtype=np.float64)[keep],
    })
    out = df.groupby(["key", "structure"], as_index=False, sort=True)["due"].sum()
    out.insert(0, "quarter", [quarter_label(int(k)) for k in out["key"]])
    return out.drop(columns="key")


def _annuity_balance(balance: float, rate: float, remaining: int, periods: int) -> float:
    """Balance of a level-payment loan after ``periods`` of ``remaining`` payments (monthly)."""
    if periods >= remaining:
        return 0.0
    if rate == 0.0:
        return balance * (1.0 - periods / remaining)
    growth = (1.0 + rate) ** periods
    payment = balance * rate / (1.0 - (1.0 + rate) ** -remaining)
    return balance * growth - payment * (growth - 1.0) / rate


def _annual_rate(pa: PortfolioArrays, f: int, base_rate: float) -> float:
    if pa.f_rate_kind[f] == RateKind.fixed:
        return float(pa.f_coupon[f])
    return float(np.clip(base_rate, pa.f_floor[f], pa.f_cap[f]) + pa.f_spread[f])


def _scheduled_balance(pa: PortfolioArrays, f: int, month: int, base_rate: float) -> float:
    """Contractual balance of facility ``f`` just before its payment due at ``month``."""
    d0, d1 = pa.f_draw_ptr[f], pa.f_draw_ptr[f + 1]
    draws = pa.draw_amount[d0:d1][(pa.draw_month[d0:d1] >= 0) & (pa.draw_month[d0:d1] < month)]
    b0, kind, start = float(pa.f_drawn[f]), int(pa.f_amort[f]), int(pa.f_start_month[f])
    term, r = int(pa.f_amort_term_months[f]), _annual_rate(pa, f, base_rate) / MONTHS_PER_YEAR
    if kind == Amortization.custom:
        s0, s1 = pa.f_sched_ptr[f], pa.f_sched_ptr[f + 1]
        sched = pa.sched_month[s0:s1]
        paid = pa.sched_amount[s0:s1][(sched >= 0) & (sched < month)]
        return max(b0 + draws.sum() - paid.sum(), 0.0)
    if kind in (Amortization.bullet, Amortization.sweep) or term <= 0:
        return b0 + draws.sum()  # a sweep has no contractual paydown
    amort_start = start + (int(pa.f_io_months[f]) if kind == Amortization.io_then_annuity else 0)
    remaining = term - max(0, -amort_start)
    periods = month - max(amort_start, 0)
    if periods <= 0:
        return b0 + draws.sum()
    if remaining <= 0:
        return draws.sum()
    if kind == Amortization.straight_line:
        return b0 * max(0.0, 1.0 - periods / remaining) + draws.sum()
    return _annuity_balance(b0, r, remaining, periods) + draws.sum()


def contractual_due(
    pa: PortfolioArrays, base_rate: float = REFERENCE_SOFR
) -> tuple[np.ndarray, np.ndarray]:
    """Month and amount of each facility's first maturity / ARD balloon under the contract.

    The event is the ARD when there is one, else the maturity. The amount is the scheduled
    balance then: t0 balance plus scheduled draws before it, less contractual amortization
    (annuity re-amortized over the remaining term, which for a level-payment loan reproduces
    the original schedule; straight line; custom schedule; interest-only periods). Sweeps repay
    nothing contractually. Floating coupons use ``base_rate`` (floored and capped) plus the
    margin; scheduled draws are added without amortization; payments are taken monthly.

    Returns
    -------
    (month (NF,) int32 with NO_MONTH for none, amount (NF,) USD)
    """
    month = np.minimum(pa.f_ard_month, pa.f_maturity_month).astype(np.int32)
    amount = np.array([
        _scheduled_balance(pa, f, int(month[f]), base_rate) if month[f] < NO_MONTH else 0.0
        for f in range(pa.n_facilities)
    ])
    return month, amount


@dataclass(frozen=True)
class RefiGap:
    """Refinancing events by calendar quarter (Q quarters with at least one event)."""

    quarters: tuple[str, ...]
    """(Q,) labels, ascending."""
    due: np.ndarray
    """(Q,) expected debt due for refinancing, USD."""
    failed: np.ndarray
    """(Q,) expected debt failing to refinance, USD."""
    failed_p5: np.ndarray
    """(Q,) 5th percentile across paths of the failed amount, USD."""
    failed_p95: np.ndarray
    """(Q,) 95th percentile across paths, USD."""


def _failed(outcome: np.ndarray) -> np.ndarray:
    """Boolean mask of outcomes in :data:`FAILED_OUTCOMES`."""
    lookup = np.zeros(max(RefiOutcome) + 1, dtype=bool)
    lookup[list(FAILED_OUTCOMES)] = True
    return lookup[outcome]


def refinancing_gap(summary: EngineSummary, valuation_date: np.datetime64) -> RefiGap:
    """Debt due and failing to refinance per quarter, with its distribution across paths."""
    month = summary.fac_refi_month.ravel()
    outcome = summary.fac_refi_outcome.ravel()
    idx = np.flatnonzero((month < NO_MONTH) & (outcome != RefiOutcome.not_due))
    if idx.size == 0:
        empty = np.zeros(0)
        return RefiGap((), empty, empty, empty, empty)
    n = summary.n_paths
    keys = quarter_keys(month[idx], valuation_date)
    # quarters span a small range: dense relabelling is O(n), unlike a sort-based np.unique
    offset = keys - keys.min()
    present = np.bincount(offset) > 0
    uniq = np.flatnonzero(present) + keys.min()
    col = (np.cumsum(present) - 1)[offset]
    cell = (idx // summary.fac_refi_month.shape[1]) * len(uniq) + col  # (path, quarter) cell
    amount = summary.fac_refi_due.ravel()[idx]
    due = np.bincount(cell, weights=amount, minlength=n * len(uniq)).reshape(n, -1)
    failed_amount = np.where(_failed(outcome[idx]), amount, 0.0)
    failed = np.bincount(cell, weights=failed_amount, minlength=n * len(uniq)).reshape(n, -1)
    p5, p95 = np.percentile(failed, GAP_PERCENTILES, axis=0)
    labels = tuple(quarter_label(int(k)) for k in uniq)
    return RefiGap(labels, due.mean(axis=0), failed.mean(axis=0), p5, p95)


def window_due_and_failed(
    summary: EngineSummary, window: tuple[int, int] = WINDOW
) -> tuple[float, float]:
    """Expected debt due and expected debt failing to refinance in months [lo, hi), USD.

    "Due" here is what the engine found due on each path (it excludes debt of borrowers that
    defaulted earlier); :func:`contractual_due` gives the contract's figure.
    """
    lo, hi = window
    month = summary.fac_refi_month
    inside = (month >= lo) & (month < hi) & (summary.fac_refi_outcome != RefiOutcome.not_due)
    failed = inside & _failed(summary.fac_refi_outcome)
    due = np.where(inside, summary.fac_refi_due, 0.0).sum(axis=1).mean()
    return float(due), float(np.where(failed, summary.fac_refi_due, 0.0).sum(axis=1).mean())


def time_to_cliff(cliff_month: np.ndarray, max_month: int) -> tuple[np.ndarray, np.ndarray]:
    """Distribution of the first cliff month over (path, borrower) pairs.

    Returns
    -------
    (months (M,) int64 with at least one cliff, probability (M,)); the probabilities sum to
    the share of borrower-paths that hit a cliff within ``max_month`` months.
    """
    cm = np.asarray(cliff_month).ravel()
    counts = np.bincount(cm[cm < max_month], minlength=max_month)
    months = np.flatnonzero(counts)
    return months.astype(np.int64), counts[months] / cm.size


def expected_drawdowns(summary: EngineSummary) -> tuple[np.ndarray, np.ndarray]:
    """Expected drawn and undrawn held exposure per month and lender, each (T, NL), USD."""
    return summary.lender_drawn.mean(axis=0), summary.lender_undrawn.mean(axis=0)
