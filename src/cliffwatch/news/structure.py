"""What the grammar of a sentence says about a matched movement: negated, hedged, history or
not yet done.

The rules (:mod:`cliffwatch.news.compose`, phrases) find *what* moved; this layer reads from
the dependency parse (:mod:`cliffwatch.news.nlp`) *how* the sentence says it, so the answer
does not depend on a list of phrasings:

* the **predicate** of a match is the verb that governs it: the match's own verb ("spreads
  WIDENED"), else the first verb above its head word ("a JUMP in yields" -> the clause verb);
* **negated**: that predicate, or a verb that takes it as complement ("did not EXPECT spreads
  to widen"), has a ``neg`` dependent, or the subject is quantified by "no"/"none";
* **hedged**: a modal auxiliary (could, may, might, would, should) on that chain, a verb of
  expectation or warning above it (warn, fear, expect, forecast, risk ...), or an "if" /
  "unless" clause marker;
* **history** (background recalled, not today's news): past perfect ("had fallen"), a clause
  that only names years before the latest year the item mentions ("at the 2023 launch"), or
  "last year" / "a year ago" in the predicate's own phrase;
* **completes**: a verb of completion with a direct object ("CLOSED an $8.5 billion loan"),
  which is a deal done, not a market shutting ("the window closed");
* **pending** (planned or negotiated, not done): the predicate or a verb above it is one of
  planning or talking (plan, seek, aim, consider, negotiate, market, propose ...) or the
  sentence says "in talks" / "no guarantee".

Each reading is a transparent, testable function of the parse; the words lists are data of
this module, the decisions are the parse's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from cliffwatch.news.nlp import parse_syntax as parse

if TYPE_CHECKING:
    from spacy.tokens import Token

MODALS = frozenset({"could", "may", "might", "would", "should"})
"""Auxiliaries that make a statement a possibility, not a report."""
EXPECTATION_VERBS = frozenset({
    "warn", "fear", "worry", "expect", "forecast", "predict", "project", "anticipate", "risk",
    "threaten", "caution", "estimate", "see", "flag", "reckon", "hope", "bet", "speculate",
})
"""Verbs that put what they govern in the future or in doubt ("analysts WARN spreads will
widen"). A report of an expectation is labelled like the outcome, at half confidence."""
PENDING_VERBS = frozenset({
    "plan", "seek", "aim", "consider", "explore", "negotiate", "discuss", "propose", "intend",
    "prepare", "market", "pitch", "weigh", "eye", "mull", "talk", "sound",
})
"""Verbs of a deal not yet done ("PLANS to raise $3 billion", "is MARKETING a loan")."""
COMPLETION_VERBS = frozenset({"close", "complete", "seal", "finalize", "finalise", "sign",
                              "wrap", "price"})
"""Verbs that, with a direct object, report a deal done ("closed an $8.5 billion loan"); the
same verb without one is a market shutting ("the window closed")."""
_PENDING_TEXT = re.compile(r"\b(in talks|in discussions|no guarantee|subject to change|"
                           r"people familiar with the (plans|talks))\b", re.IGNORECASE)
_LAST = re.compile(r"\b(last year|a year ago|years ago|in the past)\b", re.IGNORECASE)
_YEAR = re.compile(r"^(19|20)\d\d$")
COMPARISON_PREPS = frozenset({"from", "than", "against", "versus", "vs", "compared", "over"})
"""Prepositions that name the base a move is measured from."""
CHAIN = 3
"""Verbs followed upward from a match's predicate (xcomp/ccomp chains: "expect X to widen")."""


@dataclass(frozen=True)
class Reading:
    """How one sentence says one matched movement."""

    negated: bool = False
    hedged: bool = False
    history: bool = False
    pending: bool = False
    completes: bool = False
    """The movement is a deal being completed ("closed a facility"), not a market shutting."""


def _predicate(tokens: list[Token]) -> Token:
    """The verb that governs a span: the span's own root when it is a verb, else the first
    verb above it ("a JUMP in yields" -> the clause verb)."""
    ids = {t.i for t in tokens}
    roots = [t for t in tokens if t.head.i not in ids or t.head is t]
    t = min(roots or tokens, key=lambda x: len(list(x.ancestors)))
    for _ in range(8):
        if t.pos_ in ("VERB", "AUX") or t.dep_ == "ROOT":
            return t
        t = t.head
    return t


def _chain(pred: Token) -> list[Token]:
    """The predicate and the verbs above it that take it as complement or describe its noun
    ("a loan THAT WAS oversubscribed" -> the verb governing "loan")."""
    out, t = [pred], pred
    for _ in range(CHAIN):
        if t.dep_ in ("xcomp", "ccomp", "advcl", "conj", "pcomp", "acomp") and t.head is not t:
            t = t.head
        elif t.dep_ in ("relcl", "acl") and t.head.head is not t.head:
            t = t.head.head
        else:
            break
        out.append(t)
    return out


def _clause(pred: Token) -> list[Token]:
    """The tokens of the predicate's own clause: its subtree without embedded clauses."""
    out: list[Token] = []
    todo = [pred]
    while todo:
        t = todo.pop()
        out.append(t)
        for c in t.children:
            if c.pos_ in ("VERB", "AUX") and c.dep_ not in ("aux", "auxpass", "neg"):
                continue  # an embedded clause has its own time
            if c.dep_ == "prep" and any(g.dep_ == "pcomp" for g in c.children):
                continue  # "after collapsing from $8 ..."
            if c.dep_ == "prep" and c.lower_ in COMPARISON_PREPS:
                continue  # "up from five LAST YEAR" is the base of the move, not its time
            todo.append(c)
    return sorted(out, key=lambda x: x.i)


@lru_cache(maxsize=8192)
def read(sentence: str, start: int, end: int, latest_year: int = 0) -> Reading:
    """The :class:`Reading` of the movement at ``sentence[start:end]``; ``latest_year`` is the
    latest year the whole item names (0: unknown), against which a year in the clause is
    history."""
    doc = parse(sentence)
    tokens = [t for t in doc if t.idx < end and t.idx + len(t) > start]
    if not tokens:
        return Reading()
    pred = _predicate(tokens)
    chain = _chain(pred)
    kids = [c for v in chain for c in v.children]
    negated = any(c.dep_ == "neg" for c in kids) or any(
        c.lower_ in ("no", "none") and c.dep_ in ("det", "nsubj", "nsubjpass")
        and not start <= c.idx < end  # "no tenant" may be the movement itself
        for t in tokens for c in t.children)
    hedged = any(c.dep_ == "aux" and c.lower_ in MODALS for c in kids) \
        or any(v.lemma_ in EXPECTATION_VERBS for v in chain if v not in tokens) \
        or any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in kids)
    perfect = pred.tag_ == "VBN" and any(c.dep_ == "aux" and c.lower_ == "had"
                                         for c in pred.children)
    clause = _clause(pred)
    phrase = " ".join(t.text for t in clause)
    years = [int(t.text) for t in clause if _YEAR.match(t.text)]
    old_years = bool(years) and latest_year > 0 and max(years) < latest_year
    history = perfect or old_years or bool(_LAST.search(phrase))
    pending = any(v.lemma_ in PENDING_VERBS for v in chain) \
        or bool(_PENDING_TEXT.search(sentence))
    completes = any(t.lemma_ in COMPLETION_VERBS and any(c.dep_ == "dobj" for c in t.children)
                    for t in tokens)
    return Reading(negated=negated, hedged=hedged, history=history, pending=pending,
                   completes=completes)


