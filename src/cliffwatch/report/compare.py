"""What changed between two runs: inputs (tape, seed, paths, scenarios) and losses.

Pure functions over two RunResults, used by ``cliffwatch compare`` and the dashboard.

Every loss difference carries its Monte Carlo standard error and a significance flag
(``|Δ| > 1.96 SE``). Paths are generated per path index from the seed, so two runs with the
same seed share the random numbers of their common paths (path i of a 1,000-path run is path i
of a 3,000-path run). When the two runs differ only in the number of paths (same seed, tape,
horizon and scenario spec), run A's paths are a subset of run B's and, with σ the per-path
standard deviation, ``Var(mean_B − mean_A) = σ²(1/n_A − 1/n_B) = SE_A² − SE_B²``: the SE of the
difference is ``sqrt(|SE_A² − SE_B²|)``. In every other case the runs are treated as
independent, ``SE = sqrt(SE_A² + SE_B²)``; with a shared seed their positive correlation makes
the true SE smaller, so this errs towards flagging fewer differences. The ES99 difference uses
the same formulas with each run's ES99 standard error.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from cliffwatch.analytics.theme import BOOK_ID
from cliffwatch.results import RunResult

COMPARED_FACTS = ["tape_hash", "tape_name", "valuation_date", "seed", "paths", "horizon",
                  "code_version"]
"""Manifest keys compared item by item."""
PORTFOLIO = BOOK_ID
"""lender_id of the whole-portfolio row in the delta and theme tables."""
SIGNIFICANCE_Z = 1.96
"""A difference is flagged when it exceeds this many standard errors (two-sided 5%)."""
THEME_MEASURES = ["el_infra", "el_software", "es99_joint", "diversification"]
"""``theme_split`` columns compared (USD): each side's EL, the joint ES99 and what the two
sides diversify."""


@dataclass(frozen=True)
class RunComparison:
    """The differences between run A and run B.

    Attributes
    ----------
    facts : DataFrame
        ``item, a, b, changed`` for each compared manifest key.
    scenarios : DataFrame
        ``scenario, status`` with status ``both``, ``changed spec``, ``only in A``, ``only in B``.
    deltas : DataFrame
        ``scenario, lender_id, el_a, el_b, d_el, d_el_se, significant_el, es99_a, es99_b,
        d_es99, d_es99_se, significant_es99`` (USD; the flags are booleans) for every scenario
        and lender in either run, plus a ``portfolio`` row per scenario.
    theme : DataFrame
        The two sides of the AI theme (``theme_split``), B minus A: ``scenario, lender_id``
        and for each of :data:`THEME_MEASURES` its ``_a``, ``_b`` and ``d_`` columns (USD),
        for every scenario and lender with theme exposure in either run (the book row is
        ``portfolio``); empty when neither run holds a software borrower.
    """

    facts: pd.DataFrame
    scenarios: pd.DataFrame
    deltas: pd.DataFrame
    theme: pd.DataFrame


def _show(value: Any) -> str:
    return "–" if value is None else str(value)


def _facts(a: dict[str, Any], b: dict[str, Any]) -> pd.DataFrame:
    rows = [(k, _show(a.get(k)), _show(b.get(k)), a.get(k) != b.get(k)) for k in COMPARED_FACTS]
    return pd.DataFrame(rows, columns=["item", "a", "b", "changed"])


def _scenario_specs(r: RunResult) -> dict[str, Any]:
    specs = r.manifest.get("scenarios")
    if isinstance(specs, dict) and specs:
        return specs
    names = r.table("scenario_summary")["scenario"].tolist()
    return {str(n): None for n in names}


def _scenarios(a: RunResult, b: RunResult) -> pd.DataFrame:
    sa, sb = _scenario_specs(a), _scenario_specs(b)
    rows = []
    for name in dict.fromkeys([*sa, *sb]):
        if name not in sb:
            status = "only in A"
        elif name not in sa:
            status = "only in B"
        elif json.dumps(sa[name], sort_keys=True, default=str) != \
                json.dumps(sb[name], sort_keys=True, default=str):
            status = "changed spec"
        else:
            status = "both"
        rows.append((name, status))
    return pd.DataFrame(rows, columns=["scenario", "status"])


_LOSS_COLUMNS = ["scenario", "lender_id", "el", "el_se", "es99", "es99_se"]


def _losses(r: RunResult) -> pd.DataFrame:
    lm = r.table("lender_metrics")[_LOSS_COLUMNS]
    ss = r.table("scenario_summary").assign(lender_id=PORTFOLIO)[_LOSS_COLUMNS]
    out = pd.concat([lm, ss], ignore_index=True)
    return out.astype({"scenario": "string", "lender_id": "string"})


def nested_scenarios(a: RunResult, b: RunResult, scenarios: pd.DataFrame) -> set[str]:
    """Scenarios whose A and B results differ only by the number of paths (see the module
    docstring: the SE of a difference is then ``sqrt(|SE_A² − SE_B²|)``)."""
    same = all(a.manifest.get(k) == b.manifest.get(k)
               for k in ("seed", "tape_hash", "horizon", "code_version"))
    if not same:
        return set()
    return set(scenarios.loc[scenarios["status"] == "both", "scenario"].astype(str))


def _with_errors(d: pd.DataFrame, nested: set[str]) -> pd.DataFrame:
    """Add ``d_<m>_se`` and ``significant_<m>`` for EL and ES99."""
    paired = d["scenario"].astype(str).isin(nested).to_numpy()
    for m in ("el", "es99"):
        va, vb = d[f"{m}_se_a"].astype(float) ** 2, d[f"{m}_se_b"].astype(float) ** 2
        se = np.sqrt(np.where(paired, np.abs(va - vb), va + vb))
        d[f"d_{m}_se"] = se
        diff = d[f"d_{m}"].astype(float).abs().to_numpy()
        d[f"significant_{m}"] = np.where(np.isnan(diff) | np.isnan(se), False,
                                         diff > SIGNIFICANCE_Z * se)
    cols = ["scenario", "lender_id", "el_a", "el_b", "d_el", "d_el_se", "significant_el",
            "es99_a", "es99_b", "d_es99", "d_es99_se", "significant_es99"]
    return d[cols]


def _theme(r: RunResult) -> pd.DataFrame:
    t = r.table("theme_split")[["scenario", "lender_id", *THEME_MEASURES]]
    return t.astype({"scenario": "string", "lender_id": "string"})


def _delta(a: pd.DataFrame, b: pd.DataFrame, measures: list[str]) -> pd.DataFrame:
    """``a`` and ``b`` side by side on (scenario, lender_id), with ``d_<m>`` = B − A."""
    d = a.merge(b, on=["scenario", "lender_id"], how="outer", suffixes=("_a", "_b"), sort=False)
    cols = ["scenario", "lender_id"]
    for m in measures:
        d[f"d_{m}"] = d[f"{m}_b"] - d[f"{m}_a"]
        cols += [f"{m}_a", f"{m}_b", f"d_{m}"]
    return d[cols].sort_values(["scenario", "lender_id"], kind="stable").reset_index(drop=True)


def compare_runs(a: RunResult, b: RunResult) -> RunComparison:
    """Compare run ``a`` (the reference) with run ``b``; deltas are B minus A."""
    scenarios = _scenarios(a, b)
    losses = _delta(_losses(a), _losses(b), ["el", "el_se", "es99", "es99_se"])
    return RunComparison(_facts(a.manifest, b.manifest), scenarios,
                         _with_errors(losses, nested_scenarios(a, b, scenarios)),
                         _delta(_theme(a), _theme(b), THEME_MEASURES))


SIGNIFICANT_MARK = "*"
"""Appended to a difference larger than :data:`SIGNIFICANCE_Z` standard errors."""
DELTA_NOTE = (f"Δ ± one Monte Carlo standard error; {SIGNIFICANT_MARK} marks a difference "
              f"larger than {SIGNIFICANCE_Z} standard errors (the others are within noise).")


def _signed_usd(x: Any) -> str:
    from cliffwatch.report.format import fmt_usd

    text = fmt_usd(x)
    return text if text.startswith(("−", "–")) or text == "$0" else "+" + text


def delta_display(deltas: pd.DataFrame) -> pd.DataFrame:
    """The loss deltas as text for a table: ``Δ EL`` reads ``+$12.1m ± $3.0m *``."""
    from cliffwatch.report.format import MISSING, fmt_usd

    def delta(d: Any, se: Any, flag: Any) -> str:
        if pd.isna(d):
            return MISSING
        mark = f" {SIGNIFICANT_MARK}" if bool(flag) else ""
        return f"{_signed_usd(d)} ± {fmt_usd(se)}{mark}"

    rows = [[str(r.scenario), str(r.lender_id), fmt_usd(r.el_a), fmt_usd(r.el_b),
             delta(r.d_el, r.d_el_se, r.significant_el), fmt_usd(r.es99_a), fmt_usd(r.es99_b),
             delta(r.d_es99, r.d_es99_se, r.significant_es99)]
            for r in deltas.itertuples(index=False)]
    return pd.DataFrame(rows, columns=["scenario", "lender", "EL A", "EL B", "Δ EL",
                                       "ES99 A", "ES99 B", "Δ ES99"])
