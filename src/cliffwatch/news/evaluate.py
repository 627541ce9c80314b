"""Precision and recall of the detector on the labelled set, per catalyst and per tag.

``python -m cliffwatch.news.evaluate [ITEMS.yaml]`` prints both halves (dev, heldout) and
the whole set. A catalyst counts as found only with the labelled direction.
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from cliffwatch.news.catalysts import detect
from cliffwatch.news.extract import companies, tags
from cliffwatch.news.item import NewsItem
from cliffwatch.news.rules import load_catalyst_rules, load_entities, load_topics

DEFAULT_ITEMS = Path(__file__).resolve().parents[3] / "tests" / "news" / "labelled" / "items.yaml"
"""The labelled set in a source checkout."""


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


def load_labelled(path: str | Path = DEFAULT_ITEMS) -> list[dict[str, Any]]:
    """The labelled items (each with id, split, title, body, tags, companies, catalysts)."""
    return list(yaml.safe_load(Path(path).read_text(encoding="utf-8"))["items"])


def predict(item: dict[str, Any]) -> dict[str, set[str]]:
    """Predicted labels of one labelled item as sets: catalysts as ``name:direction``."""
    return _predict_text(NewsItem(title=item["title"], body=item["body"]).text)


@lru_cache(maxsize=1024)
def _predict_text(text: str) -> dict[str, set[str]]:
    found = detect(text, load_catalyst_rules())
    return {
        "catalysts": {f"{c.name}:{c.direction}" for c in found},
        "tags": set(tags(text, load_topics(), load_entities())),
        "companies": set(companies(text, load_entities())),
    }


def _truth(item: dict[str, Any]) -> dict[str, set[str]]:
    return {
        "catalysts": {f"{k}:{v}" for k, v in (item.get("catalysts") or {}).items()},
        "tags": set(item.get("tags") or []),
        "companies": set(item.get("companies") or []),
    }


def score(items: list[dict[str, Any]], field: str, key: str = "name") -> dict[str, Score]:
    """Per class (catalyst name, tag or company) and ``"ALL"`` (micro-average) scores."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for item in items:
        pred, true = predict(item)[field], _truth(item)[field]
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


def report(items: list[dict[str, Any]]) -> str:
    """Text tables of precision/recall per catalyst, tag and (overall) company, per half."""
    lines = []
    halves = [("dev", [i for i in items if i["split"] == "dev"]),
              ("heldout", [i for i in items if i["split"] == "heldout"]), ("all", items)]
    for half, subset in halves:
        lines.append(f"== {half} ({len(subset)} items)")
        for field in ("catalysts", "tags", "companies"):
            scores = score(subset, field)
            shown = scores if field != "companies" else {"ALL": scores["ALL"]}
            lines.append(f"  {field:<34} {'prec':>6} {'recall':>6}   tp  fp  fn")
            for cls, s in shown.items():
                lines.append(f"  {cls:<34} {s.precision:6.2f} {s.recall:6.2f} "
                             f"{s.tp:4d}{s.fp:4d}{s.fn:4d}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print the evaluation report of the labelled set at ``argv[0]`` (default: bundled)."""
    args = sys.argv[1:] if argv is None else argv
    print(report(load_labelled(args[0] if args else DEFAULT_ITEMS)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
