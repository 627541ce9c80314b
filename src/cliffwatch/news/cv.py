"""Leave-one-writer-out (LOWO) cross-validation of the learned layer, and the grid that
chooses its hyper-parameters.

Each labelled file is one writer (``items.yaml``'s dev and held-out halves are one). For each
writer the model is fitted on the other writers' seen items (vocabulary and idf included) and
scored on that writer's items, so every figure is on text written by someone the model never
read. The model's figures are therefore honest; the rules' and the combined detector's are
honest only on writers the rules were not revised on (:data:`NOT_TUNED`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from cliffwatch.news.catalysts import Catalyst, detect
from cliffwatch.news.detector import (
    ModelOnlyGate,
    ModelScores,
    combine_catalysts,
    combine_tags,
    model_scores,
)
from cliffwatch.news.evaluate import MAX_FALSE_ALARM_SHARE, Score, f1
from cliffwatch.news.extract import tags as rule_tags
from cliffwatch.news.labelled import REAL_SEEN_SPLITS
from cliffwatch.news.rules import TAGS, CatalystRules, load_entities, load_topics
from cliffwatch.news.train import LABELS, fit, text_of, truth, writer

NOT_TUNED: tuple[str, ...] = ()
"""Writers whose items the rules were never revised on. dev5-dev7 were, when C and the
thresholds were chosen (docs/NEWS.md step 21); since step 19 the rules are revised on every
seen writer, so only a blind set measures the rules and the combined detector."""
C_GRID: tuple[float, ...] = (3.0, 10.0, 30.0, 100.0, 300.0)
"""Inverse regularisation strengths tried."""
THRESHOLD_GRID: tuple[float, ...] = tuple(np.round(np.arange(0.2, 0.901, 0.05), 2))
"""Probability thresholds tried."""
FIELDS = ("catalysts", "tags")
DETECTORS = ("rules", "model", "combined")


@dataclass(frozen=True)
class Folds:
    """Rule predictions and out-of-writer model scores of every item, per C."""

    items: list[dict[str, Any]]
    rules: list[dict[str, set[str]]]
    scores: dict[float, list[ModelScores]]


def _rule_sets(item: dict[str, Any], rules: CatalystRules) -> dict[str, set[str]]:
    text = text_of(item)
    return {"catalysts": {f"{c.name}:{c.direction}" for c in detect(text, rules)},
            "tags": set(rule_tags(text, load_topics(), load_entities()))}


def folds(items: list[dict[str, Any]], rules: CatalystRules,
          c_grid: tuple[float, ...] = C_GRID) -> Folds:
    """Fit one model per (writer left out, C) and score the left-out items."""
    groups = np.array([writer(i) for i in items])
    scores: dict[float, list[ModelScores]] = {}
    for c in c_grid:
        out: list[ModelScores | None] = [None] * len(items)
        for g in sorted(set(groups)):
            train = [i for i, w in zip(items, groups, strict=True) if w != g]
            model = fit(train, rules, c_catalysts=c, c_tags=c)
            for k in np.flatnonzero(groups == g):
                out[k] = model_scores(text_of(items[k]), model, rules)
        scores[c] = [s for s in out if s is not None]
    return Folds(items, [_rule_sets(i, rules) for i in items], scores)


_DETECTED: dict[tuple[str, int], list[Catalyst]] = {}


def _detected(text: str, rules: CatalystRules) -> list[Catalyst]:
    """The rules' catalysts of ``text``, computed once per rules object (the grid re-scores
    every item many times and the rules parse each sentence)."""
    key = (text, id(rules))
    if key not in _DETECTED:
        _DETECTED[key] = detect(text, rules)
    return _DETECTED[key]


def _thresholds(t_cat: float, t_tag: float) -> np.ndarray:
    return np.array([t_tag if lab in TAGS else t_cat for lab in LABELS])


def predictions(f: Folds, c: float, t_cat: float, t_tag: float,
                rules: CatalystRules, gate: ModelOnlyGate | None = None
                ) -> dict[str, list[dict[str, set[str]]]]:
    """Label sets per detector (rules, model, combined) and item; ``gate`` applies to the
    combined detector's model-only catalysts (default: the shipped gate)."""
    thr = _thresholds(t_cat, t_tag)
    out: dict[str, list[dict[str, set[str]]]] = {d: [] for d in DETECTORS}
    for item, r, s in zip(f.items, f.rules, f.scores[c], strict=True):
        cats = _detected(text_of(item), rules)
        both = combine_catalysts(cats, s, LABELS, thr, rules, gate)
        alone = combine_catalysts([], s, LABELS, thr, rules, ModelOnlyGate(0.0, 0.0))
        out["rules"].append(r)
        out["model"].append({"catalysts": {f"{x.name}:{x.direction}" for x in alone},
                             "tags": set(combine_tags([], s, LABELS, thr))})
        out["combined"].append({"catalysts": {f"{x.name}:{x.direction}" for x in both},
                                "tags": set(combine_tags(list(r["tags"]), s, LABELS, thr))})
    return out


def micro(items: list[dict[str, Any]], pred: list[dict[str, set[str]]], field: str,
          keep: Callable[[dict[str, Any]], bool] = lambda i: True) -> Score:
    """Micro-averaged counts of ``field`` over the items ``keep`` selects."""
    tp = fp = fn = 0
    for item, p in zip(items, pred, strict=True):
        if not keep(item):
            continue
        t = {x for x in truth(item) if (x in TAGS) == (field == "tags")}
        tp, fp, fn = tp + len(p[field] & t), fp + len(p[field] - t), fn + len(t - p[field])
    return Score(tp, fp, fn)


def _not_tuned(item: dict[str, Any]) -> bool:
    return writer(item) in NOT_TUNED


