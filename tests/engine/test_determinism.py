"""Same inputs, same bits: whatever the thread count or the split of paths into blocks."""

from __future__ import annotations

from dataclasses import fields

import numba
import numpy as np
from tests.engine.random_case import random_paths, random_portfolio

from cliffwatch.engine.params import EngineParams
from cliffwatch.engine.run import run_block

HORIZON = 24


def _case(seed: int = 123, n_paths: int = 12):
    rng = np.random.default_rng(seed)
    pa = random_portfolio(rng, HORIZON)
    return pa, random_paths(rng, pa, HORIZON, n_paths=n_paths)


def _assert_same(a, b) -> None:
    for f in fields(a):
        np.testing.assert_array_equal(getattr(a, f.name), getattr(b, f.name), err_msg=f.name)


def test_one_and_two_threads_agree_bit_for_bit() -> None:
    pa, fp = _case()
    params = EngineParams(contagion=True, gpu_market_depth_units=2000.0)
    before = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        one = run_block(pa, fp, params, HORIZON)
        numba.set_num_threads(min(2, numba.config.NUMBA_NUM_THREADS))
        two = run_block(pa, fp, params, HORIZON)
    finally:
        numba.set_num_threads(before)
    _assert_same(one, two)


def test_any_block_split_gives_the_same_paths() -> None:
    pa, fp = _case(seed=7)
    params = EngineParams(contagion=True, gpu_market_depth_units=2000.0)
    whole = run_block(pa, fp, params, HORIZON)
    for cuts in ([0, 5, 12], [0, 1, 2, 3, 11, 12]):
        parts = [run_block(pa, fp.take(a, b), params, HORIZON)
                 for a, b in zip(cuts, cuts[1:], strict=False)]
        for f in fields(whole):
            joined = np.concatenate([getattr(p, f.name) for p in parts])
            np.testing.assert_array_equal(joined, getattr(whole, f.name), err_msg=f.name)


def test_rerun_is_identical() -> None:
    pa, fp = _case(seed=9)
    _assert_same(run_block(pa, fp, EngineParams(), HORIZON),
                 run_block(pa, fp, EngineParams(), HORIZON))
