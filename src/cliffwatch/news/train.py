"""Fit the learned layer on the seen labelled sets and write ``data/news/classifier.npz``.

``python -m cliffwatch.news.train`` refits with the hyper-parameters below (chosen by
leave-one-writer-out cross-validation, :mod:`cliffwatch.news.cv`; ``--select`` reruns that
grid and fits with its best point) on every item of a **training** split (the seen invented
splits, ``real_dev`` and ``real_dev2``; never ``blind`` or ``real_blind2``).
Fitting is deterministic (lbfgs, no random state, sorted vocabulary), so a rerun on the same
items and rules writes a bit-identical file.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from cliffwatch.news.classifier import Classifier, default_model_path, save, vectorizer
from cliffwatch.news.features import text_terms
from cliffwatch.news.item import NewsItem
from cliffwatch.news.labelled import TRAIN_SPLITS, label_set, load_labelled
from cliffwatch.news.rules import (
    CATALYSTS,
    TAGS,
    CatalystRules,
    _default,
    load_catalyst_rules,
)

LABELS: tuple[str, ...] = tuple(f"{c}:{d}" for c in CATALYSTS for d in ("stress", "relief")) + TAGS
"""Every label of the model: catalyst x direction, then tags."""
C_CATALYSTS = 100.0
"""Inverse L2 strength of the catalyst models (LOWO grid, docs/NEWS.md "Learned layer")."""
C_TAGS = 100.0
"""Inverse L2 strength of the tag models (LOWO grid)."""
THRESHOLD_CATALYSTS = 0.25
"""Probability at which the model reports a catalyst direction (LOWO grid)."""
THRESHOLD_TAGS = 0.75
"""Probability at which the model reports a tag (LOWO grid)."""
MIN_DF = 2
"""Fewest training items a term must occur in to enter the vocabulary: a term of one item
cannot generalise across writers, and dropping them keeps the model file small."""
MIN_POSITIVES = 2
"""Fewest positive training items for a label to get a model (else it never fires)."""
MAX_ITER = 5000
"""lbfgs iteration cap (convergence, not a tuning knob)."""


def writer(item: dict[str, Any]) -> str:
    """The writer of an item: its split, with ``dev`` and ``heldout`` one writer
    (``items.yaml`` was written by one person)."""
    return "items" if item["split"] in ("dev", "heldout") else str(item["split"])


def truth(item: dict[str, Any]) -> set[str]:
    """The labels of a labelled item (``catalyst:direction`` and tags)."""
    return label_set(item.get("catalysts") or {}) | set(item["tags"])


def text_of(item: dict[str, Any]) -> str:
    """The text the detector reads for a labelled item (title as its own sentence)."""
    return NewsItem(title=item["title"], body=item["body"]).text


def seen_items(paths: Sequence[str | Path] = ()) -> list[dict[str, Any]]:
    """Every item of a training split (the seen invented splits, ``real_dev`` and
    ``real_dev2``; never ``blind`` or ``real_blind2``), in file and id order."""
    return [i for i in load_labelled(*paths) if i["split"] in TRAIN_SPLITS]


def digest(items: list[dict[str, Any]], rules_files: Sequence[Path] | None = None) -> str:
    """SHA-256 of the items' ids, texts and labels and of the rules files' bytes
    (default ``catalysts.yaml`` and ``topics.yaml``)."""
    h = hashlib.sha256()
    rows = sorted([i["id"], i["title"], i["body"], sorted(truth(i))] for i in items)
    h.update(json.dumps(rows, ensure_ascii=False).encode())
    for f in rules_files or [_default("catalysts.yaml"), _default("topics.yaml")]:
        h.update(Path(f).read_bytes())
    return h.hexdigest()


def fit(items: list[dict[str, Any]], rules: CatalystRules, *, c_catalysts: float = C_CATALYSTS,
        c_tags: float = C_TAGS, threshold_catalysts: float = THRESHOLD_CATALYSTS,
        threshold_tags: float = THRESHOLD_TAGS, item_digest: str = "") -> Classifier:
    """Fit vocabulary, idf and one balanced logistic regression per label on ``items``."""
    from sklearn.linear_model import LogisticRegression

    docs = [[t for s in text_terms(text_of(i), rules)[1] for t in s] for i in items]
    vec = vectorizer(min_df=MIN_DF)
    x = vec.fit_transform(docs)
    is_cat = np.array([lab not in TAGS for lab in LABELS])
    c = np.where(is_cat, c_catalysts, c_tags)
    coef = np.zeros((len(LABELS), x.shape[1]))
    intercept = np.full(len(LABELS), -np.inf)
    for k, lab in enumerate(LABELS):
        y = np.array([lab in truth(i) for i in items])
        if y.sum() < MIN_POSITIVES or y.all():
            continue
        m = LogisticRegression(C=float(c[k]), class_weight="balanced", solver="lbfgs",
                               max_iter=MAX_ITER).fit(x, y)
        coef[k], intercept[k] = m.coef_[0], m.intercept_[0]
    return Classifier(terms=np.array(vec.get_feature_names_out(), dtype=str), idf=vec.idf_,
                      coef=coef, intercept=intercept, labels=LABELS,
                      thresholds=np.where(is_cat, threshold_catalysts, threshold_tags),
                      c=c, digest=item_digest)


def train(out: Path | None = None, paths: Sequence[str | Path] = (),
          hyper: dict[str, float] | None = None) -> Path:
    """Fit on the seen items of ``paths`` (default: every labelled file) with the
    hyper-parameters of :func:`fit` (``hyper`` overrides the defaults) and write the model."""
    items = seen_items(paths)
    model = fit(items, load_catalyst_rules(), item_digest=digest(items), **(hyper or {}))
    target = out or default_model_path()
    save(model, target)
    return target


def main(argv: list[str] | None = None) -> int:
    """``[--select] [--out FILE]``: (re)select hyper-parameters by LOWO, fit, write."""
    args = sys.argv[1:] if argv is None else argv
    known = {"--select", "--out"}
    if any(a.startswith("--") and a not in known for a in args) or args[-1:] == ["--out"]:
        print("usage: python -m cliffwatch.news.train [--select] [--out FILE]", file=sys.stderr)
        return 2
    out = Path(args[args.index("--out") + 1]) if "--out" in args else None
    hyper: dict[str, float] = {}
    if "--select" in args:
        from cliffwatch.news.cv import select

        hyper = select(seen_items(), load_catalyst_rules(), echo=print)
    t0 = time.perf_counter()
    path = train(out, hyper=hyper)
    print(f"wrote {path} ({path.stat().st_size / 1e6:.2f} MB) in "
          f"{time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
