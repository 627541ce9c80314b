"""``cliffwatch run --cluster / --workers`` through the real typer app."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from distributed import LocalCluster
from typer.testing import CliRunner

from cliffwatch.cli import app
from cliffwatch.market.scenario import load_scenario
from cliffwatch.runs.job import run
from cliffwatch.runs.spec import RunSpec
from cliffwatch.store import list_runs, load_run, save_run
from cliffwatch.tape.arrays import PortfolioArrays

from .conftest import SEED

runner = CliRunner()
TINY = ["-s", "base", "--paths", "64", "--horizon", "24", "--seed", str(SEED),
        "--no-sensitivities", "--no-reverse-stress"]


def _args(tmp_path: Path, *extra: str) -> list[str]:
    return ["run", *TINY, "--store", str(tmp_path / "s.duckdb"), "--out", str(tmp_path / "out"),
            *extra]


def test_unreachable_cluster_exits_2_and_stores_nothing(tmp_path: Path) -> None:
    res = runner.invoke(app, _args(tmp_path, "--cluster", "tcp://127.0.0.1:9",
                                   "--connect-timeout", "1"))
    assert res.exit_code == 2, res.output
    assert "cluster error" in res.output and "tcp://127.0.0.1:9" in res.output
    assert "Traceback" not in res.output
    assert not (tmp_path / "s.duckdb").exists() and not (tmp_path / "out").exists()


def test_cluster_and_workers_together_exit_2(tmp_path: Path) -> None:
    res = runner.invoke(app, _args(tmp_path, "--cluster", "tcp://127.0.0.1:9", "--workers", "2"))
    assert res.exit_code == 2, res.output
    assert "not both" in res.output


def test_run_on_existing_cluster_stores_the_local_numbers(
        tmp_path: Path, cluster: LocalCluster, sample_arrays: PortfolioArrays) -> None:
    res = runner.invoke(app, _args(tmp_path, "--cluster", cluster.scheduler_address),
                        env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    assert "2 workers, 2 threads" in res.output and "dashboard" in res.output
    runs = list_runs(tmp_path / "s.duckdb")
    assert len(runs) == 1
    stored = load_run(tmp_path / "s.duckdb", runs["run_id"].iloc[0])
    # The local twin goes through the same store round trip, so dtypes match by construction.
    local_id = save_run(run(RunSpec(tape=sample_arrays, scenarios=(load_scenario("base"),),
                                    paths=64, seed=SEED, horizon=24, sensitivities=False,
                                    reverse_stress=False)),
                        tmp_path / "local.duckdb")
    local = load_run(tmp_path / "local.duckdb", local_id)
    for name in ("scenario_summary", "lender_metrics", "fan_charts"):
        pd.testing.assert_frame_equal(stored.table(name), local.table(name), check_exact=True,
                                      obj=name)
    assert stored.manifest["execution"]["executor"] == "dask"


@pytest.mark.slow
def test_workers_option_runs_on_a_local_cluster(tmp_path: Path) -> None:
    res = runner.invoke(app, _args(tmp_path, "--workers", "1", "--threads-per-worker", "1"),
                        env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    assert "1 workers, 1 threads" in res.output
    assert len(list_runs(tmp_path / "s.duckdb")) == 1
