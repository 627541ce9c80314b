"""Precision and recall of the news catalyst detector on the labelled set, per half.

Run from the repository root: ``PYTHONPATH=src python benchmarks/news_eval.py [ITEMS.yaml]``
(the same as ``python -m cliffwatch.news.evaluate``).
"""

from __future__ import annotations

from cliffwatch.news.evaluate import main

if __name__ == "__main__":
    raise SystemExit(main())
