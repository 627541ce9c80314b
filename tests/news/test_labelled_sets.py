"""Shape and coverage of every labelled news set written after ``items.yaml`` (issue #10).

Checks the files only: fields, split, ids, body length, labels valid against ``items.yaml``'s
taxonomy and ``entities.yaml``'s canonical names, and the coverage each set's brief promised.
The detector's precision and recall on them are measured by the evaluation, not here.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

LABELLED = Path(__file__).parent / "labelled"
ENTITIES = Path(__file__).parents[2] / "src" / "cliffwatch" / "data" / "news" / "entities.yaml"
FIELDS = {"id", "split", "title", "body", "tags", "companies", "catalysts"}
DIRECTIONS = {"stress", "relief"}
SENTENCES = (2, 4)  # body length in sentences, inclusive
SENTENCE_END = re.compile(r"[.!?](?=\s|$)")
UNKNOWN_TICKER = re.compile(r"^[A-Z]{1,5}$")  # how items.yaml labels a company not in entities
# Tags of the AI-infrastructure credit story: an item with none of them and no catalyst is
# off-topic (a near miss such as "heart rate" or a river "bank").
ON_TOPIC_TAGS = {"artificial_intelligence", "banking_liquidity", "credit_bond_markets", "energy",
                 "infrastructure", "interest_rates_yields", "investor_sentiment_positioning",
                 "private_credit"}


@dataclass(frozen=True)
class LabelledFile:
    """One labelled file and the coverage its writer's brief promised."""

    name: str
    split: str
    prefix: str
    n_items: int
    min_stress: int  # labels per catalyst in the stress direction
    min_relief: int
    min_per_tag: int
    min_off_topic: int
    min_mixed: int  # items with two or more catalysts


SETS = [
    LabelledFile("dev2.yaml", "dev2", "v", 40, 1, 1, 4, 8, 1),
    LabelledFile("dev3.yaml", "dev3", "w", 48, 1, 1, 4, 8, 4),
    LabelledFile("dev4.yaml", "dev4", "x", 48, 3, 2, 4, 8, 4),
    LabelledFile("dev5.yaml", "dev5", "e", 60, 4, 3, 5, 8, 5),
    LabelledFile("dev6.yaml", "dev6", "f", 60, 4, 3, 5, 8, 5),
    LabelledFile("dev7.yaml", "dev7", "g", 60, 4, 3, 5, 8, 5),
    LabelledFile("dev8.yaml", "dev8", "y", 48, 4, 3, 5, 8, 5),
    LabelledFile("dev9.yaml", "dev9", "z", 48, 4, 3, 5, 8, 5),
    LabelledFile("blind6.yaml", "blind", "p", 48, 4, 3, 5, 8, 5),
    LabelledFile("blind7.yaml", "blind", "q", 48, 4, 3, 5, 8, 5),
]


def _items(path: Path) -> list[dict[str, Any]]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["items"]


REFERENCE = _items(LABELLED / "items.yaml")
TAGS = {t for i in REFERENCE for t in i["tags"]}
CATALYSTS = {c for i in REFERENCE for c in i["catalysts"]}
NAMES = {e["name"] for e in yaml.safe_load(ENTITIES.read_text(encoding="utf-8"))["entities"]}
KNOWN_TICKERS = {t for e in yaml.safe_load(ENTITIES.read_text(encoding="utf-8"))["entities"]
                 for t in e["tickers"]}


@pytest.fixture(params=SETS, ids=lambda s: s.name)
def labelled(request: pytest.FixtureRequest) -> tuple[LabelledFile, list[dict[str, Any]]]:
    spec: LabelledFile = request.param
    return spec, _items(LABELLED / spec.name)


def test_every_labelled_file_is_listed() -> None:
    listed = {s.name for s in SETS} | {"items.yaml"}
    assert {p.name for p in LABELLED.glob("*.yaml")} <= listed


def test_fields_split_ids_and_size(labelled: tuple[LabelledFile, list[dict[str, Any]]]) -> None:
    spec, items = labelled
    assert len(items) == spec.n_items
    ids = [it["id"] for it in items]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(rf"{spec.prefix}\d{{2,3}}", i) for i in ids), ids
    for it in items:
        assert set(it) == FIELDS, it.get("id")
        assert it["split"] == spec.split, it["id"]
        assert isinstance(it["title"], str) and it["title"].strip(), it["id"]
    for other in LABELLED.glob("*.yaml"):
        if other.name != spec.name:
            clash = [it["id"] for it in _items(other) if it["id"].startswith(spec.prefix)]
            assert not clash, f"{other.name} uses the {spec.prefix!r} prefix: {clash}"


def test_bodies_are_short(labelled: tuple[LabelledFile, list[dict[str, Any]]]) -> None:
    lo, hi = SENTENCES
    for it in labelled[1]:
        assert lo <= len(SENTENCE_END.findall(it["body"].strip())) <= hi, it["id"]


def test_labels_use_the_reference_taxonomy(
    labelled: tuple[LabelledFile, list[dict[str, Any]]],
) -> None:
    for it in labelled[1]:
        assert set(it["tags"]) <= TAGS and len(set(it["tags"])) == len(it["tags"]), it["id"]
        assert set(it["catalysts"]) <= CATALYSTS, it["id"]
        assert set(it["catalysts"].values()) <= DIRECTIONS, it["id"]
        for c in it["companies"]:
            if c not in NAMES:  # an unknown company: its ticker, mentioned in the text
                assert UNKNOWN_TICKER.match(c) and c not in KNOWN_TICKERS, (it["id"], c)
                assert c in it["title"] + " " + it["body"], (it["id"], c)


def test_coverage(labelled: tuple[LabelledFile, list[dict[str, Any]]]) -> None:
    spec, items = labelled
    counts = Counter((n, d) for it in items for n, d in it["catalysts"].items())
    for name in CATALYSTS:
        assert counts[(name, "stress")] >= spec.min_stress, name
        assert counts[(name, "relief")] >= spec.min_relief, name
    tags = Counter(t for it in items for t in it["tags"])
    assert all(tags[t] >= spec.min_per_tag for t in TAGS), tags
    off = [it for it in items if not it["catalysts"] and not ON_TOPIC_TAGS & set(it["tags"])]
    assert len(off) >= spec.min_off_topic
    assert sum(len(it["catalysts"]) >= 2 for it in items) >= spec.min_mixed
