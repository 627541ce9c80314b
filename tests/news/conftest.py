"""Shared fixtures of the news tests: the compiled sample portfolio."""

from __future__ import annotations

import pytest

from cliffwatch.api import load_tape
from cliffwatch.tape.arrays import PortfolioArrays
from cliffwatch.tape.compile import compile_portfolio


@pytest.fixture(scope="session")
def sample_pa() -> PortfolioArrays:
    return compile_portfolio(load_tape())
