"""Shape and coverage of the dev2 labelled news set (issue #10; the first blind set, renamed).

Checks only the file: fields, label ids valid against items.yaml's labels and entities.yaml's
canonical names, and the coverage the set promises (every catalyst in both directions, every
tag at least ``MIN_TAG_COUNT`` times, at least ``MIN_OFF_TOPIC`` off-topic items).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

LABELLED = Path(__file__).parent / "labelled"
ENTITIES = Path(__file__).parents[2] / "src" / "cliffwatch" / "data" / "news" / "entities.yaml"
FIELDS = {"id", "split", "title", "body", "tags", "companies", "catalysts"}
DIRECTIONS = {"stress", "relief"}
N_ITEMS = 40  # size promised in the issue-10 brief
MIN_TAG_COUNT = 4  # every taxonomy tag labelled at least this often
MIN_OFF_TOPIC = 8  # items with no tag, company or catalyst
SENTENCES = (2, 4)  # body length in sentences, inclusive
TICKER = re.compile(r"^[A-Z]{1,5}$")  # how items.yaml labels a company missing from entities


def _items(name: str) -> list[dict[str, Any]]:
    return yaml.safe_load((LABELLED / name).read_text(encoding="utf-8"))["items"]


DEV2 = _items("dev2.yaml")
REFERENCE = _items("items.yaml")
TAGS = {t for i in REFERENCE for t in i["tags"]}
CATALYSTS = {c for i in REFERENCE for c in i["catalysts"]}
NAMES = {e["name"] for e in yaml.safe_load(ENTITIES.read_text(encoding="utf-8"))["entities"]}


def _n_sentences(body: str) -> int:
    return len(re.findall(r"[.!?](?=\s|$)", body.strip()))


def test_ids_fields_and_split() -> None:
    assert [i["id"] for i in DEV2] == [f"v{k:02d}" for k in range(1, N_ITEMS + 1)]
    for item in DEV2:
        assert set(item) == FIELDS, item["id"]
        assert item["split"] == "dev2"
        assert item["title"].strip() and item["body"].strip()


@pytest.mark.parametrize("item", DEV2, ids=lambda i: i["id"])
def test_labels_are_valid(item: dict[str, Any]) -> None:
    assert set(item["tags"]) <= TAGS
    assert len(set(item["tags"])) == len(item["tags"])
    for company in item["companies"]:
        assert company in NAMES or TICKER.match(company), company
    assert set(item["catalysts"]) <= CATALYSTS
    assert set(item["catalysts"].values()) <= DIRECTIONS
    lo, hi = SENTENCES
    assert lo <= _n_sentences(item["body"]) <= hi


def test_coverage() -> None:
    seen = {(c, d) for i in DEV2 for c, d in i["catalysts"].items()}
    assert seen == {(c, d) for c in CATALYSTS for d in DIRECTIONS}
    tags = Counter(t for i in DEV2 for t in i["tags"])
    assert set(tags) == TAGS and min(tags.values()) >= MIN_TAG_COUNT, tags
    off = [i for i in DEV2 if not (i["tags"] or i["companies"] or i["catalysts"])]
    assert len(off) >= MIN_OFF_TOPIC
    assert any(len(i["catalysts"]) == 2 for i in DEV2)
