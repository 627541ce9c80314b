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
* **Model-only catalysts** (the rules found the catalyst in neither direction) must also pass
  :class:`ModelOnlyGate`: probability at least :data:`MODEL_ONLY_THRESHOLD` with a *reading*
  in their evidence sentence (a subject concept of one of the catalyst's compositions
  together with a movement of that direction, not negated: the ``p:``/``n:`` lexicon terms of
  :mod:`cliffwatch.news.features`), or at least :data:`MODEL_ONLY_UNREAD_THRESHOLD`
  without. On real text the learned layer alone produced most false alarms on catalyst-free
  items; both values were chosen by leave-one-writer-out cross-validation
  (:func:`cliffwatch.news.cv.select_model_only`, docs/NEWS.md).
* Tags: the rules' tags OR every tag whose probability reaches its threshold.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cliffwatch.news.catalysts import Catalyst, Evidence, detect, hedged, negated_only
from cliffwatch.news.classifier import Classifier
from cliffwatch.news.classifier import load as load_classifier
from cliffwatch.news.extract import tags as rule_tags
from cliffwatch.news.features import sentence_terms, text_terms
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
MODEL_ONLY_THRESHOLD: float = 0.65
"""Probability a catalyst the rules did not find must reach to be reported from the learned
layer alone when its evidence sentence has a reading (:func:`has_reading`); chosen by
cross-validation (docs/NEWS.md "Model-only catalysts")."""
MODEL_ONLY_UNREAD_THRESHOLD: float = 0.85
"""Probability such a catalyst must reach when its evidence sentence has no reading (above 1:
never reported without one); chosen by the same cross-validation."""


@dataclass(frozen=True)
class ModelOnlyGate:
    """The extra conditions on a catalyst found by the learned layer alone: probability at
    least ``threshold`` with a reading in its evidence sentence, ``unread_threshold``
    without."""

    threshold: float = MODEL_ONLY_THRESHOLD
    unread_threshold: float = MODEL_ONLY_UNREAD_THRESHOLD


def has_reading(sentence: str, name: str, direction: Direction, rules: CatalystRules) -> bool:
    """``sentence`` pairs a subject concept of one of ``name``'s compositions with a movement
    class of ``direction`` for it, without a negator between them."""
    rule = rules.catalysts.get(name)
    if rule is None:
        return False
    terms = set(sentence_terms(sentence, rules))
    return any(f"p:{c.subject}__{m}" in terms and f"n:{c.subject}__{m}" not in terms
               for c in rule.compose for m in getattr(c, direction))


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


def _passes_gate(m: Catalyst, gate: ModelOnlyGate, rules: CatalystRules) -> bool:
    """A model-only finding clears :class:`ModelOnlyGate` (probability before hedging)."""
    ev = m.evidence[0]
    p = m.confidence / (rules.hedge_factor if ev.hedged else 1.0)
    if p >= gate.unread_threshold - 1e-12:
        return True
    return p >= gate.threshold - 1e-12 and has_reading(ev.sentence, m.name, m.direction, rules)


def combine_catalysts(found: list[Catalyst], scores: ModelScores, labels: tuple[str, ...],
                      thresholds: np.ndarray, rules: CatalystRules,
                      gate: ModelOnlyGate | None = None) -> list[Catalyst]:
    """Rule catalysts ``found`` OR the model's, in :data:`CATALYSTS` order (see module doc).
    When the rules report both directions of a catalyst, both are kept (the model's
    confidence raises the matching one). A catalyst the rules did not find is kept from the
    model only when it clears ``gate`` (default: the shipped :class:`ModelOnlyGate`)."""
    gate = gate or ModelOnlyGate()
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
        if r is None and m is not None and not _passes_gate(m, gate, rules):
            m = None
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
