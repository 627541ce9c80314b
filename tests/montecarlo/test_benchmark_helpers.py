"""The benchmark helpers are themselves right: the synthetic tape replicates the sample exactly
(copy 0 behaves as the sample), and the numpy baseline takes the engine's default decisions on
the Vasicek book, where the two steps coincide."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest
from tests.montecarlo.vasicek_book import VasicekDesign, book, paths

from cliffwatch.engine.run import run_block
from cliffwatch.market.generator import generate
from cliffwatch.market.scenario import Scenario
from cliffwatch.market.universe import Universe
from cliffwatch.runs.params import engine_params
from cliffwatch.tape.arrays import NO_MONTH, PortfolioArrays

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def _module(name: str) -> ModuleType:
    if str(BENCHMARKS) not in sys.path:
        sys.path.insert(0, str(BENCHMARKS))
    return importlib.import_module(name)


def test_synthetic_tape_size_and_copy_zero(sample_arrays: PortfolioArrays,
                                           base_scenario: Scenario) -> None:
    pa = _module("synthetic").synthetic_portfolio(200, sample=sample_arrays)
    nf, nb = sample_arrays.n_facilities, sample_arrays.n_borrowers
    assert 200 <= pa.n_facilities < 200 + nf
    assert pa.b_fac_ptr[-1] == pa.n_facilities and pa.b_asset_ptr[-1] == pa.n_assets
    assert np.all(np.diff(pa.f_borrower) >= 0) and pa.f_borrower.max() == pa.n_borrowers - 1
    assert pa.h_facility.max() < pa.n_facilities and pa.coll_asset.max() < pa.n_assets
    # draws of appended obligors leave the first ones unchanged, so copy 0 is the sample
    months, n_paths, seed = 24, 8, 3
    params = engine_params(base_scenario)
    big = run_block(pa, generate(Universe.from_arrays(pa), base_scenario, seed, 0, n_paths,
                                 months), params, months)
    small = run_block(sample_arrays, generate(Universe.from_arrays(sample_arrays), base_scenario,
                                              seed, 0, n_paths, months), params, months)
    assert np.array_equal(big.fac_loss[:, :nf], small.fac_loss)
    assert np.array_equal(big.default_month[:, :nb], small.default_month)
    # the other copies are resized, not identical
    assert not np.allclose(pa.f_drawn[nf:2 * nf], sample_arrays.f_drawn)


@pytest.mark.parametrize("n", [50, 300])
def test_numpy_baseline_defaults_match_engine_on_vasicek_book(n: int) -> None:
    design = VasicekDesign.for_target(0.05, 0.2)
    pa = book(n, design)
    fp, _ = paths(pa, design, np.random.default_rng(n), 64)
    loss, dm = _module("numpy_reference").run_numpy(pa, fp, design.params(), horizon=1)
    s = run_block(pa, fp, design.params(), horizon=1)
    engine_default = s.default_month != NO_MONTH
    assert engine_default.any()
    assert np.array_equal(dm < 1, engine_default)
    # junior claims lose their whole balance in both models
    np.testing.assert_array_equal(loss[:, 1::2], s.fac_loss[:, 1::2])
