"""Realistic synthetic RunResults for the store and report tests.

The simulation that fills a RunResult is built elsewhere; these fixtures stand in for it with
internally consistent numbers: lender losses are drawn per path, and every lender metric (EL,
VaR, ES) is computed from those very paths, so the report and store can be checked against the
tables they display. Tape strings include hostile values: a borrower named like a script tag
and lender / facility ids that a spreadsheet would read as formulas.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from cliffwatch.analytics.theme import BOOK_ID, BOOK_NAME, split_measures, theme_columns
from cliffwatch.results import TABLES, RunResult, conform

HOSTILE_BORROWER = "<script>alert(1)</script>"
"""A borrower name that must appear as text, never run, in the HTML report."""

LENDERS: list[tuple[str, str]] = [
    ("=SUM(A1:A9)", "Formula Bank"),
    ("+PC1", "Plus Private Credit"),
    ("-INS", "Minus Insurance"),
    ("@ABS", "At ABS Trust"),
    ("bank_b", "Bank B & Co"),
]
BORROWERS: list[tuple[str, str, str, str]] = [
    ("b1", "Nimbus GPU Cloud", "neocloud", "B"),
    ("b2", HOSTILE_BORROWER, "dc_developer", "BB"),
    ("b3", "Orchard Compute SPV", "gpu_spv", "BBB"),
    ("b4", "Hyperion Hyperscale", "hyperscaler", "AA"),
]
FACILITIES: list[tuple[str, str, str, str, float]] = [
    ("=F1", "b1", "term_loan", "GPU-backed loan", 2.4e9),
    ("+F2", "b1", "revolver", "revolver", 0.5e9),
    ("-F3", "b2", "construction_loan", "DC construction loan", 3.1e9),
    ("@F4", "b3", "abs", "ABS", 1.2e9),
    ("f5", "b4", "bond", "HY bond", 4.0e9),
    ("f6", "b3", "vendor_financing", "vendor financing", 0.3e9),
]
SCENARIO_STRESS: dict[str, float] = {"base": 1.0, "spread_shock": 1.8, "crowded_unwind": 2.6}
"""Loss multiplier of each scenario relative to base (dimensionless)."""
SOFTWARE_SHARE: dict[str, float] = {"=SUM(A1:A9)": 0.0, "+PC1": 0.35, "-INS": 0.05,
                                     "@ABS": 0.5, "bank_b": 0.2}
"""Software side's share of each lender's theme exposure (decimal): one single-sided lender
on each side of the 10% two-sided threshold."""
HORIZON_MONTHS = 36
BENCHMARK_EL = 4.0e8
"""Rating-implied benchmark EL of the synthetic book, USD (scenario-independent)."""
QUARTERS = [f"{y}Q{q}" for y in (2027, 2028, 2029) for q in (1, 2, 3, 4)]
MONTHS_PER_QUARTER = 3


def _tail_mean(x: np.ndarray, level: float) -> tuple[float, float]:
    """(VaR, ES) at ``level`` of the sample ``x`` (USD), ES as the mean beyond VaR."""
    var = float(np.quantile(x, level))
    tail = x[x >= var]
    return var, float(tail.mean())


def _lender_paths(rng: np.random.Generator, scenarios: list[str], paths: int) -> pd.DataFrame:
    rows = []
    for s in scenarios:
        for k, (lid, _) in enumerate(LENDERS):
            scale = 4e6 * SCENARIO_STRESS[s] * (1 + k)
            loss = rng.lognormal(np.log(scale), 1.1, size=paths) * rng.binomial(1, 0.3, paths)
            rows.append(pd.DataFrame({"scenario": s, "path": np.arange(paths), "lender_id": lid,
                                      "loss": loss}))
    return pd.concat(rows, ignore_index=True)


def _lender_metrics(paths_df: pd.DataFrame) -> pd.DataFrame:
    names = dict(LENDERS)
    rows = []
    for (s, lid), g in paths_df.groupby(["scenario", "lender_id"], sort=False):
        x = g["loss"].to_numpy()
        se = float(x.std(ddof=1) / np.sqrt(x.size))
        v95, e95 = _tail_mean(x, 0.95)
        v99, e99 = _tail_mean(x, 0.99)
        v999, e999 = _tail_mean(x, 0.999)
        rows.append({"scenario": s, "lender_id": lid, "lender_name": names[lid],
                     "exposure": 2.5e9 * (1 + len(rows) % 5), "el": float(x.mean()), "el_se": se,
                     "var95": v95, "var99": v99, "var999": v999, "es95": e95, "es99": e99,
                     "es999": e999, "var99_se": 2.0 * se, "es99_se": 3.0 * se})
    return pd.DataFrame(rows)


def _theme_split(rng: np.random.Generator, paths_df: pd.DataFrame,
                 lm: pd.DataFrame) -> pd.DataFrame:
    """Each lender's path losses cut into the two sides, measured by the analytics itself."""
    names, rows = dict(LENDERS), []
    for s, g in paths_df.groupby("scenario", sort=False):
        wide = g.pivot(index="path", columns="lender_id", values="loss")[[lid for lid, _ in
                                                                          LENDERS]]
        soft_share = np.array([SOFTWARE_SHARE[lid] for lid, _ in LENDERS])
        cut = np.clip(soft_share * rng.uniform(0.0, 2.0, wide.shape), 0.0, 1.0)
        soft = np.column_stack([wide.to_numpy() * cut, (wide.to_numpy() * cut).sum(axis=1)])
        joint = np.column_stack([wide.to_numpy(), wide.to_numpy().sum(axis=1)])
        m = split_measures(joint - soft, soft, joint)
        exposure = lm[lm["scenario"] == s]["exposure"].to_numpy()
        exp_side = np.column_stack([exposure * (1 - soft_share), exposure * soft_share])
        exp_side = np.vstack([exp_side, exp_side.sum(axis=0)])
        rows.append(pd.DataFrame({
            "scenario": s, "lender_id": [*names, BOOK_ID],
            "lender_name": [*names.values(), BOOK_NAME],
        } | theme_columns(m, exp_side, 0.1 * exp_side)))
    return pd.concat(rows, ignore_index=True)


