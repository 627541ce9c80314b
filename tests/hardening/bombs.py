"""Hostile YAML and JSON texts shared by the hardening tests and the fuzz budget run."""

from __future__ import annotations

LEVELS: int = 10
"""Anchor levels of the alias bomb: ten aliases per level expand to 10**LEVELS leaves."""


def alias_chain(levels: int = LEVELS, fan: int = 10) -> list[str]:
    """YAML lines ``a0 .. a{levels-1}``, each anchored list aliasing the previous ``fan`` times
    (the "billion laughs" shape: a few hundred bytes, ``fan**levels`` leaves once expanded)."""
    lines = ["a0: &a0 [" + ",".join(['"lol"'] * fan) + "]"]
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * fan) + "]")
    return lines


def alias_bomb_tape(levels: int = LEVELS) -> str:
    """A YAML tape whose borrower name is the alias bomb (about 650 bytes)."""
    return "\n".join(["as_of: 2026-06-30", "currency: USD", *alias_chain(levels),
                      "borrowers:",
                      f"  - {{id: NEO, name: *a{levels - 1}, archetype: neocloud, rating: B+, "
                      "opening_cash_usd: 1.0e9}"]) + "\n"


def alias_bomb_scenario(levels: int = LEVELS) -> str:
    """A scenario file whose ``factors`` is the alias bomb (about 550 bytes)."""
    return "\n".join(["name: bomb", *alias_chain(levels), f"factors: *a{levels - 1}"]) + "\n"


def nested_json(depth: int = 100_000) -> str:
    """``[`` repeated ``depth`` times: deep enough to overflow any recursive parser."""
    return "[" * depth
