"""Fixtures of the hardening tests: the compiled bundled sample and its base scenario."""

from __future__ import annotations

import pytest

from cliffwatch.market.scenario import Scenario, load_scenario
from cliffwatch.sample import load_sample
from cliffwatch.tape.arrays import PortfolioArrays
from cliffwatch.tape.compile import compile_portfolio


@pytest.fixture(scope="session")
def sample_arrays() -> PortfolioArrays:
    return compile_portfolio(load_sample())


@pytest.fixture(scope="session")
def base_scenario() -> Scenario:
    return load_scenario("base")
