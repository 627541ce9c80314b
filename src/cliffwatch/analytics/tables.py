"""Build the :data:`cliffwatch.results.TABLES` DataFrames of one scenario run.

Each ``*_table`` function takes the scenario name, the compiled portfolio and an
:class:`~cliffwatch.engine.outputs.EngineSummary` (one block, or all blocks joined with
:func:`concat_summaries`) and returns a DataFrame conformed to its schema. :func:`build_tables`
assembles every table the inputs allow. Paths are equally weighted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import fields

import numpy as np
import pandas as pd

from cliffwatch.analytics import cliff
from cliffwatch.analytics import credit_metrics as cm
from cliffwatch.analytics.benchmark_tables import (
    el_benchmark_table,
    pd_benchmark_table,
    summary_figures,
)
from cliffwatch.analytics.contagion import contagion_table
from cliffwatch.analytics.reverse_stress import ReverseStressResult
from cliffwatch.analytics.risk_measures import es_standard_error, var_es, var_standard_error
from cliffwatch.analytics.sensitivity import finite_difference
from cliffwatch.analytics.theme import theme_split_table
from cliffwatch.codes import Archetype, DefaultCause, FacilityKind, Rating
from cliffwatch.engine.outputs import EngineSummary
from cliffwatch.results import conform, empty_table
from cliffwatch.tape.arrays import PortfolioArrays

SUMMARY_LEVEL: float = 0.99
"""Confidence level of the scenario-summary VaR / ES."""
PORTFOLIO_ID: str = "portfolio"
"""Lender id of the whole-book rows of the sensitivities table."""


def concat_summaries(summaries: Sequence[EngineSummary]) -> EngineSummary:
    """Join block summaries along the path axis, in the order given (block order = path order).

    Raises
    ------
    ValueError if the list is empty or the blocks disagree on any non-path dimension.
    """
    if not summaries:
        raise ValueError("no engine summaries to concatenate")
    joined = {}
    for f in fields(EngineSummary):
        parts = [getattr(s, f.name) for s in summaries]
        shapes = {p.shape[1:] for p in parts}
        if len(shapes) != 1:
            raise ValueError(f"EngineSummary.{f.name}: blocks disagree on shape {sorted(shapes)}")
        joined[f.name] = np.concatenate(parts, axis=0)
    return EngineSummary(**joined)


def _portfolio_loss(summary: EngineSummary) -> np.ndarray:
    """(P,) loss of the whole book (all holders) per path, USD."""
    return summary.fac_loss.sum(axis=1)


def _book_lgd(summary: EngineSummary) -> float:
    """Loss / exposure at default over every facility default of every path; 0 when no
    exposure defaulted (nothing was lost, and the summary stays finite).

    ``fac_ead`` and ``fac_loss`` are zero on paths where the facility does not default, so the
    plain sums run over defaults only.
    """
    ead = float(summary.fac_ead.sum())
    return float(summary.fac_loss.sum()) / ead if ead > 0 else 0.0


def scenario_summary_table(
    scenario: str, pa: PortfolioArrays, summary: EngineSummary
) -> pd.DataFrame:
    """One row: exposure, EL, VaR99 / ES99 of the whole book, defaults, the 12–24 month window,
    and EL against the rating-implied benchmark with the model's weighted LGD."""
    loss = _portfolio_loss(summary)
    el, el_se = cm.mean_and_se(loss[:, None])
    var99, es99 = var_es(loss, SUMMARY_LEVEL)
    t = cm.horizon_months(summary)
    due_month, due_amount = cliff.contractual_due(pa)
    lo, hi = cliff.WINDOW
    _, failed = cliff.window_due_and_failed(summary, cliff.WINDOW)
    row = {
        "scenario": scenario,
        "paths": summary.n_paths,
        "exposure": float(np.maximum(pa.f_commitment, pa.f_drawn).sum()),
        "el": float(el[0]),
        "el_se": float(el_se[0]),
        "var99": var99,
        "es99": es99,
        "es99_se": es_standard_error(loss, SUMMARY_LEVEL),
        "mean_defaults": float((summary.default_month < t).sum(axis=1).mean()),
        "refi_gap_12_24": failed,
        "due_12_24": float(due_amount[(due_month >= lo) & (due_month < hi)].sum()),
        "var99_se": float(var_standard_error(loss, SUMMARY_LEVEL)),
        "lgd": _book_lgd(summary),
        **summary_figures(pa, summary, float(el[0])),
    }
    return conform("scenario_summary", pd.DataFrame([row]))


def lender_metrics_table(
    scenario: str, pa: PortfolioArrays, summary: EngineSummary
) -> pd.DataFrame:
    """One row per lender: exposure, EL, VaR/ES at 95/99/99.9% and SEs at 99%."""
    m = cm.loss_distribution_metrics(cm.lender_losses(summary, pa), cm.RISK_LEVELS)
    i99 = cm.RISK_LEVELS.index(0.99)
    df = pd.DataFrame({
        "scenario": scenario, "lender_id": list(pa.lender_ids),
        "lender_name": list(pa.lender_names), "exposure": cm.lender_exposure(pa),
        "el": m.el, "el_se": m.el_se,
        "var95": m.var[:, 0], "var99": m.var[:, 1], "var999": m.var[:, 2],
        "es95": m.es[:, 0], "es99": m.es[:, 1], "es999": m.es[:, 2],
        "var99_se": m.var_se[:, i99], "es99_se": m.es_se[:, i99],
    })
    return conform("lender_metrics", df)


