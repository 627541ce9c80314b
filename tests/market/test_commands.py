"""The ``cliffwatch scenarios`` command."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from cliffwatch.cli import app

RUNNER = CliRunner()


def test_list_shows_every_scenario() -> None:
    res = RUNNER.invoke(app, ["scenarios"])
    assert res.exit_code == 0, res.output
    for name in ("base", "spread_shock_2020", "crowded_unwind", "weak_tech_earnings"):
        assert name in res.output
    assert "software_repricing" in res.output and "two_sided_bust" in res.output


def test_show_lists_the_software_factors() -> None:
    res = RUNNER.invoke(
        app, ["scenarios", "show", "software_repricing", "--paths", "32", "--horizon", "7"]
    )
    assert res.exit_code == 0, res.output
    for name in ("ai_capex", "software_budget", "software_multiple", "software_spread"):
        assert name in res.output


def test_show_locates_a_bad_software_modification(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nfactors: {software_budget: {vol_scale: -1}}\n")
    res = RUNNER.invoke(app, ["scenarios", "show", str(bad)])
    assert res.exit_code == 2 and "factors.software_budget.vol_scale" in res.output
    assert "Traceback" not in res.output


def test_show_prints_spec_table_and_png(tmp_path: Path) -> None:
    out = tmp_path / "fan.png"
    res = RUNNER.invoke(
        app,
        ["scenarios", "show", "gfc_severe", "--paths", "64", "--horizon", "13", "--png", str(out)],
    )
    assert res.exit_code == 0, res.output
    assert "market_closed" in res.output and "hy_spread" in res.output
    assert out.stat().st_size > 10_000 and out.read_bytes()[:4] == b"\x89PNG"


def test_show_bad_input_exits_nonzero_without_traceback(tmp_path: Path) -> None:
    res = RUNNER.invoke(app, ["scenarios", "show", "no_such_scenario"])
    assert res.exit_code == 2 and "unknown scenario" in res.output
    assert "Traceback" not in res.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nfactors: {spread: {jump: [{month: -1, size: 1}]}}\n")
    res = RUNNER.invoke(app, ["scenarios", "show", str(bad)])
    assert res.exit_code == 2 and "factors.spread.jump.0.month" in res.output


def test_show_png_into_missing_folder_is_a_clean_error(tmp_path: Path) -> None:
    res = RUNNER.invoke(
        app,
        [
            "scenarios",
            "show",
            "base",
            "--paths",
            "8",
            "--horizon",
            "3",
            "--png",
            str(tmp_path / "no" / "fan.png"),
        ],
    )
    assert res.exit_code == 2 and "cannot write" in res.output
