"""The deterministic median path covers every declared factor field.

Reverse stress, ``cliffwatch project`` and the dashboard's trace view run on it; a field left
out would carry path 0's random draws into all three (as ``ai_capex`` and the three software
factors once did).
"""

from __future__ import annotations

import numpy as np
import pytest

from cliffwatch.market.generator import generate
from cliffwatch.market.paths import FACTOR_FIELDS, FactorField, FactorPaths
from cliffwatch.market.scenario import load_scenario
from cliffwatch.market.universe import Universe
from cliffwatch.runs.montecarlo import MEDIAN_PATHS, median_path
from cliffwatch.tape.arrays import PortfolioArrays

SEED, HORIZON = 11, 36


@pytest.fixture(scope="module", params=["base", "software_repricing"])
def pair(request: pytest.FixtureRequest,
         sample_arrays: PortfolioArrays) -> tuple[FactorPaths, FactorPaths]:
    scn = load_scenario(request.param)
    full = generate(Universe.from_arrays(sample_arrays), scn, SEED, 0, MEDIAN_PATHS, HORIZON)
    return median_path(sample_arrays, scn, SEED, HORIZON), full


@pytest.mark.parametrize("f", FACTOR_FIELDS, ids=lambda f: f.name)
def test_every_field_is_the_median_or_the_neutral_draw(
        f: FactorField, pair: tuple[FactorPaths, FactorPaths]) -> None:
    med, full = pair
    got = getattr(med, f.name)
    assert got.shape == (1, *getattr(full, f.name).shape[1:])
    assert got.dtype == f.dtype
    if f.is_draw:
        assert (got == f.neutral).all()
    else:
        np.testing.assert_array_equal(got, np.median(getattr(full, f.name), axis=0,
                                                     keepdims=True))


@pytest.mark.parametrize("name", ["ai_capex", "software_budget", "software_multiple",
                                  "software_spread"])
def test_software_factors_are_not_path_zero(name: str,
                                            pair: tuple[FactorPaths, FactorPaths]) -> None:
    """The factors median_path once left out: random in every bundled scenario, so path 0
    differs from the median somewhere within three years."""
    med, full = pair
    assert not np.array_equal(getattr(med, name), getattr(full, name)[:1])
