"""Catalyst detection: direction, negation, hedging, relief, evidence and confidence."""

from __future__ import annotations

from pathlib import Path

import pytest

from cliffwatch.news.catalysts import detect, noisy_or
from cliffwatch.news.errors import NewsError
from cliffwatch.news.rules import load_catalyst_rules

RULES = load_catalyst_rules()


def _found(text: str) -> dict[str, tuple[str, float]]:
    return {c.name: (c.direction, c.confidence) for c in detect(text, RULES)}


def test_plain_stress_has_the_composition_weight_and_its_sentence_as_evidence() -> None:
    [c] = detect("Markets were calm. High-yield spreads widened by 60 bp.", RULES)
    assert (c.name, c.direction) == ("spread_widening", "stress")
    # "spreads widened by 60 bp": one movement claimed by two subjects counts once
    assert c.confidence == pytest.approx(RULES.catalysts["spread_widening"].compose[0].weight)
    assert [e.sentence for e in c.evidence] == ["High-yield spreads widened by 60 bp."]


@pytest.mark.parametrize("text", [
    "Spreads did not widen after the deal.",
    "Spreads didn't widen after the deal.",
    "GPU rental prices did not fall in September.",
    "There was no rush to cut rates.",
    "Utilization did not drop at major neoclouds.",
])
def test_negated_mentions_are_dropped(text: str) -> None:
    found = _found(text)
    assert "spread_widening" not in found and "gpu_price_decline" not in found
    assert "utilization_lag" not in found
    assert found.get("rates_higher_for_longer", ("stress", 1.0))[0] == "stress"


@pytest.mark.parametrize(("hedged", "plain"), [
    ("Analysts say spreads could widen.", "Analysts say spreads widened."),
    ("Fears of idle GPUs grow.", "Idle GPUs grow."),
    ("Worries that GPU rental prices may fall weigh on lenders.",
     "GPU rental prices fall, weighing on lenders."),
])
def test_hedged_mentions_count_at_reduced_confidence(hedged: str, plain: str) -> None:
    [h] = detect(hedged, RULES)
    [p] = detect(plain, RULES)
    assert (h.name, h.direction) == (p.name, p.direction) == (h.name, "stress")
    assert h.confidence == pytest.approx(p.confidence * RULES.hedge_factor)
    assert all(e.hedged for e in h.evidence) and not any(e.hedged for e in p.evidence)


@pytest.mark.parametrize(("text", "name"), [
    ("Credit spreads tightened to the narrowest in years.", "spread_widening"),
    ("Treasury yields fell after the Fed cut rates.", "rates_higher_for_longer"),
    ("Our capacity is fully booked and utilization rose to a record.", "utilization_lag"),
    ("H100 rental prices rebounded in October.", "gpu_price_decline"),
    ("Microsoft earnings beat estimates and it raised guidance.", "weak_tech_earnings"),
    ("TeraWulf refinanced its loan, extending its maturities to 2031.", "refinancing_stress"),
    ("Insurers are broadening the investor base for data center ABS.", "crowded_funding"),
    ("Alphabet cut its capex guidance.", "capex_acceleration"),
])
def test_relief_phrasing(text: str, name: str) -> None:
    assert _found(text)[name][0] == "relief"


def test_stronger_direction_wins_and_confidence_is_noisy_or() -> None:
    # the push-back phrase also composes (rate cuts x push back): one event, counted once
    text = ("Traders pushed back expectations of rate cuts. Treasury yields climbed to 4.9%. "
            "Some hope for rate cuts soon.")
    [c] = detect(text, RULES)
    phrases = {p.pattern: p.weight for p in RULES.catalysts["rates_higher_for_longer"].phrases}
    pair = RULES.catalysts["rates_higher_for_longer"].compose[0].weight  # yields x up
    assert c.direction == "stress"
    assert c.confidence == pytest.approx(1 - (1 - phrases[r"\bpush\w* back\b.{0,40}\bcuts?\b"])
                                         * (1 - pair))
    assert all(e.direction == "stress" for e in c.evidence)


def test_noisy_or_hand_values() -> None:
    assert noisy_or([]) == 0.0
    assert noisy_or([0.5, 0.5]) == pytest.approx(0.75)
    assert noisy_or([0.8, 0.6, 0.5]) == pytest.approx(1 - 0.2 * 0.4 * 0.5)


