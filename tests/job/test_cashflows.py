"""Cash-flow vectors: they reconcile with the run's own tables on the same paths (EL, EAD x PD),
their statistics are ordered, and the command writes Parquet and a workbook sheet."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

import cliffwatch as cw
from cliffwatch.cli import app
from cliffwatch.runs.cashflows import MEASURES
from cliffwatch.tape.compile import compile_portfolio

SEED, PATHS = 5, 60


@pytest.fixture(scope="module")
def both() -> tuple[pd.DataFrame, pd.DataFrame]:
    pa = compile_portfolio(cw.load_tape())
    vectors = cw.cashflow_vectors(pa, ["crowded_unwind"], paths=PATHS, seed=SEED)
    run = cw.run(pa, ["crowded_unwind"], paths=PATHS, seed=SEED, sensitivities=False,
                 reverse_stress=False)
    return vectors, run.table("facility_metrics").set_index("facility_id")


def test_losses_reconcile_with_the_runs_expected_loss(
        both: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    vectors, fm = both
    el = vectors.groupby("facility_id")["loss_mean"].sum().loc[fm.index]
    np.testing.assert_allclose(el, fm["el"], rtol=1e-9, atol=1e-3)
    assert fm["el"].sum() > 0  # a stressed scenario: there are losses to reconcile


def test_loss_plus_recovery_is_the_exposure_at_default(
        both: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    vectors, fm = both
    at_default = (vectors["loss_mean"] + vectors["recovery_mean"]).groupby(
        vectors["facility_id"]).sum().loc[fm.index]
    expected = (fm["ead"] * fm["pd60"]).fillna(0.0)
    np.testing.assert_allclose(at_default, expected, rtol=1e-9, atol=1e-3)


def test_statistics_are_ordered_and_flows_non_negative(
        both: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    vectors, _ = both
    assert len(vectors) == vectors["facility_id"].nunique() * 60
    for m in MEASURES:
        assert (vectors[f"{m}_p5"] <= vectors[f"{m}_p50"] + 1e-9).all()
        assert (vectors[f"{m}_p50"] <= vectors[f"{m}_p95"] + 1e-9).all()
        assert (vectors[f"{m}_p5"] >= -1e-6).all(), m
    assert vectors["interest_mean"].sum() > 0 and vectors["principal_mean"].sum() > 0


def test_command_writes_parquet_and_xlsx(tmp_path: Path) -> None:
    runner = CliRunner()
    pq = tmp_path / "v.parquet"
    res = runner.invoke(app, ["cashflows", "--paths", "5", "--out", str(pq)])
    assert res.exit_code == 0, res.output
    back = pd.read_parquet(pq)
    assert set(back["scenario"]) == {"base"} and "interest_mean" in back.columns
    xl = tmp_path / "v.xlsx"
    assert runner.invoke(app, ["cashflows", "--paths", "5", "--out", str(xl)]).exit_code == 0
    ws = openpyxl.load_workbook(xl, read_only=True)["cashflow_vectors"]
    head = next(ws.iter_rows(max_row=1, values_only=True))
    assert head[:3] == ("scenario", "facility id", "month")
    assert "interest mean (USD)" in head
