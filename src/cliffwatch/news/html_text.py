"""The article text of an HTML page with the standard library's ``html.parser``.

The body is the text of ``<article>`` if present, else ``<main>``, else the largest block of
paragraph text; ``script``, ``style``, ``nav``, ``footer``, ``header``, ``aside`` and ``form``
never count.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

SKIPPED_TAGS = frozenset({"script", "style", "nav", "footer", "header", "aside", "form",
                          "noscript", "svg", "template"})
"""Elements whose text is never article text."""
CONTAINER_TAGS = ("article", "main")
"""Elements that hold the article, in order of preference."""
BLOCK_TAGS = frozenset({"p", "div", "section", "li", "h1", "h2", "h3", "h4", "blockquote",
                        "td", "br", "article", "main", "body"})
"""Elements that end a line of text."""
VOID_TAGS = frozenset({"br", "img", "hr", "meta", "link", "input", "source", "wbr"})
"""Elements without an end tag (never pushed on the stack)."""


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.skip_depth = 0
        self.title: list[str] = []
        self.containers: dict[str, list[str]] = {t: [] for t in CONTAINER_TAGS}
        self.blocks: list[list[str]] = [[]]

    def _break(self) -> None:
        """A block boundary: a new text block, and a line break inside containers."""
        self.blocks.append([])
        for name in CONTAINER_TAGS:
            if name in self.stack:
                self.containers[name].append("\n")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCK_TAGS:
            self._break()
        if tag in VOID_TAGS:
            return
        self.stack.append(tag)
        if tag in SKIPPED_TAGS:
            self.skip_depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.stack:
            return  # stray end tag in sloppy HTML
        while self.stack:
            top = self.stack.pop()
            if top in SKIPPED_TAGS:
                self.skip_depth -= 1
            if top == tag:
                break
        if tag in BLOCK_TAGS:
            self._break()

    def handle_data(self, data: str) -> None:
        if "title" in self.stack and "body" not in self.stack:
            self.title.append(data)
            return
        if self.skip_depth:
            return
        data = re.sub(r"\s+", " ", data)  # source line breaks are not text structure
        for name in CONTAINER_TAGS:
            if name in self.stack:
                self.containers[name].append(data)
        self.blocks[-1].append(data)


def _clean(parts: list[str]) -> str:
    text = re.sub(r"[ \t\r\f\v]+", " ", "".join(parts))
    return re.sub(r"\s*\n\s*", "\n", text).strip()


def html_article(html: str) -> tuple[str, str]:
    """``(title, body)`` of an HTML page; the body is empty when the page has no text."""
    parser = _Collector()
    parser.feed(html)
    parser.close()
    title = _clean(parser.title)
    for name in CONTAINER_TAGS:
        body = _clean(parser.containers[name])
        if body:
            return title, body
    # Without an article container: the paragraphs of the page in reading order, kept only
    # when they are prose (the largest block is the article; short blocks are menus).
    blocks = [_clean(b) for b in parser.blocks]
    prose = [b for b in blocks if len(b.split()) >= MIN_PROSE_WORDS]
    if not prose:
        prose = [max(blocks, key=len)] if blocks else []
    return title, "\n".join(prose).strip()


MIN_PROSE_WORDS = 8
"""A text block of fewer words is navigation or a caption, not article prose."""
