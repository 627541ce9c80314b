"""One news item, whatever format it came from."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

ITEM_ID_HEX_DIGITS = 16
"""Length of an item id: the first hex digits of the SHA-256 of title and body."""


@dataclass(frozen=True)
class NewsItem:
    """A news item: title, body text, publication date (as given) and source."""

    title: str
    body: str
    published: str = ""
    source: str = ""

    @property
    def item_id(self) -> str:
        """Content hash of title and body, so the same story read twice has the same id."""
        digest = hashlib.sha256(f"{self.title}\n{self.body}".encode()).hexdigest()
        return digest[:ITEM_ID_HEX_DIGITS]

    @property
    def text(self) -> str:
        """Title and body as one text for extraction (the title is a sentence of its own)."""
        return f"{self.title}.\n{self.body}" if self.title else self.body
