"""The Dash app without a browser: download routes, views, escaping, the serve command."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import plotly
import pytest
from tests.app.conftest import SEED
from typer.testing import CliRunner

from cliffwatch.app import trace_view
from cliffwatch.app.components import frame_table
from cliffwatch.app.explore_callbacks import compare_view, trace_view_for
from cliffwatch.app.jobs import JobStatus
from cliffwatch.app.limits import BYTES_PER_MB, request_cap_bytes
from cliffwatch.app.run_callbacks import job_card
from cliffwatch.app.server import create_app
from cliffwatch.app.services import AppConfig, Services
from cliffwatch.cli import app as cli_app
from cliffwatch.market.scenario import load_scenario
from cliffwatch.results import RunResult
from cliffwatch.store.runs import save_run
from cliffwatch.tape.arrays import PortfolioArrays

XLSX_MAGIC = b"PK\x03\x04"


@pytest.fixture
def served(tmp_path: Path, small_run: RunResult) -> Iterator[tuple[object, Services, str]]:
    store = tmp_path / "runs.duckdb"
    run_id = save_run(small_run, store)
    app, services = create_app(AppConfig(store=store, max_upload_mb=2, warm_worker=False))
    yield app, services, run_id
    services.close()


def _json(component: object) -> str:
    return json.dumps(component, cls=plotly.utils.PlotlyJSONEncoder)


def test_downloads_serve_report_and_workbook(served: tuple[object, Services, str]) -> None:
    app, _, run_id = served
    client = app.server.test_client()  # type: ignore[attr-defined]
    html = client.get(f"/download/{run_id}/report.html")
    assert html.status_code == 200 and b"<html" in html.data[:2000].lower()
    assert "attachment" in html.headers["Content-Disposition"]
    xlsx = client.get(f"/download/{run_id}/results.xlsx")
    assert xlsx.status_code == 200 and xlsx.data.startswith(XLSX_MAGIC)
    for bad in (f"/download/{run_id}/secrets.txt", "/download/nope/report.html"):
        assert client.get(bad).status_code == 404
    # A path-like id never reaches the route (Dash answers with its page, no file).
    resp = client.get("/download/..%2F..%2Fetc/report.html")
    assert "Content-Disposition" not in resp.headers


def test_request_cap_refuses_oversized_bodies(served: tuple[object, Services, str]) -> None:
    app, _, _ = served
    cap = request_cap_bytes(2)
    assert cap > 2 * BYTES_PER_MB * 4 / 3  # a base64 upload of exactly the cap still fits
    client = app.server.test_client()  # type: ignore[attr-defined]
    resp = client.post("/_dash-update-component", data=b"x" * (cap + 1),
                       content_type="application/json")
    assert resp.status_code == 413


def test_layout_never_sets_raw_html(served: tuple[object, Services, str]) -> None:
    app, _, _ = served
    assert "dangerously" not in _json(app.layout).lower()  # type: ignore[attr-defined]


def test_tape_strings_stay_text(small_run: RunResult) -> None:
    import pandas as pd

    evil = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    table = frame_table(pd.DataFrame({"borrower_id": [evil], "el": [1.5e6]}),
                        "borrower_metrics", link=("borrower_id", lambda v: {"type": "b",
                                                                            "index": str(v)}))
    dumped = _json(table)
    assert "dangerously" not in dumped
    assert json.dumps(evil)[1:-1] in dumped  # carried as a text child, React escapes it
    assert "$1.5m" in dumped  # the report's number format


def test_job_card_shows_state_progress_and_actions() -> None:
    queued = _json(job_card(JobStatus("job-1", "queued", ("base",), position=2)))
    assert "position 2 in the queue" in queued and "cancel-job" in queued
    running = _json(job_card(JobStatus("job-2", "running", ("base",), "base", 50, 200)))
    assert '"value": 25' in running and "cancel-job" in running
    failed = _json(job_card(JobStatus("job-3", "failed", ("base",), error="boom")))
    assert "nothing was saved" in failed and "boom" in failed and "cancel-job" not in failed
    done = _json(job_card(JobStatus("job-4", "done", ("base",), run_id="abc")))
    assert "open-run" in done and "abc" in done


def test_compare_view_lists_both_runs(small_run: RunResult) -> None:
    dumped = _json(compare_view(small_run, small_run))
    for part in ("cmp-facts", "cmp-scenarios", "cmp-deltas", "cmp-es-A", "cmp-es-B"):
        assert part in dumped
    has_software = not small_run.table("theme_split").empty
    assert ("cmp-theme" in dumped) == has_software


def test_trace_matches_the_engine_and_needs_the_tape(
        served: tuple[object, Services, str], small_run: RunResult,
        sample_arrays: PortfolioArrays) -> None:
    _, services, _ = served
    borrower = sample_arrays.borrower_ids[0]
    view = _json(trace_view_for(services, small_run, "crowded_unwind", borrower))
    assert "trace-title" in view and "chart-trace-cash" in view
    t = trace_view.borrower_trace(sample_arrays, load_scenario("crowded_unwind"), borrower,
                                  SEED, 60)
    b = t.borrower
    # The cash bridge closes month by month (the engine's own identity).
    inflow = b["cash_open"] + b["revenue"] - b["opex"] - b["capex"] + b["rvg"] + b["draws"] \
        + b["revolver_draw"] + b["distribution_in"] - b["debt_service"] - b["sweep"] \
        - b["refi_paydown"] - b["default_cash"] - b["distribution_out"]
    assert ((inflow - b["cash_close"]).abs() <= 1e-6 * b["cash_open"].abs().max() + 1e-3).all()
    foreign = RunResult(small_run.tables, {**small_run.manifest, "tape_hash": "f" * 16})
    assert "not loaded in this server" in _json(trace_view_for(services, foreign,
                                                               "crowded_unwind", borrower))


def test_serve_refuses_a_store_in_a_missing_folder(tmp_path: Path) -> None:
    res = CliRunner().invoke(cli_app, ["serve", "--store", str(tmp_path / "no" / "s.duckdb")])
    assert res.exit_code == 2 and "does not exist" in res.output


def test_downloads_leave_no_copy_in_the_work_folder(served: tuple[object, Services, str]) -> None:
    app, services, run_id = served
    client = app.server.test_client()  # type: ignore[attr-defined]
    for name in ("report.html", "results.xlsx"):
        resp = client.get(f"/download/{run_id}/{name}")
        assert resp.status_code == 200 and len(resp.data) > 1000
        resp.close()
    assert not list(services.workdir.glob("download-*"))
