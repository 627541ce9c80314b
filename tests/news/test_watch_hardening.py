"""The folder watcher survives any bad file (quarantined with its error), waits out a locked
store, and refuses a text too long to analyse in time."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from cliffwatch.news import watch as watch_mod
from cliffwatch.news.errors import NewsError
from cliffwatch.news.readers import MAX_ITEM_CHARS, read_items
from cliffwatch.news.store import read_news
from cliffwatch.news.watch import QUARANTINE, watch
from cliffwatch.tape.arrays import PortfolioArrays

from .test_store_watch import OTHER, PATHS, SEED, STORY, _old_write


def test_watcher_quarantines_every_bad_file_and_goes_on(
        tmp_path: Path, sample_pa: PortfolioArrays, monkeypatch: pytest.MonkeyPatch) -> None:
    inbox, store = tmp_path / "inbox", tmp_path / "s.duckdb"
    inbox.mkdir()
    _old_write(inbox / "nested.json", "[" * 100_000)  # RecursionError in the JSON parser
    _old_write(inbox / "huge.txt", "Spreads widen\n" + "word " * (MAX_ITEM_CHARS // 5 + 10))
    _old_write(inbox / "boom.txt", "Boom\nThis item makes the detector fail.\n")
    _old_write(inbox / "good.txt", STORY)
    real = watch_mod.analyse_items

    def flaky(items, *args, **kwargs):  # type: ignore[no-untyped-def]
        if any("detector fail" in i.text for i in items):
            raise ValueError("an unexpected failure inside the analysis")
        return real(items, *args, **kwargs)

    monkeypatch.setattr(watch_mod, "analyse_items", flaky)
    errors: list[str] = []
    n = watch(inbox, sample_pa, store, paths=PATHS, seed=SEED, interval=0.0, max_iterations=1,
              on_batch=lambda b: errors.extend(str(e) for e in b.errors))
    assert n == 1 and read_news(store)["title"].tolist() == ["Junk spreads blow out"]
    quarantined = sorted(p.name for p in (inbox / QUARANTINE).iterdir())
    assert quarantined == sorted(["boom.txt", "boom.txt.error.txt", "huge.txt",
                                  "huge.txt.error.txt", "nested.json",
                                  "nested.json.error.txt"])
    assert "nested too deeply" in (inbox / QUARANTINE / "nested.json.error.txt").read_text()
    assert "unexpected failure" in (inbox / QUARANTINE / "boom.txt.error.txt").read_text()
    assert len(errors) == 3
    # a restart does not meet the bad files again, and takes the next good file
    _old_write(inbox / "next.txt", OTHER)
    assert watch(inbox, sample_pa, store, paths=PATHS, seed=SEED, interval=0.0,
                 max_iterations=1) == 1
    assert sorted(read_news(store)["title"]) == ["Junk spreads blow out", "Oracle misses"]


def test_watcher_waits_for_a_store_held_by_another_client(
        tmp_path: Path, sample_pa: PortfolioArrays) -> None:
    inbox, store = tmp_path / "inbox", tmp_path / "s.duckdb"
    inbox.mkdir()
    _old_write(inbox / "good.txt", STORY)
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb,time;"
                               f"c=duckdb.connect({str(store)!r});print('held',flush=True);"
                               "time.sleep(3)"], stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    try:
        start = time.monotonic()
        n = watch(inbox, sample_pa, store, paths=PATHS, seed=SEED, interval=0.2,
                  max_iterations=200, stop_when_idle=True)
    finally:
        holder.wait()
    assert n == 1 and time.monotonic() - start > 1.0
    assert not (inbox / QUARANTINE).exists()  # a busy store is not the file's fault


def test_a_text_too_long_to_analyse_is_refused_by_size(tmp_path: Path) -> None:
    f = tmp_path / "long.txt"
    f.write_text("Title\n" + "spreads widen by 80 basis points, " * 150_000)  # ~5 MB, one line
    with pytest.raises(NewsError, match=f"{MAX_ITEM_CHARS:,}-character limit"):
        read_items(f)


def test_tags_scan_for_companies_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from cliffwatch.news import extract
    from cliffwatch.news.rules import load_entities, load_topics

    calls = []
    real = extract.company_mentions
    monkeypatch.setattr(extract, "company_mentions",
                        lambda text, ents, **kw: calls.append(1) or real(text, ents, **kw))
    extract.tags("CoreWeave and Oracle raised debt.", load_topics(), load_entities())
    assert len(calls) == 1  # was once per entity: quadratic in practice


def test_long_runs_without_a_full_stop_are_matched_in_pieces() -> None:
    from cliffwatch.news.sentences import MAX_SENTENCE_CHARS, sentences

    text = "spreads widen, " * 10_000  # 150 KB, no sentence boundary
    parts = sentences(text)
    assert max(len(p) for p in parts) <= MAX_SENTENCE_CHARS
    assert sum(len(p) for p in parts) >= len(text.replace(" ", "")) * 0.9
    assert sentences("Spreads widened. Oracle fell.") == ["Spreads widened.", "Oracle fell."]
