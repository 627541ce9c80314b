"""The editable data files of the detector: catalyst rules, topic lexicon, entity list.

Each file is validated with pydantic; a problem raises :class:`NewsError` naming the file,
the key and the bad value (an invalid regular expression included).
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from cliffwatch.news.errors import NewsError
from cliffwatch.safe_yaml import safe_load

CATALYSTS: tuple[str, ...] = (
    "spread_widening", "rates_higher_for_longer", "utilization_lag", "gpu_price_decline",
    "weak_tech_earnings", "refinancing_stress", "crowded_funding", "capex_acceleration",
)
"""The catalyst names, in report order."""
TAGS: tuple[str, ...] = (
    "artificial_intelligence", "technology", "credit_bond_markets", "banking_liquidity",
    "interest_rates_yields", "investor_sentiment_positioning", "energy", "infrastructure",
    "private_credit", "real_estate", "equities_earnings",
)
"""The fixed topic taxonomy (ids; labels live in topics.yaml)."""
Direction = Literal["stress", "relief"]


def _compile(p: str) -> re.Pattern[str]:
    try:
        return re.compile(p, re.IGNORECASE)
    except re.error as exc:
        raise ValueError(f"invalid regular expression {p!r}: {exc}") from None


def _check_patterns(v: list[str]) -> list[str]:
    for p in v:
        _compile(p)
    return v


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Phrase(_Model):
    """One pattern with its direction and weight (probability it signals the catalyst)."""

    pattern: str
    direction: Direction
    weight: float = Field(gt=0.0, le=1.0)

    _p = field_validator("pattern")(lambda v: _check_patterns([v])[0])


class Composition(_Model):
    """A SUBJECT concept moved by a MOVEMENT class: "spreads" x "up" -> stress.

    The subject and movement lexicons live at the top of the file (``concepts``,
    ``movements``) and are matched on lemmas within one clause, at most
    ``compose_window_words`` words apart, in either order.
    """

    subject: str
    """Name of a concept in :attr:`CatalystRules.concepts`."""
    stress: list[str] = []
    """Movement classes that make this subject a stress signal ("up" for spreads)."""
    relief: list[str] = []
    """Movement classes that make it a relief signal ("down" for spreads)."""
    weight: float = Field(default=0.8, gt=0.0, le=1.0)
    """Probability that one such match signals the catalyst [estimate]."""
    requires: str | None = None
    """Regular expression the sentence must also match (a GPU word for GPU rents)."""
    window: int | None = Field(default=None, ge=0, le=20)
    """Most words between subject and movement here (default ``compose_window_words``);
    0 for an adjective that must touch its noun ("new investors")."""

    _p = field_validator("requires")(lambda v: v if v is None else _check_patterns([v])[0])


class CatalystRule(_Model):
    """One catalyst: subject x movement compositions, subject x term pairs and phrases."""

    description: str
    requires: str | None = None
    """Regular expression the sentence, or a sentence next to it, must match (the subject is
    often named one sentence away: "... spare H100s. Hourly rates firmed 8%")."""
    item_requires: str | None = None
    """Regular expression the whole item (title and body) must match: a tech context for
    tech earnings, so a soap maker's miss is not a tech story."""
    reversers: list[str] = []
    """Regular expressions that flip a match's direction when they occur among the
    ``reverser_window_words`` words before it: "absorbed the surplus capacity" is a glut
    shrinking (relief), "asked lenders to push back the maturity" a borrower needing time
    (stress)."""
    reverses: Direction | None = None
    """Only matches of this direction are flipped by ``reversers`` (``None``: both). A
    refinancing relief asked for is stress, but a stress phrase that already says so ("asked
    its banks for a covenant waiver") must not be flipped back to relief."""
    compose: list[Composition] = []
    subjects: list[str] = []
    stress: list[str] = []
    relief: list[str] = []
    pair_weight: float = Field(default=0.8, gt=0.0, le=1.0)
    phrases: list[Phrase] = []

    _p = field_validator("subjects", "stress", "relief", "reversers")(_check_patterns)
    _r = field_validator("requires", "item_requires")(
        lambda v: v if v is None else _check_patterns([v])[0])


