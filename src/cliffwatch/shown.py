"""User values shown in messages, bounded: never walk or print more than a screenful.

``repr()`` of a user value can be arbitrarily large (a 5 MB cell, a list of a million items)
and, for structures shared through YAML aliases, exponentially larger than the input. Every
message that quotes a user value goes through :func:`shown`, which uses :mod:`reprlib` so the
cost is bounded by the display width, not by the value.
"""

from __future__ import annotations

import reprlib
from typing import Any

WIDTH: int = 80
"""Longest value text in a message, characters."""

_REPR = reprlib.Repr()
_REPR.maxlevel = 3
_REPR.maxstring = WIDTH
_REPR.maxother = WIDTH
_REPR.maxlong = WIDTH
for _attr in ("maxlist", "maxtuple", "maxdict", "maxset", "maxfrozenset", "maxdeque",
              "maxarray"):
    setattr(_REPR, _attr, 6)


def shown(value: Any, width: int = WIDTH) -> str:
    """``repr(value)`` cut to ``width`` characters, at a cost bounded by ``width``."""
    text = _REPR.repr(value)
    return text if len(text) <= width else text[: width - 3] + "..."
