"""The runs / report / compare commands, through the real typer app."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from cliffwatch.cli import app
from cliffwatch.report.html import build_html
from cliffwatch.store import list_runs, save_run

from .fixtures import make_result

runner = CliRunner()


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "s.duckdb"
    save_run(make_result(run_id="a/1", paths=40), path)
    b = make_result(run_id="b", seed=7, paths=50, scenarios=("base", "spread_shock"))
    b.manifest["tape_name"] = "[bold]not markup[/bold]"
    save_run(b, path)
    return path


def test_runs_lists_every_run(store: Path) -> None:
    res = runner.invoke(app, ["runs", "--store", str(store)], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    for run_id in list_runs(store)["run_id"]:
        assert run_id in res.output
    assert "[bold]not markup[/bold]" in res.output


def test_report_writes_html_and_xlsx_equal_to_in_memory(store: Path, tmp_path: Path) -> None:
    res = runner.invoke(app, ["report", "a/1", "--store", str(store), "--out", str(tmp_path)])
    assert res.exit_code == 0, res.output
    html = tmp_path / "a_1.html"
    assert html.read_text(encoding="utf-8") == build_html(make_result(run_id="a/1", paths=40))
    assert openpyxl.load_workbook(tmp_path / "a_1.xlsx").sheetnames[0] == "summary"


def test_unknown_run_exits_2_with_message(store: Path, tmp_path: Path) -> None:
    for args in (["report", "zzz"], ["compare", "a/1", "zzz"]):
        res = runner.invoke(app, [*args, "--store", str(store)])
        assert res.exit_code == 2
        assert "no run 'zzz'" in res.output
        assert "Traceback" not in res.output


def test_missing_store_exits_2(tmp_path: Path) -> None:
    res = runner.invoke(app, ["runs", "--store", str(tmp_path / "none.duckdb")])
    assert res.exit_code == 2
    assert "no results store" in res.output


def test_unwritable_out_dir_exits_2_and_leaves_store(store: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    before = list_runs(store)
    res = runner.invoke(app, ["report", "b", "--store", str(store), "--out", str(blocker / "o")])
    assert res.exit_code == 2
    assert "error:" in res.output and "Traceback" not in res.output
    assert list_runs(store).equals(before)


def test_compare_shows_inputs_scenarios_and_deltas(store: Path) -> None:
    res = runner.invoke(app, ["compare", "a/1", "b", "--store", str(store)],
                        env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    for text in ("tape_hash", "seed", "changed", "crowded_unwind", "only in A", "Δ ES99",
                 "portfolio", "=SUM(A1:A9)", "two sides of the AI theme",
                 "Δ EL software"):
        assert text in res.output


def test_runs_fits_80_columns_one_line_per_run(store: Path) -> None:
    res = runner.invoke(app, ["runs", "--store", str(store)], env={"COLUMNS": "80"})
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    assert all(len(line) <= 80 for line in lines), res.output
    header = next(line for line in lines if line.startswith("run id"))
    assert header.split() == ["run", "id", "created", "tape", "scen.", "paths", "seed", "status"]
    for run_id in list_runs(store)["run_id"]:
        row = next(line for line in lines if line.startswith(run_id + " "))
        assert row.split()[-1] == "complete"
        assert row.split()[-3] in ("40", "50")  # paths


def test_version_prints_and_exits_0() -> None:
    from cliffwatch import __version__

    res = runner.invoke(app, ["--version"])
    assert res.exit_code == 0 and res.output.strip() == f"cliffwatch {__version__}"


def test_run_help_at_80_columns_shows_every_option_whole() -> None:
    res = runner.invoke(app, ["run", "--help"], env={"COLUMNS": "80"})
    assert res.exit_code == 0
    assert "…" not in res.output
    assert all(len(line) <= 80 for line in res.output.splitlines())
    for option in ("--no-sensitivities", "--no-reverse-stress", "--threads-per-worker",
                   "--connect-timeout", "--bump", "cliffwatch.duckdb"):
        assert option in res.output, option


def test_report_pdf_writes_the_pack(store: Path, tmp_path: Path) -> None:
    import shutil

    if shutil.which("chromium") is None:
        pytest.skip("no chromium")
    res = runner.invoke(app, ["report", "b", "--store", str(store), "--out", str(tmp_path),
                              "--pdf"])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "b-pack.pdf").read_bytes()[:5] == b"%PDF-"
    assert "b-pack.pdf" in res.output
