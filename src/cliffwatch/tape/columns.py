"""Column building blocks of the tape schema: field metadata and reusable cell types.

Unit convention of the tape (one rule, stated once): a column carrying an interest rate or
yield in **percent** ends in ``_pct`` (``coupon_pct: 9.25`` = 9.25% a year); a spread or fee in
**basis points** ends in ``_bp`` (``spread_bp: 450``); money ends in ``_usd``; every other number
is a plain decimal share, ratio or multiple (``contracted_share: 0.8``, ``max_ltv: 0.65``,
``min_dscr: 1.2``). Dates are ISO 8601 (``2026-06-30``) or spreadsheet date cells.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BeforeValidator, Field

UNIT_KEY = "unit"
CHOICES_KEY = "choices"
REQUIRED_FOR_KEY = "required_for"


def col(
    default: Any = ...,
    *,
    doc: str,
    unit: str = "",
    choices: Iterable[str] = (),
    required_for: str = "",
    **constraints: Any,
) -> Any:
    """A schema field with its documentation metadata (unit, allowed values, when required).

    ``default=...`` makes the column required; ``required_for`` documents a column that is
    optional in general but required for some kinds (checked by the validator).
    """
    extra: dict[str, Any] = {
        UNIT_KEY: unit, CHOICES_KEY: list(choices), REQUIRED_FOR_KEY: required_for
    }
    return Field(default, description=doc, json_schema_extra=extra, **constraints)


def id_text(value: Any) -> Any:
    """Spreadsheets turn ``101`` into ``101.0``; ids are text, so restore the integer spelling."""
    if type(value) is str:  # the common case, first
        return value
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return str(int(value))
    if isinstance(value, int):
        return str(value)
    return value


_NUMBER_AS_DATE = (
    "a date such as 2026-06-30 (got a number: pydantic would read it as Unix seconds; format "
    "the cell as a date or type the ISO date)"
)


def _date_cell(value: Any) -> Any:
    """Accept spreadsheet datetimes at midnight and ISO strings with surrounding spaces.

    Numbers are refused: an Excel serial (46203) or ``20260630`` would otherwise be read as
    seconds since 1970 and silently become a date in January 1970.
    """
    if type(value) is date:  # the common case (Parquet, XLSX, YAML), first
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise ValueError(_NUMBER_AS_DATE)
    if isinstance(value, str) and value.strip().lstrip("+-").replace(".", "", 1).isdigit():
        raise ValueError(_NUMBER_AS_DATE)
    if isinstance(value, datetime):
        if value.time() != datetime.min.time():
            raise ValueError("expected a date without a time of day")
        return value.date()
    if isinstance(value, str):
        return value.strip()[:10] if value.strip()[10:] in {"", "T00:00:00", " 00:00:00"} else value
    return value


def choice(names: Iterable[str]) -> Callable[[Any], str]:
    """Validator accepting one of ``names`` (case-insensitive, spaces/dashes as underscores)."""
    allowed = tuple(names)

    def check(value: Any) -> str:
        if not isinstance(value, str):
            raise ValueError(f"expected one of: {', '.join(allowed)}")
        word = value.strip().lower().replace(" ", "_").replace("-", "_")
        if word not in allowed:
            close = difflib.get_close_matches(word, allowed, n=1, cutoff=0.7)
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise ValueError(f"expected one of: {', '.join(allowed)}{hint}")
        return word

    return check


def _split_list(value: Any) -> Any:
    """``"gpu-1; gpu-2"`` -> ``["gpu-1", "gpu-2"]``; a spreadsheet cell holds a ;-separated list."""
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(";") if part.strip()]
    if isinstance(value, (list, tuple)):
        return [id_text(v) for v in value]
    return value


Id = Annotated[str, BeforeValidator(id_text), Field(min_length=1)]
"""An identifier: non-empty text (numbers typed in a spreadsheet are read as their text)."""

OptId = Annotated[str | None, BeforeValidator(id_text)]
"""An optional identifier."""

Date = Annotated[date, BeforeValidator(_date_cell)]
"""A calendar date: ISO 8601 text or a spreadsheet date cell."""

OptDate = Annotated[date | None, BeforeValidator(_date_cell)]
"""An optional calendar date."""

IdList = Annotated[list[Annotated[str, Field(min_length=1)]], BeforeValidator(_split_list)]
"""A list of ids; in a spreadsheet cell the ids are separated by ``;``."""