class CatalystRules(_Model):
    """The whole catalyst file (see the comments at the top of catalysts.yaml)."""

    pair_window_words: int = Field(ge=0, le=20)
    negation_window_words: int = Field(ge=0, le=10)
    hedge_factor: float = Field(gt=0.0, le=1.0)
    min_confidence: float = Field(ge=0.0, le=1.0)
    negators: list[str]
    hedges: list[str]
    scope_negators: list[str] = []
    """Regular expressions that negate everything after them in the sentence ("no sign of
    customers leaving clusters unused", "none of its lenders has asked for a waiver")."""
    reverser_window_words: int = Field(default=6, ge=0, le=20)
    """Words before a match searched for its rule's ``reversers`` (a verb and its object:
    "asked its banks to | push back the maturity")."""
    compose_window_words: int = Field(default=5, ge=0, le=20)
    """Most words between a subject and its movement (same clause)."""
    clause_breaks: list[str] = []
    """Words that end a clause ("but", "while"); ``, ; : ( )`` and dashes always do."""
    clause_continuers: list[str] = []
    """Words that keep a comma inside the clause when they follow it: an appositive move
    ("quoted at $110,000, down from $180,000"; "revenue of $16 bn, short of estimates")."""
    not_movements: list[str] = []
    """Word sequences whose words are never a movement ("a wider audience" is not a spread
    widening, "higher education" not a rise)."""
    number_words: list[str] = []
    """Words that count as a number for the ``#`` placeholder of a lexicon entry ("cut by
    a third", "fell two points")."""
    concepts: dict[str, list[str]] = {}
    """SUBJECT concepts: name -> words or word sequences, matched on lemmas."""
    movements: dict[str, list[str]] = {}
    """MOVEMENT classes: name ("up", "down", ...) -> words or word sequences (lemmas)."""
    structure: bool = True
    """Read negation, hedging, history and pending deals from the dependency parse of each
    matched sentence (:mod:`cliffwatch.news.structure`), on top of the word-window rules."""
    pending_blocks: list[str] = []
    """Catalysts a planned or negotiated deal never evidences ("plans to raise $3 billion"
    says nothing yet about whether the market is open)."""
    pending_phrase_blocks: list[str] = []
    """Catalysts whose phrase matches (deal wording such as "raise $3bn of debt to build") a
    planned or negotiated deal never evidences, in either direction: a financing not yet done
    shows no spending growth yet."""
    both_min_confidence: float = Field(default=1.0, ge=0.0, le=1.0)
    """Confidence the weaker direction of a catalyst needs to be reported too (an item that
    reports a cut AND fewer cuts ahead); 1.0 reports one direction only."""
    catalysts: dict[str, CatalystRule]

    _p = field_validator("negators", "hedges", "scope_negators")(_check_patterns)

    @model_validator(mode="after")
    def _compositions_refer_to_lexicons(self) -> CatalystRules:
        for name, rule in self.catalysts.items():
            for k, c in enumerate(rule.compose):
                where = f"catalysts.{name}.compose[{k}]"
                if c.subject not in self.concepts:
                    raise ValueError(f"{where}: unknown concept {c.subject!r}; "
                                     f"known {sorted(self.concepts)}")
                unknown = sorted(set(c.stress + c.relief) - set(self.movements))
                if unknown:
                    raise ValueError(f"{where}: unknown movements {unknown}; "
                                     f"known {sorted(self.movements)}")
        return self

    @field_validator("catalysts")
    @classmethod
    def _known(cls, v: dict[str, CatalystRule]) -> dict[str, CatalystRule]:
        unknown = sorted(set(v) - set(CATALYSTS))
        if unknown:
            raise ValueError(f"catalysts {list(CATALYSTS)}; unknown {unknown}")
        return v


class Topic(_Model):
    label: str
    patterns: list[str]
    weak_patterns: list[str] = []
    """Words that also pass through other stories: each counts half a hit, so two are needed
    ("the shares fell 7%" at the end of a utilization story does not make it an equities
    story; "revenue ... above consensus, the shares rose" does)."""

    _w = field_validator("weak_patterns")(_check_patterns)

    _p = field_validator("patterns")(_check_patterns)


class Topics(_Model):
    """Topic lexicon: a tag is given when ``min_hits`` distinct patterns match."""

    min_hits: int = Field(ge=1)
    company_kinds: dict[str, list[str]] = {}
    """Tag -> entity kinds whose mention also gives the tag."""
    tags: dict[str, Topic]

    @field_validator("tags")
    @classmethod
    def _fixed(cls, v: dict[str, Topic]) -> dict[str, Topic]:
        if set(v) != set(TAGS):
            raise ValueError(f"exactly the tags {list(TAGS)}; got {sorted(v)}")
        return v


class Entity(_Model):
    name: str
    kind: str
    aliases: list[str] = []
    tickers: list[str] = []


class Entities(_Model):
    entities: list[Entity]
    not_companies: list[str] = []
    """Organisation names the recogniser finds that are not companies here (publishers cited
    as sources, central banks, regulators, indices); compared case-insensitively."""


def _default(name: str) -> Path:
    return Path(str(resources.files("cliffwatch") / "data" / "news" / name))


def _load(path: Path, model: type[BaseModel]) -> Any:
    try:
        doc = safe_load(path.read_text(encoding="utf-8"), path)
    except (OSError, yaml.YAMLError) as exc:
        raise NewsError(f"{path}: cannot read rules: {exc}") from None
    try:
        return model.model_validate(doc)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(x) for x in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        raise NewsError(f"{path}: {exc.error_count()} problem(s) - {problems}") from None


@lru_cache(maxsize=8)
def load_catalyst_rules(path: str | Path | None = None) -> CatalystRules:
    """The catalyst rules (bundled ``data/news/catalysts.yaml`` unless a path is given)."""
    return _load(Path(path) if path else _default("catalysts.yaml"), CatalystRules)


@lru_cache(maxsize=8)
def load_topics(path: str | Path | None = None) -> Topics:
    """The topic lexicon (bundled ``data/news/topics.yaml`` unless a path is given)."""
    return _load(Path(path) if path else _default("topics.yaml"), Topics)


@lru_cache(maxsize=8)
def load_entities(path: str | Path | None = None) -> Entities:
    """The company list (bundled ``data/news/entities.yaml`` unless a path is given)."""
    return _load(Path(path) if path else _default("entities.yaml"), Entities)
