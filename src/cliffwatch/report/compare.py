"""What changed between two runs: inputs (tape, seed, paths, scenarios) and losses.

Pure functions over two RunResults, used by ``cliffwatch compare``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pandas as pd

from cliffwatch.results import RunResult

COMPARED_FACTS = ["tape_hash", "tape_name", "valuation_date", "seed", "paths", "horizon",
                  "code_version"]
"""Manifest keys compared item by item."""
PORTFOLIO = "portfolio"
"""lender_id of the whole-portfolio row in the delta table."""


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
    """

    facts: pd.DataFrame
    scenarios: pd.DataFrame
    deltas: pd.DataFrame


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


def compare_runs(a: RunResult, b: RunResult) -> RunComparison:
    """Compare run ``a`` (the reference) with run ``b``; deltas are B minus A."""
    d = _losses(a).merge(_losses(b), on=["scenario", "lender_id"], how="outer",
                         suffixes=("_a", "_b"), sort=False)
    d["d_el"] = d["el_b"] - d["el_a"]
    d["d_es99"] = d["es99_b"] - d["es99_a"]
    cols = ["scenario", "lender_id", "el_a", "el_b", "d_el", "es99_a", "es99_b", "d_es99"]
    d = d[cols].sort_values(["scenario", "lender_id"], kind="stable").reset_index(drop=True)
    return RunComparison(_facts(a.manifest, b.manifest), _scenarios(a, b), d)
