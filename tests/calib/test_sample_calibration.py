"""The bundled sample reads like the mid-2026 consensus under the engine (issue #3).

Base median path: nobody defaults (the consensus path refinances every maturity); on a
Monte Carlo run every stress scenario loses more than base and the combined AI bust
(``crowded_unwind``) loses most; its fire-sale contagion adds to the loss for the same seed.
"""

from __future__ import annotations

import dataclasses
from functools import cache

import numpy as np
import pytest

from cliffwatch.api import DEFAULT_SEED, resolve_scenarios
from cliffwatch.codes import DefaultCause
from cliffwatch.engine.outputs import EngineSummary
from cliffwatch.engine.run import run_block
from cliffwatch.runs.montecarlo import median_path, simulate
from cliffwatch.runs.params import engine_params
from cliffwatch.sample import load_sample
from cliffwatch.tape.arrays import NO_MONTH, PortfolioArrays
from cliffwatch.tape.compile import compile_portfolio

HORIZON_MONTHS = 60
"""Five years, the horizon the calibration targets are stated over."""
MC_PATHS = 200
"""Paths per scenario: enough to rank the scenarios, small enough for the test budget."""
STRESS_SCENARIOS = ("higher_for_longer", "spread_shock_2020", "gfc_severe", "utilization_lag",
                    "weak_tech_earnings", "gpu_price_collapse", "refinancing_cliff",
                    "crowded_unwind")
"""Every bundled scenario other than base."""

EXPECTED_BASE_MEDIAN_DEFAULTS: dict[str, tuple[int, DefaultCause]] = {
    # None. The mid-2026 consensus path refinances every maturity: the neocloud parent is
    # served by its SPVs' surplus (docs/ENGINE.md, step 8b) and refinances its 2030 notes in
    # the window before maturity; the powered shell leased to it keeps its tenant; the AI lab
    # is a counterparty (DATA_CARD.md, "Frontier Lab Beta"). Defaults come from the tails.
}
"""Borrower -> (default month, cause) on the base scenario's median path."""


@cache
def _sample() -> PortfolioArrays:
    return compile_portfolio(load_sample())


@cache
def _simulate(name: str, contagion: bool | None = None) -> EngineSummary:
    scenario = resolve_scenarios([name])[0]
    params = engine_params(scenario)
    if contagion is not None:
        params = dataclasses.replace(params, contagion=contagion)
    return simulate(_sample(), scenario, MC_PATHS, DEFAULT_SEED, HORIZON_MONTHS,
                    params=params).summary


def _book_el(summary: EngineSummary) -> float:
    """Expected loss of the whole book (all holders), USD."""
    return float(summary.fac_loss.sum(axis=1).mean())


def test_base_median_path_defaults_nobody() -> None:
    pa = _sample()
    scenario = resolve_scenarios(["base"])[0]
    fp = median_path(pa, scenario, DEFAULT_SEED, HORIZON_MONTHS)
    s = run_block(pa, fp, engine_params(scenario), HORIZON_MONTHS)
    got = {
        bid: (int(s.default_month[0, b]), DefaultCause(int(s.default_cause[0, b])))
        for b, bid in enumerate(pa.borrower_ids)
        if s.default_month[0, b] != NO_MONTH
    }
    assert got == EXPECTED_BASE_MEDIAN_DEFAULTS


def test_no_construction_borrower_defaults_before_completion_on_the_median_path() -> None:
    # The escrowed proceeds, sponsor equity and interest reserves fund every build to completion.
    pa = _sample()
    scenario = resolve_scenarios(["base"])[0]
    s = run_block(pa, median_path(pa, scenario, DEFAULT_SEED, HORIZON_MONTHS),
                  engine_params(scenario), HORIZON_MONTHS)
    building = np.nonzero(pa.a_capex_remaining > 0)[0]
    assert len(building) >= 10
    for a in building:
        b = pa.a_borrower[a]
        assert s.default_month[0, b] > pa.a_completion_month[a], pa.borrower_ids[b]


@pytest.mark.parametrize("stress", STRESS_SCENARIOS)
def test_every_stress_loses_more_than_base(stress: str) -> None:
    assert _book_el(_simulate(stress)) > _book_el(_simulate("base"))


def test_crowded_unwind_is_the_worst_scenario() -> None:
    worst = max(STRESS_SCENARIOS, key=lambda name: _book_el(_simulate(name)))
    assert worst == "crowded_unwind"


def test_crowded_unwind_contagion_adds_loss_on_the_same_paths() -> None:
    on = _simulate("crowded_unwind", contagion=True)
    off = _simulate("crowded_unwind", contagion=False)
    per_path = on.fac_loss.sum(axis=1) - off.fac_loss.sum(axis=1)
    assert _book_el(on) > _book_el(off)
    # Fire sales only depress prices, so no path may lose less with contagion on.
    assert np.all(per_path >= -1e-6 * np.abs(off.fac_loss.sum(axis=1)).max())
    assert np.all(on.gpu_price_impact <= 1.0)
    assert np.any(on.gpu_price_impact < 1.0)
