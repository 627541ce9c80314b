"""Numbers and dates as analysts type them in a spreadsheet, read in the column's own unit.

A cell's text is read only where the column's unit makes it unambiguous: ``"7.5%"`` in a
``% per year`` column is 7.5, in a ``bp`` column 750, in a decimal-share column 0.075;
``"300bp"`` in a bp column is 300 and in a percent column 3; ``"S+450"`` (SOFR + 450 bp) only in
the margin column ``spread_bp``; ``"250,000,000"`` and ``"$250,000,000"`` in any number column
(thousands separators in groups of three, so a decimal comma is never misread). Dates are ISO
``2027-12-31``, ``31/12/2027`` (day first when the day is above 12; ``01/02/2027`` is refused
with both readings named), ``31.12.2027`` (dots: day first), ``Dec-2027`` (the first day of
the month, as Excel stores it), ``December 31, 2027``, ``31 Dec 2027`` and ``31-Dec-2027``.

Every reader returns the value and a short note of what was converted (``None`` when the text
was already in the plain form), or raises ``ValueError`` with the expected form and an example.
Decimal arithmetic shifts the typed digits, so ``"7.3%"`` in a bp column is exactly 730.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Final, Literal

Unit = Literal["percent", "bp", "share", "number"]
"""How a number column reads percent and basis-point text: ``percent`` (``_pct`` columns),
``bp`` (``_bp`` columns), ``share`` (decimal shares such as ``contracted_share``), ``number``
(money, counts, multiples: no percent or bp text accepted)."""

_PLAIN: Final = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
_THOUSANDS: Final = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")
_MONEY_PREFIX: Final = re.compile(r"^(US\$|USD|\$)\s*", re.IGNORECASE)
_PERCENT: Final = re.compile(r"(.+?)\s*%")
_BP: Final = re.compile(r"(.+?)\s*(bps|bp|basis points?)", re.IGNORECASE)
_OVER_SOFR: Final = re.compile(r"(S|SOFR)\s*\+\s*(.+)", re.IGNORECASE)

_BP_PER_PERCENT: Final = Decimal(100)
_SHARE_PER_PERCENT: Final = Decimal("0.01")

EXAMPLES: Final[dict[Unit, tuple[str, ...]]] = {
    "percent": ("7.5", "7.5%"),
    "bp": ("450", "450bp", "4.5%"),
    "share": ("0.8", "80%"),
    "number": ("250000000", "250,000,000"),
}
"""An example of the accepted forms per unit, quoted by error messages."""

DATE_FORMS: Final = "2027-12-31, 31/12/2027, Dec-2027 or December 31, 2027"
"""The accepted date forms, quoted by error messages."""


def is_plain_number(text: str) -> bool:
    """``True`` for text pydantic reads as a number as is (``7.5``, ``-1e5``)."""
    return _PLAIN.fullmatch(text) is not None


def _decimal(text: str) -> Decimal | None:
    """A plain or thousands-separated number as a Decimal, else ``None``."""
    text = text.strip()
    if _PLAIN.fullmatch(text):
        return Decimal(text)
    if _THOUSANDS.fullmatch(text):
        return Decimal(text.replace(",", ""))
    return None


def _number(value: Decimal) -> float | int:
    """The Decimal as an int when whole (counts and months stay integers), else a float."""
    return int(value) if value == value.to_integral_value() else float(value)


def read_number(text: str, unit: Unit, column: str) -> tuple[float | int, str | None]:
    """Read the number typed in a ``unit`` column; return it and a note of the conversion.

    Raises
    ------
    ValueError
        If the text is no number in a form this column accepts (the message gives one).
    """
    text = text.strip()
    try:
        return _read(text, unit, column)
    except InvalidOperation:
        raise ValueError(expected_number(unit, column)) from None


def _read(text: str, unit: Unit, column: str) -> tuple[float | int, str | None]:
    plain = _decimal(text)
    if plain is not None:
        return _number(plain), None if _PLAIN.fullmatch(text) else "thousands separators"
    money = _MONEY_PREFIX.sub("", text)
    amount = _decimal(money) if money != text else None
    if amount is not None:
        return _number(amount), "currency sign"
    sofr = _OVER_SOFR.fullmatch(text)
    if sofr and column == "spread_bp":
        margin, _ = _read(sofr.group(2).strip(), "bp", column)
        return margin, "SOFR + margin"
    percent = _PERCENT.fullmatch(text)
    if percent and unit != "number" and (value := _decimal(percent.group(1))) is not None:
        scale = {"percent": Decimal(1), "bp": _BP_PER_PERCENT, "share": _SHARE_PER_PERCENT}[unit]
        return _number(value * scale), "percent sign"
    bp = _BP.fullmatch(text)
    if bp and unit in ("bp", "percent") and (value := _decimal(bp.group(1))) is not None:
        scale = Decimal(1) if unit == "bp" else 1 / _BP_PER_PERCENT
        return _number(value * scale), "basis points"
    raise ValueError(expected_number(unit, column))


def expected_number(unit: Unit, column: str) -> str:
    """What a number column accepts, with an example."""
    forms = EXAMPLES[unit] + (("S+450",) if column == "spread_bp" else ())
    return f"a number such as {', '.join(forms[:-1])} or {forms[-1]}"


def percent_cell(value: float, unit: Unit) -> float | None:
    """The column value of a %-formatted cell holding ``value`` (Excel stores 7.5% as 0.075);
    ``None`` when the stored value is already in the column's unit (shares, plain numbers)."""
    if unit == "percent":
        return float(Decimal(repr(value)) * 100)
    if unit == "bp":
        return float(Decimal(repr(value)) * 10_000)
    return None


