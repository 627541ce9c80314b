"""Bounded repr of user values in messages (tape and market errors)."""

from __future__ import annotations

import time

from cliffwatch.market.errors import MarketInputError
from cliffwatch.shown import WIDTH, shown
from cliffwatch.tape.errors import Issue


def _shared_bomb(levels: int = 12) -> list[object]:
    """A list of 10**levels leaves that takes a few KB (what a YAML alias bomb builds)."""
    value: list[object] = ["lol"] * 10
    for _ in range(levels - 1):
        value = [value] * 10
    return value


def test_shown_is_bounded_on_shared_structures() -> None:
    t0 = time.perf_counter()
    text = shown(_shared_bomb())
    assert len(text) <= WIDTH and time.perf_counter() - t0 < 1.0
    assert "..." in shown("x" * 10_000) and len(shown("x" * 10_000)) <= WIDTH
    assert shown(1.5) == "1.5" and shown("wide") == "'wide'"


def test_tape_issue_shows_a_bomb_bounded() -> None:
    issue = Issue("t.yaml", "borrowers", 3, "name", _shared_bomb(), "text")
    assert len(issue.value_text()) <= 40 and "t.yaml" in str(issue)


def test_market_validation_message_is_bounded() -> None:
    from pydantic import BaseModel, ValidationError

    from cliffwatch.market.errors import describe_validation

    class M(BaseModel):
        x: int

    bomb = _shared_bomb(9)
    try:
        M(x=bomb)  # type: ignore[arg-type]
    except ValidationError as err:
        error = describe_validation("f.yaml", err)
    assert isinstance(error, MarketInputError)
    assert "f.yaml" in str(error) and len(str(error)) < 400
