"""The news_items table, the folder watcher and the ``news`` command."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from cliffwatch.cli import app
from cliffwatch.news import watch as watch_mod
from cliffwatch.news.analyse import analyse_items
from cliffwatch.news.item import NewsItem
from cliffwatch.news.store import append_news, read_news, stored_item_ids
from cliffwatch.news.watch import watch
from cliffwatch.tape.arrays import PortfolioArrays

PATHS = 16
SEED = 5
STORY = "Junk spreads blow out\nHigh-yield spreads blew out by 80 basis points.\n"
OTHER = "Oracle misses\nOracle missed earnings estimates and cut its revenue guidance.\n"


def _old(p: Path) -> Path:
    """Backdate a file so the watcher treats it as completely written."""
    t = time.time() - 10
    os.utime(p, (t, t))
    return p


def test_append_creates_the_table_and_adds_rows(tmp_path: Path, sample_pa: PortfolioArrays) -> None:
    store = tmp_path / "s.duckdb"
    items = [NewsItem("Junk spreads blow out", "Spreads blew out by 80 bp.", "2026-11-26", "w"),
             NewsItem("Bakery", "A bakery won a prize.")]
    done = analyse_items(items, sample_pa, paths=PATHS, seed=SEED)
    assert append_news(done, store, paths=PATHS, seed=SEED) == 2
    assert append_news(done[:1], store, paths=PATHS, seed=SEED) == 1
    df = read_news(store)
    assert len(df) == 3 and list(df.columns[:4]) == ["item_id", "title", "published", "source"]
    top = df.iloc[0]
    assert top["title"] == "Junk spreads blow out" and top["published"] == "2026-11-26"
    assert json.loads(top["catalysts"])[0]["name"] == "spread_widening"
    assert json.loads(top["catalysts"])[0]["evidence"] == [
        "Junk spreads blow out.", "Spreads blew out by 80 bp."]
    yml = top["scenario_yaml"]
    assert yml.startswith("name: news_") and "extends: base" in yml
    assert top["d_el"] == done[0].impact.d_el and top["paths"] == PATHS  # type: ignore[union-attr]
    assert stored_item_ids(store) == {i.item_id for i in items}
    assert stored_item_ids(tmp_path / "none.duckdb") == set()


def test_news_table_lives_beside_saved_runs(tmp_path: Path, sample_pa: PortfolioArrays) -> None:
    from cliffwatch.api import run

    store = tmp_path / "s.duckdb"
    run_id = run(sample_pa, ["base"], paths=PATHS, seed=SEED, sensitivities=False,
                 reverse_stress=False).save(store)
    done = analyse_items([NewsItem("t", "Spreads widened.")], sample_pa, paths=PATHS, seed=SEED)
    append_news(done, store, paths=PATHS, seed=SEED)
    from cliffwatch.store.runs import list_runs

    assert run_id in set(list_runs(store)["run_id"])
    con = duckdb.connect(str(store), read_only=True)
    assert con.execute("SELECT count(*) FROM news_items").fetchone() == (1,)
    con.close()
    # news first, a run saved after it: both live in the one file
    other = tmp_path / "o.duckdb"
    append_news(done, other, paths=PATHS, seed=SEED)
    later = run(sample_pa, ["base"], paths=PATHS, seed=SEED, sensitivities=False,
                reverse_stress=False).save(other)
    assert set(list_runs(other)["run_id"]) == {later} and len(read_news(other)) == 1


def test_watch_processes_new_files_once(tmp_path: Path, sample_pa: PortfolioArrays) -> None:
    inbox, store = tmp_path / "inbox", tmp_path / "s.duckdb"
    inbox.mkdir()
    _old_write(inbox / "a.txt", STORY)
    _old_write(inbox / "junk.txt", "")  # an empty file is reported, not fatal
    (inbox / "skip.png").write_bytes(b"\x89PNG")
    batches = []
    n = watch(inbox, sample_pa, store, paths=PATHS, seed=SEED, interval=0.0, max_iterations=2,
              on_batch=batches.append)
    assert n == 1 and len(batches) == 1 and len(batches[0].errors) == 1
    _old_write(inbox / "b.txt", OTHER)
    _old_write(inbox / "a_copy.txt", STORY)  # same story, new file: not stored twice
    assert watch(inbox, sample_pa, store, paths=PATHS, seed=SEED, interval=0.0,
                 max_iterations=1) == 1
    assert sorted(read_news(store)["title"]) == ["Junk spreads blow out", "Oracle misses"]


def test_watch_waits_for_a_file_still_being_written(tmp_path: Path, sample_pa: PortfolioArrays,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(watch_mod, "SETTLE_S", 3600.0)
    (tmp_path / "fresh.txt").write_text(STORY)
    assert watch(tmp_path, sample_pa, tmp_path / "s.duckdb", paths=PATHS, seed=SEED,
                 interval=0.0, max_iterations=1) == 0


def _old_write(p: Path, text: str) -> None:
    p.write_text(text)
    _old(p)


def test_cli_news_prints_and_stores(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text(STORY)
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    store = tmp_path / "s.duckdb"
    r = CliRunner().invoke(app, ["news", str(f), str(bad), "--paths", str(PATHS), "--seed",
                                 str(SEED), "--store", str(store)], terminal_width=200)
    assert r.exit_code == 0, r.output
    assert "spread_widening" in r.output and "High-yield spreads blew out" in r.output
    assert "extends: base" in r.output and "most affected borrowers" in r.output
    assert f"news error: {bad}: line 1 column 2: invalid JSON" in r.output
    assert "1 news item(s) appended" in r.output and len(read_news(store)) == 1


def test_cli_user_errors_exit_2_without_traceback(tmp_path: Path) -> None:
    runner = CliRunner()
    r = runner.invoke(app, ["news"])
    assert r.exit_code == 2 and "give news files, or --watch DIR" in r.output
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    r = runner.invoke(app, ["news", str(bad), "--store", str(tmp_path / "s.duckdb")])
    assert r.exit_code == 2 and "invalid JSON" in r.output and "Traceback" not in r.output
    r = runner.invoke(app, ["news", str(bad), "--tape", str(tmp_path / "nope.yaml")])
    assert r.exit_code == 2 and "nope.yaml" in r.output and "Traceback" not in r.output
    r = runner.invoke(app, ["news", "--watch", str(tmp_path / "nodir")])
    assert r.exit_code == 2 and "not a folder" in r.output


def test_cli_watch_mode(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    _old_write(inbox / "a.txt", STORY)
    store = tmp_path / "s.duckdb"
    r = CliRunner().invoke(app, ["news", "--watch", str(inbox), "--max-iterations", "1",
                                 "--interval", "0", "--paths", str(PATHS), "--store", str(store)],
                           terminal_width=200)
    assert r.exit_code == 0, r.output
    assert "1 news item(s) appended" in r.output and len(read_news(store)) == 1


def test_cli_rules_only_turns_the_learned_layer_off(tmp_path: Path) -> None:
    f = tmp_path / "funds.txt"
    # the rules find no catalyst here; the learned layer finds capacity left idle
    f.write_text("Neocloud clusters\nClusters built for a customer who walked away remain dark.")
    args = ["news", str(f), "--paths", "2", "--seed", str(SEED), "--no-scenario"]
    on = CliRunner().invoke(app, [*args, "--store", str(tmp_path / "a.duckdb")],
                            terminal_width=200)
    assert on.exit_code == 0, on.output
    assert "utilization_lag" in on.output and "[model] Clusters built for" in on.output
    off = CliRunner().invoke(app, [*args, "--rules-only", "--store", str(tmp_path / "b.duckdb")],
                             terminal_width=200)
    assert off.exit_code == 0, off.output
    assert "utilization_lag" not in off.output