# ---- dates ----

_ISO: Final = re.compile(r"\d{4}-\d{2}-\d{2}")
_NUMERIC: Final = re.compile(r"(\d{1,2})([/.\-])(\d{1,2})\2(\d{4})")
_YEAR_FIRST: Final = re.compile(r"(\d{4})[/.](\d{1,2})[/.](\d{1,2})")
_WORDED: Final[tuple[str, ...]] = (
    "%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%b %d %Y", "%d %B %Y", "%d %b %Y",
    "%d-%b-%Y", "%d-%B-%Y", "%d %b, %Y",
)
_MONTH_ONLY: Final[tuple[str, ...]] = ("%b-%Y", "%B-%Y", "%b %Y", "%B %Y", "%b-%y", "%b %y")


def is_iso_date(text: str) -> bool:
    """``True`` for ``YYYY-MM-DD`` text (read as is by the schema)."""
    return len(text) == 10 and _ISO.fullmatch(text) is not None


def read_date(text: str) -> tuple[date, str | None]:
    """Read a date typed in one of the common forms; return it and a note of the conversion.

    Raises
    ------
    ValueError
        If the form is unknown, the date does not exist, or day and month could be swapped
        (both readings are named).
    """
    text = " ".join(text.split())
    numeric = _NUMERIC.fullmatch(text)
    if numeric:
        return _day_month(text, numeric)
    year_first = _YEAR_FIRST.fullmatch(text)
    if year_first:
        y, m, d = (int(g) for g in year_first.groups())
        return _checked(text, y, m, d), "year/month/day"
    for form in _WORDED:
        try:
            return datetime.strptime(text, form).date(), "written date"
        except ValueError:
            continue
    for form in _MONTH_ONLY:
        try:
            first = datetime.strptime(text, form).date()
        except ValueError:
            continue
        return first, "month and year: the first day of the month"
    raise ValueError(f"a date such as {DATE_FORMS}")


def _day_month(text: str, match: re.Match[str]) -> tuple[date, str]:
    a, sep, b, y = int(match.group(1)), match.group(2), int(match.group(3)), int(match.group(4))
    if sep == "." or a > 12:  # dots are day-first everywhere they are used
        return _checked(text, y, b, a), "day/month/year"
    if b > 12:
        return _checked(text, y, a, b), "month/day/year"
    if a == b:
        return _checked(text, y, a, b), "day/month/year"
    first, second = _checked(text, y, b, a), _checked(text, y, a, b)
    raise ValueError(
        f"an unambiguous date: '{text}' reads as {first.isoformat()} (day first) or "
        f"{second.isoformat()} (month first); type it as {first.isoformat()} or "
        f"{second.isoformat()}"
    )


def _checked(text: str, year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"an existing calendar date (no such day: '{text}'); e.g. "
                         f"2027-12-31") from None
