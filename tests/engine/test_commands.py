"""The engine's CLI command and its synthetic book."""

from __future__ import annotations

import numpy as np
from typer.testing import CliRunner

from cliffwatch.cli import app
from cliffwatch.engine.reference import run_reference
from cliffwatch.engine.run import run_block
from cliffwatch.engine.synthetic import synthetic_book, synthetic_paths


def test_engine_bench_prints_throughput() -> None:
    result = CliRunner().invoke(app, ["engine-bench", "--borrowers", "3", "--paths", "4",
                                      "--months", "12"])
    assert result.exit_code == 0, result.output
    assert "12 facilities x 4 paths x 12 months" in result.output


def test_engine_bench_rejects_bad_options() -> None:
    result = CliRunner().invoke(app, ["engine-bench", "--months", "0"])
    assert result.exit_code != 0
    result = CliRunner().invoke(app, ["engine-bench", "--threads", "999"])
    assert result.exit_code == 2
    assert "exceeds" in result.output


def test_synthetic_book_runs_equal_to_reference() -> None:
    pa = synthetic_book(3)
    fp = synthetic_paths(pa, 2, 36)
    s = run_block(pa, fp, horizon=36)
    ref, _ = run_reference(pa, fp, horizon=36, path=1)
    np.testing.assert_allclose(s.fac_loss[1], ref["fac_loss"], rtol=1e-9, atol=1e-6)
    np.testing.assert_array_equal(s.fac_refi_outcome[1], ref["fac_refi_outcome"])
