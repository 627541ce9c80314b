"""Readers: every format, and malformed input refused with the file named."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cliffwatch.news import readers
from cliffwatch.news.errors import NewsError
from cliffwatch.news.readers import read_items, read_many

ARTICLE_HTML = """<!doctype html><html><head><title>Spreads widen</title>
<script>var spreads = "tightened";</script></head><body>
<nav><a href="/">Home</a> Markets Credit Spreads tightened menu</nav>
<header>Site header text that is not the story</header>
<article><h1>Spreads widen</h1><p>High-yield spreads widened by 60 basis points.</p>
<p>Data center bonds &amp; loans fell.</p></article>
<footer>Copyright, cookie policy, spreads tightened</footer></body></html>"""


def _write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    p = tmp_path / name
    if isinstance(text, bytes):
        p.write_bytes(text)
    else:
        p.write_text(text, encoding="utf-8")
    return p


def test_plain_text_first_line_is_the_title(tmp_path: Path) -> None:
    [item] = read_items(_write(tmp_path, "a.txt", "Title here\n\nBody one.\nBody two.\n"))
    assert (item.title, item.body, item.source) == ("Title here", "Body one.\nBody two.", "a.txt")


def test_html_keeps_the_article_not_nav_footer_script(tmp_path: Path) -> None:
    [item] = read_items(_write(tmp_path, "a.html", ARTICLE_HTML))
    assert item.title == "Spreads widen"
    assert "widened by 60 basis points" in item.body and "Data center bonds & loans" in item.body
    assert "tightened" not in item.body and "Home" not in item.body


def test_html_without_article_takes_the_prose_blocks(tmp_path: Path) -> None:
    html = ("<html><body><div>Home | About</div><div><p>Oracle missed earnings estimates and "
            "cut its revenue guidance for the year.</p></div><footer>Legal stuff here</footer>"
            "</body></html>")
    [item] = read_items(_write(tmp_path, "b.htm", html))
    assert item.body == ("Oracle missed earnings estimates and cut its revenue guidance for "
                         "the year.")


def test_html_without_body_text_is_refused(tmp_path: Path) -> None:
    p = _write(tmp_path, "c.html", "<html><body><nav>Menu</nav><script>x()</script></body></html>")
    with pytest.raises(NewsError, match="c.html: HTML page without article text"):
        read_items(p)


def test_json_object_and_list(tmp_path: Path) -> None:
    one = {"title": "T", "body": "B", "published": "2026-11-26", "source": "wire"}
    [item] = read_items(_write(tmp_path, "o.json", json.dumps(one)))
    assert (item.title, item.body, item.published, item.source) == ("T", "B", "2026-11-26", "wire")
    many = read_items(_write(tmp_path, "l.json", json.dumps([one, {"title": "U"}])))
    assert [i.title for i in many] == ["T", "U"] and many[1].source == "l.json"


@pytest.mark.parametrize(("text", "message"), [
    ("{not json", r"bad.json: line 1 column 2: invalid JSON"),
    ("[]", "bad.json: an empty list"),
    ('[{"title": 3}]', r"bad.json: item 0.title: got 3; expected text"),
    ('[{"published": "x"}]', "bad.json: item 0: neither 'title' nor 'body'"),
    ('"just a string"', "bad.json: <document>: got str"),
])
def test_malformed_json_is_located(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(NewsError, match=message):
        read_items(_write(tmp_path, "bad.json", text))


RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>Credit Wire</title>
<item><title>Spreads widen</title><description>&lt;p&gt;Junk spreads &lt;b&gt;widened&lt;/b&gt;
sharply today as supply swelled.&lt;/p&gt;</description><pubDate>Thu, 26 Nov 2026</pubDate></item>
<item><title>Yields fall</title><description>Treasury yields fell.</description></item>
<item><title>Rents slide</title></item></channel></rss>"""
ATOM = """<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
<title>AI Infra</title><entry><title>Capex up</title><updated>2026-11-26T08:00:00Z</updated>
<summary>Meta raised its capex forecast.</summary></entry>
<entry><title>Capex down</title><content type="html">Alphabet cut capex.</content></entry></feed>"""


def test_rss_with_many_items(tmp_path: Path) -> None:
    items = read_items(_write(tmp_path, "f.xml", RSS))
    assert [i.title for i in items] == ["Spreads widen", "Yields fall", "Rents slide"]
    assert items[0].body == "Junk spreads widened sharply today as supply swelled."
    assert items[0].published == "Thu, 26 Nov 2026" and items[0].source == "Credit Wire"
    assert items[2].body == "Rents slide"


def test_atom_feed(tmp_path: Path) -> None:
    items = read_items(_write(tmp_path, "f.atom", ATOM))
    assert [(i.title, i.body) for i in items] == [
        ("Capex up", "Meta raised its capex forecast."), ("Capex down", "Alphabet cut capex.")]
    assert items[0].published == "2026-11-26T08:00:00Z"


@pytest.mark.parametrize(("text", "message"), [
    ("<rss><channel><item><title>x</title></channel></rss>", r"line 1 column \d+: broken RSS"),
    ("<?xml version='1.0'?><html><body/></html>", "root element <html>"),
    ("<rss><channel><title>t</title></channel></rss>", "the feed has no items"),
    ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><rss><channel><item>'
     "<title>&lol;</title></item></channel></rss>",
     "XML with a DOCTYPE/ENTITY declaration is refused"),
])
def test_broken_feeds(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(NewsError, match=f"feed.rss: {message}" if "line" not in message
                       else message):
        read_items(_write(tmp_path, "feed.rss", text))


def test_empty_binary_and_non_utf8_are_refused(tmp_path: Path) -> None:
    with pytest.raises(NewsError, match="e.txt: the file is empty"):
        read_items(_write(tmp_path, "e.txt", ""))
    with pytest.raises(NewsError, match="w.txt: the file holds only whitespace"):
        read_items(_write(tmp_path, "w.txt", "  \n\t\n"))
    with pytest.raises(NewsError, match="b.txt: binary file"):
        read_items(_write(tmp_path, "b.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00"))
    with pytest.raises(NewsError, match=r"l.txt: not UTF-8 text \(byte 1\)"):
        read_items(_write(tmp_path, "l.txt", b"a\xe9b"))
    with pytest.raises(NewsError, match="missing.txt: no such file"):
        read_items(tmp_path / "missing.txt")


def test_a_50_mb_file_is_refused_by_size_before_reading(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "huge.html"
    with big.open("wb") as f:
        f.truncate(50 * 1024 * 1024)  # sparse: 50 MB without writing them

    def _no_read(self: Path) -> bytes:
        raise AssertionError("the file was read")

    monkeypatch.setattr(Path, "read_bytes", _no_read)
    with pytest.raises(NewsError, match=r"huge.html: 52,428,800 bytes is larger than the "
                                        r"5,242,880-byte limit"):
        read_items(big)
    assert readers.MAX_FILE_BYTES < 50 * 1024 * 1024


def test_a_batch_goes_on_past_bad_files(tmp_path: Path) -> None:
    good = _write(tmp_path, "g.txt", "Good title\nGood body.")
    bad = _write(tmp_path, "bad.json", "{")
    empty = _write(tmp_path, "e.txt", "")
    items, errors = read_many([bad, good, empty])
    assert [i.title for i in items] == ["Good title"]
    assert [str(e).split(":")[0] for e in errors] == [str(bad), str(empty)]
