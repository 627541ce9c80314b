"""Fire-sale contagion measured on the engine: paired runs with the channel on and off.

The engine's GPU fire-sale channel (step "contagion" of the monthly waterfall) moves GPU values
with the units sold by defaulted borrowers. A scenario with contagion on is run twice on the
same paths (common random numbers), once with the channel off, and the per-lender difference
is the contagion effect. The textbook models it is checked against (Greenwood–Landier–Thesmar,
Cont–Schaanning) are test oracles in ``tests/oracles/fire_sale.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cliffwatch.analytics.credit_metrics import lender_losses
from cliffwatch.analytics.risk_measures import expected_shortfall
from cliffwatch.engine.outputs import EngineSummary
from cliffwatch.results import conform
from cliffwatch.tape.arrays import PortfolioArrays


@dataclass(frozen=True)
class ContagionComparison:
    """Per-lender losses of the same paths (same seed) with and without fire-sale contagion."""

    el_off: np.ndarray
    """(NL,) expected loss without contagion, USD."""
    el_on: np.ndarray
    """(NL,) expected loss with contagion, USD."""
    es99_off: np.ndarray
    """(NL,) ES99 without contagion, USD."""
    es99_on: np.ndarray
    """(NL,) ES99 with contagion, USD."""
    extra_defaults: np.ndarray
    """(NL,) mean number of the lender's borrowers per path that default only with contagion."""
    extra_defaults_total: float
    """Mean number of borrowers per path that default only with contagion."""


CONTAGION_ES_LEVEL: float = 0.99
"""ES level of the contagion comparison table."""


def contagion_comparison(
    summary_on: EngineSummary, summary_off: EngineSummary, pa: PortfolioArrays
) -> ContagionComparison:
    """Compare lender losses and defaults of paired runs with contagion on and off.

    Both summaries must come from the same seed and paths (common random numbers), so the
    per-path difference is the contagion effect. A borrower counts towards a lender when the
    lender holds any share of one of its facilities.
    """
    if summary_on.fac_loss.shape != summary_off.fac_loss.shape:
        raise ValueError("contagion on/off summaries must cover the same paths and facilities")
    t = int(summary_on.lender_drawn.shape[1])
    loss_on, loss_off = lender_losses(summary_on, pa), lender_losses(summary_off, pa)
    extra = (summary_on.default_month < t) & ~(summary_off.default_month < t)  # (P, NB)
    exposed = np.zeros((pa.n_borrowers, pa.n_lenders))
    exposed[pa.f_borrower[pa.h_facility], pa.h_lender] = 1.0
    return ContagionComparison(
        el_off=loss_off.mean(axis=0),
        el_on=loss_on.mean(axis=0),
        es99_off=np.atleast_1d(expected_shortfall(loss_off, CONTAGION_ES_LEVEL)),
        es99_on=np.atleast_1d(expected_shortfall(loss_on, CONTAGION_ES_LEVEL)),
        extra_defaults=(extra @ exposed).mean(axis=0),
        extra_defaults_total=float(extra.sum(axis=1).mean()),
    )


def contagion_table(
    summary_on: EngineSummary, summary_off: EngineSummary, pa: PortfolioArrays, scenario: str
) -> pd.DataFrame:
    """The ``contagion`` table of :mod:`cliffwatch.results`: one row per lender."""
    c = contagion_comparison(summary_on, summary_off, pa)
    df = pd.DataFrame({
        "scenario": scenario, "lender_id": list(pa.lender_ids), "el_off": c.el_off,
        "el_on": c.el_on, "es99_off": c.es99_off, "es99_on": c.es99_on,
        "extra_defaults": c.extra_defaults,
    })
    return conform("contagion", df)
