"""Filters over a stored run: keep the rows of the chosen scenarios, lenders, archetypes and
structures, then hand the filtered :class:`RunResult` to the report's own chart functions.

A filter applies to every table that carries its dimension (directly or through a facility or
borrower id) and leaves the others whole: e.g. the refinancing gap has no lender breakdown, so
the lender filter does not change it. :data:`FILTER_SCOPE` says which tables each one touches.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from cliffwatch.results import RunResult

FILTER_SCOPE: dict[str, tuple[str, ...]] = {
    "scenario": ("every table with a scenario column",),
    "lender": ("lender_metrics", "lender_loss_paths", "risk_contributions", "contagion",
               "drawdowns", "sensitivities", "theme_split"),
    "archetype": ("borrower_metrics", "facility_metrics", "risk_contributions",
                  "reverse_stress"),
    "structure": ("maturity_wall", "facility_metrics", "risk_contributions"),
}
"""Which result tables each filter narrows."""


@dataclass(frozen=True)
class Filters:
    """Selected values per dimension; an empty tuple means "all"."""

    scenarios: tuple[str, ...] = ()
    lenders: tuple[str, ...] = ()
    archetypes: tuple[str, ...] = ()
    structures: tuple[str, ...] = ()


def _keep(df: pd.DataFrame, column: str, values: Sequence[str]) -> pd.DataFrame:
    if not values or column not in df.columns:
        return df
    return df[df[column].astype(str).isin(values)].reset_index(drop=True)


def options(result: RunResult) -> dict[str, list[str]]:
    """The values each filter can take in this run, in table order."""
    def uniq(table: str, column: str) -> list[str]:
        return list(dict.fromkeys(result.table(table)[column].astype(str).tolist()))

    return {
        "scenario": uniq("scenario_summary", "scenario"),
        "lender": uniq("lender_metrics", "lender_id"),
        "archetype": uniq("borrower_metrics", "archetype"),
        "structure": list(dict.fromkeys(uniq("maturity_wall", "structure")
                                        + uniq("facility_metrics", "structure"))),
    }


def _selected_ids(result: RunResult, f: Filters) -> tuple[set[str] | None, set[str] | None]:
    """Borrower ids and facility ids passing the archetype and structure filters (None = all)."""
    if not f.archetypes and not f.structures:
        return None, None
    borrowers = _keep(result.table("borrower_metrics"), "archetype", f.archetypes)
    b_ids = set(borrowers["borrower_id"].astype(str))
    fac = _keep(result.table("facility_metrics"), "structure", f.structures)
    if f.archetypes:
        fac = fac[fac["borrower_id"].astype(str).isin(b_ids)]
    return (b_ids if f.archetypes else None), set(fac["facility_id"].astype(str))


def filter_result(result: RunResult, f: Filters) -> RunResult:
    """A copy of ``result`` keeping only the rows the filters select."""
    b_ids, f_ids = _selected_ids(result, f)
    tables: dict[str, pd.DataFrame] = {}
    for name, df in result.tables.items():
        df = _keep(df, "scenario", f.scenarios)
        if name in FILTER_SCOPE["lender"]:
            df = _keep(df, "lender_id", f.lenders)
        if name == "maturity_wall":
            df = _keep(df, "structure", f.structures)
        if f_ids is not None and "facility_id" in df.columns:
            df = df[df["facility_id"].astype(str).isin(f_ids)].reset_index(drop=True)
        if b_ids is not None and "borrower_id" in df.columns:
            df = df[df["borrower_id"].astype(str).isin(b_ids)].reset_index(drop=True)
        tables[name] = df
    return RunResult(tables=tables, manifest=result.manifest)
