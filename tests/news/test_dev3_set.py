"""Shape and coverage of the dev3 labelled news set (``labelled/dev3.yaml``).

Written as the second blind set (``blind2.yaml``, split ``blind``, ids ``c01``...), evaluated
once blind and renamed to split ``dev3``, ids ``w01``... (docs/NEWS.md); seen since.

The set was written without reading the detector's rules, so these tests check only what
the brief asked of the file: it loads, every item has the fields and valid label ids of
``items.yaml``, and every catalyst and tag is covered often enough for its precision and
recall to mean something. They never run the detector.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

import cliffwatch

LABELLED = Path(__file__).parent / "labelled"
DEV3 = LABELLED / "dev3.yaml"
FIRST_SET = LABELLED / "items.yaml"
ENTITIES = Path(cliffwatch.__file__).parent / "data" / "news" / "entities.yaml"

N_ITEMS = 48
"""Items in the set (the brief)."""
FIELDS = {"id", "split", "title", "body", "tags", "companies", "catalysts"}
ID_PATTERN = re.compile(r"w\d{2}")
DIRECTIONS = {"stress", "relief"}
MIN_SENTENCES, MAX_SENTENCES = 2, 4
"""Body length in sentences (the brief: short wire items)."""
MIN_STRESS, MIN_RELIEF = 3, 2
"""Fewest labelled items per catalyst in each direction."""
MIN_TAG = 4
"""Fewest labelled items per tag."""
MIN_OFF_TOPIC = 8
"""Fewest items with neither a tag nor a catalyst (off-topic and near-miss items)."""
MIN_MIXED = 4
"""Fewest items labelled with two catalysts."""
SENTENCE_END = re.compile(r"[.!?](?=\s|$)")
TICKER_MENTION = r"(?:\$|\((?:NYSE|NASDAQ): ){ticker}\b"
UNKNOWN_TICKER = re.compile(r"[A-Z]{1,5}")


def _load(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@pytest.fixture(scope="module")
def items() -> list[dict[str, Any]]:
    return _load(DEV3)["items"]


@pytest.fixture(scope="module")
def first_set() -> list[dict[str, Any]]:
    return _load(FIRST_SET)["items"]


@pytest.fixture(scope="module")
def entities() -> list[dict[str, Any]]:
    return _load(ENTITIES)["entities"]


def _text(item: dict[str, Any]) -> str:
    return f"{item['title']}. {item['body']}"


def test_file_is_a_mapping_of_items(items: list[dict[str, Any]]) -> None:
    assert set(_load(DEV3)) == {"items"}
    assert len(items) == N_ITEMS


def test_every_item_has_the_fields_and_the_dev3_split(items: list[dict[str, Any]]) -> None:
    for item in items:
        assert set(item) == FIELDS, item.get("id")
        assert item["split"] == "dev3", item["id"]
        assert isinstance(item["title"], str) and item["title"].strip(), item["id"]
        assert isinstance(item["tags"], list) and isinstance(item["companies"], list)
        assert isinstance(item["catalysts"], dict), item["id"]


def test_ids_are_sequential_and_unique_across_sets(
    items: list[dict[str, Any]], first_set: list[dict[str, Any]]
) -> None:
    ids = [item["id"] for item in items]
    assert all(ID_PATTERN.fullmatch(i) for i in ids)
    assert ids == [f"w{k:02d}" for k in range(1, N_ITEMS + 1)]
    assert not set(ids) & {item["id"] for item in first_set}


def test_bodies_are_two_to_four_sentences(items: list[dict[str, Any]]) -> None:
    for item in items:
        n = len(SENTENCE_END.findall(item["body"]))
        assert MIN_SENTENCES <= n <= MAX_SENTENCES, (item["id"], n)


def test_labels_use_the_ids_of_the_first_set(
    items: list[dict[str, Any]], first_set: list[dict[str, Any]]
) -> None:
    tags = {t for item in first_set for t in item["tags"]}
    catalysts = {c for item in first_set for c in item["catalysts"]}
    for item in items:
        assert set(item["tags"]) <= tags, item["id"]
        assert len(set(item["tags"])) == len(item["tags"]), item["id"]
        assert set(item["catalysts"]) <= catalysts, item["id"]
        assert set(item["catalysts"].values()) <= DIRECTIONS, item["id"]


def test_companies_are_canonical_names_or_mentioned_unknown_tickers(
    items: list[dict[str, Any]], entities: list[dict[str, Any]]
) -> None:
    by_name = {e["name"]: e for e in entities}
    known_tickers = {t for e in entities for t in e["tickers"]}
    for item in items:
        text = _text(item)
        assert len(set(item["companies"])) == len(item["companies"]), item["id"]
        for company in item["companies"]:
            if company in by_name:
                entity = by_name[company]
                named = any(re.search(rf"\b{re.escape(a)}\b", text) for a in entity["aliases"])
                ticked = any(re.search(rf"\${t}\b", text) for t in entity["tickers"])
                assert named or ticked, (item["id"], company)
            else:
                assert UNKNOWN_TICKER.fullmatch(company), (item["id"], company)
                assert company not in known_tickers, (item["id"], company)
                assert re.search(TICKER_MENTION.format(ticker=company), text), item["id"]


def test_every_catalyst_is_covered_in_both_directions(
    items: list[dict[str, Any]], first_set: list[dict[str, Any]]
) -> None:
    counts = Counter((c, d) for item in items for c, d in item["catalysts"].items())
    for catalyst in {c for item in first_set for c in item["catalysts"]}:
        assert counts[(catalyst, "stress")] >= MIN_STRESS, catalyst
        assert counts[(catalyst, "relief")] >= MIN_RELIEF, catalyst


def test_every_tag_is_covered(items: list[dict[str, Any]], first_set: list[dict[str, Any]]) -> None:
    counts = Counter(t for item in items for t in item["tags"])
    for tag in {t for item in first_set for t in item["tags"]}:
        assert counts[tag] >= MIN_TAG, tag


def test_off_topic_and_mixed_items_are_present(items: list[dict[str, Any]]) -> None:
    off_topic = [i for i in items if not i["tags"] and not i["catalysts"]]
    mixed = [i for i in items if len(i["catalysts"]) >= 2]
    assert len(off_topic) >= MIN_OFF_TOPIC
    assert len(mixed) >= MIN_MIXED
