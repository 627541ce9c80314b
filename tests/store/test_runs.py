"""The DuckDB results store: round trips, atomic writes, locking, failures."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.reliability_counts import Tally

from cliffwatch.results import RunResult, conform
from cliffwatch.store import (
    SCHEMA_VERSION,
    RunNotFoundError,
    StoreError,
    StoreLockedError,
    delete_run,
    list_runs,
    load_run,
    save_run,
)
from cliffwatch.store.lock import lock_path
from report.fixtures import make_result

ROOT = Path(__file__).resolve().parents[2]
CHILD = Path(__file__).with_name("writer_child.py")
CHILD_START_TIMEOUT_S = 60.0


def assert_same_run(a: RunResult, b: RunResult) -> None:
    assert list(a.tables) == list(b.tables)
    for name in a.tables:
        pd.testing.assert_frame_equal(a.tables[name], b.tables[name], check_exact=True)
    assert a.manifest == b.manifest


def snapshot(store: Path) -> dict[str, int]:
    """Row count of every table of the store: what a failed write must leave unchanged."""
    con = duckdb.connect(str(store), read_only=True)
    try:
        names = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables")
                 .fetchall()]
        return {n: con.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}
    finally:
        con.close()


def test_round_trip_gives_identical_tables_and_manifest(tmp_path: Path) -> None:
    result = make_result()
    store = tmp_path / "s.duckdb"
    run_id = save_run(result, store)
    assert run_id == result.manifest["run_id"]
    assert_same_run(result, load_run(store, run_id))


def test_two_runs_are_kept_apart_and_listed_in_order(tmp_path: Path) -> None:
    store = tmp_path / "s.duckdb"
    a = make_result(run_id="a", seed=1, paths=50)
    b = make_result(run_id="b", seed=2, paths=60, scenarios=("base",))
    b.manifest["created"] = "2026-11-27T00:00:00+00:00"
    save_run(a, store)
    save_run(b, store)
    runs = list_runs(store)
    assert runs["run_id"].tolist() == ["a", "b"]
    assert runs["scenarios"].tolist() == ["base, spread_shock, crowded_unwind", "base"]
    assert runs["paths"].tolist() == [50, 60]
    assert_same_run(b, load_run(store, "b"))
    delete_run(store, "a")
    assert list_runs(store)["run_id"].tolist() == ["b"]
    assert_same_run(b, load_run(store, "b"))


def test_schema_version_is_recorded(tmp_path: Path) -> None:
    store = tmp_path / "s.duckdb"
    save_run(make_result(paths=20), store)
    assert snapshot(store)["store_meta"] == 1
    con = duckdb.connect(str(store), read_only=True)
    row = con.execute("SELECT value FROM store_meta WHERE key='schema_version'").fetchone()
    con.close()
    assert row == (str(SCHEMA_VERSION),)


def test_newer_schema_version_is_refused(tmp_path: Path) -> None:
    store = tmp_path / "s.duckdb"
    save_run(make_result(paths=20), store)
    con = duckdb.connect(str(store))
    con.execute("UPDATE store_meta SET value = ? WHERE key = 'schema_version'",
                [str(SCHEMA_VERSION + 1)])
    con.close()
    with pytest.raises(StoreError, match="newer than this cliffwatch supports"):
        list_runs(store)


def test_missing_tables_stay_missing_and_generated_run_id(tmp_path: Path) -> None:
    full = make_result(paths=20)
    manifest = {k: v for k, v in full.manifest.items() if k != "run_id"}
    partial = RunResult(tables={"scenario_summary": full.tables["scenario_summary"]},
                        manifest=manifest)
    store = tmp_path / "s.duckdb"
    run_id = save_run(partial, store)
    back = load_run(store, run_id)
    assert list(back.tables) == ["scenario_summary"]
    assert back.manifest == {**manifest, "run_id": run_id}
    assert back.table("lender_metrics").empty


def test_unknown_run_and_missing_store_give_clear_errors(tmp_path: Path) -> None:
    store = tmp_path / "s.duckdb"
    with pytest.raises(StoreError, match="no results store"):
        load_run(store, "x")
    with pytest.raises(StoreError, match="no results store"):
        list_runs(store)
    assert list(tmp_path.iterdir()) == []  # no stray lock file
    save_run(make_result(paths=20), store)
    with pytest.raises(RunNotFoundError, match="no run 'nope'"):
        load_run(store, "nope")
    with pytest.raises(RunNotFoundError):
        delete_run(store, "nope")


def test_duplicate_run_id_is_refused_and_store_unchanged(tmp_path: Path) -> None:
    store = tmp_path / "s.duckdb"
    result = make_result(paths=20)
    save_run(result, store)
    before = snapshot(store)
    with pytest.raises(StoreError, match="already stored"):
        save_run(result, store)
    assert snapshot(store) == before


def test_failed_write_mid_transaction_leaves_store_unchanged(tmp_path: Path) -> None:
    store = tmp_path / "s.duckdb"
    first = make_result(run_id="first", paths=30)
    save_run(first, store)
    before = snapshot(store)
    # A manifest seed that the UHUGEINT column rejects fails after the schema DDL has run.
    bad = make_result(run_id="bad", paths=30)
    bad.manifest["seed"] = -5
    with pytest.raises(StoreError, match="nothing saved"):
        save_run(bad, store)
    assert snapshot(store) == before
    assert list_runs(store)["run_id"].tolist() == ["first"]
    assert_same_run(first, load_run(store, "first"))


def test_failed_first_write_leaves_no_store_file(tmp_path: Path) -> None:
    store = tmp_path / "s.duckdb"
    bad = make_result(paths=20)
    bad.manifest["seed"] = -1
    with pytest.raises(StoreError):
        save_run(bad, store)
    assert not store.exists()


def test_store_in_unwritable_location_gives_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not_a_dir"
    blocker.write_text("a file, so nothing can be created beneath it")
    with pytest.raises(StoreError, match="cannot create lock file"):
        save_run(make_result(paths=20), blocker / "s.duckdb")


def test_schema_mismatch_is_rejected_before_writing(tmp_path: Path) -> None:
    result = make_result(paths=20)
    broken = RunResult(tables={**result.tables,
                               "maturity_wall": pd.DataFrame({"quarter": ["2027Q1"]})},
                       manifest=result.manifest)
    with pytest.raises(StoreError, match="lacks columns"):
        save_run(broken, tmp_path / "s.duckdb")
    assert not (tmp_path / "s.duckdb").exists()


finite = st.floats(allow_nan=True, allow_infinity=True, width=64)
text = st.text(max_size=12)


# Each example opens a fresh DuckDB file (~0.1 s): a few dozen cover the edge values.
@settings(max_examples=10)
@given(rows=st.lists(st.tuples(text, text, finite), max_size=8), seed=st.integers(0, 2**128 - 1))
def test_round_trip_property(tmp_path_factory: pytest.TempPathFactory,
                             rows: list[tuple[str, str, float]], seed: int) -> None:
    store = tmp_path_factory.mktemp("prop") / "s.duckdb"
    df = pd.DataFrame(rows, columns=["scenario", "lender_id", "loss"])
    df["path"] = np.arange(len(df), dtype=np.int64)
    table = conform("lender_loss_paths", df)
    result = RunResult(tables={"lender_loss_paths": table},
                       manifest={"run_id": "p", "seed": seed, "note": "ü<>&"})
    save_run(result, store)
    assert_same_run(result, load_run(store, "p"))
    assert list_runs(store)["seed"].tolist() == [str(seed)]


def start_stalled_writer(
    store: Path, run_id: str, marker: Path, stall_s: float, paths: int = 2000,
    phase: str = "commit",
) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT / 'tests'}"}
    proc = subprocess.Popen([sys.executable, str(CHILD), str(store), run_id, str(marker),
                             str(stall_s), str(paths), phase], env=env, stderr=subprocess.PIPE)
    deadline = time.monotonic() + CHILD_START_TIMEOUT_S
    while not marker.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise AssertionError(f"writer never reached the commit: {proc.stderr.read()!r}")
        time.sleep(0.05)
    return proc


def test_writer_killed_mid_write_leaves_only_complete_runs(tmp_path: Path,
                                                          tally: Tally) -> None:
    tally("store writers killed: SIGKILL")
    store = tmp_path / "s.duckdb"
    first = make_result(run_id="complete", paths=50)
    save_run(first, store)
    proc = start_stalled_writer(store, "half", tmp_path / "marker", stall_s=120)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert list_runs(store)["run_id"].tolist() == ["complete"]
    assert_same_run(first, load_run(store, "complete"))
    with pytest.raises(RunNotFoundError):
        load_run(store, "half")
    # The store stays writable: the dead writer's lock and WAL are gone.
    save_run(make_result(run_id="after", paths=20), store, lock_timeout=5)
    assert sorted(list_runs(store)["run_id"]) == ["after", "complete"]


def test_second_writer_fails_clearly_when_lock_is_held(tmp_path: Path, tally: Tally) -> None:
    tally("concurrent writers of one store")
    store = tmp_path / "s.duckdb"
    proc = start_stalled_writer(store, "slow", tmp_path / "marker", stall_s=120)
    try:
        with pytest.raises(StoreLockedError, match="another cliffwatch process is writing"):
            save_run(make_result(run_id="impatient", paths=20), store, lock_timeout=0.3)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    assert lock_path(store).exists()
    assert list_runs(store).empty


def test_second_writer_waits_for_the_first(tmp_path: Path, tally: Tally) -> None:
    tally("concurrent writers of one store")
    store = tmp_path / "s.duckdb"
    proc = start_stalled_writer(store, "first", tmp_path / "marker", stall_s=1.0)
    assert list_runs(store, lock_timeout=60)["run_id"].tolist() == ["first"]  # reader waits too
    save_run(make_result(run_id="second", paths=20), store, lock_timeout=60)
    assert proc.wait(timeout=60) == 0
    assert sorted(list_runs(store)["run_id"]) == ["first", "second"]


KILL_DELAYS_S = (0.02, 0.15, 0.4)
"""Delays after the inserts begin at which the writer is killed (the big run takes longer)."""
BIG_RUN_PATHS = 20_000
"""Paths of the run being killed: 300,000 loss rows, so the kill lands inside the write."""


@pytest.mark.slow
@pytest.mark.parametrize("delay", KILL_DELAYS_S)
def test_writer_killed_at_any_moment_leaves_all_or_nothing(tmp_path: Path, delay: float,
                                                           tally: Tally) -> None:
    tally("store writers killed: SIGKILL")
    store = tmp_path / "s.duckdb"
    first = make_result(run_id="complete", paths=30)
    save_run(first, store)
    proc = start_stalled_writer(store, "big", tmp_path / "marker", 0, BIG_RUN_PATHS, "start")
    time.sleep(delay)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    ids = sorted(list_runs(store)["run_id"])
    assert ids in (["complete"], ["big", "complete"])
    assert_same_run(first, load_run(store, "complete"))
    if "big" in ids:  # the commit won the race: then the run must be whole
        big = make_result(run_id="big", paths=BIG_RUN_PATHS)
        assert_same_run(big, load_run(store, "big"))
    save_run(make_result(run_id="after", paths=20), store, lock_timeout=5)


def test_error_after_all_rows_are_inserted_rolls_everything_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cliffwatch.store import runs

    store = tmp_path / "s.duckdb"
    save_run(make_result(run_id="first", paths=30), store)
    before = snapshot(store)
    original = runs._insert_run

    def insert_then_fail(*args, **kwargs):  # type: ignore[no-untyped-def]
        original(*args, **kwargs)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(runs, "_insert_run", insert_then_fail)
    with pytest.raises(OSError, match="No space left"):
        save_run(make_result(run_id="second", paths=30), store)
    assert snapshot(store) == before
    assert list_runs(store)["run_id"].tolist() == ["first"]


def test_store_follows_a_contract_that_gained_a_column(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cliffwatch.results import TABLES

    store = tmp_path / "s.duckdb"
    old = make_result(run_id="old", paths=20)
    save_run(old, store)
    grown = [("source", "string", "source"), ("unit", "string", "unit of value"),
             *[c for c in TABLES["assumptions"] if c[0] != "source"]]
    fresh = make_result(run_id="new", paths=20)
    monkeypatch.setitem(TABLES, "assumptions", grown)  # new column, and a new column order
    t = fresh.tables["assumptions"].assign(unit="USD")
    new = RunResult(tables={**fresh.tables, "assumptions": conform("assumptions", t)},
                    manifest=fresh.manifest)
    save_run(new, store)
    assert_same_run(new, load_run(store, "new"))
    back = load_run(store, "old").tables["assumptions"]
    assert back["unit"].isna().all()
    before = old.tables["assumptions"]
    pd.testing.assert_frame_equal(back[list(before.columns)], before)
