"""Precision and recall of the news detector on the labelled sets, per split and overall.

Run from the repository root: ``PYTHONPATH=src python benchmarks/news_eval.py [FILE.yaml ...]``
(the same as ``python -m cliffwatch.news.evaluate``). Without files it evaluates every file of
``tests/news/labelled/`` (dev, heldout, dev2, dev3 and, once merged, blind).
"""

from __future__ import annotations

from cliffwatch.news.evaluate import main

if __name__ == "__main__":
    raise SystemExit(main())
