"""The validation library's errors in an analyst's words: the expected form and an example.

pydantic says "Input should be a valid number, unable to parse string as a number" or "invalid
character in year"; a tape user needs "a number such as 7.5 or 7.5%" or "a date such as
2027-12-31". Range errors name the column's whole range and unit ("a number from 0 to 30
(% per year), e.g. 7.5"). Messages the schema's own validators raise are already written for
users and pass through.
"""

from __future__ import annotations

from typing import Any, Final

import annotated_types as at
from pydantic.fields import FieldInfo

from cliffwatch.tape.columns import UNIT_KEY
from cliffwatch.tape.convert import column_unit
from cliffwatch.tape.typed_text import DATE_FORMS, expected_number

MISSING: Final = "a value (required column)"

_RANGE_TYPES: Final = frozenset({"greater_than", "greater_than_equal", "less_than",
                                  "less_than_equal"})
_NUMBER_TYPES: Final = frozenset({"float_parsing", "float_type", "finite_number"})
_INTEGER_TYPES: Final = frozenset({"int_parsing", "int_type", "int_from_float",
                                   "int_parsing_size"})
_BOOL_TYPES: Final = frozenset({"bool_parsing", "bool_type"})
_TEXT_TYPES: Final = frozenset({"string_type", "string_too_short"})
_EXAMPLE_OF_UNIT: Final[dict[str, str]] = {
    "percent": "7.5", "bp": "450", "share": "0.8", "x": "1.25", "months": "60",
}


def plain_message(err: Any, field: FieldInfo | None, column: str) -> str:
    """What the user should have typed in ``column`` for the pydantic error ``err``."""
    kind = str(err["type"])
    if kind == "missing":
        return MISSING
    unit_text = _unit(field)
    if kind.startswith("date") or kind.startswith("datetime"):
        return f"a date such as {DATE_FORMS}"
    if kind in _NUMBER_TYPES:
        return expected_number(column_unit(unit_text), column)
    if kind in _INTEGER_TYPES:
        unit = f" of {unit_text}" if unit_text else ""
        return f"a whole number{unit}, e.g. {_EXAMPLE_OF_UNIT.get(unit_text, '12')}"
    if kind in _BOOL_TYPES:
        return "true or false (also yes/no or 1/0)"
    if kind in _TEXT_TYPES:
        return "a non-empty text, e.g. FAC-1"
    if kind in _RANGE_TYPES and field is not None:
        return _range(field, unit_text)
    if kind.startswith("list") or kind == "too_short":
        return "ids separated by ';', e.g. FLEET-1; FLEET-2"
    msg = str(err["msg"])
    for prefix in ("Value error, ", "Assertion failed, "):
        msg = msg.removeprefix(prefix)
    return msg.replace("Input should be", "expected").replace("input should be", "expected")


def _unit(field: FieldInfo | None) -> str:
    extra = field.json_schema_extra if field is not None else None
    return str(extra.get(UNIT_KEY, "")) if isinstance(extra, dict) else ""


def _range(field: FieldInfo, unit_text: str) -> str:
    """``a number from 0 to 30 (% per year), e.g. 7.5`` from the field's bounds."""
    low: Any = None
    high: Any = None
    low_word, high_word = "from", "to"
    for bound in field.metadata:
        if isinstance(bound, at.Ge):
            low = bound.ge
        elif isinstance(bound, at.Gt):
            low, low_word = bound.gt, "above"
        elif isinstance(bound, at.Le):
            high = bound.le
        elif isinstance(bound, at.Lt):
            high, high_word = bound.lt, "below"
    if low is not None and high is not None:
        span = (f"from {_num(low)} to {_num(high)}" if low_word == "from"
                else f"above {_num(low)} and up to {_num(high)}")
        if high_word == "below":
            span = span.replace(f"to {_num(high)}", f"below {_num(high)}")
    elif low is not None:
        span = f"of at least {_num(low)}" if low_word == "from" else f"above {_num(low)}"
    else:
        span = f"of at most {_num(high)}" if high_word == "to" else f"below {_num(high)}"
    unit = f" ({unit_text})" if unit_text and unit_text not in ("decimal", "x") else ""
    kind = {"decimal": "a share", "x": "a multiple"}.get(unit_text, "a number")
    example = _example(low, high, unit_text)
    return f"{kind} {span}{unit}, e.g. {example}"


def _num(value: Any) -> str:
    # whole numbers with thousands separators (a bound of 1e13 USD reads 10,000,000,000,000)
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()
                                  and abs(value) >= 1e6):
        return f"{int(value):,}"
    return f"{value:g}"


def _example(low: Any, high: Any, unit_text: str) -> str:
    """An in-range example: the unit's usual figure when inside the bounds, else the middle."""
    usual = _EXAMPLE_OF_UNIT.get(column_unit(unit_text), _EXAMPLE_OF_UNIT.get(unit_text))
    if unit_text.startswith("USD"):
        usual = "250000000" if unit_text == "USD" else "2.5"
    if usual is not None:
        value = float(usual)
        if (low is None or value >= low) and (high is None or value <= high):
            return usual
    if low is not None and high is not None:
        return _num((low + high) / 2)
    if low is not None:
        return _num(low + 1)
    return _num(high)