def test_off_topic_text_has_no_catalyst() -> None:
    assert detect("A family bakery won the regional prize for its sourdough.", RULES) == []


def test_requires_context_keeps_office_rents_out_of_gpu_prices() -> None:
    assert "gpu_price_decline" not in _found("Office rents kept falling downtown.")


def test_invalid_rules_file_is_located(tmp_path: Path) -> None:
    bad = tmp_path / "catalysts.yaml"
    bad.write_text("pair_window_words: 4\nnegation_window_words: 3\nhedge_factor: 0.5\n"
                   "min_confidence: 0.2\nnegators: ['(unclosed']\nhedges: []\ncatalysts: {}\n")
    with pytest.raises(NewsError, match=r"catalysts.yaml: 1 problem\(s\) - negators: .*invalid "
                                        r"regular expression '\(unclosed'"):
        load_catalyst_rules(bad)


# Concept coverage (2026-11-26 revision): sentences written for the test, one per synonym,
# inflection or construction an analyst uses, none taken from a labelled set, so a lexicon
# that only matched the labelled sentences would fail here.
@pytest.mark.parametrize(("text", "name", "direction"), [
    ("Half of the new H200 racks are sitting unused in Atlanta.", "utilization_lag", "stress"),
    ("The operator is left with underused GPU capacity at its Reno site.", "utilization_lag",
     "stress"),
    ("Visitors describe rows of empty racks in the new building.", "utilization_lag", "stress"),
    ("Lagging demand kept the clusters idle all summer.", "utilization_lag", "stress"),
    ("Occupancy slipped to 62% at the campus.", "utilization_lag", "stress"),
    ("The hall will take two years longer to fill than modelled.", "utilization_lag", "stress"),
    ("Its GPU fleet is booked out through 2027, with a waiting list.", "utilization_lag", "relief"),
    ("Clusters sold out within a week of launch.", "utilization_lag", "relief"),
    ("The cloud slashed hourly rates for its A100 instances.", "gpu_price_decline", "stress"),
    ("Providers hiked rental prices for B200 GPUs.", "gpu_price_decline", "relief"),
    ("The notes priced 25 basis points wider than talk.", "spread_widening", "stress"),
    ("Credit risk premia are the tightest since 2021.", "spread_widening", "relief"),
    ("The central bank lowered its policy rate again.", "rates_higher_for_longer", "relief"),
    ("The chipmaker's revenue came in short of consensus estimates.", "weak_tech_earnings",
     "stress"),
    ("The developer is scrambling to roll over a bridge loan.", "refinancing_stress", "stress"),
    ("The miner was unable to secure new financing for its notes.", "refinancing_stress", "stress"),
    ("Banks pulled back from data-center construction loans.", "refinancing_stress", "stress"),
    ("The issue widened the buyer base to Asian insurers.", "crowded_funding", "relief"),
    ("Pension funds new to the asset class took half the deal.", "crowded_funding", "relief"),
    ("Announced AI capital spending has doubled since January.", "capex_acceleration", "stress"),
    ("The hyperscaler will hold spending flat next year.", "capex_acceleration", "relief"),
    ("The group is pausing its data-center build-out in Ohio.", "capex_acceleration", "relief"),
])
def test_each_catalyst_lexicon_covers_its_concept(text: str, name: str, direction: str) -> None:
    assert _found(text).get(name, ("absent",))[0] == direction, _found(text)


@pytest.mark.parametrize(("text", "name"), [
    ("The spread of the virus widened to four states.", "spread_widening"),
    ("The toy sold out at every retailer before Christmas.", "utilization_lag"),
    ("The grid's capacity auction cleared at a record price.", "utilization_lag"),
    ("Office rents were cut again in the city centre.", "gpu_price_decline"),
    ("The company raised its construction budget for the stadium.", "weak_tech_earnings"),
])
def test_near_misses_of_the_broader_lexicons_stay_silent(text: str, name: str) -> None:
    assert name not in _found(text)


