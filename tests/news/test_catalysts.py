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


def test_plain_stress_has_the_pair_weight_and_its_sentence_as_evidence() -> None:
    [c] = detect("Markets were calm. High-yield spreads widened by 60 bp.", RULES)
    assert (c.name, c.direction) == ("spread_widening", "stress")
    assert c.confidence == pytest.approx(RULES.catalysts["spread_widening"].pair_weight)
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
    text = ("Traders pushed back expectations of rate cuts. Yields climbed to 4.9%. "
            "Some hope for rate cuts later.")
    [c] = detect(text, RULES)
    phrases = {p.pattern: p.weight for p in RULES.catalysts["rates_higher_for_longer"].phrases}
    pair = RULES.catalysts["rates_higher_for_longer"].pair_weight
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
