"""The error classes seen on real reporting (issue #22), one test each, on sentences written
for these tests (not taken from a publisher): completion is not stress, deal demand is relief,
tight windows are stress, a deal's size is no capex, plans are not outcomes, history is not
news, both directions are reported, grammar decides negation and attachment, and the
seed-style analysis gets every stress and no relief.
"""

from __future__ import annotations

import pytest

from cliffwatch.news.detector import detect_all
from cliffwatch.news.structure import attached, read


def _found(text: str) -> set[tuple[str, str]]:
    cats, _ = detect_all(text)
    return {(c.name, c.direction) for c in cats}


@pytest.mark.parametrize("text", [
    "CoreWeave closed an $8.5 billion delayed-draw term loan on March 31.",
    "Meta is set to close a $30 billion financing for its Louisiana campus.",
    "The lenders completed the $2 billion facility last week.",
])
def test_a_financing_that_closes_is_not_refinancing_stress(text: str) -> None:
    assert ("refinancing_stress", "stress") not in _found(text)


@pytest.mark.parametrize("text", [
    "The $1.5 billion bond sale was oversubscribed.",
    "The issuer upsized the notes to $2 billion on strong demand.",
    "The banks exercised the greenshoe on the convertible.",
    "The offering drew orders of roughly five times its size.",
    "The deal priced at the tight end of talk and was increased by $200 million.",
])
def test_deal_demand_is_refinancing_relief(text: str) -> None:
    assert ("refinancing_stress", "relief") in _found(text)


@pytest.mark.parametrize("text", [
    "Refinancing windows are tight for neocloud borrowers.",
    "With the funding window shut, the developer cannot roll its bridge loan.",
])
def test_tight_refinancing_windows_are_stress_not_spread_relief(text: str) -> None:
    found = _found(text)
    assert ("refinancing_stress", "stress") in found
    assert ("spread_widening", "relief") not in found


@pytest.mark.parametrize("text", [
    "Meta closed a $27 billion private debt sale for its Louisiana data center.",
    "JPMorgan is leading a $22 billion loan for a data-center campus in Texas.",
])
def test_a_deal_size_is_no_capex_acceleration(text: str) -> None:
    assert not {n for n, _ in _found(text)} & {"capex_acceleration"}


def test_a_planned_deal_is_not_an_outcome() -> None:
    text = ("TeraWulf plans to raise about $3 billion of debt to expand its data centers; "
            "talks are ongoing and there is no guarantee the deal will go ahead.")
    assert not {d for n, d in _found(text) if n == "refinancing_stress"}
    s = "The miner plans to refinance its notes."
    assert read(s, s.index("refinance"), s.index("refinance") + 9).pending


def test_history_recalled_is_not_news() -> None:
    text = "H100 rental rates rose 40% this year after collapsing from $8 at the 2023 launch."
    found = _found(text)
    assert ("gpu_price_decline", "relief") in found
    assert ("gpu_price_decline", "stress") not in found
    s = "Last year GPU rents fell by half."
    assert read(s, s.index("fell"), s.index("fell") + 4, 2026).history


def test_both_directions_of_one_catalyst() -> None:
    text = ("The Federal Reserve cut its key rate by a quarter point. Officials signalled fewer "
            "cuts next year and Treasury yields climbed.")
    found = _found(text)
    assert {("rates_higher_for_longer", "stress"), ("rates_higher_for_longer", "relief")} <= found


@pytest.mark.parametrize("text", [
    "Investors do not expect credit spreads to widen.",
    "There was no widening of high-yield spreads this week.",
])
def test_negation_read_from_the_parse(text: str) -> None:
    assert ("spread_widening", "stress") not in _found(text)


def test_a_circumstance_is_not_the_subject_that_moved() -> None:
    s = "The cost of insuring Oracle's debt has shot up after its latest results."
    assert not attached(s, (s.index("results"), s.index("results") + 7),
                        (s.index("shot up"), s.index("shot up") + 7))
    assert ("weak_tech_earnings", "relief") not in _found(s)
    assert ("spread_widening", "stress") in _found(s)


SEED = (
    "The AI debt boom is building a refinancing cliff: about $200 billion of data-center "
    "loans mature in 2027 and 2028 while refinancing windows are tight. Credit spreads on "
    "AI-linked bonds have widened by 70 basis points since September, and weak earnings at "
    "two cloud providers missed estimates. Hedge funds hold crowded long AI infrastructure "
    "positions, and analysts see hidden refinancing risks as financing needs expand. Banks "
    "have committed facilities of $40 billion to neoclouds."
)
"""A seed-style analysis (written for this test): a refinancing cliff, spread widening, weak
earnings, crowded positions and lenders' committed facilities."""


def test_seed_item_gets_every_stress_and_no_relief() -> None:
    found = _found(SEED)
    assert {("refinancing_stress", "stress"), ("spread_widening", "stress"),
            ("weak_tech_earnings", "stress"), ("crowded_funding", "stress")} <= found
    assert not {d for _, d in found} & {"relief"}, found