def facility_metrics_table(
    scenario: str, pa: PortfolioArrays, summary: EngineSummary
) -> pd.DataFrame:
    """One row per facility: PD by horizon, EAD and LGD given default, EL."""
    fm = cm.facility_metrics(summary, pa)
    df = pd.DataFrame({
        "scenario": scenario, "facility_id": list(pa.facility_ids),
        "borrower_id": [pa.borrower_ids[b] for b in pa.f_borrower],
        "kind": [FacilityKind(int(k)).name for k in pa.f_kind],
        "structure": list(pa.facility_structures), "commitment": pa.f_commitment,
        "pd12": fm.pd[:, 0], "pd24": fm.pd[:, 1], "pd36": fm.pd[:, 2], "pd60": fm.pd[:, 3],
        "pd_se": fm.pd_se, "ead": fm.ead, "lgd": fm.lgd, "el": fm.el,
    })
    return conform("facility_metrics", df)


def borrower_metrics_table(
    scenario: str, pa: PortfolioArrays, summary: EngineSummary
) -> pd.DataFrame:
    """One row per borrower: PD total and by cause, EL, median default month, cliff window."""
    bm = cm.borrower_metrics(summary, pa)
    cause = {c: i for i, c in enumerate(cm.CAUSES)}
    df = pd.DataFrame({
        "scenario": scenario, "borrower_id": list(pa.borrower_ids),
        "borrower_name": list(pa.borrower_names),
        "archetype": [Archetype(int(a)).name for a in pa.b_archetype],
        "rating": [Rating(int(r)).name for r in pa.b_rating], "pd": bm.pd,
        "pd_payment": bm.pd_by_cause[:, cause[DefaultCause.payment]],
        "pd_covenant": bm.pd_by_cause[:, cause[DefaultCause.covenant]],
        "pd_maturity": bm.pd_by_cause[:, cause[DefaultCause.maturity]],
        "el": bm.el, "median_default_month": bm.median_default_month,
        "p_cliff_12_24": bm.p_cliff_window,
    })
    return conform("borrower_metrics", df)


def maturity_wall_table(
    pa: PortfolioArrays, base_rate: float = cliff.REFERENCE_SOFR
) -> pd.DataFrame:
    """Contractual principal due per calendar quarter and structure."""
    month, amount = cliff.contractual_due(pa, base_rate)
    wall = cliff.maturity_wall(month, amount, pa.facility_structures, pa.valuation_date)
    return conform("maturity_wall", wall)


def refi_gap_table(scenario: str, pa: PortfolioArrays, summary: EngineSummary) -> pd.DataFrame:
    """Per quarter: expected debt due, expected failed refinancing, and its p5 / p95."""
    gap = cliff.refinancing_gap(summary, pa.valuation_date)
    df = pd.DataFrame({
        "scenario": scenario, "quarter": list(gap.quarters), "due": gap.due,
        "failed": gap.failed, "failed_p5": gap.failed_p5, "failed_p95": gap.failed_p95,
    })
    return conform("refi_gap", df)


def time_to_cliff_table(scenario: str, summary: EngineSummary) -> pd.DataFrame:
    """Probability per borrower-path that the first cliff falls in each month."""
    months, prob = cliff.time_to_cliff(summary.cliff_month, cm.horizon_months(summary))
    df = pd.DataFrame({"scenario": scenario, "month": months, "probability": prob})
    return conform("time_to_cliff", df)


def lender_loss_paths_table(
    scenario: str, pa: PortfolioArrays, summary: EngineSummary, first_path: int = 0
) -> pd.DataFrame:
    """Loss of every lender on every path (long format); ``first_path`` offsets path indices."""
    losses = cm.lender_losses(summary, pa)
    n, nl = losses.shape
    df = pd.DataFrame({
        "scenario": scenario,
        "path": np.repeat(np.arange(first_path, first_path + n), nl),
        "lender_id": np.tile(np.asarray(pa.lender_ids, dtype=object), n),
        "loss": losses.ravel(),
    })
    return conform("lender_loss_paths", df)


def risk_contributions_table(
    scenario: str, pa: PortfolioArrays, summary: EngineSummary
) -> pd.DataFrame:
    """Euler contribution of each held facility to its lender's ES99 (sums to the ES99)."""
    contrib = cm.euler_contributions(summary, pa, cm.CONTRIBUTION_LEVEL)
    df = pd.DataFrame({
        "lender": pa.h_lender, "facility": pa.h_facility, "es99_contribution": contrib,
    }).groupby(["lender", "facility"], as_index=False, sort=True)["es99_contribution"].sum()
    df.insert(0, "scenario", scenario)
    df.insert(1, "lender_id", [pa.lender_ids[i] for i in df["lender"]])
    df.insert(2, "facility_id", [pa.facility_ids[i] for i in df["facility"]])
    return conform("risk_contributions", df)


