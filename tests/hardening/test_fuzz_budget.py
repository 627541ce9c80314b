"""A small slice of the fuzzing budget in every test run (the long one is run on demand with
``python scripts/reliability-counts.py --fuzz 10000``)."""

from __future__ import annotations

from tests.reliability_counts import Tally

from .fuzz_budget import run

SMALL_BUDGET = 150
"""Inputs per test run (about 15 s)."""
SEED = 1
"""A seed whose first 150 inputs include every kind of input."""


def test_small_fuzz_budget_has_no_escape(tally: Tally) -> None:
    escapes: list[str] = []
    counts = run(SMALL_BUDGET, seed=SEED, log=escapes.append)
    for key, n in counts.items():
        if not key.startswith("escapes"):
            tally(key.replace("budget run", "budget slice"), n)
    assert not [e for e in escapes if e.startswith("ESCAPE")], escapes
    kinds = {k for k in counts if not k.startswith("escapes")}
    assert len(kinds) >= 10  # every generator ran
