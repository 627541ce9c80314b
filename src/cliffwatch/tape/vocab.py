"""Small vocabularies of the tape: ratings, amortization grammar, frequencies, day counts.

Each parser takes the text a user typed and returns the engine's code, raising ``ValueError``
with a message that says what is accepted (pydantic turns it into a located issue).
"""

from __future__ import annotations

import re
from enum import IntEnum
from functools import lru_cache
from typing import Final

from cliffwatch.codes import Amortization, DayCount, Rating

_SP_LETTERS: Final[tuple[str, ...]] = ("AAA", "AA", "A", "BBB", "BB", "B", "CCC")
_MOODYS_TO_LETTER: Final[dict[str, str]] = {
    "AAA": "AAA", "AA": "AA", "A": "A", "BAA": "BBB", "BA": "BB", "B": "B", "CAA": "CCC",
}
_UNRATED: Final[frozenset[str]] = frozenset({"NR", "N/R", "UNRATED", "WR"})
# Below CCC everything is distressed; the engine's grid stops at CCC.
_DISTRESSED: Final[frozenset[str]] = frozenset({"CC", "C", "CA", "D", "SD", "RD"})

RATING_HELP: Final[str] = (
    "an S&P/Fitch grade (AAA, AA+, ..., CCC-), a Moody's grade (Aaa, Aa1, ..., Caa3) or NR"
)


@lru_cache(maxsize=4096)  # a book repeats a few dozen spellings; enum lookups are slow
def fold_rating(text: str) -> Rating:
    """Fold a notched rating to its letter grade: ``BB+`` -> BB, ``Baa2`` -> BBB, ``n/r`` -> NR.

    Raises
    ------
    ValueError
        If the text is not a recognised rating.
    """
    raw = text.strip()
    upper = raw.upper()
    if upper in _UNRATED:
        return Rating.NR
    if upper in _DISTRESSED:
        return Rating.CCC
    sp = re.fullmatch(r"(AAA|AA|A|BBB|BB|B|CCC)[+-]?", upper)
    if sp:
        return Rating[sp.group(1)]
    moodys = re.fullmatch(r"(AAA|AA|A|BAA|BA|B|CAA)[123]?", upper)
    if moodys and raw[0].isupper() and (len(raw) == 1 or not raw[1:].isupper()):
        return Rating[_MOODYS_TO_LETTER[moodys.group(1)]]
    raise ValueError(f"expected {RATING_HELP}")


AMORTIZATION_HELP: Final[str] = (
    "bullet, annuity, straight_line, sweep, custom, or io:N/annuity (N interest-only months)"
)
_IO_PATTERN: Final[re.Pattern[str]] = re.compile(r"io\s*:\s*(\d+)\s*/\s*annuity")


@lru_cache(maxsize=4096)
def parse_amortization(text: str) -> tuple[Amortization, int]:
    """Parse the amortization grammar into (rule, interest-only months).

    ``io:24/annuity`` means 24 interest-only months from the facility start, then a level
    payment; every other rule has zero interest-only months.
    """
    word = text.strip().lower().replace("-", "_").replace(" ", "_")
    io = _IO_PATTERN.fullmatch(text.strip().lower())
    if io:
        return Amortization.io_then_annuity, int(io.group(1))
    if word in {"bullet", "annuity", "straight_line", "sweep", "custom"}:
        return Amortization[word], 0
    raise ValueError(f"expected {AMORTIZATION_HELP}")


PAY_FREQUENCY_MONTHS: Final[dict[str, int]] = {
    "monthly": 1, "quarterly": 3, "semiannual": 6, "annual": 12,
}
"""Months between payments for each payment frequency word."""

def codes(enum: type[IntEnum]) -> dict[str, int]:
    """Tape spelling -> plain int code of an enum (plain dict lookups are ~50x faster than
    ``Enum[name]``, which matters for 100,000-row tapes)."""
    return {name: int(member) for name, member in enum.__members__.items()}


DAY_COUNTS: Final[dict[str, DayCount]] = {
    "30/360": DayCount.thirty_360, "act/360": DayCount.act_360, "act/365f": DayCount.act_365f,
}
"""Tape spelling (case-insensitive) of each day-count convention."""
