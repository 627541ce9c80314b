"""What changed between two runs: inputs (tape, seed, paths, scenarios) and losses.

Pure functions over two RunResults, used by ``cliffwatch compare``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pandas as pd

from cliffwatch.analytics.theme import BOOK_ID
from cliffwatch.results import RunResult

COMPARED_FACTS = ["tape_hash", "tape_name", "valuation_date", "seed", "paths", "horizon",
                  "code_version"]
"""Manifest keys compared item by item."""
PORTFOLIO = BOOK_ID
"""lender_id of the whole-portfolio row in the delta and theme tables."""
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
        ``scenario, lender_id, el_a, el_b, d_el, es99_a, es99_b, d_es99`` (USD) for every
        scenario and lender in either run, plus a ``portfolio`` row per scenario.
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


def _losses(r: RunResult) -> pd.DataFrame:
    lm = r.table("lender_metrics")[["scenario", "lender_id", "el", "es99"]]
    ss = r.table("scenario_summary")[["scenario", "el", "es99"]].assign(lender_id=PORTFOLIO)
    out = pd.concat([lm, ss[["scenario", "lender_id", "el", "es99"]]], ignore_index=True)
    return out.astype({"scenario": "string", "lender_id": "string"})


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
    return RunComparison(_facts(a.manifest, b.manifest), _scenarios(a, b),
                         _delta(_losses(a), _losses(b), ["el", "es99"]),
                         _delta(_theme(a), _theme(b), THEME_MEASURES))
