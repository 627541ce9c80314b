"""Shape and coverage of the third blind labelled news set (``labelled/blind3.yaml``, issue #10).

These tests check the file only (format, taxonomy, coverage the brief asked for); the
detector's precision and recall on it are measured by the evaluation, not here.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

LABELLED_DIR = Path(__file__).parent / "labelled"
BLIND3_PATH = LABELLED_DIR / "blind3.yaml"
REFERENCE_PATH = LABELLED_DIR / "items.yaml"
ENTITIES_PATH = (
    Path(__file__).parents[2] / "src" / "cliffwatch" / "data" / "news" / "entities.yaml"
)

FIELDS = {"id", "split", "title", "body", "tags", "companies", "catalysts"}
ID_PREFIX = "x"
ID_PATTERN = re.compile(rf"^{ID_PREFIX}\d{{2}}$")
SPLIT = "blind"
DIRECTIONS = {"stress", "relief"}
N_ITEMS = 48
MIN_STRESS_PER_CATALYST = 3
MIN_RELIEF_PER_CATALYST = 2
MIN_ITEMS_PER_TAG = 4
MIN_OFF_TOPIC = 8
MIN_MIXED = 4
MIN_HEDGED = 4
MIN_SENTENCES, MAX_SENTENCES = 2, 4
# Tags that make an item part of the AI-infrastructure credit story; an item with none of
# them and no catalyst is off-topic (a near miss such as "heart rate" or a river "bank").
ON_TOPIC_TAGS = {
    "artificial_intelligence",
    "banking_liquidity",
    "credit_bond_markets",
    "energy",
    "infrastructure",
    "interest_rates_yields",
    "investor_sentiment_positioning",
    "private_credit",
}
HEDGE = re.compile(r"\b(could|may|might|would|risks?|warn(ed|s)?|worr(y|ies))\b", re.I)
SENTENCE_END = re.compile(r"[.!?](?:\s|$)")
UNKNOWN_TICKER = re.compile(r"^[A-Z]{1,5}$")


def _items(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)["items"]


@pytest.fixture(scope="module")
def items() -> list[dict[str, Any]]:
    return _items(BLIND3_PATH)


@pytest.fixture(scope="module")
def taxonomy() -> tuple[set[str], set[str]]:
    """Tag ids and catalyst names used by the reference set (items.yaml)."""
    ref = _items(REFERENCE_PATH)
    tags = {t for it in ref for t in it["tags"]}
    catalysts = {c for it in ref for c in it["catalysts"]}
    return tags, catalysts


@pytest.fixture(scope="module")
def entities() -> tuple[set[str], set[str]]:
    """Canonical names and known tickers of entities.yaml."""
    with ENTITIES_PATH.open(encoding="utf-8") as fh:
        ents = yaml.safe_load(fh)["entities"]
    return {e["name"] for e in ents}, {t for e in ents for t in e["tickers"]}


def test_fields_split_and_size(items: list[dict[str, Any]]) -> None:
    assert len(items) == N_ITEMS
    for it in items:
        assert set(it) == FIELDS, it.get("id")
        assert it["split"] == SPLIT
        assert isinstance(it["title"], str) and it["title"].strip()
        assert isinstance(it["tags"], list) and isinstance(it["companies"], list)
        assert isinstance(it["catalysts"], dict)


def test_ids_unique_and_prefix_not_used_elsewhere(items: list[dict[str, Any]]) -> None:
    ids = [it["id"] for it in items]
    assert len(set(ids)) == len(ids)
    assert all(ID_PATTERN.match(i) for i in ids)
    for other in LABELLED_DIR.glob("*.yaml"):
        if other != BLIND3_PATH:
            clash = [it["id"] for it in _items(other) if it["id"].startswith(ID_PREFIX)]
            assert not clash, f"{other.name} uses the {ID_PREFIX!r} prefix: {clash}"


def test_bodies_are_short(items: list[dict[str, Any]]) -> None:
    for it in items:
        n = len(SENTENCE_END.findall(it["body"].strip()))
        assert MIN_SENTENCES <= n <= MAX_SENTENCES, (it["id"], n)


def test_labels_use_the_reference_taxonomy(
    items: list[dict[str, Any]], taxonomy: tuple[set[str], set[str]]
) -> None:
    tags, catalysts = taxonomy
    for it in items:
        assert set(it["tags"]) <= tags, it["id"]
        assert len(set(it["tags"])) == len(it["tags"]), it["id"]
        assert set(it["catalysts"]) <= catalysts, it["id"]
        assert set(it["catalysts"].values()) <= DIRECTIONS, it["id"]


def test_companies_are_canonical_names_or_unknown_tickers(
    items: list[dict[str, Any]], entities: tuple[set[str], set[str]]
) -> None:
    names, known_tickers = entities
    for it in items:
        for c in it["companies"]:
            if c in names:
                continue
            # an unknown company is labelled by its ticker, which must appear in the text
            assert UNKNOWN_TICKER.match(c) and c not in known_tickers, (it["id"], c)
            assert c in it["body"], (it["id"], c)


def test_catalyst_coverage(
    items: list[dict[str, Any]], taxonomy: tuple[set[str], set[str]]
) -> None:
    counts = Counter((n, d) for it in items for n, d in it["catalysts"].items())
    for name in taxonomy[1]:
        assert counts[(name, "stress")] >= MIN_STRESS_PER_CATALYST, name
        assert counts[(name, "relief")] >= MIN_RELIEF_PER_CATALYST, name
    assert sum(len(it["catalysts"]) == 2 for it in items) >= MIN_MIXED


def test_tag_coverage(items: list[dict[str, Any]], taxonomy: tuple[set[str], set[str]]) -> None:
    counts = Counter(t for it in items for t in it["tags"])
    for tag in taxonomy[0]:
        assert counts[tag] >= MIN_ITEMS_PER_TAG, tag


def test_off_topic_and_hedged_items_present(items: list[dict[str, Any]]) -> None:
    off = [it for it in items if not it["catalysts"] and not ON_TOPIC_TAGS & set(it["tags"])]
    assert len(off) >= MIN_OFF_TOPIC
    hedged = [it for it in items if it["catalysts"] and HEDGE.search(it["body"])]
    assert len(hedged) >= MIN_HEDGED
