"""The combined detector: the rules OR the learned layer, per catalyst and per tag.

* A catalyst is reported when the rules find it (:func:`cliffwatch.news.catalysts.detect`) or
  the model's probability of ``<catalyst>:<direction>`` reaches its threshold.
* The model's **evidence** is the sentence whose own model score (the same model applied to the
  sentence alone) is highest for that label, marked ``source="model"``.
* **Negation**: when the rules match that sentence for this catalyst only in negated form
  ("spreads did not widen"), the model does not revive the catalyst from it.
* **Hedging**: a hedge in that sentence halves the model's confidence (``hedge_factor``), as
  it does a rule match.
* **Confidence** = max(rule confidence, model confidence) when both agree on the direction; on
  a direction conflict the higher confidence wins (with its own evidence).
* Tags: the rules' tags OR every tag whose probability reaches its threshold.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cliffwatch.news.catalysts import Catalyst, Evidence, detect, hedged, negated_only
from cliffwatch.news.classifier import Classifier
from cliffwatch.news.classifier import load as load_classifier
from cliffwatch.news.extract import tags as rule_tags
from cliffwatch.news.features import text_terms
from cliffwatch.news.rules import (
    CATALYSTS,
    TAGS,
    CatalystRules,
    Direction,
    Entities,
    Topics,
    load_catalyst_rules,
    load_entities,
    load_topics,
)

DIRECTIONS: tuple[Direction, Direction] = ("stress", "relief")


@dataclass(frozen=True)
class ModelScores:
    """The model's probabilities for one text: whole text and each sentence alone."""

    sentences: list[str]
    doc: np.ndarray
    """Shape (labels,)."""
    sentence: np.ndarray
    """Shape (sentences, labels)."""


def model_scores(text: str, model: Classifier, rules: CatalystRules) -> ModelScores:
    """Probabilities of every label for ``text`` and for each of its sentences."""
    sents, terms = text_terms(text, rules)
    whole = [t for s in terms for t in s]
    probs = model.probabilities([whole, *terms])
    return ModelScores(sents, probs[0], probs[1:])


def _model_catalyst(name: str, scores: ModelScores, labels: tuple[str, ...],
                    thresholds: np.ndarray, rules: CatalystRules) -> Catalyst | None:
    """The model's own finding for one catalyst (None below threshold or negated)."""
    cols = {d: labels.index(f"{name}:{d}") for d in DIRECTIONS if f"{name}:{d}" in labels}
    passed = [(float(scores.doc[k]), d) for d, k in cols.items() if scores.doc[k] >= thresholds[k]]
    if not passed or not scores.sentences:
        return None
    p, direction = max(passed)  # on an exact tie "stress" > "relief" alphabetically: stress
    best = scores.sentences[int(np.argmax(scores.sentence[:, cols[direction]]))]
    rule = rules.catalysts.get(name)
    if rule is not None and negated_only(best, rule, rules):
        return None
    is_hedged = hedged(best, rules)
    conf = p * (rules.hedge_factor if is_hedged else 1.0)
    return Catalyst(name, direction, conf,
                    (Evidence(best, best, direction, conf, is_hedged, source="model"),))


def combine_catalysts(found: list[Catalyst], scores: ModelScores, labels: tuple[str, ...],
                      thresholds: np.ndarray, rules: CatalystRules) -> list[Catalyst]:
    """Rule catalysts ``found`` OR the model's, in :data:`CATALYSTS` order (see module doc).
    When the rules report both directions of a catalyst, both are kept (the model's
    confidence raises the matching one)."""
    by_rule: dict[str, list[Catalyst]] = {}
    for c in found:
        by_rule.setdefault(c.name, []).append(c)
    out: list[Catalyst] = []
    for name in CATALYSTS:
        rs, m = by_rule.get(name, []), _model_catalyst(name, scores, labels, thresholds, rules)
        if len(rs) > 1:
            out.extend(Catalyst(r.name, r.direction, max(r.confidence, m.confidence), r.evidence)
                       if m is not None and m.direction == r.direction else r for r in rs)
            continue
        r = rs[0] if rs else None
        if r is None or m is None:
            pick = r or m
        elif r.direction == m.direction:
            pick = Catalyst(name, r.direction, max(r.confidence, m.confidence), r.evidence)
        else:
            pick = r if r.confidence >= m.confidence else m
        if pick is not None:
            out.append(pick)
    return out


def combine_tags(found: list[str], scores: ModelScores, labels: tuple[str, ...],
                 thresholds: np.ndarray) -> list[str]:
    """Rule tags ``found`` OR the tags whose probability reaches the threshold (TAGS order)."""
    by_model = {t for t in TAGS if t in labels
                and scores.doc[labels.index(t)] >= thresholds[labels.index(t)]}
    return [t for t in TAGS if t in found or t in by_model]


def detect_all(text: str, *, classifier: bool | Classifier = True,
               rules: CatalystRules | None = None, topics: Topics | None = None,
               entities: Entities | None = None) -> tuple[list[Catalyst], list[str]]:
    """Catalysts and tags of ``text``: the rules, OR the learned layer unless
    ``classifier=False`` (``True``: the bundled model; or a :class:`Classifier`)."""
    rules = rules or load_catalyst_rules()
    topics, entities = topics or load_topics(), entities or load_entities()
    cats, tgs = detect(text, rules), rule_tags(text, topics, entities)
    if classifier is False:
        return cats, tgs
    model = load_classifier() if classifier is True else classifier
    scores = model_scores(text, model, rules)
    return (combine_catalysts(cats, scores, model.labels, model.thresholds, rules),
            combine_tags(tgs, scores, model.labels, model.thresholds))
