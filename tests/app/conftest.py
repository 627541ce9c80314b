"""Shared fixtures of the dashboard tests: the sample tape, one small real run, upload URLs."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from cliffwatch.market.scenario import load_scenario
from cliffwatch.results import RunResult
from cliffwatch.runs.job import run
from cliffwatch.runs.spec import RunSpec
from cliffwatch.sample import load_sample, sample_tape_path
from cliffwatch.tape.arrays import PortfolioArrays
from cliffwatch.tape.compile import compile_portfolio
from cliffwatch.tape.schema import Portfolio

SMALL_PATHS = 16
"""Paths of the shared test run: enough for every table, fast on two cores."""
SEED = 11


def data_url(data: bytes, mime: str = "application/octet-stream") -> str:
    """Bytes as the browser's upload ``data:`` URL."""
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


@pytest.fixture(scope="session")
def sample_portfolio() -> Portfolio:
    return load_sample()


@pytest.fixture(scope="session")
def sample_arrays(sample_portfolio: Portfolio) -> PortfolioArrays:
    return compile_portfolio(sample_portfolio)


@pytest.fixture(scope="session")
def sample_bytes() -> bytes:
    return Path(sample_tape_path()).read_bytes()


@pytest.fixture(scope="session")
def small_run(sample_arrays: PortfolioArrays) -> RunResult:
    """base + crowded_unwind (contagion on) on the sample, with sensitivities."""
    scenarios = [load_scenario("base"), load_scenario("crowded_unwind")]
    return run(RunSpec(tape=sample_arrays, scenarios=tuple(scenarios), paths=SMALL_PATHS,
                       seed=SEED, horizon=60, tape_name="bundled sample"))