def drawdowns_table(scenario: str, pa: PortfolioArrays, summary: EngineSummary) -> pd.DataFrame:
    """Expected drawn and undrawn held exposure per lender and month."""
    drawn, undrawn = cliff.expected_drawdowns(summary)
    t, nl = drawn.shape
    df = pd.DataFrame({
        "scenario": scenario,
        "lender_id": np.repeat(np.asarray(pa.lender_ids, dtype=object), t),
        "month": np.tile(np.arange(t), nl),
        "drawn": drawn.T.ravel(), "undrawn": undrawn.T.ravel(),
    })
    return conform("drawdowns", df)


def sensitivities_table(
    scenario: str,
    pa: PortfolioArrays,
    base: EngineSummary,
    bumped: Mapping[str, tuple[EngineSummary, float]],
) -> pd.DataFrame:
    """ΔEL and ΔES99 per unit bump, per lender and for the whole book, from paired paths.

    Parameters
    ----------
    bumped : bump name -> (summary of the same paths with the bump applied, bump size in the
        unit the name quotes, e.g. ``("sofr_1bp", (s, 1.0))`` for a 1 bp bump).
    """
    def losses(s: EngineSummary) -> np.ndarray:
        return np.column_stack([cm.lender_losses(s, pa), _portfolio_loss(s)])

    ids = [*pa.lender_ids, PORTFOLIO_ID]
    base_losses = losses(base)
    frames = []
    for name, (summary, size) in bumped.items():
        sens = finite_difference(base_losses, losses(summary), size)
        frames.append(pd.DataFrame({
            "scenario": scenario, "lender_id": ids, "bump": name, "d_el": sens.d_el,
            "d_el_se": sens.d_el_se, "d_es99": sens.d_es, "d_es99_se": sens.d_es_se,
        }))
    if not frames:
        return empty_table("sensitivities")
    return conform("sensitivities", pd.concat(frames, ignore_index=True))


def reverse_stress_table(
    pa: PortfolioArrays,
    utilization: Mapping[int, ReverseStressResult],
    rent_decline: Mapping[int, ReverseStressResult],
) -> pd.DataFrame:
    """Threshold shocks per borrower (NaN where it never defaults in the searched range).

    Parameters
    ----------
    utilization, rent_decline : borrower index -> result of
        :func:`~cliffwatch.analytics.reverse_stress.solve_metric` or ``solve_indicator``;
        borrowers missing from both are left out.
    """
    rows = sorted(set(utilization) | set(rent_decline))

    def value(results: Mapping[int, ReverseStressResult], b: int) -> float:
        return results[b].threshold if b in results else float("nan")

    df = pd.DataFrame({
        "borrower_id": [pa.borrower_ids[b] for b in rows],
        "utilization_threshold": [value(utilization, b) for b in rows],
        "rent_decline_threshold": [value(rent_decline, b) for b in rows],
    })
    return conform("reverse_stress", df)


def build_tables(
    scenario: str,
    pa: PortfolioArrays,
    summary: EngineSummary | Sequence[EngineSummary],
    *,
    contagion_off: EngineSummary | Sequence[EngineSummary] | None = None,
    bumped: Mapping[str, tuple[EngineSummary, float]] | None = None,
    base_rate: float = cliff.REFERENCE_SOFR,
) -> dict[str, pd.DataFrame]:
    """Every analytics table of one scenario.

    Parameters
    ----------
    summary : the run (one summary, or its blocks in path order)
    contagion_off : the same paths run without contagion, to fill the ``contagion`` table
    bumped : paired bumped runs for the ``sensitivities`` table (see :func:`sensitivities_table`)
    base_rate : SOFR used to size floating-rate balloons of the maturity wall, decimal
    """
    s = summary if isinstance(summary, EngineSummary) else concat_summaries(summary)
    tables = {
        "scenario_summary": scenario_summary_table(scenario, pa, s),
        "lender_metrics": lender_metrics_table(scenario, pa, s),
        "facility_metrics": facility_metrics_table(scenario, pa, s),
        "borrower_metrics": borrower_metrics_table(scenario, pa, s),
        "maturity_wall": maturity_wall_table(pa, base_rate),
        "refi_gap": refi_gap_table(scenario, pa, s),
        "time_to_cliff": time_to_cliff_table(scenario, s),
        "lender_loss_paths": lender_loss_paths_table(scenario, pa, s),
        "risk_contributions": risk_contributions_table(scenario, pa, s),
        "drawdowns": drawdowns_table(scenario, pa, s),
        "theme_split": theme_split_table(scenario, pa, s),
        "el_benchmark": el_benchmark_table(scenario, pa, s),
        "pd_benchmark": pd_benchmark_table(scenario, pa, s),
    }
    if contagion_off is not None:
        off = (contagion_off if isinstance(contagion_off, EngineSummary)
               else concat_summaries(contagion_off))
        tables["contagion"] = contagion_table(s, off, pa, scenario)
    if bumped:
        tables["sensitivities"] = sensitivities_table(scenario, pa, s, bumped)
    return tables
