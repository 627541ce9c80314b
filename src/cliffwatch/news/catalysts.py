"""Catalyst detection with direction, confidence and evidence sentences.

Three kinds of rule per catalyst (``catalysts.yaml``): compositions of a subject concept and a
movement class (:mod:`cliffwatch.news.compose`, the main mechanism), subject x term regex
pairs, and standalone phrases for idioms ("higher for longer"). All share the negation and
hedge handling below.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from cliffwatch.news.compose import composed
from cliffwatch.news.rules import CATALYSTS, CatalystRule, CatalystRules, Direction
from cliffwatch.news.sentences import sentences
from cliffwatch.news.structure import Reading, attached, latest_year, read

_WORD = re.compile(r"\w[\w'-]*")


@dataclass(frozen=True)
class Evidence:
    """One match: the sentence, the matched words, its weight and whether it was hedged."""

    sentence: str
    match: str
    direction: Direction
    weight: float
    hedged: bool
    source: str = "rule"
    """``rule`` (a rule matched) or ``model`` (the learned layer's best-scoring sentence,
    :mod:`cliffwatch.news.detector`)."""


@dataclass(frozen=True)
class Catalyst:
    """A detected catalyst: the winning direction, confidence in [0, 1], evidence."""

    name: str
    direction: Direction
    confidence: float
    evidence: tuple[Evidence, ...]


def _any(patterns: list[str]) -> re.Pattern[str] | None:
    return _union(tuple(patterns)) if patterns else None


@lru_cache(maxsize=256)
def _union(patterns: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


@lru_cache(maxsize=256)
def _pair(subjects: tuple[str, ...], terms: tuple[str, ...], window: int) -> re.Pattern[str]:
    subj, term = _union(subjects).pattern, _union(terms).pattern
    gap = rf"(?:\W+\w[\w'-]*){{0,{window}}}?\W+"
    return re.compile(f"(?:{subj}){gap}(?:{term})|(?:{term}){gap}(?:{subj})", re.IGNORECASE)


def _pair_patterns(rule: CatalystRule, window: int, direction: Direction) -> re.Pattern[str] | None:
    terms = rule.stress if direction == "stress" else rule.relief
    if not rule.subjects or not terms:
        return None
    return _pair(tuple(rule.subjects), tuple(terms), window)


def _negated(sentence: str, start: int, end: int, span_counts: bool, rules: CatalystRules,
             own: tuple[int, int] = (0, 0)) -> bool:
    """A scope negator anywhere before the match ("no sign of ..."), a negator in the words
    before it, or one inside a composition's span outside the movement's own words ("the base
    is no longer confined" is a movement, not a negation)."""
    neg = _any(rules.negators)
    scope = _any(rules.scope_negators)
    if scope is not None and scope.search(sentence[:start]):
        return True
    before = _WORD.findall(sentence[:start])[-rules.negation_window_words:]
    if rules.negation_window_words and neg is not None and neg.search(" ".join(before)):
        return True
    inside = sentence[start:own[0]] + " " + sentence[own[1]:end] if own[1] > own[0] \
        else sentence[start:end]
    return span_counts and neg is not None and bool(neg.search(inside))


Span = tuple[int, int, Direction, float, bool, tuple[int, int]]
"""A raw match: start, end, direction, weight, whether a negator inside it counts, and the
movement's own character span ((0, 0) for phrases and pairs)."""


def _reversed(sentence: str, start: int, rule: CatalystRule, rules: CatalystRules) -> bool:
    rev = _any(rule.reversers)
    before = _WORD.findall(sentence[:start])[-rules.reverser_window_words:]
    return rev is not None and bool(before) and bool(rev.search(" ".join(before)))


def _flip(direction: Direction) -> Direction:
    return "relief" if direction == "stress" else "stress"


def _spans(sentence: str, rule: CatalystRule, rules: CatalystRules, around: str = "") -> list[Span]:
    """Raw matches of ``rule`` in one sentence; ``around`` is the sentences either side, where
    the rule's ``requires`` context may be named instead ("... spare H100s. Hourly rates
    firmed 8%")."""
    if rule.requires and not re.search(rule.requires, f"{sentence}\n{around}", re.IGNORECASE):
        return []
    found: list[tuple[re.Match[str], Direction, float, bool]] = []
    for direction in ("stress", "relief"):
        pat = _pair_patterns(rule, rules.pair_window_words, direction)  # type: ignore[arg-type]
        terms = rule.stress if direction == "stress" else rule.relief
        # cheap pre-check: the pair regex backtracks, run it only where both halves occur
        if pat is not None and _union(tuple(rule.subjects)).search(sentence) \
                and _union(tuple(terms)).search(sentence):
            found += [(m, direction, rule.pair_weight, True) for m in pat.finditer(sentence)]
    for ph in rule.phrases:
        found += [(m, ph.direction, ph.weight, False)
                  for m in re.finditer(ph.pattern, sentence, re.IGNORECASE)]
    spans: list[Span] = [(m.start(), m.end(), d, w, is_pair, (0, 0)) for m, d, w, is_pair in found]
    # a composition overlapping a phrase or pair of its direction is the same event: once
    spans += [(c.start, c.end, c.direction, c.weight, True, c.move)
              for c in composed(sentence, rule, rules)
              if not any(s < c.end and c.start < e and d == c.direction for s, e, d, *_ in spans)]
    return spans


def _reading(sentence: str, start: int, end: int, own: tuple[int, int], rules: CatalystRules,
             year: int) -> Reading:
    """The grammar's reading of a match (its movement's own words when it has them)."""
    if not rules.structure:
        return Reading()
    a, b = own if own[1] > own[0] else (start, end)
    return read(sentence, a, b, year)


def negated_only(sentence: str, rule: CatalystRule, rules: CatalystRules) -> bool:
    """True when ``rule`` matches ``sentence`` only in negated form ("spreads did not
    widen"): the learned layer must not revive such a catalyst from this sentence."""
    spans = _spans(sentence, rule, rules)
    return bool(spans) and all(_negated(sentence, a, b, c, rules, own)
                               or _reading(sentence, a, b, own, rules, 0).negated
                               for a, b, _, _, c, own in spans)


def _evidence_in(sentence: str, rule: CatalystRule, rules: CatalystRules,
                 around: str = "", year: int = 0, name: str = "") -> list[Evidence]:
    """The matches of ``rule`` in one sentence that are not negated, not history recalled
    and (for :attr:`CatalystRules.pending_blocks`) not a deal still being planned; hedges
    weighed. ``year`` is the latest year the item names."""
    hedge = _any(rules.hedges)
    out = []
    for start, end, direction, weight, spans_count, own in _spans(sentence, rule, rules, around):
        if _negated(sentence, start, end, spans_count, rules, own):
            continue
        if rules.structure and own[1] > own[0] and not attached(
                sentence, (start, own[0]) if own[0] > start else (own[1], end), own):
            continue  # the subject words are not what moved ("shot up after its results")
        how = _reading(sentence, start, end, own, rules, year)
        # a phrase is an idiom whose own negators and tenses are part of it ("no rush to
        # cut", "had never bought"): the word-window rules above decide its negation
        composed_match = own[1] > own[0]
        if (composed_match and (how.negated or how.history)) or (name in rules.pending_blocks and (
                (how.pending and direction == "relief")
                or (how.completes and direction == "stress"))) or (
                name in rules.pending_phrase_blocks and how.pending and not composed_match):
            continue
        hedged = how.hedged or (hedge is not None and bool(hedge.search(sentence[:end])))
        w = weight * (rules.hedge_factor if hedged else 1.0)
        # the reverser governs the movement: "banks DECLINED to extend" (subject first)
        if rule.reverses in (None, direction) \
                and _reversed(sentence, own[0] if own[1] > own[0] else start, rule, rules):
            direction = _flip(direction)
        out.append(Evidence(sentence, sentence[start:end], direction, w, hedged))
    return out


def hedged(sentence: str, rules: CatalystRules) -> bool:
    """A hedge ("could", "fears", "if" ...) anywhere in ``sentence``."""
    hedge = _any(rules.hedges)
    return hedge is not None and hedge.search(sentence) is not None


def noisy_or(weights: list[float]) -> float:
    """``1 - prod(1 - w)``: the chance at least one independent signal is right."""
    return 1.0 - math.prod(1.0 - w for w in weights)


def _overlap(a: Evidence, b: Evidence) -> bool:
    """Two matches of one sentence sharing words ("SCRAMBLING TO ROLL over" / "roll over a
    bridge loan" is one event, read once)."""
    if a.sentence != b.sentence:
        return False
    i, j = a.sentence.lower().find(a.match.lower()), b.sentence.lower().find(b.match.lower())
    return i >= 0 and j >= 0 and i < j + len(b.match) and j < i + len(a.match)


def detect(text: str, rules: CatalystRules) -> list[Catalyst]:
    """Catalysts of ``text`` at or above ``rules.min_confidence``, in :data:`CATALYSTS` order.

    Per catalyst the stress and relief evidence are combined separately by :func:`noisy_or`;
    the stronger direction wins (stress on a tie) and keeps only its own evidence. The weaker
    direction is reported too (after the stronger) when it reaches
    ``rules.both_min_confidence`` on evidence of its own words: the item reports both moves.
    """
    sents = sentences(text)
    year = latest_year(text)
    out = []
    for name in CATALYSTS:
        rule = rules.catalysts.get(name)
        if rule is None or (rule.item_requires
                            and not re.search(rule.item_requires, text, re.IGNORECASE)):
            continue
        ev = [e for k, s in enumerate(sents)
              for e in _evidence_in(s, rule, rules, "\n".join(sents[max(k - 1, 0):k] +
                                                               sents[k + 1:k + 2]), year, name)]
        conf = {d: noisy_or([e.weight for e in ev if e.direction == d])
                for d in ("stress", "relief")}
        direction: Direction = "stress" if conf["stress"] >= conf["relief"] else "relief"
        if conf[direction] >= rules.min_confidence and conf[direction] > 0.0:
            kept = tuple(e for e in ev if e.direction == direction)
            out.append(Catalyst(name, direction, conf[direction], kept))
            other = _flip(direction)
            # the other direction's own words: not a part of a stronger match of the same
            # sentence ("pushed back expectations of RATE CUTS" is one stress event)
            own = tuple(e for e in ev if e.direction == other
                        and not any(_overlap(e, k) for k in kept))
            c_other = noisy_or([e.weight for e in own])
            if c_other >= max(rules.both_min_confidence, rules.min_confidence) and own:
                out.append(Catalyst(name, other, c_other, own))
    return out
