"""Catalysts -> scenario: valid documents, signs, and componentwise monotone composition."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cliffwatch.engine.params import EngineParams
from cliffwatch.news.catalysts import Catalyst
from cliffwatch.news.errors import NewsError
from cliffwatch.news.rules import CATALYSTS
from cliffwatch.news.shocks import (
    ADVERSE_SIGN,
    Composite,
    build_scenario,
    compose,
    load_shocks,
    scenario_document,
)
from cliffwatch.runs.params import engine_params

TABLE = load_shocks()


def _severity(c: Composite) -> list[float]:
    """Every component signed so that larger is more adverse."""
    add = [c.additive[k] * ADVERSE_SIGN[k] for k in c.additive]
    return [*add, -c.rent_factor, c.pd_multiplier, -c.depth_factor, float(c.contagion)]


stress_sets = st.dictionaries(st.sampled_from(CATALYSTS), st.floats(0.25, 1.0), min_size=1)


@given(stress_sets, stress_sets)
def test_a_superset_of_stress_catalysts_is_at_least_as_severe(a: dict[str, float],
                                                              extra: dict[str, float]) -> None:
    small = [Catalyst(n, "stress", c, ()) for n, c in a.items()]
    big = small + [Catalyst(n, "stress", c, ()) for n, c in extra.items() if n not in a]
    s, b = _severity(compose(small, TABLE)), _severity(compose(big, TABLE))
    assert all(x <= y + 1e-12 for x, y in zip(s, b, strict=True))


@given(stress_sets, st.sampled_from(CATALYSTS), st.floats(0.25, 1.0))
def test_a_relief_catalyst_never_adds_severity(a: dict[str, float], name: str, conf: float) -> None:
    base = [Catalyst(n, "stress", c, ()) for n, c in a.items() if n != name]
    s = _severity(compose(base, TABLE))
    r = _severity(compose([*base, Catalyst(name, "relief", conf, ())], TABLE))
    assert all(y <= x + 1e-12 for x, y in zip(s, r, strict=True))


def test_spread_widening_at_half_confidence_is_half_the_jump() -> None:
    doc = scenario_document(compose([Catalyst("spread_widening", "stress", 0.5, ())], TABLE),
                            TABLE, "news_t")
    size = TABLE.shocks["spread_widening"].stress.spread_jump_log
    assert doc["extends"] == "base"
    assert doc["factors"]["spread"]["jump"] == [{"month": TABLE.spread_jump_month,
                                                 "size": size * 0.5, "half_life_months":
                                                     TABLE.spread_jump_half_life_months}]


def test_all_stress_catalysts_give_a_valid_scenario_with_every_shock() -> None:
    cats = [Catalyst(n, "stress", 1.0, ()) for n in CATALYSTS]
    scn = build_scenario(scenario_document(compose(cats, TABLE), TABLE, "news_all"))
    spec = scn.spec
    assert set(spec.factors.model_dump(exclude_none=True, exclude_defaults=True)) == {
        "spread", "sofr", "utilization", "gpu_rent", "tech_earnings", "market_access"}
    months = TABLE.shocks["refinancing_stress"].stress.market_closed_months
    assert [(w.from_month, w.to_month) for w in spec.market_closed] == [
        (TABLE.market_closed_start, TABLE.market_closed_start + math.ceil(months))]
    params = engine_params(scn)
    depth = TABLE.shocks["crowded_funding"].stress.gpu_market_depth_change
    assert params.contagion is True
    assert params.gpu_market_depth_units == pytest.approx(
        EngineParams().gpu_market_depth_units * (1 + depth))
    # every catalyst's implied counterparty-PD multiple compounds (issue #22)
    mult = math.prod(1 + TABLE.shocks[n].stress.cpty_pd_multiplier for n in CATALYSTS)
    assert {r.archetype for r in spec.counterparty_pd} == set(TABLE.cpty_archetypes)
    assert all(r.multiplier == pytest.approx(mult, rel=1e-6) for r in spec.counterparty_pd)
    assert spec.factors.utilization.delay_months == 9  # 6 + 3 months from two catalysts


def test_no_catalyst_gives_base_itself() -> None:
    doc = scenario_document(compose([], TABLE), TABLE, "news_none")
    assert set(doc) == {"name", "extends", "description"}


def test_a_shock_table_with_a_wrong_sign_is_refused(tmp_path: Path) -> None:
    text = Path(load_shocks.__wrapped__.__globals__["_default"]("shocks.yaml")).read_text()
    bad = tmp_path / "shocks.yaml"
    bad.write_text(text.replace("stress: {sofr_shift: 0.01}", "stress: {sofr_shift: -0.01}"))
    with pytest.raises(NewsError, match=r"shocks.yaml: 1 problem\(s\) - shocks."
                                        r"rates_higher_for_longer: .*sofr_shift: stress sizes"):
        load_shocks(bad)