def _scenario_summary(paths_df: pd.DataFrame, paths: int) -> pd.DataFrame:
    rows = []
    total = paths_df.groupby(["scenario", "path"], sort=False)["loss"].sum()
    for s, x in total.groupby(level=0, sort=False):
        v = x.to_numpy()
        var99, es99 = _tail_mean(v, 0.99)
        stress = SCENARIO_STRESS[str(s)]
        rows.append({"scenario": s, "paths": paths, "exposure": 1.15e10, "el": float(v.mean()),
                     "el_se": float(v.std(ddof=1) / np.sqrt(v.size)), "var99": var99,
                     "es99": es99, "es99_se": 0.05 * es99, "mean_defaults": 0.2 * stress,
                     "refi_gap_12_24": 3.5e8 * stress, "due_12_24": 4.2e9,
                     "var99_se": 0.04 * var99, "lgd": 0.35,
                     "benchmark_el": BENCHMARK_EL,
                     "el_to_benchmark": float(v.mean()) / BENCHMARK_EL,
                     "weighted_lgd": 0.2 * stress})
    return pd.DataFrame(rows)


def _benchmark_tables(scenarios: list[str], lm: pd.DataFrame,
                      bor: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Model vs rating-implied benchmark: per lender (plus unallocated and book rows) and per
    borrower; the benchmark is split across lenders in proportion to exposure."""
    implied = {"B": (0.0376, 0.0856, 0.1832), "BB": (0.0072, 0.0224, 0.0745),
               "BBB": (0.0018, 0.0051, 0.0178), "AA": (0.0002, 0.0006, 0.0035)}
    el_rows, pd_rows = [], []
    for s in scenarios:
        rows = lm[lm["scenario"] == s]
        share = rows["exposure"].to_numpy() / (rows["exposure"].sum() * 1.25)
        bench = [*(BENCHMARK_EL * share), BENCHMARK_EL * (1 - share.sum()), BENCHMARK_EL]
        model = [*rows["el"], 0.0, float(rows["el"].sum())]
        expo = [*rows["exposure"], 0.25 * rows["exposure"].sum(), 1.25 * rows["exposure"].sum()]
        ids = [*rows["lender_id"], "unallocated", "portfolio"]
        names = [*rows["lender_name"], "unallocated / other holders", "whole book"]
        el_rows += [{"scenario": s, "lender_id": i, "lender_name": n, "exposure": e,
                     "model_el": m, "benchmark_el": b, "ratio": m / b}
                    for i, n, e, m, b in zip(ids, names, expo, model, bench, strict=True)]
        for b in bor[bor["scenario"] == s].itertuples():
            imp = implied[str(b.rating)]
            row = {"scenario": s, "borrower_id": b.borrower_id, "borrower_name": b.borrower_name,
                   "archetype": b.archetype, "rating": b.rating, "benchmark_rating": b.rating,
                   "rating_basis": "tape"}
            for h, p, q in zip((12, 24, 60), (b.pd / 4, b.pd / 2, b.pd), imp, strict=True):
                row |= {f"pd{h}": p, f"implied_pd{h}": q, f"ratio{h}": p / q}
            pd_rows.append(row)
    return {"el_benchmark": pd.DataFrame(el_rows), "pd_benchmark": pd.DataFrame(pd_rows)}


def _facility_borrower(scenarios: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    fac, bor = [], []
    for s in scenarios:
        m = SCENARIO_STRESS[s]
        for i, (fid, bid, kind, structure, commit) in enumerate(FACILITIES):
            pd60 = min(0.9, 0.02 * m * (i + 1))
            fac.append({"scenario": s, "facility_id": fid, "borrower_id": bid, "kind": kind,
                        "structure": structure, "commitment": commit, "pd12": pd60 / 4,
                        "pd24": pd60 / 2, "pd36": 0.8 * pd60, "pd60": pd60, "pd_se": 0.004,
                        "ead": 0.9 * commit, "lgd": 0.35, "el": 0.35 * 0.9 * commit * pd60})
        for j, (bid, name, arch, rating) in enumerate(BORROWERS):
            p = min(0.95, 0.03 * m * (j + 1))
            bor.append({"scenario": s, "borrower_id": bid, "borrower_name": name,
                        "archetype": arch, "rating": rating, "pd": p, "pd_payment": p / 2,
                        "pd_covenant": p / 4, "pd_maturity": p / 4, "el": 1e8 * p,
                        "median_default_month": 14.0 + j, "p_cliff_12_24": p / 1.5})
    return pd.DataFrame(fac), pd.DataFrame(bor)


def _time_tables(rng: np.random.Generator, scenarios: list[str]) -> dict[str, pd.DataFrame]:
    wall = [{"quarter": q, "structure": f[3], "due": f[4] / 4}
            for i, q in enumerate(QUARTERS) for f in FACILITIES if (i + len(f[0])) % 3 == 0]
    refi, ttc, draws = [], [], []
    for s in scenarios:
        m = SCENARIO_STRESS[s]
        for i, q in enumerate(QUARTERS):
            due = 6e8 + 1e8 * (i % 4)
            failed = due * min(0.9, 0.05 * m * (1 + i % 5))
            refi.append({"scenario": s, "quarter": q, "due": due, "failed": failed,
                         "failed_p5": 0.2 * failed, "failed_p95": 2.0 * failed})
        probs = rng.dirichlet(np.ones(HORIZON_MONTHS)) * min(0.9, 0.25 * m)
        ttc += [{"scenario": s, "month": t, "probability": float(p)} for t, p in enumerate(probs)]
        for lid, _ in LENDERS[:3]:
            for t in range(HORIZON_MONTHS):
                drawn = 1e8 * (1 + m * t / HORIZON_MONTHS)
                draws.append({"scenario": s, "lender_id": lid, "month": t, "drawn": drawn,
                              "undrawn": max(0.0, 3e8 - drawn)})
    return {"maturity_wall": pd.DataFrame(wall), "refi_gap": pd.DataFrame(refi),
            "time_to_cliff": pd.DataFrame(ttc), "drawdowns": pd.DataFrame(draws)}


def _fan_charts(scenarios: list[str]) -> pd.DataFrame:
    rows = []
    start = {"sofr": 0.043, "spread": 0.035, "utilization": 0.7, "gpu_rent:H100": 2.1}
    for s in scenarios:
        m = SCENARIO_STRESS[s]
        for factor, x0 in start.items():
            for t in range(HORIZON_MONTHS):
                w = x0 * 0.02 * np.sqrt(t) * m
                mid = x0 * (1 + 0.003 * t * (m - 1.5))
                rows.append({"scenario": s, "factor": factor, "month": t, "p5": mid - 2 * w,
                             "p25": mid - w, "p50": mid, "p75": mid + w, "p95": mid + 2 * w})
    return pd.DataFrame(rows)


def _lender_tables(scenarios: list[str], lm: pd.DataFrame) -> dict[str, pd.DataFrame]:
    contrib, cont, sens = [], [], []
    bumps = ["sofr_1bp", "spread_1bp", "utilization_1pp", "gpu_value_1pct", "rent_1pct"]
    for r in lm.itertuples(index=False):
        weights = np.arange(1, len(FACILITIES) + 1, dtype=float)
        for (fid, *_), w in zip(FACILITIES, weights / weights.sum(), strict=True):
            contrib.append({"scenario": r.scenario, "lender_id": r.lender_id, "facility_id": fid,
                            "es99_contribution": r.es99 * w})
        cont.append({"scenario": r.scenario, "lender_id": r.lender_id, "el_off": r.el / 1.25,
                     "el_on": r.el, "es99_off": r.es99 / 1.4, "es99_on": r.es99,
                     "extra_defaults": 0.05 * SCENARIO_STRESS[r.scenario]})
        for k, b in enumerate(bumps):
            sign = -1.0 if b.startswith(("utilization", "gpu", "rent")) else 1.0
            sens.append({"scenario": r.scenario, "lender_id": r.lender_id, "bump": b,
                         "d_el": sign * r.el * 1e-3 * (k + 1), "d_el_se": r.el * 1e-4,
                         "d_es99": sign * r.es99 * 1e-3 * (k + 1), "d_es99_se": r.es99 * 1e-4})
    return {"risk_contributions": pd.DataFrame(contrib), "contagion": pd.DataFrame(cont),
            "sensitivities": pd.DataFrame(sens)}


def _static_tables() -> dict[str, pd.DataFrame]:
    rev = pd.DataFrame({"borrower_id": [b[0] for b in BORROWERS],
                        "utilization_threshold": [0.52, 0.61, np.nan, 0.18],
                        "rent_decline_threshold": [0.35, np.nan, 0.42, np.nan]})
    assumptions = pd.DataFrame({
        "name": ["fire_sale_haircut", "market_depth", "recovery_dc", "note <b>", "sale_cost"],
        "value": ["30 %", "150000 GPUs/month", "NOI / 7.5 % cap rate", "=1+1", "0.03"],
        "source": ["[estimate]", "Greenwood-Landier-Thesmar (2015)", "CBRE H1 2025", "test",
                   "[estimate]"],
    })
    return {"reverse_stress": rev, "assumptions": assumptions}


def make_manifest(run_id: str, scenarios: list[str], seed: int, paths: int) -> dict[str, Any]:
    """A manifest with every key the RunResult contract lists."""
    return {
        "run_id": run_id, "created": "2026-11-26T09:30:00+00:00",
        "tape_hash": "sha256:" + f"{seed:064x}"[-64:], "tape_name": "sample <tape> & co",
        "valuation_date": "2026-10-31",
        "scenarios": {s: {"name": s, "spread_jump_bp": 100 * (SCENARIO_STRESS[s] - 1),
                          "contagion": s == "crowded_unwind"} for s in scenarios},
        "seed": seed, "paths": paths, "horizon": HORIZON_MONTHS, "code_version": "0.1.0",
        "dependencies": {"numpy": "2.4.6", "duckdb": "2.0.1"},
        "timings": {"compile": 0.12, "engine": 3.4, "analytics": 0.8},
    }


def make_result(
    run_id: str = "run-fixture-1",
    seed: int = 20261126,
    paths: int = 400,
    scenarios: tuple[str, ...] = ("base", "spread_shock", "crowded_unwind"),
) -> RunResult:
    """A complete synthetic RunResult: every table of TABLES, conformed, plus a manifest."""
    rng = np.random.default_rng(seed)
    names = list(scenarios)
    loss_paths = _lender_paths(rng, names, paths)
    lm = _lender_metrics(loss_paths)
    fac, bor = _facility_borrower(names)
    tables = {"scenario_summary": _scenario_summary(loss_paths, paths), "lender_metrics": lm,
              "facility_metrics": fac, "borrower_metrics": bor, "lender_loss_paths": loss_paths,
              **_time_tables(rng, names), "fan_charts": _fan_charts(names),
              **_lender_tables(names, lm), **_static_tables(),
              "theme_split": _theme_split(rng, loss_paths, lm),
              **_benchmark_tables(names, lm, bor)}
    assert set(tables) == set(TABLES)
    conformed = {name: conform(name, df) for name, df in tables.items()}
    return RunResult(tables=conformed, manifest=make_manifest(run_id, names, seed, paths))
