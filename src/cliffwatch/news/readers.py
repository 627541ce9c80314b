"""Read news files: plain text, HTML, JSON and RSS/Atom feeds, refusing malformed input.

Every problem raises :class:`NewsError` naming the file; :func:`read_many` keeps going past a
bad file and returns its error beside the items of the good ones.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from cliffwatch.news.errors import NewsError
from cliffwatch.news.feeds import parse_feed
from cliffwatch.news.html_text import html_article
from cliffwatch.news.item import NewsItem
from cliffwatch.shown import shown

MAX_FILE_BYTES = 5 * 1024 * 1024
"""Largest news file read (5 MiB): a feed of a few hundred items is well under 1 MiB; a
larger file is refused by its size before any byte is read."""
MAX_ITEM_CHARS = 200_000
"""Longest text (title and body) of one news item analysed, characters: about 30,000 words,
far beyond any article. Detection time grows linearly with the text (about 25 s per MB on a
loaded two-core machine), so a longer item is refused by its size rather than holding the
watcher for minutes."""
BINARY_SNIFF_BYTES = 8192
"""Leading bytes checked for NUL characters (a binary file)."""
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
FEED_SUFFIXES = frozenset({".xml", ".rss", ".atom"})
JSON_SUFFIXES = frozenset({".json"})
TEXT_SUFFIXES = frozenset({".txt", ".text", ".md", ""})
SUFFIXES = HTML_SUFFIXES | FEED_SUFFIXES | JSON_SUFFIXES | TEXT_SUFFIXES
"""File name endings read as news (others are skipped by the folder watcher)."""


def _read_text(path: Path) -> str:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise NewsError(f"{path}: cannot read: {exc.strerror}") from None
    if size > MAX_FILE_BYTES:
        raise NewsError(f"{path}: {size:,} bytes is larger than the {MAX_FILE_BYTES:,}-byte "
                        "limit for a news file; split it")
    if size == 0:
        raise NewsError(f"{path}: the file is empty")
    raw = path.read_bytes()
    if b"\x00" in raw[:BINARY_SNIFF_BYTES]:
        raise NewsError(f"{path}: binary file (NUL bytes); expected text, HTML, JSON or RSS")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise NewsError(f"{path}: not UTF-8 text (byte {exc.start}); expected text, HTML, "
                        "JSON or RSS/Atom") from None
    if not text.strip():
        raise NewsError(f"{path}: the file holds only whitespace")
    return text


def _kind(path: Path, text: str) -> str:
    head = text.lstrip()[:512].lower()
    suffix = path.suffix.lower()
    if suffix in FEED_SUFFIXES or head.startswith(("<?xml", "<rss", "<feed")) and (
        "<rss" in head or "<feed" in head or "<rdf" in head
    ):
        return "feed"
    if suffix in HTML_SUFFIXES or head.startswith(("<!doctype html", "<html")):
        return "html"
    if suffix in JSON_SUFFIXES or head.startswith(("{", "[")):
        return "json"
    return "text"


def _from_text(path: Path, text: str) -> list[NewsItem]:
    lines = [ln.strip() for ln in text.strip().splitlines()]
    title, body = lines[0], "\n".join(ln for ln in lines[1:] if ln)
    return [NewsItem(title=title, body=body or title, source=path.name)]


def _from_html(path: Path, text: str) -> list[NewsItem]:
    title, body = html_article(text)
    if not body:
        raise NewsError(f"{path}: HTML page without article text (no <article>, <main> or "
                        "paragraphs outside navigation, scripts and footers)")
    return [NewsItem(title=title or body.split("\n", 1)[0][:120], body=body, source=path.name)]


def _json_item(path: Path, obj: Any, where: str) -> NewsItem:
    if not isinstance(obj, dict):
        raise NewsError(f"{path}: {where}: got {type(obj).__name__}; expected an object "
                        "{title, body, published, source}")
    fields = {k: obj.get(k, "") for k in ("title", "body", "published", "source")}
    bad = [k for k, v in fields.items() if not isinstance(v, str)]
    if bad:
        raise NewsError(f"{path}: {where}.{bad[0]}: got {shown(fields[bad[0]])}; expected text")
    if not (fields["title"].strip() or fields["body"].strip()):
        raise NewsError(f"{path}: {where}: neither 'title' nor 'body' has text")
    return NewsItem(title=fields["title"].strip(), body=fields["body"].strip(),
                    published=fields["published"], source=fields["source"] or path.name)


def _from_json(path: Path, text: str) -> list[NewsItem]:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise NewsError(f"{path}: line {exc.lineno} column {exc.colno}: invalid JSON: "
                        f"{exc.msg}") from None
    except RecursionError:
        raise NewsError(f"{path}: JSON nested too deeply to read; expected news items "
                        "{title, body, published, source}") from None
    if isinstance(doc, list):
        if not doc:
            raise NewsError(f"{path}: an empty list; expected news items")
        return [_json_item(path, o, f"item {i}") for i, o in enumerate(doc)]
    return [_json_item(path, doc, "<document>")]


def read_items(path: str | Path) -> list[NewsItem]:
    """The news items of one file (one for text/HTML, one or many for JSON and feeds).

    Raises
    ------
    NewsError
        Naming the file: missing, too large (checked before reading), empty, binary, not
        UTF-8, HTML without article text, invalid JSON or a broken feed.
    """
    path = Path(path)
    if not path.is_file():
        raise NewsError(f"{path}: no such file")
    text = _read_text(path)
    kind = _kind(path, text)
    readers = {"feed": parse_feed, "html": _from_html, "json": _from_json}
    items = readers.get(kind, _from_text)(path, text)
    for n, item in enumerate(items):
        if len(item.text) > MAX_ITEM_CHARS:
            where = f"item {n}: " if len(items) > 1 else ""
            raise NewsError(f"{path}: {where}text of {len(item.text):,} characters is over the "
                            f"{MAX_ITEM_CHARS:,}-character limit of one news item; split it "
                            "into articles")
    return items


def read_many(paths: Iterable[str | Path]) -> tuple[list[NewsItem], list[NewsError]]:
    """Items of every readable file, and one error per unreadable file (the batch goes on)."""
    items: list[NewsItem] = []
    errors: list[NewsError] = []
    for p in paths:
        try:
            items.extend(read_items(p))
        except NewsError as exc:
            errors.append(exc)
        except Exception as exc:  # noqa: BLE001 - any parser failure is this file's problem
            errors.append(unreadable(p, exc))
    return items, errors


def unreadable(path: str | Path, exc: BaseException) -> NewsError:
    """A located error for an unexpected failure while reading or analysing ``path``."""
    return NewsError(f"{path}: could not be read: {type(exc).__name__}: {shown(str(exc))}")
