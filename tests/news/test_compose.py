"""Compositional catalyst rules: lemmas, subject x movement per catalyst, negation, hedging.

Every sentence here was written for this test (none is taken from a labelled set): one per
(subject concept, movement class) pair that ``catalysts.yaml`` maps to a direction, so a
lexicon that only matched the labelled wording would fail.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from cliffwatch.news.catalysts import detect
from cliffwatch.news.compose import composed, numeric_moves
from cliffwatch.news.errors import NewsError
from cliffwatch.news.lemmas import lemma, phrase_keys, tokens
from cliffwatch.news.rules import load_catalyst_rules

RULES = load_catalyst_rules()


def _found(text: str) -> dict[str, tuple[str, float]]:
    return {c.name: (c.direction, c.confidence) for c in detect(text, RULES)}


@pytest.mark.parametrize("forms", [
    ("rise", "rose", "risen", "rises", "rising"), ("widen", "widened", "widening", "widens"),
    ("drop", "dropped", "dropping", "drops"), ("slide", "slid", "slides", "sliding"),
    ("cut", "cuts", "cutting"), ("capacity", "capacities"), ("stall", "stalled", "stalls"),
    ("tumble", "tumbled", "tumbling"), ("fall", "fell", "fallen", "falling", "falls"),
])
def test_inflections_share_one_lemma(forms: tuple[str, ...]) -> None:
    assert len({lemma(f) for f in forms}) == 1, {f: lemma(f) for f in forms}


def test_tokens_keep_numbers_and_compounds_whole() -> None:
    assert [t.key for t in tokens("down from $110,000 to 4.5%")] == [
        "down", "from", "110,000", "to", "4.5"]
    assert phrase_keys("lower-rated notes") == ("lower-rat", "not")
    assert "rat" not in phrase_keys("lower-rated")  # not the noun "rates"


# (sentence, catalyst, direction): each compose entry, each movement class it maps.
COMBINATIONS = [
    # spread_widening: spreads x up/widen/down/tighten, levels, bond prices, loan margins
    ("Investment-grade spreads jumped after the auction.", "spread_widening", "stress"),
    ("Risk premiums on AI debt blew out this week.", "spread_widening", "stress"),
    ("Junk bond spreads eased on Friday.", "spread_widening", "relief"),
    ("The CDS on the neocloud compressed sharply.", "spread_widening", "relief"),
    ("The new ABS tranche priced wider than guidance.", "spread_widening", "stress"),
    ("Secondary paper traded tighter after the deal.", "spread_widening", "relief"),
    ("Loan prices sank to 88 cents on the dollar.", "spread_widening", "stress"),
    ("Bond prices rallied as buyers returned.", "spread_widening", "relief"),
    ("The neocloud's notes slumped after the downgrade.", "spread_widening", "stress"),
    ("The convertible rebounded to par.", "spread_widening", "relief"),
    ("Buyers now ask 420 basis points over SOFR, against 300 in May.", "spread_widening",
     "stress"),
    ("The margin on the term loan rose to 500 basis points over SOFR.", "spread_widening",
     "stress"),
    ("Lenders cut the margin to 300 basis points over SOFR.", "spread_widening", "relief"),
    # rates_higher_for_longer: yields, policy rates (up/hold/down), rate cuts (fewer/more)
    ("Ten-year Treasury yields climbed to 4.8%.", "rates_higher_for_longer", "stress"),
    ("Treasury yields slid after the jobs report.", "rates_higher_for_longer", "relief"),
    ("The Fed raised interest rates by a quarter point.", "rates_higher_for_longer", "stress"),
    ("The central bank kept its policy rate at 5%.", "rates_higher_for_longer", "stress"),
    ("The ECB lowered interest rates on Thursday.", "rates_higher_for_longer", "relief"),
    ("Futures now imply fewer Fed cuts next year.", "rates_higher_for_longer", "stress"),
    ("Traders now bet on deeper Fed cuts.", "rates_higher_for_longer", "relief"),
    # utilization_lag: capacity x down/slow/idle, up/fill
    ("Utilization dropped to 55% at the Texas site.", "utilization_lag", "stress"),
    ("Demand for compute has been sluggish this quarter.", "utilization_lag", "stress"),
    ("Whole clusters stood idle in October.", "utilization_lag", "stress"),
    ("Occupancy climbed to 94% across its campuses.", "utilization_lag", "relief"),
    ("The new data hall filled up within a month.", "utilization_lag", "relief"),
    ("GPU usage at the Oslo site slumped in May.", "utilization_lag", "stress"),
    # gpu_price_decline: rents, hourly prices, resale values, depreciation lives
    ("Hourly prices for H100 GPUs tumbled 20%.", "gpu_price_decline", "stress"),
    ("Lenders shortened the useful life of the GPUs to four years.", "gpu_price_decline",
     "stress"),
    ("Resale values of used Blackwell servers climbed.", "gpu_price_decline", "relief"),
    # weak_tech_earnings: earnings x down/slow/miss, up/beat
    ("Quarterly revenue at the chipmaker fell 8%.", "weak_tech_earnings", "stress"),
    ("Cloud sales grew more slowly than a year ago.", "weak_tech_earnings", "stress"),
    ("The software group's earnings missed analyst forecasts.", "weak_tech_earnings", "stress"),
    ("Profit jumped 40% on AI demand.", "weak_tech_earnings", "relief"),
    ("The software group's results topped estimates.", "weak_tech_earnings", "relief"),
    ("The cloud firm's quarterly net loss widened.", "weak_tech_earnings", "stress"),
    ("The chip start-up's operating loss narrowed in the fiscal quarter.", "weak_tech_earnings",
     "relief"),
    # refinancing_stress: refinancing/markets and maturities x fail/extend
    ("The developer shelved a planned bond sale.", "refinancing_stress", "stress"),
    ("The high-yield market froze for AI borrowers.", "refinancing_stress", "stress"),
    ("The borrower struggled with its 2027 maturity.", "refinancing_stress", "stress"),
    ("The neocloud pushed out its term loan to 2031.", "refinancing_stress", "relief"),
    ("Lenders agreed to roll over the facility.", "refinancing_stress", "relief"),
    ("Two arrangers balked at the data-center loan.", "refinancing_stress", "stress"),
    # crowded_funding: funding base x concentrate/broaden, new investors, concentration
    ("A handful of funds dominate the GPU loan market.", "crowded_funding", "stress"),
    ("The deal diversified the lender base.", "crowded_funding", "relief"),
    ("Two new insurers bought the notes.", "crowded_funding", "relief"),
    ("Crowding in AI credit has increased.", "crowded_funding", "stress"),
    ("Lender concentration fell this year.", "crowded_funding", "relief"),
    # capex_acceleration: capex x up, down/slow/pause
    ("Meta boosted its data-center construction budget.", "capex_acceleration", "stress"),
    ("Amazon trimmed its capex plan for 2027.", "capex_acceleration", "relief"),
    ("Investment plans slowed at the big clouds.", "capex_acceleration", "relief"),
    ("The company halted construction at its Ohio campus.", "capex_acceleration", "relief"),
    ("The group scrapped the second phase of its AI campus.", "capex_acceleration", "relief"),
]


@pytest.mark.parametrize(("text", "name", "direction"), COMBINATIONS)
def test_each_subject_and_movement_maps_to_its_direction(
        text: str, name: str, direction: str) -> None:
    assert _found(text).get(name, ("absent",))[0] == direction, _found(text)


def test_every_compose_entry_and_mapped_class_is_exercised() -> None:
    used = set()
    for text, name, _ in COMBINATIONS:
        for comp in RULES.catalysts[name].compose:
            if composed(text, RULES.catalysts[name].model_copy(update={"compose": [comp]}),
                        RULES):
                used.add((name, comp.subject))
    wanted = {(n, c.subject) for n, r in RULES.catalysts.items() for c in r.compose}
    assert wanted - used == set()


@pytest.mark.parametrize(("text", "name"), [
    ("Spreads on the notes did not widen.", "spread_widening"),
    ("H100 rents never fell below $2.", "gpu_price_decline"),
    ("Occupancy hasn't dropped at the campus.", "utilization_lag"),
    ("Capex was not raised this year.", "capex_acceleration"),
    ("The refinancing of the bridge loan did not stall.", "refinancing_stress"),
])
def test_negated_compositions_are_dropped(text: str, name: str) -> None:
    assert name not in _found(text)


@pytest.mark.parametrize(("hedged", "plain"), [
    ("Strategists warn that spreads may widen further.", "Spreads widened further."),
    ("Rents for H100 GPUs could slide.", "Rents for H100 GPUs slid."),
    ("If occupancy drops at the data hall, the loan suffers.",
     "Occupancy drops at the data hall."),
])
def test_hedged_compositions_count_at_reduced_confidence(hedged: str, plain: str) -> None:
    [h], [p] = detect(hedged, RULES), detect(plain, RULES)
    assert (h.name, h.direction) == (p.name, p.direction) == (p.name, "stress")
    assert h.confidence == pytest.approx(p.confidence * RULES.hedge_factor)


@pytest.mark.parametrize(("text", "name"), [
    ("Corn yields climbed to a record this season.", "rates_higher_for_longer"),
    ("The patient's resting heart rate rose sharply.", "rates_higher_for_longer"),
    ("Apartment rents fell for a third month.", "gpu_price_decline"),
    ("Home sales fell in the suburbs.", "weak_tech_earnings"),
    ("Lower-rated issuers sold bonds.", "rates_higher_for_longer"),
    ("Yields on the farm rose, raising hopes for the harvest.", "rates_higher_for_longer"),
    ("Capacity auction prices rose again in the power market.", "utilization_lag"),
])
def test_near_misses_of_the_concepts_stay_silent(text: str, name: str) -> None:
    assert name not in _found(text)


def test_one_movement_claimed_by_two_subjects_counts_once() -> None:
    [c] = detect("High-yield spreads widened by 60 bp.", RULES)
    assert c.confidence == pytest.approx(RULES.catalysts["spread_widening"].compose[0].weight)
    assert [e.match for e in c.evidence] == ["spreads widened"]


def test_a_clause_break_separates_subject_and_movement() -> None:
    # "rents ... while spreads widened": the widening belongs to spreads, not to GPU rents
    found = _found("H100 rents held up while credit spreads widened.")
    assert "gpu_price_decline" not in found and found["spread_widening"][0] == "stress"


def test_unknown_concept_or_movement_is_located(tmp_path: Path) -> None:
    doc = yaml.safe_load(Path(RULES_FILE).read_text(encoding="utf-8"))
    doc["catalysts"]["spread_widening"]["compose"][0]["subject"] = "weather"
    bad = tmp_path / "catalysts.yaml"
    bad.write_text(yaml.safe_dump(doc), encoding="utf-8")
    with pytest.raises(NewsError, match=r"catalysts.yaml: .*spread_widening.compose\[0\]: "
                                        r"unknown concept 'weather'"):
        load_catalyst_rules(bad)
    doc["catalysts"]["spread_widening"]["compose"][0] |= {"subject": "credit_spreads",
                                                          "stress": ["sideways"]}
    bad.write_text(yaml.safe_dump(doc), encoding="utf-8")
    load_catalyst_rules.cache_clear()
    with pytest.raises(NewsError, match=r"unknown movements \['sideways'\]"):
        load_catalyst_rules(bad)


RULES_FILE = Path(__file__).parents[2] / "src" / "cliffwatch" / "data" / "news" / "catalysts.yaml"


# Property: every lexicon entry composes, not only the words of the sentences above. A
# generated "<subject> <movement> today." sentence must give the mapped direction for every
# concept term and every movement term of a class the composition maps (a ``#`` placeholder
# of a movement entry is any number: "12%" here).
def _generated(name: str, index: int, prefix: str) -> st.SearchStrategy[tuple[str, str]]:
    comp = RULES.catalysts[name].compose[index]
    pairs = [(c, d) for d, classes in (("stress", comp.stress), ("relief", comp.relief))
             for c in classes]
    return st.sampled_from(pairs).flatmap(lambda cd: st.tuples(
        st.sampled_from(RULES.concepts[comp.subject]).flatmap(lambda s: st.sampled_from(
            [f"{prefix}{s} {m.replace('#', '12%')} today." for m in RULES.movements[cd[0]]])),
        st.just(cd[1])))


@settings(max_examples=60, deadline=None, derandomize=True)
@given(case=st.one_of(_generated("capex_acceleration", 0, "Reported AI "),
                      _generated("spread_widening", 0, "Credit ")))
def test_every_concept_term_composes_with_every_mapped_movement(case: tuple[str, str]) -> None:
    text, direction = case
    name = "capex_acceleration" if text.startswith("Reported ") else "spread_widening"
    assert _found(text).get(name, ("absent",))[0] == direction, (text, _found(text))


@pytest.mark.parametrize(("text", "moves"), [
    ("to $900 million from $1.2 billion", ["down"]),       # scale words count
    ("from 4.5% to 5%", ["up"]),
    ("rose to about $11,000 from roughly $9,000", ["up"]),
    ("fell -8% while the index was +3%", ["down", "up"]),
    ("from 2024 to 2024", []),                             # no change is no move
    ("moved to Texas from Ohio", []),                      # no numbers
])
def test_numeric_moves_read_the_direction_from_the_numbers(text: str, moves: list[str]) -> None:
    assert [c for _, c in numeric_moves([t.key for t in tokens(text)])] == moves


def test_a_complement_or_compound_does_not_take_the_movement() -> None:
    # "capacity" in "prices for ... capacity" and "construction" in "construction loans" are
    # part of another mention: the movement belongs to prices and loans
    gpu = RULES.catalysts["utilization_lag"]
    assert composed("Prices for GB200 capacity rose 4%.", gpu, RULES) == []
    capex = RULES.catalysts["capex_acceleration"]
    assert composed("Banks cut their construction loans.", capex, RULES) == []
    assert composed("Banks cut construction spending.", capex, RULES)
