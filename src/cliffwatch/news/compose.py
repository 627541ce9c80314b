"""Compositional catalyst matching: a SUBJECT concept and a MOVEMENT with a direction.

"H100 rental rates slipped", "the cost to rent a GPU by the hour tumbled" and "rents for
Blackwell systems have been falling" are one event: a GPU-rent subject and a downward
movement. Instead of one phrase per wording, ``catalysts.yaml`` lists subject concepts and
movement classes once; a catalyst maps (subject, movement class) to stress or relief. Both
lexicons are matched on lemma keys (:mod:`cliffwatch.news.lemmas`), inside one clause, at
most ``compose_window_words`` words apart, either order; each subject mention takes its
nearest movement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from cliffwatch.news.lemmas import Token, phrase_keys, tokens
from cliffwatch.news.rules import CatalystRule, CatalystRules, Direction

_BREAK_MARKS = frozenset(",;:()\u2014\u2013")
"""Punctuation that always ends a clause (a comma too: "yields, raising costs")."""

Span = tuple[int, int]
"""Token index range ``[i, j)``."""


@dataclass(frozen=True)
class Lexicon:
    """The lemma keys of every concept and movement of one rules file."""

    concepts: dict[str, tuple[tuple[str, ...], ...]]
    movements: dict[str, tuple[tuple[str, ...], ...]]
    breaks: frozenset[str]


@dataclass(frozen=True)
class Composed:
    """One subject x movement match: character span, direction and weight."""

    start: int
    end: int
    direction: Direction
    weight: float


_LEXICONS: dict[int, tuple[CatalystRules, Lexicon]] = {}


def lexicon(rules: CatalystRules) -> Lexicon:
    """The lemmatised lexicons of ``rules`` (cached per rules object)."""
    hit = _LEXICONS.get(id(rules))
    if hit is not None and hit[0] is rules:
        return hit[1]

    def keys(groups: dict[str, list[str]]) -> dict[str, tuple[tuple[str, ...], ...]]:
        return {k: tuple(sorted({phrase_keys(w) for w in v} - {()})) for k, v in groups.items()}

    lex = Lexicon(keys(rules.concepts), keys(rules.movements),
                  frozenset(k for w in rules.clause_breaks for k in phrase_keys(w)))
    _LEXICONS[id(rules)] = (rules, lex)
    return lex


@lru_cache(maxsize=256)
def _by_first(entries: tuple[tuple[str, ...], ...]) -> dict[str, list[tuple[str, ...]]]:
    out: dict[str, list[tuple[str, ...]]] = {}
    for e in entries:
        out.setdefault(e[0], []).append(e)
    return out


def _find(keys: list[str], entries: tuple[tuple[str, ...], ...]) -> list[Span]:
    """Token spans of every entry (a word sequence) in ``keys``, overlaps included."""
    index = _by_first(entries)
    return [(i, i + len(e)) for i, k in enumerate(keys) for e in index.get(k, ())
            if tuple(keys[i:i + len(e)]) == e]


def _clauses(toks: list[Token], breaks: frozenset[str]) -> list[int]:
    """Clause number of every token (a break token starts a new clause)."""
    out, n = [], 0
    for t in toks:
        n += t.key in _BREAK_MARKS or t.key in breaks
        out.append(n)
    return out


def _gap(a: Span, b: Span) -> int:
    """Words strictly between two spans (-1 when they overlap)."""
    return b[0] - a[1] if b[0] >= a[1] else (a[0] - b[1] if a[0] >= b[1] else -1)


def composed(sentence: str, rule: CatalystRule, rules: CatalystRules) -> list[Composed]:
    """Every subject x movement match of ``rule.compose`` in one sentence (one per subject
    mention: its nearest movement of a mapped class; on a tie a following one, then the
    longer one)."""
    if not rule.compose:
        return []
    lex, toks = lexicon(rules), tokens(sentence)
    keys, clause = [t.key for t in toks], _clauses(toks, lexicon(rules).breaks)
    # keyed by the movement's tokens: "spreads widened by 60 bp" is one move, however many
    # subjects (spreads, bp) claim it
    found: dict[tuple[int, Direction], Composed] = {}
    for comp in rule.compose:
        if comp.requires and not re.search(comp.requires, sentence, re.IGNORECASE):
            continue
        sides: tuple[tuple[Direction, list[str]], ...] = (("stress", comp.stress),
                                                          ("relief", comp.relief))
        moves = [(span, d) for d, classes in sides
                 for c in classes for span in _find(keys, lex.movements[c])]
        window = rules.compose_window_words if comp.window is None else comp.window
        for subj in _find(keys, lex.concepts[comp.subject]):
            near = [(_gap(subj, m), m[0] < subj[0], m[0] - m[1], m, d) for m, d in moves
                    if clause[m[0]] == clause[subj[0]] and 0 <= _gap(subj, m) <= window]
            if not near:
                continue
            *_, m, d = min(near, key=lambda x: x[:3])
            start, end = toks[min(subj[0], m[0])].start, toks[max(subj[1], m[1]) - 1].end
            old = found.get((m[0], d))
            if old is None or comp.weight > old.weight:
                found[(m[0], d)] = Composed(start, end, d, comp.weight)
    return list(found.values())
