"""Precision and recall of the detector on the labelled sets, per catalyst and per tag.

``python -m cliffwatch.news.evaluate [--rules-only] [--cv] [FILE.yaml ...]`` prints every split
(dev, heldout, dev2-dev9, blind) and all items together; without files it reads
every labelled file of the checkout. The detector is the combined one (rules OR the learned
layer, :mod:`cliffwatch.news.detector`) unless ``--rules-only``; ``--cv`` prints the
leave-one-writer-out figures of :mod:`cliffwatch.news.cv` instead. A catalyst
counts as found only with the labelled direction. Each line shows the Wilson 95% interval of the
precision, because a class seen three times in a split cannot tell 0.67 from 0.9.
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from scipy.stats import binomtest

from cliffwatch.news.detector import detect_all
from cliffwatch.news.errors import NewsError
from cliffwatch.news.extract import companies
from cliffwatch.news.item import NewsItem
from cliffwatch.news.labelled import DEFAULT_ITEMS, SPLITS, load_labelled
from cliffwatch.news.rules import load_entities

__all__ = ["DEFAULT_ITEMS", "BAR", "Score", "load_labelled", "predict", "score",
           "below_bar", "report", "main"]

BAR = 0.8
"""Required precision and recall per catalyst and per tag (issue #10)."""
CONFIDENCE = 0.95
"""Level of the Wilson interval shown for each precision."""


@dataclass(frozen=True)
class Score:
    """Counts and ratios of one class (or of all, micro-averaged)."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def precision_interval(self) -> tuple[float, float]:
        """Wilson interval of the precision at level :data:`CONFIDENCE` ((0, 1) if nothing
        was predicted)."""
        if self.tp + self.fp == 0:
            return (0.0, 1.0)
        ci = binomtest(self.tp, self.tp + self.fp).proportion_ci(CONFIDENCE, method="wilson")
        return (float(ci.low), float(ci.high))


def predict(item: dict[str, Any], rules_only: bool = False) -> dict[str, set[str]]:
    """Predicted labels of one labelled item as sets: catalysts as ``name:direction``
    (combined detector; the rules alone with ``rules_only``)."""
    return _predict_text(NewsItem(title=item["title"], body=item["body"]).text, rules_only)


@lru_cache(maxsize=4096)
def _predict_text(text: str, rules_only: bool) -> dict[str, set[str]]:
    found, tags = detect_all(text, classifier=not rules_only)
    return {
        "catalysts": {f"{c.name}:{c.direction}" for c in found},
        "tags": set(tags),
        "companies": set(companies(text, load_entities())),
    }


def _truth(item: dict[str, Any]) -> dict[str, set[str]]:
    return {
        "catalysts": {f"{k}:{v}" for k, v in (item.get("catalysts") or {}).items()},
        "tags": set(item.get("tags") or []),
        "companies": set(item.get("companies") or []),
    }


def score(items: list[dict[str, Any]], field: str, key: str = "name",
          rules_only: bool = False) -> dict[str, Score]:
    """Per class (catalyst name, tag or company) and ``"ALL"`` (micro-average) scores."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for item in items:
        pred, true = predict(item, rules_only)[field], _truth(item)[field]
        for label in pred | true:
            cls = label.split(":")[0] if key == "name" else label
            if label in pred and label in true:
                tp[cls] += 1
            elif label in pred:
                fp[cls] += 1
            else:
                fn[cls] += 1
    classes = sorted(set(tp) | set(fp) | set(fn))
    out = {c: Score(tp[c], fp[c], fn[c]) for c in classes}
    out["ALL"] = Score(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    return out


def splits(items: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """``(name, items)`` for every split in report order (empty ones included), then all."""
    return [(sp, [i for i in items if i["split"] == sp]) for sp in SPLITS] + [("all", items)]


def below_bar(items: list[dict[str, Any]], bar: float = BAR,
              rules_only: bool = False) -> list[str]:
    """``split field class: P/R`` of every catalyst and tag under ``bar`` in some split."""
    out = []
    for name, subset in splits(items):
        for field in ("catalysts", "tags"):
            for cls, s in score(subset, field, rules_only=rules_only).items():
                if min(s.precision, s.recall) < bar:
                    out.append(f"{name} {field} {cls}: precision {s.precision:.2f} "
                               f"recall {s.recall:.2f} (tp {s.tp}, fp {s.fp}, fn {s.fn})")
    return out


def _table(subset: list[dict[str, Any]], field: str, rules_only: bool) -> list[str]:
    scores = score(subset, field, rules_only=rules_only)
    shown = scores if field != "companies" else {"ALL": scores["ALL"]}
    lines = [f"  {field:<34} {'prec':>6} {'recall':>6}   tp  fp  fn   prec 95% CI"]
    for cls, s in shown.items():
        lo, hi = s.precision_interval()
        lines.append(f"  {cls:<34} {s.precision:6.2f} {s.recall:6.2f} "
                     f"{s.tp:4d}{s.fp:4d}{s.fn:4d}   [{lo:.2f}, {hi:.2f}]")
    return lines


def report(items: list[dict[str, Any]], rules_only: bool = False) -> str:
    """Text tables of precision/recall per catalyst, tag and (overall) company, per split and
    for all items, then the classes below :data:`BAR`."""
    lines = [f"detector: {'rules only' if rules_only else 'rules OR learned layer'}"]
    for name, subset in splits(items):
        lines.append(f"== {name} ({len(subset)} items)")
        if not subset:
            lines.append("  (no items in this split)")
            continue
        for field in ("catalysts", "tags", "companies"):
            lines.extend(_table(subset, field, rules_only))
    low = below_bar(items, rules_only=rules_only)
    lines.append(f"== below {BAR:.2f}: " + ("none" if not low else str(len(low))))
    lines.extend(f"  {x}" for x in low)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print the evaluation report of the labelled files in ``argv`` (default: every file
    of the checkout); ``--rules-only`` turns the learned layer off, ``--cv`` prints the
    leave-one-writer-out figures of the seen items instead. Exit status 2 with a message if a
    file is unreadable or malformed."""
    args = sys.argv[1:] if argv is None else argv
    flags = {a for a in args if a.startswith("--")}
    unknown = flags - {"--rules-only", "--cv"}
    if unknown:
        print(f"error: unknown option(s) {sorted(unknown)}; use --rules-only, --cv",
              file=sys.stderr)
        return 2
    try:
        items = load_labelled(*[a for a in args if not a.startswith("--")])
    except NewsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if "--cv" in flags:
        print(_cv_report(items))
        return 0
    print(report(items, rules_only="--rules-only" in flags))
    return 0


def _cv_report(items: list[dict[str, Any]]) -> str:
    from cliffwatch.news import cv, train  # cv imports this module: import it late
    from cliffwatch.news.labelled import SEEN_SPLITS
    from cliffwatch.news.rules import load_catalyst_rules

    seen = [i for i in items if i["split"] in SEEN_SPLITS]
    return cv.report(seen, load_catalyst_rules(), c_catalysts=train.C_CATALYSTS,
                     c_tags=train.C_TAGS, threshold_catalysts=train.THRESHOLD_CATALYSTS,
                     threshold_tags=train.THRESHOLD_TAGS)


if __name__ == "__main__":
    raise SystemExit(main())
