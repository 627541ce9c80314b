"""Companies (the maintained ticker table, tickers, and organisations the language model
recognises, unknown ones reported as such) and topic tags of a text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from cliffwatch.news.rules import TAGS, Entities, Topics

_DOLLAR_TICKER = re.compile(r"(?<![\w$])\$([A-Z][A-Z.]{0,5})\b")
_EXCHANGE_TICKER = re.compile(
    r"\(\s*(?:NYSE(?:\s+American)?|NASDAQ|Nasdaq|AMEX|NYSE\s*Arca)\s*:\s*([A-Z][A-Z.]{0,5})\s*\)"
)


_TOKEN = re.compile(r"[\w&]+(?:[.'\u2019&-][\w&]+)*")
_POSSESSIVE = re.compile(r"['\u2019]s$")
_SUFFIXES = frozenset({"inc", "corp", "corporation", "co", "company", "llc", "ltd", "limited",
                       "plc", "group", "holdings", "sa", "ag", "nv", "lp", "llp"})
"""Legal-form words dropped when a recognised organisation is looked up in the table."""


@dataclass(frozen=True)
class Mention:
    """A company named in a text: canonical name (the table's) or, for an organisation the
    table does not know, the name as written; ``known`` tells which."""

    name: str
    known: bool
    kind: str
    start: int


def _tokens(text: str) -> list[tuple[str, int, int]]:
    """Word tokens with their character spans; a possessive "'s" is dropped from the word."""
    out = []
    for m in _TOKEN.finditer(text):
        w = _POSSESSIVE.sub("", m.group())
        out.append((w, m.start(), m.start() + len(w)))
    return out


def _norm(name: str) -> str:
    words = [w.lower() for w, _, _ in _tokens(name)]
    if words and words[0] == "the":
        words = words[1:]
    while words and words[-1].rstrip(".") in _SUFFIXES:
        words = words[:-1]
    return " ".join(words)


class _Index:
    """Alias n-grams (case-sensitive, proper nouns) and normalised names of one table."""

    def __init__(self, entities: Entities) -> None:
        self.exact: dict[tuple[str, ...], str] = {}
        self.loose: dict[str, str] = {}
        self.kind = {e.name: e.kind for e in entities.entities}
        self.ticker = {t: e.name for e in entities.entities for t in e.tickers}
        for e in entities.entities:
            for alias in [*e.aliases, e.name]:
                key = tuple(w for w, _, _ in _tokens(alias))
                if alias in e.aliases:
                    self.exact.setdefault(key, e.name)
                self.loose.setdefault(_norm(alias), e.name)
        self.longest = max((len(k) for k in self.exact), default=1)
        self.skip = {_norm(n) for n in entities.not_companies}


_INDEXES: dict[int, tuple[Entities, _Index]] = {}


def _index(entities: Entities) -> _Index:
    hit = _INDEXES.get(id(entities))
    if hit is None or hit[0] is not entities:
        hit = (entities, _Index(entities))
        _INDEXES[id(entities)] = hit
    return hit[1]


def company_mentions(text: str, entities: Entities, ner: bool = True) -> list[Mention]:
    """Every company of ``text``, each once, in order of first mention: aliases of the table
    (whole words, case-sensitive), ``$TICK`` / ``(NYSE: TICK)`` tickers, and (``ner``) the
    organisations the language model recognises, looked up in the table by normalised name or
    else reported as unknown. Linear in the length of the text (n-gram lookups of at most the
    longest alias, one pass per ticker pattern, one parse)."""
    ix = _index(entities)
    found: dict[str, Mention] = {}
    covered: list[tuple[int, int]] = []

    def add(name: str, known: bool, start: int) -> None:
        if name not in found or found[name].start > start:
            found[name] = Mention(name, known, ix.kind.get(name, "unknown"), start)

    toks = _tokens(text)
    for i in range(len(toks)):
        for n in range(min(ix.longest, len(toks) - i), 0, -1):
            name = ix.exact.get(tuple(w for w, _, _ in toks[i:i + n]))
            if name is not None:
                add(name, True, toks[i][1])
                covered.append((toks[i][1], toks[i + n - 1][2]))
                break
    for pat in (_DOLLAR_TICKER, _EXCHANGE_TICKER):
        for m in pat.finditer(text):
            tick = m.group(1)
            add(ix.ticker.get(tick, tick), tick in ix.ticker, m.start())
    if ner:
        from cliffwatch.news.nlp import parse  # the model loads on first use only

        for ent in parse(text).ents:
            if ent.label_ != "ORG" or any(a < ent.end_char and ent.start_char < b
                                          for a, b in covered):
                continue
            key = _norm(ent.text)
            if not key or key in ix.skip or not any(c.isupper() for c in ent.text):
                continue
            name = ix.loose.get(key)
            if name is not None:
                add(name, True, ent.start_char)
            else:
                words = [w for w, _, _ in _tokens(ent.text)]
                if words and words[0].lower() == "the":
                    words = words[1:]
                add(" ".join(words), False, ent.start_char)
    return sorted(found.values(), key=lambda m: m.start)


def companies(text: str, entities: Entities, ner: bool = True) -> list[str]:
    """Names of :func:`company_mentions` (canonical for the table's companies, as written for
    unknown organisations), in order of first mention."""
    return [m.name for m in company_mentions(text, entities, ner)]


WEAK_HIT = 0.5
"""What one matching ``weak_patterns`` entry counts towards ``min_hits`` (a pattern counts 1)."""


def tags(text: str, topics: Topics, entities: Entities | None = None) -> list[str]:
    """Tags of the fixed taxonomy whose lexicon has at least ``min_hits`` matching patterns
    (a weak pattern counting :data:`WEAK_HIT`), or (with ``entities``) whose
    ``company_kinds`` include a mentioned company's kind."""
    kinds = {m.kind for m in company_mentions(text, entities, ner=False)} \
        if entities is not None else set()
    out = []
    for tag in TAGS:
        topic = topics.tags[tag]
        n = sum(1 for p in topic.patterns if re.search(p, text, re.IGNORECASE)) \
            + WEAK_HIT * sum(1 for p in topic.weak_patterns if re.search(p, text, re.IGNORECASE))
        if n >= topics.min_hits or kinds & set(topics.company_kinds.get(tag, [])):
            out.append(tag)
    return out