def latest_year(text: str) -> int:
    """The latest year (1900-2099) ``text`` names, 0 if none."""
    years = [int(y) for y in re.findall(r"\b((?:19|20)\d\d)\b", text)]
    return max(years, default=0)


ADJUNCT_PREPS = frozenset({"after", "before", "since", "amid", "despite", "following", "as",
                           "because", "ahead", "until", "like", "unlike"})
"""Prepositions whose object is a circumstance of the clause, not what moved ("CDS shot up
AFTER its latest results": the results did not shoot up)."""


@lru_cache(maxsize=8192)
def attached(sentence: str, subject: tuple[int, int], move: tuple[int, int]) -> bool:
    """Whether the subject words at ``sentence[subject]`` can be what the movement at
    ``sentence[move]`` says moved: False when they sit in another clause than the movement's
    predicate, or only in a circumstance of it (:data:`ADJUNCT_PREPS`)."""
    doc = parse(sentence)
    subj = [t for t in doc if t.idx < subject[1] and t.idx + len(t) > subject[0]
            and t.pos_ in ("NOUN", "PROPN", "NUM", "ADJ", "X")]
    mov = [t for t in doc if t.idx < move[1] and t.idx + len(t) > move[0]]
    if not subj or not mov:
        return True
    pred = _predicate(mov)
    clause = {t.i for t in _clause(pred)}
    chain = {t.i for t in _chain(pred)}

    mids = {m.i for m in mov}

    def clause_break(x: Token) -> bool:
        # a finite clause of its own (a verb with its own subject, or a marked clause) or a
        # circumstance ("AFTER its results"); non-finite verbs inside a noun phrase ("the
        # cost of RENTING a GPU") do not break
        return x.dep_ == "mark" or (x.dep_ == "prep" and x.lower_ in ADJUNCT_PREPS) or (
            x.pos_ in ("VERB", "AUX") and any(c.dep_ in ("nsubj", "nsubjpass", "mark")
                                              for c in x.children))

    def ok(t: Token) -> bool:
        path: list[Token] = []
        for anc in t.ancestors:
            if anc.i in mids:
                # the subject hangs off the movement word ("spreads WIDENED", "a JUMP in
                # yields"), not through another clause or a circumstance; a complement clause
                # of the movement is its content ("WARNED that sales would fall")
                return not any(clause_break(x) for x in path
                               if not (x.dep_ in ("ccomp", "xcomp") and x.head.i in mids)
                               and x.dep_ not in ("csubj", "csubjpass"))
            path.append(anc)
        if any(a.i == t.i for m in mov for a in m.ancestors):
            return True  # "HIGHER yields": the movement modifies the subject
        if any(m.head.i == t.head.i and m.head.pos_ in ("NOUN", "PROPN") for m in mov):
            return True  # one noun phrase the parser could not split ("revenue topped estimates")
        verb = _verb_of(t)
        if verb in chain or any(c.i == verb and c.dep_ in ("ccomp", "xcomp")
                                for c in pred.children):
            return True  # "WARNED that sales would come in below forecasts"
        if t.i in clause:
            return not any(x.dep_ == "prep" and x.lower_ in ADJUNCT_PREPS
                           for x in [t, *t.ancestors] if x.i in clause)
        return False
    return any(ok(t) for t in subj)


def _verb_of(t: Token) -> int:
    for a in t.ancestors:
        if a.pos_ in ("VERB", "AUX"):
            return a.i
    return -1
