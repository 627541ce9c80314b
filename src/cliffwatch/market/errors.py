"""Located, user-facing errors of the market layer."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from cliffwatch.shown import shown


class MarketInputError(ValueError):
    """A reference-data or scenario file the user supplied is invalid.

    The message names the file, the key path, the offending value and what was expected, one
    problem per line, so the CLI can print it without a traceback.
    """


def located(path: Path | str, problems: Sequence[str]) -> MarketInputError:
    """Build one error listing every problem found in ``path``."""
    lines = "\n".join(f"  - {p}" for p in problems)
    return MarketInputError(f"{path}: {len(problems)} problem(s)\n{lines}")


def describe_validation(path: Path | str, err: ValidationError) -> MarketInputError:
    """Turn a pydantic ``ValidationError`` into a located message (key path, value, expected)."""
    problems = []
    for e in err.errors():
        key = ".".join(str(p) for p in e["loc"]) or "<document>"
        value: Any = e.get("input")
        text = shown(value) if not isinstance(value, dict) else "{...}"
        msg = str(e["msg"]).removeprefix("Value error, ")
        problems.append(f"{key}: got {text}; expected {msg}")
    return located(path, problems)
