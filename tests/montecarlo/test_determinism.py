"""``simulate`` is a pure function of (portfolio, scenario, paths, seed): block size and thread
count never change a bit; the seed does; scenarios share their shocks (common random numbers)."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import numba
import numpy as np
import pytest
from tests.montecarlo.harsher import write_harsher

from cliffwatch.engine.outputs import EngineSummary
from cliffwatch.market.paths import FactorPaths
from cliffwatch.market.scenario import Scenario, load_scenario
from cliffwatch.runs.montecarlo import simulate
from cliffwatch.tape.arrays import PortfolioArrays

PATHS: int = 40
"""Paths per run: more than one 32-path random-stream chunk, so chunk seams are crossed."""
HORIZON: int = 60
SEED: int = 20261126


def lender_losses(pa: PortfolioArrays, summary: EngineSummary) -> np.ndarray:
    return summary.lender_loss(pa.h_facility, pa.h_lender, pa.h_share, pa.n_lenders)


def assert_identical(a: EngineSummary, b: EngineSummary) -> None:
    for f in fields(EngineSummary):
        x, y = getattr(a, f.name), getattr(b, f.name)
        assert x.dtype == y.dtype and np.array_equal(x, y, equal_nan=True), f.name


@pytest.fixture(scope="module")
def stressed() -> Scenario:
    """The combined bust with contagion on: losses on most paths, and the coupling across
    borrowers that determinism must survive."""
    return load_scenario("crowded_unwind")


@pytest.fixture(scope="module")
def reference(sample_arrays: PortfolioArrays, stressed: Scenario) -> EngineSummary:
    return simulate(sample_arrays, stressed, PATHS, SEED, HORIZON).summary


def test_sample_run_has_losses_to_compare(sample_arrays: PortfolioArrays,
                                          reference: EngineSummary) -> None:
    # guards the tests below against comparing all-zero outputs
    losses = lender_losses(sample_arrays, reference)
    assert (losses > 0).any() and np.unique(losses.sum(axis=1)).size > PATHS // 2


@pytest.mark.parametrize("block_paths", [1, 7, 256])
def test_block_size_never_changes_a_bit(sample_arrays: PortfolioArrays, stressed: Scenario,
                                        reference: EngineSummary, block_paths: int) -> None:
    got = simulate(sample_arrays, stressed, PATHS, SEED, HORIZON, block_paths=block_paths)
    assert_identical(got.summary, reference)
    assert np.array_equal(lender_losses(sample_arrays, got.summary),
                          lender_losses(sample_arrays, reference))


def test_thread_count_never_changes_a_bit(sample_arrays: PortfolioArrays,
                                          stressed: Scenario,
                                          reference: EngineSummary) -> None:
    if numba.config.NUMBA_NUM_THREADS < 2:
        pytest.skip("numba was started with a single thread")
    before = numba.get_num_threads()
    runs = {}
    try:
        for threads in (1, 2):
            numba.set_num_threads(threads)
            runs[threads] = simulate(sample_arrays, stressed, PATHS, SEED, HORIZON,
                                     block_paths=16).summary
    finally:
        numba.set_num_threads(before)
    assert_identical(runs[1], runs[2])
    assert_identical(runs[1], reference)


def test_different_seeds_give_different_paths(sample_arrays: PortfolioArrays,
                                              stressed: Scenario,
                                              reference: EngineSummary) -> None:
    one = simulate(sample_arrays, stressed, PATHS, SEED, HORIZON)
    other = simulate(sample_arrays, stressed, PATHS, SEED + 1, HORIZON)
    # losses can be all zero on a few base paths; the factor paths always differ
    for factor in ("sofr", "spread", "utilization"):
        assert not np.array_equal(one.fan[factor], other.fan[factor])


def capture(pa: PortfolioArrays, scenario: Scenario) -> FactorPaths:
    """Factor paths ``simulate`` fed the engine (through its ``transform`` hook), one block."""
    seen: list[FactorPaths] = []

    def keep(fp: FactorPaths) -> FactorPaths:
        seen.append(fp)
        return fp

    simulate(pa, scenario, PATHS, SEED, HORIZON, block_paths=PATHS, transform=keep)
    return seen[0]


def test_scenarios_share_shocks(sample_arrays: PortfolioArrays, base_scenario: Scenario,
                                tmp_path: Path) -> None:
    spread_bp, util_pp, cut = 150.0, 10.0, 0.2
    base = capture(sample_arrays, base_scenario)
    harsh = capture(sample_arrays, write_harsher(tmp_path, spread_bp, util_pp, cut))
    for name in ("util_idio", "refi_u", "cpty_default_month", "borrower_ext_default_month",
                 "sofr", "power_price", "dc_value", "tech_earnings"):
        assert np.array_equal(getattr(base, name), getattr(harsh, name)), name
    # after the ramp the difference is the deterministic shock itself, on every path
    late = slice(6, None)
    np.testing.assert_allclose(harsh.spread[:, late] - base.spread[:, late], spread_bp / 1e4,
                               rtol=0, atol=1e-12)
    np.testing.assert_allclose(harsh.gpu_rent[..., late] / base.gpu_rent[..., late], 1 - cut,
                               rtol=1e-12)
    inside = (base.utilization[:, late] > util_pp / 100.0) & (base.utilization[:, late] < 1.0)
    diff = base.utilization[:, late] - harsh.utilization[:, late]
    np.testing.assert_allclose(diff[inside], util_pp / 100.0, rtol=0, atol=1e-12)
