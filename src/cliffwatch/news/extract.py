"""Companies (bundled list plus unknown ticker mentions) and topic tags of a text."""

from __future__ import annotations

import re

from cliffwatch.news.rules import TAGS, Entities, Topics

_DOLLAR_TICKER = re.compile(r"(?<![\w$])\$([A-Z][A-Z.]{0,5})\b")
_EXCHANGE_TICKER = re.compile(
    r"\(\s*(?:NYSE(?:\s+American)?|NASDAQ|Nasdaq|AMEX|NYSE\s*Arca)\s*:\s*([A-Z][A-Z.]{0,5})\s*\)"
)


def _alias_pattern(alias: str) -> re.Pattern[str]:
    # Case-sensitive whole words: proper nouns, so "meta" or "lambda" in prose do not match.
    return re.compile(rf"(?<![\w-]){re.escape(alias)}(?![\w-])")


def companies(text: str, entities: Entities) -> list[str]:
    """Canonical names of listed companies, then tickers of unlisted ``$X``/``(NYSE: X)``
    mentions, each once, in order of first mention."""
    hits: dict[str, int] = {}
    by_ticker = {t: e.name for e in entities.entities for t in e.tickers}
    for e in entities.entities:
        for alias in e.aliases:
            m = _alias_pattern(alias).search(text)
            if m is not None:
                hits[e.name] = min(hits.get(e.name, m.start()), m.start())
    for pat in (_DOLLAR_TICKER, _EXCHANGE_TICKER):
        for m in pat.finditer(text):
            name = by_ticker.get(m.group(1), m.group(1))
            hits[name] = min(hits.get(name, m.start()), m.start())
    return sorted(hits, key=lambda n: hits[n])


WEAK_HIT = 0.5
"""What one matching ``weak_patterns`` entry counts towards ``min_hits`` (a pattern counts 1)."""


def tags(text: str, topics: Topics, entities: Entities | None = None) -> list[str]:
    """Tags of the fixed taxonomy whose lexicon has at least ``min_hits`` matching patterns
    (a weak pattern counting :data:`WEAK_HIT`), or (with ``entities``) whose
    ``company_kinds`` include a mentioned company's kind."""
    # companies() scans the whole text once per alias: call it once, not once per entity
    mentioned = set(companies(text, entities)) if entities is not None else set()
    kinds = {e.kind for e in entities.entities if e.name in mentioned} \
        if entities is not None else set()
    out = []
    for tag in TAGS:
        topic = topics.tags[tag]
        n = sum(1 for p in topic.patterns if re.search(p, text, re.IGNORECASE)) \
            + WEAK_HIT * sum(1 for p in topic.weak_patterns if re.search(p, text, re.IGNORECASE))
        if n >= topics.min_hits or kinds & set(topics.company_kinds.get(tag, [])):
            out.append(tag)
    return out