# dev4 revision (2026-11-26): one concept family per row, sentences written for the test (none
# from a labelled set); each family has positives and near misses that must stay silent.
@pytest.mark.parametrize(("text", "name", "direction"), [
    # movements written as numbers: "down N%", "N% below", "to X from Y", a signed number
    ("Spot H100 hours now cost $1.90, down 35% since March.", "gpu_price_decline", "stress"),
    ("Brokers quote used A100 servers 30% below their spring level.", "gpu_price_decline",
     "stress"),
    ("Hourly rates for B200 systems went to $2.40 from $3.10.", "gpu_price_decline", "stress"),
    ("The B200 rental index moved from $2.10 to $2.60 in a month.", "gpu_price_decline",
     "relief"),
    ("GPU lease rates -8% month on month, the broker index shows.", "gpu_price_decline",
     "stress"),
    ("Residual values of Hopper cards were cut by a fifth.", "gpu_price_decline", "stress"),
    ("The cloud group's revenue came in 5% below consensus.", "weak_tech_earnings", "stress"),
    # GPU prices under other names: lease rates, resale, secondhand boards, accelerators
    ("Twelve-month lease rates for H200 racks climbed 6%.", "gpu_price_decline", "relief"),
    ("Second-hand accelerators now fetch far lower bids at auction.", "gpu_price_decline",
     "stress"),
    # a glut absorbed is capacity filling; capacity under contract or at full load
    ("Enterprise demand has soaked up the spare H200 capacity.", "utilization_lag", "relief"),
    ("Operators have worked off the surplus of idle GPU racks.", "utilization_lag", "relief"),
    ("Every rack in the Ohio hall is now under contract.", "utilization_lag", "relief"),
    ("The AI campus is fully leased to two cloud tenants.", "utilization_lag", "relief"),
    ("Its GPUs now run near full load around the clock.", "utilization_lag", "relief"),
    ("Occupancy at the group's three Texas campuses climbed to 95%.", "utilization_lag",
     "relief"),
    ("The new data hall is powered but empty.", "utilization_lag", "stress"),
    ("Only a third of the installed GPU racks are rented.", "utilization_lag", "stress"),
    # refinancing: asking for time is stress, repaying or retiring a maturity is relief
    ("The developer asked its banks to push back the maturity of the bridge loan.",
     "refinancing_stress", "stress"),
    ("The neocloud is seeking a covenant waiver from its lenders.", "refinancing_stress",
     "stress"),
    ("The miner repaid its bridge loan early from a share sale.", "refinancing_stress",
     "relief"),
    ("The bond sale retires the company's only 2027 maturity.", "refinancing_stress", "relief"),
    ("Lenders granted a one-year extension of its term loan.", "refinancing_stress", "relief"),
    # crowded funding: too much money for too few deals; a base that is no longer narrow
    ("Too much capital is chasing too few data-center loans.", "crowded_funding", "stress"),
    ("Direct lenders are competing for the same handful of hyperscaler deals.",
     "crowded_funding", "stress"),
    ("The buyer base for GPU notes is no longer limited to hedge funds.", "crowded_funding",
     "relief"),
    ("The ABS found a broader audience among pension funds.", "crowded_funding", "relief"),
    # capex: a growing pile of debt raised to pay for build-outs
    ("The group sold a record $25 billion of notes to fund new AI campuses.",
     "capex_acceleration", "stress"),
    # tech earnings in other words: margins, per-share estimates, consensus
    ("The cloud provider's gross margins compressed for a third quarter.",
     "weak_tech_earnings", "stress"),
    ("Analysts see the chip designer missing consensus next week.", "weak_tech_earnings",
     "stress"),
])
def test_dev4_concept_families(text: str, name: str, direction: str) -> None:
    assert _found(text).get(name, ("absent",))[0] == direction, _found(text)


@pytest.mark.parametrize(("text", "name"), [
    ("Bird flu spreads to two more farms in the valley.", "spread_widening"),
    ("The hotel is fully booked for the holidays.", "utilization_lag"),
    ("The factory ran near full capacity all year.", "utilization_lag"),
    ("The airline asked passengers to push back their departure.", "refinancing_stress"),
    ("Two retailers compete for the same customers.", "crowded_funding"),
    ("The city sold a record $1 billion of bonds to fund new schools.", "capex_acceleration"),
    ("The utility sold $2 billion of bonds to fund its data-center grid link.",
     "capex_acceleration"),
    ("The detergent maker's earnings fell 10% as shoppers traded down.", "weak_tech_earnings"),
    ("Retail sales rose 0.4% in October.", "weak_tech_earnings"),
    ("The GPU lender's loan found a wider audience.", "spread_widening"),
    ("The firm hired 40% more engineers for its GPU team.", "gpu_price_decline"),
    ("Office rents fell to $40 from $52 a square foot.", "gpu_price_decline"),
    ("Banks cut their construction loans to data-center builders.", "capex_acceleration"),
    ("Prices for GB200 capacity rose 4% in the quarter.", "utilization_lag"),
    ("Utilization fell to 70% in the third quarter.", "weak_tech_earnings"),
])
def test_dev4_near_misses_stay_silent(text: str, name: str) -> None:
    assert name not in _found(text), _found(text)


