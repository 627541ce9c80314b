"""News to numbers: read news, extract companies, topics and credit catalysts, turn the
catalysts into one scenario extending ``base`` and measure its impact on a portfolio.

>>> from cliffwatch.news import analyse
>>> report = analyse("morning/oracle.html", paths=64, seed=7)
>>> report.items[0].score
"""

from __future__ import annotations

from cliffwatch.news.analyse import Analysis, analyse
from cliffwatch.news.errors import NewsError
from cliffwatch.news.item import NewsItem

__all__: list[str] = ["Analysis", "NewsError", "NewsItem", "analyse"]
