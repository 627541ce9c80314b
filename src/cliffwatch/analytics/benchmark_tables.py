"""The ``el_benchmark`` and ``pd_benchmark`` tables: the model beside the rating-implied benchmark.

See :mod:`cliffwatch.analytics.benchmark` for the benchmark's definition and
:data:`cliffwatch.results.TABLES` for the columns. The benchmark does not depend on the
scenario (it is a long-run average); each scenario's rows compare that scenario's model
figures with it. Money in USD, probabilities as decimals.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cliffwatch.analytics import benchmark as bm
from cliffwatch.analytics import credit_metrics as cm
from cliffwatch.codes import Archetype, Rating
from cliffwatch.engine.outputs import EngineSummary
from cliffwatch.market.default_studies import DefaultStudies, load_default_studies
from cliffwatch.results import conform
from cliffwatch.tape.arrays import PortfolioArrays

BOOK_ID: str = "portfolio"
"""lender_id of the whole-book row (as in the sensitivities and theme tables)."""
UNALLOCATED_ID: str = "unallocated"
"""lender_id of the share of facilities that no lender on the tape holds."""
PD_MONTHS: tuple[int, ...] = (12, 24, 60)
"""Horizons of the per-borrower PD comparison, months (capped at the run horizon)."""


def el_benchmark_table(
    scenario: str, pa: PortfolioArrays, summary: EngineSummary,
    studies: DefaultStudies | None = None,
) -> pd.DataFrame:
    """Per lender, the unallocated share and the whole book: model EL, benchmark EL, ratio."""
    st = studies or load_default_studies()
    fb = bm.facility_benchmark(pa, cm.horizon_months(summary), st)
    fac_el = np.mean(summary.fac_loss, axis=0)
    model, model_other = bm.split_by_holder(fac_el, pa)
    bench, bench_other = bm.split_by_holder(fb.el, pa)
    expo, expo_other = bm.split_by_holder(fb.ead, pa)
    model_el = [*model, model_other, float(fac_el.sum())]
    bench_el = [*bench, bench_other, float(fb.el.sum())]
    df = pd.DataFrame({
        "scenario": scenario,
        "lender_id": [*pa.lender_ids, UNALLOCATED_ID, BOOK_ID],
        "lender_name": [*pa.lender_names, "unallocated / other holders", "whole book"],
        "exposure": [*expo, expo_other, float(fb.ead.sum())],
        "model_el": model_el, "benchmark_el": bench_el,
        "ratio": bm.ratio(np.asarray(model_el), np.asarray(bench_el)),
    })
    return conform("el_benchmark", df)


def pd_benchmark_table(
    scenario: str, pa: PortfolioArrays, summary: EngineSummary,
    studies: DefaultStudies | None = None,
) -> pd.DataFrame:
    """Per borrower: the model's cumulative PD at 12/24/60 months beside the rating-implied PD."""
    st = studies or load_default_studies()
    t = cm.horizon_months(summary)
    model = cm.pd_by_horizon(summary.default_month, PD_MONTHS, t)
    letters, bases = bm.benchmark_ratings(pa, st)
    implied = np.stack([st.cumulative_pd(letters, min(h, t)) for h in PD_MONTHS], axis=1)
    ratios = bm.ratio(model, implied)
    cols: dict[str, object] = {
        "scenario": scenario, "borrower_id": list(pa.borrower_ids),
        "borrower_name": list(pa.borrower_names),
        "archetype": [Archetype(int(a)).name for a in pa.b_archetype],
        "rating": [Rating(int(r)).name for r in pa.b_rating],
        "benchmark_rating": [Rating(int(r)).name for r in letters], "rating_basis": bases,
    }
    for i, h in enumerate(PD_MONTHS):
        cols[f"pd{h}"] = model[:, i]
        cols[f"implied_pd{h}"] = implied[:, i]
        cols[f"ratio{h}"] = ratios[:, i]
    return conform("pd_benchmark", pd.DataFrame(cols))


def summary_figures(
    pa: PortfolioArrays, summary: EngineSummary, model_el: float,
    studies: DefaultStudies | None = None,
) -> dict[str, float]:
    """The three calibration figures of the scenario summary: ``benchmark_el`` (USD),
    ``el_to_benchmark`` (``model_el`` / benchmark EL) and ``weighted_lgd`` (the model's
    PD-and-EAD-weighted LGD over facilities at the run horizon, decimal)."""
    st = studies or load_default_studies()
    t = cm.horizon_months(summary)
    bench = float(bm.facility_benchmark(pa, t, st).el.sum())
    fm = cm.facility_metrics(summary, pa)
    horizon_pd = cm.pd_by_horizon(summary.default_month, (t,), t)[:, 0][pa.f_borrower]
    return {
        "benchmark_el": bench,
        "el_to_benchmark": float(bm.ratio(model_el, bench)),
        "weighted_lgd": bm.weighted_lgd(horizon_pd, fm.ead, fm.el),
    }
