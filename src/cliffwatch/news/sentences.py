"""Sentence splitting for evidence: catalysts are matched inside one sentence."""

from __future__ import annotations

import re

_BOUNDARY = re.compile(r"(?<=[.!?;])\s+(?=[\"'(A-Z0-9$])|\n+")


def sentences(text: str) -> list[str]:
    """Sentences of ``text`` (split after . ! ? ; before a capital, digit or quote, and at
    line breaks), stripped, empty ones dropped."""
    return [s.strip() for s in _BOUNDARY.split(text) if s and s.strip()]
