"""RSS 2.0, RSS 1.0 (RDF) and Atom feeds with ``xml.etree``, made safe by refusing DTDs.

Entity-expansion attacks (billion laughs) and external entities need a ``<!DOCTYPE>``; a news
feed never needs one, so a document declaring one is refused before parsing.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from cliffwatch.news.errors import NewsError
from cliffwatch.news.html_text import html_article
from cliffwatch.news.item import NewsItem

_DTD = re.compile(r"<!(DOCTYPE|ENTITY)", re.IGNORECASE)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child_text(elem: ET.Element, *names: str) -> str:
    for child in elem:
        if _local(child.tag) in names and (child.text or "").strip():
            return child.text.strip()  # type: ignore[union-attr]
    return ""


def _plain(markup: str) -> str:
    """Feed descriptions often hold escaped HTML: keep its text."""
    if "<" not in markup:
        return markup.strip()
    title, body = html_article(f"<html><body><main>{markup}</main></body></html>")
    return body or title


def _item(elem: ET.Element, feed_title: str) -> NewsItem:
    title = _plain(_child_text(elem, "title"))
    body = _plain(_child_text(elem, "encoded", "content", "description", "summary"))
    published = _child_text(elem, "pubDate", "published", "updated", "date")
    return NewsItem(title=title, body=body or title, published=published, source=feed_title)


def parse_feed(path: Path, text: str) -> list[NewsItem]:
    """Items of an RSS or Atom document; items with neither title nor text are skipped.

    Raises
    ------
    NewsError
        Naming the file: a DTD, XML that does not parse (with line and column), a root that
        is not a feed, or a feed without items.
    """
    if _DTD.search(text):
        raise NewsError(f"{path}: XML with a DOCTYPE/ENTITY declaration is refused (unsafe, "
                        "and never needed by RSS or Atom)")
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        line, col = exc.position
        raise NewsError(f"{path}: line {line} column {col}: broken RSS/Atom XML") from None
    kind = _local(root.tag)
    if kind not in ("rss", "feed", "RDF"):
        raise NewsError(f"{path}: root element <{kind}>; expected <rss>, <feed> (Atom) or "
                        "<rdf:RDF>")
    channel = next((c for c in root if _local(c.tag) == "channel"), root)
    feed_title = _child_text(channel, "title") or path.name
    entries = [e for e in root.iter() if _local(e.tag) in ("item", "entry")]
    items = [_item(e, feed_title) for e in entries]
    items = [i for i in items if i.title or i.body]
    if not items:
        raise NewsError(f"{path}: the feed has no items with a title or text")
    return items
