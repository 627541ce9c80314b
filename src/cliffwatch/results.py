"""The result of a run: named tables plus a manifest.

This is the contract between analytics (which fill the tables), the store (which persists
them), and the report, workbook and dashboard (which display them). Every table is a pandas
DataFrame whose columns are exactly those listed in :data:`TABLES`, in that order. Money is in
USD, probabilities and rates are decimals, months are offsets from the valuation month.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

# table name -> ordered (column, dtype, description). dtype is a pandas dtype string.
TABLES: dict[str, list[tuple[str, str, str]]] = {
    "scenario_summary": [
        ("scenario", "string", "scenario name"),
        ("paths", "int64", "Monte Carlo paths"),
        ("exposure", "float64", "total drawn + committed exposure at t0, USD"),
        ("el", "float64", "expected loss over the horizon, USD"),
        ("el_se", "float64", "Monte Carlo standard error of el, USD"),
        ("var99", "float64", "99% VaR of total portfolio loss, USD"),
        ("es99", "float64", "99% expected shortfall of total portfolio loss, USD"),
        ("es99_se", "float64", "standard error of es99, USD"),
        ("mean_defaults", "float64", "mean number of borrowers defaulting within the horizon"),
        ("refi_gap_12_24", "float64", "expected debt failing to refinance in months 12-24, USD"),
        ("due_12_24", "float64", "debt contractually due in months 12-24, USD"),
        ("var99_se", "float64", "standard error of var99, USD"),
        ("lgd", "float64", "loss given default of the book: loss / exposure at default, pooled "
                           "over every default of every path (0 if no exposure defaulted), decimal"),
        ("benchmark_el", "float64", "rating-implied benchmark EL over the horizon: exposure x rating default rate x seniority LGD, USD"),
        ("el_to_benchmark", "float64", "el / benchmark_el (NaN when benchmark_el is 0)"),
        ("weighted_lgd", "float64", "PD-and-EAD-weighted average model LGD, sum EL / sum PD x EAD over facilities, decimal (NaN when no borrower defaults on any path)"),
    ],
    "lender_metrics": [
        ("scenario", "string", "scenario name"),
        ("lender_id", "string", "lender id"),
        ("lender_name", "string", "lender name"),
        ("exposure", "float64", "held share of commitments at t0, USD"),
        ("el", "float64", "expected loss, USD"),
        ("el_se", "float64", "standard error of el, USD"),
        ("var95", "float64", "VaR 95%, USD"),
        ("var99", "float64", "VaR 99%, USD"),
        ("var999", "float64", "VaR 99.9%, USD"),
        ("es95", "float64", "expected shortfall 95%, USD"),
        ("es99", "float64", "expected shortfall 99%, USD"),
        ("es999", "float64", "expected shortfall 99.9%, USD"),
        ("var99_se", "float64", "standard error of var99, USD"),
        ("es99_se", "float64", "standard error of es99, USD"),
    ],
    "facility_metrics": [
        ("scenario", "string", "scenario name"),
        ("facility_id", "string", "facility id"),
        ("borrower_id", "string", "borrower id"),
        ("kind", "string", "facility kind"),
        ("structure", "string", "structure label"),
        ("commitment", "float64", "commitment at t0, USD"),
        ("pd12", "float64", "probability of default within 12 months"),
        ("pd24", "float64", "... within 24 months"),
        ("pd36", "float64", "... within 36 months"),
        ("pd60", "float64", "... within 60 months (or the horizon if shorter)"),
        ("pd_se", "float64", "standard error of the horizon PD"),
        ("ead", "float64", "expected exposure at default given default, USD"),
        ("lgd", "float64", "expected loss given default, share of EAD"),
        ("el", "float64", "expected loss, USD"),
    ],
    "borrower_metrics": [
        ("scenario", "string", "scenario name"),
        ("borrower_id", "string", "borrower id"),
        ("borrower_name", "string", "borrower name"),
        ("archetype", "string", "archetype"),
        ("rating", "string", "rating"),
        ("pd", "float64", "probability of default within the horizon"),
        ("pd_payment", "float64", "... by payment default"),
        ("pd_covenant", "float64", "... by covenant default"),
        ("pd_maturity", "float64", "... by failed refinancing"),
        ("el", "float64", "expected loss on its facilities, USD"),
        ("median_default_month", "float64", "median default month given default"),
        ("p_cliff_12_24", "float64", "probability the cliff (failed refi or DSCR<1) hits in months 12-24"),
    ],
    "el_benchmark": [
        ("scenario", "string", "scenario name"),
        ("lender_id", "string", "lender id, 'unallocated' (share no lender on the tape holds) or 'portfolio' (whole book)"),
        ("lender_name", "string", "lender name"),
        ("exposure", "float64", "held share of exposure at t0 (commitment, or drawn if larger), USD"),
        ("model_el", "float64", "the model's expected loss over the horizon, USD"),
        ("benchmark_el", "float64", "rating-implied benchmark EL: exposure x rating default rate over the horizon x seniority LGD, USD"),
        ("ratio", "float64", "model_el / benchmark_el"),
    ],
    "pd_benchmark": [
        ("scenario", "string", "scenario name"),
        ("borrower_id", "string", "borrower id"),
        ("borrower_name", "string", "borrower name"),
        ("archetype", "string", "archetype"),
        ("rating", "string", "rating letter on the tape (NR = unrated)"),
        ("benchmark_rating", "string", "letter the benchmark uses"),
        ("rating_basis", "string", "where that letter comes from: tape, parent (rated parent of an NR borrower) or archetype (unrated mapping)"),
        ("pd12", "float64", "model probability of default within 12 months"),
        ("implied_pd12", "float64", "rating-implied cumulative default rate within 12 months"),
        ("ratio12", "float64", "pd12 / implied_pd12"),
        ("pd24", "float64", "model PD within 24 months"),
        ("implied_pd24", "float64", "rating-implied default rate within 24 months"),
        ("ratio24", "float64", "pd24 / implied_pd24"),
        ("pd60", "float64", "model PD within 60 months (or the horizon if shorter)"),
        ("implied_pd60", "float64", "rating-implied default rate within 60 months (or the horizon)"),
        ("ratio60", "float64", "pd60 / implied_pd60"),
    ],
    "maturity_wall": [
        ("quarter", "string", "calendar quarter, e.g. 2027Q3"),
        ("structure", "string", "structure label"),
        ("due", "float64", "contractual principal due (maturities, ARDs, balloons), USD"),
    ],
    "refi_gap": [
        ("scenario", "string", "scenario name"),
        ("quarter", "string", "calendar quarter"),
        ("due", "float64", "expected debt due for refinancing, USD"),
        ("failed", "float64", "expected debt failing to refinance, USD"),
        ("failed_p5", "float64", "5th percentile across paths, USD"),
        ("failed_p95", "float64", "95th percentile across paths, USD"),
    ],
    "time_to_cliff": [
        ("scenario", "string", "scenario name"),
        ("month", "int64", "first month of a failed refinancing or DSCR < 1"),
        ("probability", "float64", "probability (over paths and borrowers, per borrower-path) of first cliff in that month"),
    ],
    "lender_loss_paths": [
        ("scenario", "string", "scenario name"),
        ("path", "int64", "path index"),
        ("lender_id", "string", "lender id"),
        ("loss", "float64", "loss over the horizon on that path, USD"),
    ],
    "risk_contributions": [
        ("scenario", "string", "scenario name"),
        ("lender_id", "string", "lender id"),
        ("facility_id", "string", "facility id"),
        ("es99_contribution", "float64", "Euler contribution to the lender's ES99, USD"),
    ],
    "contagion": [
        ("scenario", "string", "scenario name"),
        ("lender_id", "string", "lender id"),
        ("el_off", "float64", "expected loss without fire-sale contagion, USD"),
        ("el_on", "float64", "expected loss with contagion, USD"),
        ("es99_off", "float64", "ES99 without contagion, USD"),
        ("es99_on", "float64", "ES99 with contagion, USD"),
        ("extra_defaults", "float64", "mean extra borrower defaults caused by contagion"),
    ],
    "drawdowns": [
        ("scenario", "string", "scenario name"),
        ("lender_id", "string", "lender id"),
        ("month", "int64", "month"),
        ("drawn", "float64", "expected drawn exposure, USD"),
        ("undrawn", "float64", "expected undrawn commitment, USD"),
    ],
    "fan_charts": [
        ("scenario", "string", "scenario name"),
        ("factor", "string", "factor name (sofr, spread, utilization, gpu_rent:<gen>, ...)"),
        ("month", "int64", "month"),
        ("p5", "float64", "5th percentile"),
        ("p25", "float64", "25th percentile"),
        ("p50", "float64", "median"),
        ("p75", "float64", "75th percentile"),
        ("p95", "float64", "95th percentile"),
    ],
    "reverse_stress": [
        ("borrower_id", "string", "borrower id"),
        ("utilization_threshold", "float64", "utilization below which it defaults in the horizon (NaN: never in range)"),
        ("rent_decline_threshold", "float64", "rent decline at which it defaults (NaN: never in range)"),
    ],
    "sensitivities": [
        ("scenario", "string", "scenario name"),
        ("lender_id", "string", "lender id, or 'portfolio'"),
        ("bump", "string", "the move, e.g. sofr_+100bp, spread_+100bp, utilization_-10pp, gpu_value_-10pct, rent_-10pct (older runs: per-unit names such as spread_1bp)"),
        ("d_el", "float64", "change in expected loss for the bump (per unit for per-unit names), USD"),
        ("d_el_se", "float64", "standard error, USD"),
        ("d_es99", "float64", "change in ES99 for the bump (per unit for per-unit names), USD"),
        ("d_es99_se", "float64", "standard error, USD"),
    ],
    "theme_split": [
        ("scenario", "string", "scenario name"),
        ("lender_id", "string", "lender id, or 'portfolio' for the whole book"),
        ("lender_name", "string", "lender name ('whole book' for the book row)"),
        ("exposure_infra", "float64", "infrastructure-side drawn + undrawn exposure at t0, USD"),
        ("exposure_software", "float64", "software-side drawn + undrawn exposure at t0, USD"),
        ("software_share", "float64", "software side's share of the theme exposure at t0, decimal"),
        ("ead_infra", "float64", "expected exposure at default, infrastructure side, USD"),
        ("ead_software", "float64", "expected exposure at default, software side, USD"),
        ("el_infra", "float64", "expected loss, infrastructure side, USD"),
        ("el_software", "float64", "expected loss, software side, USD"),
        ("el_joint", "float64", "expected loss of both sides (= el_infra + el_software), USD"),
        ("el_joint_se", "float64", "standard error of el_joint, USD"),
        ("var99_infra", "float64", "VaR 99%, infrastructure side, USD"),
        ("var99_software", "float64", "VaR 99%, software side, USD"),
        ("var99_joint", "float64", "VaR 99% of both sides together, USD"),
        ("es99_infra", "float64", "ES 99%, infrastructure side, USD"),
        ("es99_software", "float64", "ES 99%, software side, USD"),
        ("es99_joint", "float64", "ES 99% of both sides together, USD"),
        ("es99_infra_se", "float64", "standard error of es99_infra, USD"),
        ("es99_software_se", "float64", "standard error of es99_software, USD"),
        ("es99_joint_se", "float64", "standard error of es99_joint, USD"),
        ("diversification", "float64", "es99_infra + es99_software - es99_joint (~0: none), USD"),
        ("diversification_se", "float64", "standard error of diversification (paired paths), USD"),
        ("diversification_share", "float64", "diversification / (es99_infra + es99_software), decimal"),
        ("loss_correlation", "float64", "correlation of the two sides' losses across paths"),
        ("two_sided", "bool", "each side holds >= 10% of the lender's theme exposure at t0"),
    ],
    "assumptions": [
        ("name", "string", "parameter name"),
        ("value", "string", "value with unit"),
        ("source", "string", "source or [estimate]"),
    ],
}


def empty_table(name: str) -> pd.DataFrame:
    """An empty DataFrame with the columns and dtypes of table ``name``."""
    return pd.DataFrame({c: pd.Series(dtype=d) for c, d, _ in TABLES[name]})


def conform(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """Return ``df`` with exactly the schema's columns, order and dtypes; raise if one is missing."""
    cols = TABLES[name]
    missing = [c for c, _, _ in cols if c not in df.columns]
    if missing:
        raise ValueError(f"table {name!r} lacks columns {missing}")
    return df[[c for c, _, _ in cols]].astype({c: d for c, d, _ in cols}).reset_index(drop=True)


@dataclass(frozen=True)
class RunResult:
    """Everything a run produced: tables by name (see :data:`TABLES`) and the manifest.

    The manifest holds: ``run_id``, ``created`` (ISO timestamp), ``tape_hash``, ``tape_name``,
    ``valuation_date``, ``scenarios`` (name -> resolved spec dict), ``seed``, ``paths``,
    ``horizon``, ``code_version``, ``dependencies`` (name -> version), ``timings`` (stage ->
    seconds).
    """

    tables: dict[str, pd.DataFrame]
    manifest: dict[str, Any] = field(default_factory=dict)

    def table(self, name: str) -> pd.DataFrame:
        """Table ``name`` (an empty one of the right schema if the run did not produce it)."""
        return self.tables.get(name, empty_table(name))
