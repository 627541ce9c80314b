"""Every catalyst's shock moves the bundled book, with the right sign (issue #22).

One run holds ``base`` and every catalyst's stress and relief scenario at confidence 1, on
the same seed and paths, so each dEL is the shock's effect alone and its standard error comes
from the paired per-path loss differences. A stress must raise expected loss by more than
:data:`Z` standard errors; a relief must never raise it significantly. The canonical item of
each catalyst (the one-line stories of ``CANONICAL``, also the table of docs/NEWS.md) must be
detected as that catalyst and get a signed impact of the right sign.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cliffwatch.news.analyse import _scenario, analyse_items
from cliffwatch.news.catalysts import Catalyst
from cliffwatch.news.impact import IMPACT_SCALE, Impact, magnitude, measure
from cliffwatch.news.item import NewsItem
from cliffwatch.news.rules import CATALYSTS
from cliffwatch.tape.arrays import PortfolioArrays

PATHS = 256
"""Paths of the shock runs: enough for every stress to stand out of its own noise."""
SEED = 3
Z = 2.0
"""Standard errors a stress's dEL must clear (one-sided, ~2.3% false failure per catalyst if
the shock did nothing)."""

CANONICAL: dict[str, tuple[str, str]] = {
    "spread_widening": ("Junk spreads blow out", "High-yield spreads widened by 80 basis points "
                        "this week as AI debt supply swelled."),
    "rates_higher_for_longer": ("Fed signals fewer cuts", "The Fed signalled fewer rate cuts "
                                "next year and Treasury yields climbed."),
    "utilization_lag": ("GPU clusters sit idle", "New GPU clusters at the Texas campus are "
                        "sitting idle as tenants delay move-in."),
    "gpu_price_decline": ("H100 rents slide", "H100 rental prices dropped 20% this quarter."),
    "weak_tech_earnings": ("Oracle misses", "Oracle missed revenue estimates and cut its "
                           "cloud guidance."),
    "refinancing_stress": ("Developer cannot refinance", "The data-center developer struggled "
                           "to refinance a $2 billion loan as refinancing windows are tight."),
    "crowded_funding": ("Crowded AI credit", "AI infrastructure debt has become a crowded trade "
                        "held by the same few credit funds."),
    "capex_acceleration": ("Meta lifts capex", "Meta raised its capex forecast for AI data "
                           "centers by $30 billion."),
}
"""One stress story per catalyst (written for this test, not taken from a publisher)."""


@pytest.fixture(scope="module")
def shocks(sample_pa: PortfolioArrays) -> dict[tuple[str, str], Impact]:
    scns = {(c, d): _scenario([Catalyst(c, d, 1.0, ())])
            for c in CATALYSTS for d in ("stress", "relief")}
    imp = measure(sample_pa, list(scns.values()), paths=PATHS, seed=SEED)
    return {k: imp[s.name] for k, s in scns.items()}


@pytest.mark.parametrize("name", CATALYSTS)
def test_stress_raises_expected_loss_beyond_noise(
        shocks: dict[tuple[str, str], Impact], name: str) -> None:
    i = shocks[(name, "stress")]
    assert i.d_el_se > 0.0
    assert i.d_el > Z * i.d_el_se, (name, i.d_el, i.d_el_se)
    assert i.direction == "stress" and 0.0 < i.signed <= 1.0


@pytest.mark.parametrize("name", CATALYSTS)
def test_relief_never_raises_expected_loss(shocks: dict[tuple[str, str], Impact],
                                           name: str) -> None:
    i = shocks[(name, "relief")]
    assert i.d_el < Z * max(i.d_el_se, 1.0), (name, i.d_el, i.d_el_se)


def test_spread_widening_moves_el_and_tighter_spreads_lower_it(
        shocks: dict[tuple[str, str], Impact]) -> None:
    assert shocks[("spread_widening", "stress")].d_el > 0.0
    assert shocks[("spread_widening", "relief")].d_el < 0.0


def test_per_lender_deltas_carry_standard_errors(shocks: dict[tuple[str, str], Impact]) -> None:
    i = shocks[("gpu_price_decline", "stress")]
    cols = ["lender_id", "lender_name", "exposure", "d_el", "d_el_se", "d_es99", "d_es99_se"]
    assert list(i.lenders.columns) == cols
    assert (i.lenders["d_el_se"] >= 0).all() and (i.lenders["d_es99_se"] >= 0).all()
    assert i.lenders["d_el"].sum() == pytest.approx(i.d_el)
    # the book's paired SE is at most the sum of the lenders' (losses add across lenders)
    assert i.d_el_se <= i.lenders["d_el_se"].sum() + 1e-6


@given(st.floats(0.0, 1e10), st.floats(0.0, 1e10), st.floats(1e8, 1e11))
def test_magnitude_is_in_unit_interval_and_monotone_in_abs_del(a: float, b: float,
                                                               exposure: float) -> None:
    lo, hi = sorted((a, b))
    assert 0.0 <= magnitude(lo, exposure) <= magnitude(hi, exposure) <= 1.0
    assert magnitude(-hi, exposure) == magnitude(hi, exposure)
    assert magnitude(IMPACT_SCALE * exposure, exposure) == pytest.approx(1 - math.exp(-1))


def test_canonical_item_of_each_catalyst_moves_the_book_its_way(
        sample_pa: PortfolioArrays) -> None:
    items = [NewsItem(t, b) for t, b in CANONICAL.values()]
    done = {a.item.title: a for a in analyse_items(items, sample_pa, paths=PATHS, seed=SEED)}
    for name, (title, _) in CANONICAL.items():
        a = done[title]
        assert (name, "stress") in {(c.name, c.direction) for c in a.catalysts}, (name, a.catalysts)
        assert a.impact is not None and a.signed_impact > 0.0, (name, a.signed_impact)
        assert a.envelope_d_el > 0.0


def test_relief_item_gets_a_negative_signed_impact(sample_pa: PortfolioArrays) -> None:
    item = NewsItem("H100 rents jump", "H100 rental prices jumped 25% as demand soaked up "
                    "spare capacity.")
    [a] = analyse_items([item], sample_pa, paths=PATHS, seed=SEED)
    assert {c.direction for c in a.catalysts} == {"relief"}
    assert a.score == 0.0 and a.signed_impact < 0.0
