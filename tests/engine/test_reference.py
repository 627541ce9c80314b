"""The compiled kernel equals the readable reference model on random portfolios and paths."""

from __future__ import annotations

import numpy as np
import pytest
from tests.engine.random_case import random_paths, random_portfolio

from cliffwatch.engine.params import EngineParams
from cliffwatch.engine.reference import run_reference
from cliffwatch.engine.run import run_block, trace

HORIZON = 36
SEEDS = range(40)


@pytest.mark.parametrize("seed", SEEDS)
def test_kernel_equals_reference(seed: int) -> None:
    rng = np.random.default_rng(seed)
    pa = random_portfolio(rng, HORIZON)
    fp = random_paths(rng, pa, HORIZON, n_paths=2)
    params = EngineParams(contagion=bool(seed % 2), gpu_market_depth_units=3000.0)
    s = run_block(pa, fp, params, horizon=HORIZON)
    for p in range(fp.n_paths):
        ref, _ = run_reference(pa, fp, params, HORIZON, path=p)
        for name, want in ref.items():
            got = getattr(s, name)[p]
            np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-6,
                                       err_msg=f"seed {seed} path {p} {name}")


@pytest.mark.parametrize("seed", range(40, 48))
def test_trace_cash_bridge_equals_reference_log(seed: int) -> None:
    rng = np.random.default_rng(seed)
    pa = random_portfolio(rng, HORIZON)
    fp = random_paths(rng, pa, HORIZON, n_paths=2)
    params = EngineParams()
    bor = trace(pa, fp, params, HORIZON, path=1)["borrower"]
    _, log = run_reference(pa, fp, params, HORIZON, path=1)
    got = bor.set_index(["month", "borrower"])
    for row in log:
        key = (row["month"], row["borrower"])
        for col, want in row.items():
            if col in ("month", "borrower"):
                continue
            np.testing.assert_allclose(got.loc[key, col], want, rtol=1e-9, atol=1e-6,
                                       err_msg=f"seed {seed} {key} {col}")