def _pr(s: Score) -> str:
    return f"{s.precision:.2f} / {s.recall:.2f}"


def select(items: list[dict[str, Any]], rules: CatalystRules,
           echo: Callable[[str], Any] = lambda _: None) -> dict[str, float]:
    """The C and threshold per field maximising min(P, R) of the combined detector over
    every seen writer (LOWO, pooled); ``echo`` receives the grid lines."""
    f = folds(items, rules)
    best: dict[str, tuple[float, float, float]] = {}
    echo("field      C    thr   combined all P / R   combined not-tuned P / R")
    for c in C_GRID:
        for t in THRESHOLD_GRID:
            pred = predictions(f, c, t, t, rules)["combined"]
            for field in FIELDS:
                s = micro(items, pred, field)
                untuned = _pr(micro(items, pred, field, _not_tuned)) if NOT_TUNED else "-"
                echo(f"{field:<9} {c:5g} {t:5.2f}   {_pr(s):<20} {untuned}")
                key = min(s.precision, s.recall)
                if field not in best or key > best[field][0]:
                    best[field] = (key, c, t)
    echo(f"chosen: catalysts C={best['catalysts'][1]:g} threshold {best['catalysts'][2]:.2f}; "
         f"tags C={best['tags'][1]:g} threshold {best['tags'][2]:.2f}")
    return {"c_catalysts": best["catalysts"][1], "threshold_catalysts": best["catalysts"][2],
            "c_tags": best["tags"][1], "threshold_tags": best["tags"][2]}


def report(items: list[dict[str, Any]], rules: CatalystRules, c_catalysts: float,
           c_tags: float, threshold_catalysts: float, threshold_tags: float) -> str:
    """LOWO P / R of rules, model and combined, per writer, over :data:`NOT_TUNED` and over
    all seen writers, for catalysts and tags."""
    f = folds(items, rules, tuple(sorted({c_catalysts, c_tags})))
    by_field = {
        "catalysts": predictions(f, c_catalysts, threshold_catalysts, threshold_tags, rules),
        "tags": predictions(f, c_tags, threshold_catalysts, threshold_tags, rules)}
    everyone = sorted({writer(i) for i in items})
    groups = [(g, {g}) for g in everyone] + [("not-tuned", set(NOT_TUNED))] * bool(NOT_TUNED) \
        + [("all", set(everyone))]
    lines = [f"leave-one-writer-out: catalysts C={c_catalysts:g} threshold "
             f"{threshold_catalysts:.2f}; tags C={c_tags:g} threshold {threshold_tags:.2f}"]
    for field in FIELDS:
        lines.append(f"  {field:<10} {'rules':>13} {'model':>13} {'combined':>13}   (P / R)")
        for name, who in groups:
            def keep(item: dict[str, Any], who: set[str] = who) -> bool:
                return writer(item) in who

            cells = [_pr(micro(items, by_field[field][d], field, keep)) for d in DETECTORS]
            lines.append(f"  {name:<10} " + " ".join(f"{c:>13}" for c in cells))
    return "\n".join(lines)


GATE_THRESHOLDS: tuple[float, ...] = tuple(np.round(np.arange(0.25, 0.651, 0.05), 2))
"""Model-only thresholds (with a reading) tried by :func:`select_model_only`."""
UNREAD_THRESHOLDS: tuple[float, ...] = (0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 1.01)
"""Model-only thresholds without a reading tried (1.01: never without a reading)."""


def _real(item: dict[str, Any]) -> bool:
    return item["split"] in REAL_SEEN_SPLITS


def _false_alarms(items: list[dict[str, Any]], pred: list[dict[str, set[str]]]) -> tuple[int, int]:
    free = [p for i, p in zip(items, pred, strict=True) if _real(i) and not i.get("catalysts")]
    return sum(1 for p in free if p["catalysts"]), len(free)


def select_model_only(items: list[dict[str, Any]], rules: CatalystRules, c: float,
                      t_cat: float, t_tag: float,
                      echo: Callable[[str], Any] = lambda _: None) -> ModelOnlyGate:
    """The :class:`ModelOnlyGate` of the combined detector, chosen by leave-one-writer-out
    over every training writer (``real_dev`` and ``real_dev2`` are one writer each): the
    highest catalyst micro-F1 on the real-text items among the gates with at most
    :data:`MAX_FALSE_ALARM_SHARE` of their catalyst-free items alarmed (fewest alarms if none
    qualifies; ties: the higher thresholds). ``echo`` receives the grid, with the invented
    writers' pooled figures as a regression guard."""
    f = folds(items, rules, (c,))
    rows: list[tuple[tuple[float, float, float, float], ModelOnlyGate]] = []
    echo("thr   unread   real P / R / F1     false alarms   invented P / R / F1")
    for t in GATE_THRESHOLDS:
        for u in UNREAD_THRESHOLDS:
            if u < t:
                continue
            gate = ModelOnlyGate(float(t), float(u))
            pred = predictions(f, c, t_cat, t_tag, rules, gate)["combined"]
            real = micro(items, pred, "catalysts", _real)
            inv = micro(items, pred, "catalysts", lambda i: not _real(i))
            fa, free = _false_alarms(items, pred)
            echo(f"{t:4.2f}  {u:5.2f}    {_pr(real)} / {f1(real):.2f}   {fa:3d} of {free:<3d}"
                 f"      {_pr(inv)} / {f1(inv):.2f}")
            ok = fa <= MAX_FALSE_ALARM_SHARE * free + 1e-9
            rows.append(((float(ok), round(f1(real), 6) if ok else -fa, u, t), gate))
    best = max(rows, key=lambda r: r[0])[1]
    echo(f"chosen: model-only threshold {best.threshold:.2f} with a reading, "
         f"{best.unread_threshold:.2f} without")
    return best
