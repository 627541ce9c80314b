"""The news pipeline: read, extract, detect, compose a scenario, measure its impact.

The impact score uses the monotone envelope ``max over T of dEL(relief(S) + T)`` over the
subsets ``T`` of the item's stress catalysts ``S``: the composed scenario only gets more severe
as stress catalysts are added, but a Monte Carlo loss at a few dozen paths is not pathwise
monotone in every shock (a borrower defaulting earlier can change later cascades), so the
envelope makes "a superset of stress catalysts never scores lower" hold exactly. The reported
``d_el``/``d_es99``, lenders and borrowers are those of the full composed scenario.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from cliffwatch.market.scenario import Scenario
from cliffwatch.news.catalysts import Catalyst
from cliffwatch.news.detector import detect_all
from cliffwatch.news.errors import NewsError
from cliffwatch.news.extract import company_mentions
from cliffwatch.news.impact import Impact, impact_score, magnitude, measure
from cliffwatch.news.item import NewsItem
from cliffwatch.news.readers import read_many
from cliffwatch.news.rules import load_entities
from cliffwatch.news.shocks import build_scenario, compose, load_shocks, scenario_document, to_yaml
from cliffwatch.runs.spec import DEFAULT_SEED
from cliffwatch.sample import load_tape_or_sample
from cliffwatch.tape.arrays import PortfolioArrays
from cliffwatch.tape.compile import compile_portfolio
from cliffwatch.tape.schema import Portfolio
from cliffwatch.units import HORIZON_DEFAULT_MONTHS

DEFAULT_NEWS_PATHS = 64
"""Monte Carlo paths per news run: enough to rank a morning's items in seconds."""
CONFIDENCE_DECIMALS = 6
"""Decimals of a confidence in a scenario's identity (same story, same scenario)."""


@dataclass(frozen=True)
class ItemAnalysis:
    """One analysed item; ``impact`` is None when it has no catalyst (nothing to run)."""

    item: NewsItem
    tags: list[str]
    companies: list[str]
    catalysts: list[Catalyst]
    scenario_yaml: str
    impact: Impact | None
    envelope_d_el: float
    """Largest dEL (USD) over the item's stress-catalyst subsets (drives ``score``)."""
    score: float
    """Impact score in [0, 1] (see :func:`cliffwatch.news.impact.impact_score`)."""
    unknown_companies: list[str] = field(default_factory=list)
    """Organisations the language model recognised that the ticker table does not know
    (included in ``companies``, as written)."""
    signed_impact: float = 0.0
    """Signed impact in [-1, 1]: the stress envelope's :func:`magnitude` when it raises EL,
    else minus the magnitude of the full scenario's fall in EL (a relief item), 0 without
    catalysts. Monotone in ``|dEL|`` either way."""


@dataclass(frozen=True)
class Analysis:
    """Analysed items (highest score first) and the errors of unreadable inputs."""

    items: list[ItemAnalysis]
    errors: list[NewsError] = field(default_factory=list)
    paths: int = DEFAULT_NEWS_PATHS
    seed: int = DEFAULT_SEED


def _key(cats: Sequence[Catalyst]) -> str:
    ident = sorted((c.name, c.direction, round(c.confidence, CONFIDENCE_DECIMALS)) for c in cats)
    return "news_" + hashlib.sha256(json.dumps(ident).encode()).hexdigest()[:12]


def _subsets(cats: Sequence[Catalyst]) -> list[list[Catalyst]]:
    """``relief + T`` for every subset ``T`` of the stress catalysts (the full set last)."""
    relief = [c for c in cats if c.direction == "relief"]
    stress = [c for c in cats if c.direction == "stress"]
    combos = [list(t) for r in range(len(stress) + 1) for t in itertools.combinations(stress, r)]
    return [relief + t for t in combos if relief + t]


def _scenario(cats: Sequence[Catalyst], title: str = "") -> Scenario:
    table = load_shocks()
    return build_scenario(scenario_document(compose(cats, table), table, _key(cats), title))


def _portfolio(portfolio: Portfolio | PortfolioArrays | str | Path | None) -> PortfolioArrays:
    if isinstance(portfolio, PortfolioArrays):
        return portfolio
    if not isinstance(portfolio, Portfolio):
        portfolio = load_tape_or_sample(portfolio)
    return compile_portfolio(portfolio)


def analyse_items(items: Sequence[NewsItem], portfolio: Portfolio | PortfolioArrays | str |
                  Path | None = None, *, paths: int = DEFAULT_NEWS_PATHS,
                  seed: int = DEFAULT_SEED, horizon: int = HORIZON_DEFAULT_MONTHS,
                  classifier: bool = True) -> list[ItemAnalysis]:
    """Analyse ``items`` against ``portfolio`` (``None``: the bundled sample) in one run;
    catalysts and tags from the rules OR the learned layer (the rules alone with
    ``classifier=False``, see :mod:`cliffwatch.news.detector`)."""
    entities = load_entities()
    detected = [detect_all(i.text, classifier=classifier) for i in items]
    found = [cats for cats, _ in detected]
    scenarios: dict[str, Scenario] = {}
    for cats, item in zip(found, items, strict=True):
        for sub in _subsets(cats):
            scenarios.setdefault(_key(sub), _scenario(sub, item.title[:80]))
    impacts = measure(_portfolio(portfolio), list(scenarios.values()), paths=paths, seed=seed,
                      horizon=horizon) if scenarios else {}
    out = []
    for (cats, item_tags), item in zip(detected, items, strict=True):
        table = load_shocks()
        doc = scenario_document(compose(cats, table), table, _key(cats), item.title[:80])
        full = impacts.get(_key(cats)) if cats else None
        env = max((impacts[_key(s)].d_el for s in _subsets(cats)), default=0.0)
        exposure = full.exposure if full is not None else 0.0
        moved = env if env > 0.0 else (full.d_el if full is not None else 0.0)
        named = company_mentions(item.text, entities)
        out.append(ItemAnalysis(
            item=item, tags=item_tags, companies=[m.name for m in named],
            unknown_companies=[m.name for m in named if not m.known],
            catalysts=cats, scenario_yaml=to_yaml(doc),
            impact=full, envelope_d_el=env, score=impact_score(env, exposure),
            signed_impact=math.copysign(magnitude(moved, exposure), moved) if moved else 0.0))
    return sorted(out, key=lambda a: (-a.score, -abs(a.signed_impact)))


def analyse(item_or_path: NewsItem | str | Path | Sequence[NewsItem | str | Path],
            portfolio: Portfolio | PortfolioArrays | str | Path | None = None, *,
            paths: int = DEFAULT_NEWS_PATHS, seed: int = DEFAULT_SEED,
            horizon: int = HORIZON_DEFAULT_MONTHS, classifier: bool = True) -> Analysis:
    """Analyse news items or files against a portfolio (``None``: the bundled sample);
    ``classifier=False`` turns the learned layer off (rules only).

    Unreadable files do not stop the batch: their :class:`NewsError` is in ``errors``.
    """
    given: Sequence[NewsItem | str | Path] = (
        [item_or_path] if isinstance(item_or_path, NewsItem | str | Path) else item_or_path)
    items = [g for g in given if isinstance(g, NewsItem)]
    read, errors = read_many([g for g in given if isinstance(g, str | Path)])
    unique = list({i.item_id: i for i in items + read}.values())
    done = analyse_items(unique, portfolio, paths=paths, seed=seed, horizon=horizon,
                         classifier=classifier)
    return Analysis(items=done, errors=errors, paths=paths, seed=seed)
