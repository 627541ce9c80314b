"""Sentence splitting for evidence: catalysts are matched inside one sentence."""

from __future__ import annotations

import re

_BOUNDARY = re.compile(r"(?<=[.!?;])\s+(?=[\"'(A-Z0-9$])|\n+")
MAX_SENTENCE_CHARS = 400
"""Longest piece of text matched as one sentence, characters. The pair and composition
patterns cost more than linearly in a sentence's length (a 10 KB text without a full stop took
four minutes); cutting longer runs at a comma or space keeps detection linear in the text. The
longest sentence of the labelled sets is under 300 characters, so no labelled result moves."""
_CUT_AT = (", ", "; ", " ")


def _pieces(sentence: str) -> list[str]:
    """``sentence`` cut into runs of at most :data:`MAX_SENTENCE_CHARS`, at the last comma
    (else space) before the limit; a run without either is cut at the limit."""
    out: list[str] = []
    rest = sentence
    while len(rest) > MAX_SENTENCE_CHARS:
        window = rest[:MAX_SENTENCE_CHARS]
        cut = next((i + len(sep) for sep in _CUT_AT
                    if (i := window.rfind(sep)) > MAX_SENTENCE_CHARS // 2), MAX_SENTENCE_CHARS)
        out.append(rest[:cut].strip())
        rest = rest[cut:]
    out.append(rest.strip())
    return [p for p in out if p]


def sentences(text: str) -> list[str]:
    """Sentences of ``text`` (split after . ! ? ; before a capital, digit or quote, and at
    line breaks), stripped, empty ones dropped; a sentence over :data:`MAX_SENTENCE_CHARS` is
    cut into shorter runs."""
    return [p for s in _BOUNDARY.split(text) if s and s.strip() for p in _pieces(s.strip())]
