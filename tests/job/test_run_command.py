"""`cliffwatch run` end to end: outputs, located errors, a killed run leaves the store clean."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
from tests.reliability_counts import Tally
from typer.testing import CliRunner

from cliffwatch.cli import app
from cliffwatch.store.runs import list_runs, load_run

RUN = ["run", "--paths", "16", "-s", "base", "-s", "spread_shock_2020", "--seed", "3",
       "--no-sensitivities", "--no-reverse-stress"]


def test_run_writes_report_workbook_and_store(tmp_path: Path) -> None:
    store, out = tmp_path / "s.duckdb", tmp_path / "out"
    res = CliRunner().invoke(app, [*RUN, "--store", str(store), "--out", str(out)])
    assert res.exit_code == 0, res.output
    runs = list_runs(store)
    assert len(runs) == 1
    run_id = runs["run_id"].iloc[0]
    assert (out / run_id / "report.html").stat().st_size > 100_000
    assert (out / run_id / "results.xlsx").stat().st_size > 1_000
    assert (out / run_id / "results.loss_paths.parquet").exists()
    assert (out / run_id / "pack.html").exists()
    if Path("/usr/bin/chromium").exists():  # the committee pack, printed
        assert (out / run_id / "pack.pdf").read_bytes()[:5] == b"%PDF-"
        assert "pack.pdf" in res.output
    assert "spread_shock_2020" in res.output
    # the stored run rebuilds with the same numbers
    again = load_run(store, run_id)
    assert set(again.table("scenario_summary")["scenario"]) == {"base", "spread_shock_2020"}
    assert not list(out.glob(".*")), "a temporary output folder was left behind"


def test_report_command_reproduces_the_stored_numbers(tmp_path: Path) -> None:
    store, out = tmp_path / "s.duckdb", tmp_path / "out"
    assert CliRunner().invoke(app, [*RUN, "--store", str(store), "--out", str(out)]).exit_code == 0
    run_id = list_runs(store)["run_id"].iloc[0]
    res = CliRunner().invoke(app, ["report", run_id, "--store", str(store),
                                   "--out", str(tmp_path / "again")])
    assert res.exit_code == 0, res.output
    first = (out / run_id / "report.html").read_text()
    rebuilt = next((tmp_path / "again").rglob("*.html")).read_text()
    assert first == rebuilt


def test_invalid_tape_exits_2_with_location(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("as_of: 2026-07-01\ncurrency: EUR\nborrowers: []\nfacilities: []\n")
    res = CliRunner().invoke(app, ["run", str(bad), "--paths", "4",
                                   "--store", str(tmp_path / "s.duckdb")])
    assert res.exit_code == 2
    assert "bad.yaml" in res.output and "currency" in res.output.lower()
    assert not (tmp_path / "s.duckdb").exists()


def test_unknown_scenario_exits_2(tmp_path: Path) -> None:
    res = CliRunner().invoke(app, ["run", "--paths", "4", "-s", "no_such_scenario",
                                   "--store", str(tmp_path / "s.duckdb")])
    assert res.exit_code == 2
    assert "no_such_scenario" in res.output


def test_killed_run_leaves_only_complete_runs(tmp_path: Path, tally: Tally) -> None:
    store, out = tmp_path / "s.duckdb", tmp_path / "out"
    ok = CliRunner().invoke(app, [*RUN, "--store", str(store), "--out", str(out)])
    assert ok.exit_code == 0, ok.output
    cmd = [sys.executable, "-m", "cliffwatch", "run", "--paths", "4000", "--store", str(store),
           "--out", str(out)]
    for delay in (3.0, 8.0):
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                env={**os.environ, "PYTHONUNBUFFERED": "1"})
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        tally("runs killed: SIGKILL (cliffwatch run)")
    runs = list_runs(store)
    assert len(runs) == 1
    assert isinstance(load_run(store, runs["run_id"].iloc[0]).table("lender_metrics"),
                      pd.DataFrame)
    assert len(list(out.iterdir())) == 1
