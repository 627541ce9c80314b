"""Fixtures of the market-layer tests."""

from __future__ import annotations

import pytest

from cliffwatch.codes import Archetype, Rating
from cliffwatch.market.universe import Universe


@pytest.fixture(scope="session")
def universe() -> Universe:
    """Two generations, three counterparties, three borrowers, four facilities."""
    return Universe.simple(
        gpu_generations=("H100", "B200"),
        borrower_archetypes=(Archetype.neocloud, Archetype.neocloud, Archetype.dc_developer),
        borrower_ratings=(Rating.B, Rating.BB, Rating.BBB),
        counterparty_archetypes=(Archetype.ai_lab, Archetype.hyperscaler, Archetype.ai_lab),
        counterparty_ratings=(Rating.B, Rating.A, Rating.NR),
        n_facilities=4,
    )
