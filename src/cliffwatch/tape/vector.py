"""Column helpers of the compile step: Python lists of validated values -> numpy arrays.

Each helper handles a whole column in a few C-level passes, so compiling 100,000 facilities
costs well under a second (one Python call per row per column would cost tens of seconds).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from operator import attrgetter
from typing import Any

import numpy as np

from cliffwatch.tape.arrays import F8, I4, NO_MONTH


def column(rows: Sequence[Any], name: str) -> list[Any]:
    """The values of attribute ``name`` over ``rows``."""
    return list(map(attrgetter(name), rows))


def columns(rows: Sequence[Any]) -> dict[str, list[Any]]:
    """Every field of a list of validated rows as one list per field (one pass per field over
    the rows' ``__dict__``, cheaper than attribute access on each model)."""
    if not rows:
        return defaultdict(list)
    dicts = [r.__dict__ for r in rows]
    return {name: [d[name] for d in dicts] for name in dicts[0]}


def floats(values: Sequence[float | None], absent: float = 0.0) -> np.ndarray:
    """float64 array; ``None`` becomes ``absent`` (validated values are never NaN)."""
    out = np.array(values, dtype=F8)  # None -> NaN
    if len(out):
        out[np.isnan(out)] = absent
    return out


def scaled(value: float, exponent: int) -> float:
    """``value * 10**-exponent`` rounded once from the decimal the user typed.

    ``5.6 / 100`` in binary floating point is 0.055999999999999994; shifting the decimal
    representation gives the double nearest 0.056, the rate the tape states.
    """
    if value == 0:
        return 0.0
    return float(Decimal(repr(value)).scaleb(-exponent))


def scaled_floats(values: Sequence[float | None], exponent: int, absent: float) -> np.ndarray:
    """:func:`scaled` over a column (each distinct value converted once); ``None`` -> absent."""
    raw = floats(values, np.nan)
    out = np.full(raw.shape, absent, dtype=F8)
    present = ~np.isnan(raw)
    uniq, inverse = np.unique(raw[present], return_inverse=True)
    out[present] = np.array([scaled(float(u), exponent) for u in uniq], dtype=F8)[inverse]
    return out


def months(values: Sequence[date | None], as_of: date) -> np.ndarray:
    """Month offsets from ``as_of``'s month as int32; ``None`` becomes ``NO_MONTH``."""
    absent = -1  # no real date maps to month index -1 (year 0 does not exist in datetime)
    index = np.array([absent if v is None else v.year * 12 + v.month - 1 for v in values],
                     dtype=np.int64)
    offset = index - (as_of.year * 12 + as_of.month - 1)
    offset[index == absent] = NO_MONTH
    return offset.astype(I4)


def codes(values: Sequence[str], table: dict[str, int], dtype: Any) -> np.ndarray:
    """Integer codes of a column of names."""
    return np.array([table[v] for v in values], dtype=dtype)


def csr(groups: Sequence[Sequence[Any]]) -> tuple[np.ndarray, list[Any]]:
    """CSR pointer (length n + 1) and the flattened values of per-row lists."""
    ptr = np.zeros(len(groups) + 1, dtype=I4)
    ptr[1:] = np.cumsum([len(g) for g in groups], dtype=np.int64)
    return ptr, [v for g in groups for v in g]


def grouped_csr(
    owner: np.ndarray, keys: np.ndarray, n_owners: int, *values: np.ndarray
) -> tuple[np.ndarray, ...]:
    """CSR of rows grouped by ``owner`` (0..n_owners-1), ordered by ``keys`` then input order.

    Returns the pointer (length ``n_owners + 1``) and each of ``values`` reordered.
    """
    order = np.lexsort((np.arange(len(owner)), keys, owner))
    ptr = np.zeros(n_owners + 1, dtype=I4)
    ptr[1:] = np.cumsum(np.bincount(owner, minlength=n_owners), dtype=np.int64)
    return (ptr, *(v[order] for v in values))
