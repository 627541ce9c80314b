"""Detection time against text length (the watcher must stay linear).

Usage: ``python benchmarks/news_scaling.py [KB ...]`` (default 10 40 200 1024). For each size
prints the seconds of ``detect_all`` (rules and classifier) on a text of ordinary sentences and
on one line without a full stop (the worst case: one "sentence").
"""

from __future__ import annotations

import sys
import time

from cliffwatch.news.detector import detect_all

SENTENCES = ("CoreWeave shares fell 12% after the company said lenders tightened covenants on "
             "its GPU-backed loan. Microsoft cut its capex guidance while Oracle raised $18 "
             "billion in bonds. Spreads on high-yield data-center debt widened 150 basis points "
             "as GPU rental prices dropped. ")
ONE_LINE = SENTENCES.replace(".", ",")


def _text(base: str, kb: int) -> str:
    return (base * (kb * 1024 // len(base) + 1))[: kb * 1024]


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [10, 40, 200, 1024]
    detect_all("warm-up: CoreWeave spreads widened.", classifier=True)
    for kb in sizes:
        for name, base in (("sentences", SENTENCES), ("one line", ONE_LINE)):
            t0 = time.perf_counter()
            detect_all(_text(base, kb), classifier=True)
            print(f"{kb:>6} KB  {name:<9}  {time.perf_counter() - t0:8.2f} s", flush=True)


if __name__ == "__main__":
    main()
