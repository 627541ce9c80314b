"""Headline figures shared by the HTML report, the workbook and the CLI.

Pure functions over RunResult tables: the executive summary per scenario and the run facts
taken from the manifest.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from cliffwatch.report.columns import ColumnKind

MANIFEST_FACTS: list[tuple[str, str]] = [
    ("run_id", "Run id"), ("created", "Created"), ("tape_name", "Tape"),
    ("tape_hash", "Tape hash"), ("valuation_date", "Valuation date"), ("seed", "Seed"),
    ("paths", "Paths"), ("horizon", "Horizon (months)"), ("code_version", "Code version"),
]
"""Manifest keys shown as run facts, with their labels."""

HEADLINE_COLUMNS: list[tuple[str, ColumnKind]] = [
    ("scenario", "text"), ("exposure", "usd"), ("el", "usd"), ("el_se", "usd"),
    ("el / exposure", "bp"), ("var99", "usd"), ("var99_se", "usd"), ("es99", "usd"),
    ("es99_se", "usd"), ("es99 / exposure", "bp"), ("lgd", "pct"), ("mean_defaults", "num"),
    ("refi_gap_12_24", "usd"), ("due_12_24", "usd"), ("gap share 12-24", "pct"),
]
"""Executive-summary columns: name and display kind."""

HEADLINE_LABELS: dict[str, str] = {
    "exposure": "exposure", "el": "EL", "el_se": "EL s.e.", "el / exposure": "EL / exposure",
    "var99": "VaR 99%", "var99_se": "VaR 99% s.e.", "es99": "ES 99%", "es99_se": "ES 99% s.e.",
    "es99 / exposure": "ES 99% / exposure", "lgd": "LGD", "mean_defaults": "mean defaults",
    "refi_gap_12_24": "refi gap 12–24", "due_12_24": "due 12–24",
    "gap share 12-24": "gap share 12–24",
}
"""Headings of the executive-summary columns."""


def manifest_rows(manifest: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, value) for the run facts present in ``manifest``; scenarios listed by name."""
    rows = [(label, str(manifest[k])) for k, label in MANIFEST_FACTS if k in manifest]
    scenarios = manifest.get("scenarios")
    if isinstance(scenarios, dict):
        rows.append(("Scenarios", ", ".join(map(str, scenarios))))
    return rows


def _ratio(num: pd.Series, den: pd.Series) -> pd.Series:
    """num / den with NaN where den is 0 (a share of nothing is undefined, not infinite)."""
    d = den.astype(float).where(den != 0, np.nan)
    return num.astype(float) / d


def headline_table(summary: pd.DataFrame) -> pd.DataFrame:
    """Per-scenario headline figures derived from the ``scenario_summary`` table."""
    out = pd.DataFrame({
        "scenario": summary["scenario"],
        "exposure": summary["exposure"],
        "el": summary["el"],
        "el_se": summary["el_se"],
        "el / exposure": _ratio(summary["el"], summary["exposure"]),
        "var99": summary["var99"],
        "var99_se": summary.get("var99_se", np.nan),
        "es99": summary["es99"],
        "es99_se": summary["es99_se"],
        "es99 / exposure": _ratio(summary["es99"], summary["exposure"]),
        "lgd": summary.get("lgd", np.nan),
        "mean_defaults": summary["mean_defaults"],
        "refi_gap_12_24": summary["refi_gap_12_24"],
        "due_12_24": summary["due_12_24"],
        "gap share 12-24": _ratio(summary["refi_gap_12_24"], summary["due_12_24"]),
    })
    return out[[c for c, _ in HEADLINE_COLUMNS]].reset_index(drop=True)


def headline_rows(summary: pd.DataFrame) -> tuple[list[str], list[ColumnKind], list[list[Any]]]:
    """Column names, kinds and row values of :func:`headline_table`."""
    table = headline_table(summary)
    return ([c for c, _ in HEADLINE_COLUMNS], [k for _, k in HEADLINE_COLUMNS],
            table.astype(object).values.tolist())
