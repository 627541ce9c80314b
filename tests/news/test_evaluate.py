"""The labelled set: coverage, and precision/recall of the detector on it."""

from __future__ import annotations

from collections import Counter

import pytest

from cliffwatch.news.evaluate import load_labelled, main, score
from cliffwatch.news.rules import CATALYSTS, TAGS

ITEMS = load_labelled()
THRESHOLD = 0.8
"""Required precision and recall on the whole labelled set (issue #10)."""


def test_the_set_covers_every_catalyst_both_ways_in_both_halves() -> None:
    assert len(ITEMS) >= 60 and len({i["id"] for i in ITEMS}) == len(ITEMS)
    halves = Counter(i["split"] for i in ITEMS)
    assert set(halves) == {"dev", "heldout"} and min(halves.values()) >= 30
    for half in ("dev", "heldout"):
        seen = {(k, v) for i in ITEMS if i["split"] == half for k, v in i["catalysts"].items()}
        assert seen == {(c, d) for c in CATALYSTS for d in ("stress", "relief")}, half
    assert sum(not i["catalysts"] for i in ITEMS) >= 10  # negated and off-topic items
    for i in ITEMS:
        assert set(i["tags"]) <= set(TAGS)


@pytest.mark.parametrize("field", ["catalysts", "tags"])
def test_precision_and_recall_on_the_whole_set(field: str) -> None:
    s = score(ITEMS, field)
    assert s["ALL"].precision >= THRESHOLD and s["ALL"].recall >= THRESHOLD
    if field == "catalysts":
        for name in CATALYSTS:
            assert s[name].precision >= THRESHOLD and s[name].recall >= THRESHOLD, name


def test_heldout_half_alone_meets_the_threshold_for_catalysts() -> None:
    s = score([i for i in ITEMS if i["split"] == "heldout"], "catalysts")["ALL"]
    assert s.precision >= THRESHOLD and s.recall >= THRESHOLD


def test_report_prints_both_halves(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 0
    out = capsys.readouterr().out
    assert "== dev (32 items)" in out and "== heldout (32 items)" in out
    assert "spread_widening" in out and "real_estate" in out