def test_the_context_word_may_be_in_the_next_or_previous_sentence() -> None:
    found = _found("Demand ate through the spare H100s. Hourly rental rates firmed 6%.")
    assert found["gpu_price_decline"][0] == "relief"
    assert "gpu_price_decline" not in _found("Demand rose. Hourly rental rates firmed 6%.")


# dev5-dev7 revision (2026-11-26): families added after the three sets became seen; sentences
# written for the test, none from a labelled set.
@pytest.mark.parametrize(("text", "name", "direction"), [
    # spreads quoted as numbers, with the old figure after "against"
    ("Dealers now quote the notes at 450 bp over Treasuries, against 320 in June.",
     "spread_widening", "stress"),
    # rating actions count as refinancing (the labelled sets' convention)
    ("The agency put the neocloud on review for downgrade.", "refinancing_stress", "stress"),
    ("S&P raised the miner's credit rating to B+.", "refinancing_stress", "relief"),
    # old debt exchanged or replaced, nothing due for years
    ("The developer exchanged its 2027 notes for new notes due 2033.", "refinancing_stress",
     "relief"),
    ("After the deal it has no significant maturity before 2031.", "refinancing_stress",
     "relief"),
    ("Arrangers were left holding most of the campus loan.", "refinancing_stress", "stress"),
    ("Analysts warn many GPU loans may not be rolled at their current size.",
     "refinancing_stress", "stress"),
    # rates: no cut before a date, little room to ease
    ("Officials see little room to ease before late 2027.", "rates_higher_for_longer",
     "stress"),
    ("The Fed may not deliver another cut until 2028.", "rates_higher_for_longer", "stress"),
    # new money and who holds it
    ("Three Korean banks joined the lender group for the first time.", "crowded_funding",
     "relief"),
    ("The loan drew orders from 60 life insurers.", "crowded_funding", "relief"),
    ("Four credit funds supplied about 80% of the money.", "crowded_funding", "stress"),
    ("The facility was syndicated to 15 banks, up from five last year.", "crowded_funding",
     "relief"),
    # borrowing to build (a deal done: one still weighed is no outcome, issue #22 labelling
    # rule 4, tests/news/test_real_text_errors.py), ground broken
    ("The lab borrowed $30bn to build a new cluster.", "capex_acceleration", "stress"),
    ("Developers broke ground on four more AI campuses.", "capex_acceleration", "stress"),
    # tenants late, space spoken for
    ("The anchor tenant postponed its move-in at the GPU campus to 2028.", "utilization_lag",
     "stress"),
    ("Some 95% of the capacity it is building at the campus is already pre-leased.",
     "utilization_lag", "relief"),
    ("Every megawatt at the new data campus is spoken for.", "utilization_lag", "relief"),
])
def test_dev5_to_dev7_concept_families(text: str, name: str, direction: str) -> None:
    assert _found(text).get(name, ("absent",))[0] == direction, _found(text)


@pytest.mark.parametrize(("text", "name"), [
    # scope negation: "no sign of", "none of", "denied"
    ("There was no sign of customers leaving GPU clusters idle.", "utilization_lag"),
    ("None of its lenders has asked for a waiver on the loan.", "refinancing_stress"),
    ("The bank denied that a small circle of funds dominated the loan.", "crowded_funding"),
    ("Treasury yields failed to climb after the data.", "rates_higher_for_longer"),
    ("Yields hit a record for the first time since 2023 as lenders watched.", "crowded_funding"),
    ("The exchange rate made the GPU servers cheaper for foreign buyers.", "refinancing_stress"),
    ("Two accounting firms flagged that six-year useful lives for GPUs look long.",
     "gpu_price_decline"),
    ("The notes were sold at a coupon 150 basis points lower than the loan.",
     "spread_widening"),
    ("Bank treasurers who extend credit lines to the funds are nervous.", "refinancing_stress"),
])
def test_dev5_to_dev7_near_misses_stay_silent(text: str, name: str) -> None:
    assert name not in _found(text), _found(text)
