"""Tapes and runs too large for memory are refused up front with an estimate, never killed by
the out-of-memory killer halfway; the estimate matches the arrays a run really holds."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from tests.reliability_counts import Tally
from tests.tape.fixtures import small_tape, yaml_text
from typer.testing import CliRunner

from cliffwatch.cli import app
from cliffwatch.engine.outputs import EngineSummary
from cliffwatch.market.scenario import Scenario
from cliffwatch.memory import (
    LIMIT_ENV,
    PARSED_ROW_BYTES,
    USABLE_FRACTION,
    CapacityError,
    _meminfo_available,
    available_memory_bytes,
    require_fits,
    tape_memory,
)
from cliffwatch.runs.bumps import BUMPS
from cliffwatch.runs.job import run
from cliffwatch.runs.memory import run_memory
from cliffwatch.runs.montecarlo import simulate, summary_bytes_per_path
from cliffwatch.runs.spec import RunSpec
from cliffwatch.tape.arrays import PortfolioArrays
from cliffwatch.tape.errors import TapeError
from cliffwatch.tape.load import load_tape

GIB = 2**30
SMALL_LIMIT = 2_000_000
"""Bytes of 'available memory' injected to force a run refusal (2 MB: the sample tape's
validation estimate, under 1 MB, still fits)."""


def test_meminfo_is_parsed_in_kib() -> None:
    text = "MemTotal:       24731708 kB\nMemFree: 1 kB\nMemAvailable:   23000000 kB\n"
    assert _meminfo_available(text) == 23_000_000 * 1024
    assert _meminfo_available("MemTotal: 5 kB\n") is None


def test_available_memory_is_positive_and_overridable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(LIMIT_ENV, raising=False)
    assert available_memory_bytes() > 0
    monkeypatch.setenv(LIMIT_ENV, "12345")
    assert available_memory_bytes() == 12345


def test_summary_bytes_match_a_real_run(sample_arrays: PortfolioArrays,
                                        base_scenario: Scenario) -> None:
    paths, horizon = 8, 24
    summary = simulate(sample_arrays, base_scenario, paths, 1, horizon).summary
    held = sum(getattr(summary, f.name).nbytes for f in fields(EngineSummary))
    assert held == paths * summary_bytes_per_path(sample_arrays, horizon)


def test_run_over_the_limit_is_refused_before_simulating(
        sample_arrays: PortfolioArrays, base_scenario: Scenario, tally: Tally) -> None:
    estimate = run_memory(sample_arrays, 3000, 60, bumps=len(BUMPS))
    with pytest.raises(CapacityError) as info:
        require_fits(estimate, available=SMALL_LIMIT)
    message = str(info.value)
    assert f"3,000 paths x 60 months on {sample_arrays.n_facilities} facilities" in message
    assert f"{estimate.total / GIB:.2f} GiB" in message and "--paths" in message
    require_fits(estimate, available=int(estimate.total / USABLE_FRACTION) + 1)  # fits exactly
    tally("runs refused by the memory estimate")


def test_a_million_facility_run_is_refused_on_this_machine() -> None:
    # a book shaped like the 1M-facility stress of the issue (10 facilities a borrower)
    book = SimpleNamespace(n_facilities=1_000_000, n_borrowers=100_000, n_lenders=50,
                           n_counterparties=1_000, gpu_generations=("H100", "B200"))
    estimate = run_memory(book, 3000, 60, bumps=len(BUMPS))  # type: ignore[arg-type]
    assert estimate.total > 500 * GIB  # 37 B per facility-path for each of 8 result sets
    with pytest.raises(CapacityError, match="1,000,000 facilities"):
        require_fits(estimate, available=64 * GIB)


def test_job_refuses_a_run_that_does_not_fit(
        monkeypatch: pytest.MonkeyPatch, sample_arrays: PortfolioArrays,
        base_scenario: Scenario) -> None:
    monkeypatch.setenv(LIMIT_ENV, str(SMALL_LIMIT))
    calls = []
    with pytest.raises(CapacityError):
        run(RunSpec(tape=sample_arrays, scenarios=(base_scenario,), paths=10_000, seed=1,
                    progress=lambda label, n: calls.append(n)))
    assert calls == []  # nothing was simulated


def test_cli_run_refusal_is_a_message_and_exit_2(monkeypatch: pytest.MonkeyPatch,
                                                 tmp_path: Path, tally: Tally) -> None:
    monkeypatch.setenv(LIMIT_ENV, str(SMALL_LIMIT))
    store = tmp_path / "s.duckdb"
    res = CliRunner().invoke(app, ["run", "-s", "base", "--paths", "5000", "--store", str(store),
                                   "--out", str(tmp_path / "out")])
    assert res.exit_code == 2, res.output
    assert "memory error" in res.output and "GiB" in res.output
    assert res.exception is None or isinstance(res.exception, SystemExit)
    assert not store.exists() and not (tmp_path / "out").exists()
    tally("runs refused by the memory estimate")


def test_tape_too_large_for_memory_is_a_located_tape_error(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, tally: Tally) -> None:
    path = tmp_path / "t.yaml"
    path.write_text(yaml_text(small_tape()))
    rows = 30  # the small tape's rows over all tables
    monkeypatch.setenv(LIMIT_ENV, str(rows * PARSED_ROW_BYTES // 2))
    with pytest.raises(TapeError) as info:
        load_tape(path)
    (issue,) = info.value.issues
    assert issue.file == str(path) and "fits in memory" in issue.expected
    monkeypatch.delenv(LIMIT_ENV)
    assert load_tape(path).facilities  # the same tape loads with the machine's memory
    tally("tapes refused by the memory estimate")


def test_a_million_facility_tape_estimate() -> None:
    # 1,000,000 facilities + 100,000 borrowers, assets and lenders' holdings: ~2.2 M rows
    estimate = tape_memory(2_200_000)
    assert 5 * GIB < estimate.total < 7 * GIB
    assert np.isclose(estimate.total, 2_200_000 * PARSED_ROW_BYTES)
