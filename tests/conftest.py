"""Shared test configuration."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

from cliffwatch.market.scenario import Scenario, load_scenario
from cliffwatch.sample import load_sample
from cliffwatch.tape.arrays import PortfolioArrays
from cliffwatch.tape.compile import compile_portfolio

settings.register_profile(
    "ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "fuzz", max_examples=5000, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
"""On demand: ``HYPOTHESIS_PROFILE=fuzz pytest tests/hardening -k fuzz`` (see RELIABILITY.md)."""
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

pytest_plugins = ["tests.reliability_counts"]


@pytest.fixture(scope="session")
def sample_arrays() -> PortfolioArrays:
    """The bundled sample, compiled."""
    return compile_portfolio(load_sample())


@pytest.fixture(scope="session")
def base_scenario() -> Scenario:
    return load_scenario("base")
