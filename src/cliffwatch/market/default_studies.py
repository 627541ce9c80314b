"""External calibration targets: rating default studies, unrated mapping, seniority LGDs.

Loaded from ``cliffwatch/data/market/default_studies.yaml`` (or a user file with the same layout)
and validated on load: cumulative default rates in [0, 1], non-decreasing in horizon and in
rating, LGDs in [0, 1] and non-decreasing with subordination, one letter for every archetype.
The model never simulates with these numbers; the rating-implied benchmark
(:mod:`cliffwatch.analytics.benchmark`) compares the model's results with them.
Probabilities and LGDs are decimals; horizons in years (months where a name says so).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
from pydantic import field_validator, model_validator

from cliffwatch.codes import Archetype, Rating
from cliffwatch.market.reference import Sourced, _Strict, parse_model

LETTERS: tuple[Rating, ...] = tuple(r for r in Rating if r is not Rating.NR)
"""Rated letters in ``codes.Rating`` order (AAA .. CCC); NR is mapped, never looked up."""
SENIORITIES: tuple[str, ...] = ("senior_secured", "senior_unsecured", "subordinated")
"""Seniority classes of the benchmark LGD, most senior first."""

Curve = Sourced[list[float]]


class CumulativeDefault(_Strict):
    """Average cumulative default rate per rating letter at each of ``years``."""

    years: Sourced[list[int]]
    AAA: Curve
    AA: Curve
    A: Curve
    BBB: Curve
    BB: Curve
    B: Curve
    CCC: Curve
    extrapolation: Sourced[str]

    @model_validator(mode="after")
    def _monotone(self) -> CumulativeDefault:
        years = np.asarray(self.years.value, dtype=float)
        if years.size < 1 or years[0] <= 0 or np.any(np.diff(years) <= 0):
            raise ValueError("years: increasing positive horizons")
        table = self.table()
        if table.shape[1] != years.size:
            raise ValueError(f"{years.size} rates per letter, one per year in years")
        if np.any(table < 0.0) or np.any(table >= 1.0):
            raise ValueError("cumulative default rates in [0, 1)")
        if np.any(np.diff(table, axis=1) < 0.0):
            row = int(np.argwhere(np.diff(table, axis=1) < 0.0)[0, 0])
            raise ValueError(f"{LETTERS[row].name}: rates non-decreasing in horizon")
        if np.any(np.diff(table, axis=0) < 0.0):
            row, col = (int(i) for i in np.argwhere(np.diff(table, axis=0) < 0.0)[0])
            raise ValueError(f"rates non-decreasing from better to worse rating: "
                             f"{LETTERS[row + 1].name} below {LETTERS[row].name} at year "
                             f"{self.years.value[col]}")
        return self

    def table(self) -> np.ndarray:
        """(7, Y) cumulative default rates, rows in ``LETTERS`` order, decimals."""
        rows = [getattr(self, r.name).value for r in LETTERS]
        if len({len(r) for r in rows}) != 1:
            raise ValueError("the same number of rates for every letter")
        return np.asarray(rows, dtype=float)


class Unrated(_Strict):
    """How a borrower rated NR gets a letter for the benchmark."""

    use_parent: Sourced[bool]
    by_archetype: Sourced[dict[str, str]]

    @field_validator("by_archetype")
    @classmethod
    def _every_archetype(cls, v: Sourced[dict[str, str]]) -> Sourced[dict[str, str]]:
        names = {a.name for a in Archetype}
        letters = {r.name for r in LETTERS}
        missing = sorted(names - set(v.value))
        unknown = sorted(set(v.value) - names)
        bad = sorted(f"{k}: {x}" for k, x in v.value.items() if x not in letters)
        if missing or unknown or bad:
            raise ValueError(f"one rated letter {sorted(letters)} per archetype; missing "
                             f"{missing}, unknown {unknown}, not a letter {bad}")
        return v


class SeniorityLgd(_Strict):
    """Loss given default per seniority class, share of exposure at default."""

    senior_secured: Sourced[float]
    senior_unsecured: Sourced[float]
    subordinated: Sourced[float]

    @model_validator(mode="after")
    def _ordered(self) -> SeniorityLgd:
        v = self.values()
        if np.any(v < 0.0) or np.any(v > 1.0) or np.any(np.diff(v) < 0.0):
            raise ValueError("LGDs in [0, 1], non-decreasing from senior secured to "
                             "subordinated")
        return self

    def values(self) -> np.ndarray:
        """(3,) LGDs in ``SENIORITIES`` order, decimals."""
        return np.array([getattr(self, s).value for s in SENIORITIES], dtype=float)


class DefaultStudies(_Strict):
    """The whole targets file, validated."""

    as_of: dt.date
    cumulative_default: CumulativeDefault
    unrated: Unrated
    lgd: SeniorityLgd

    def cumulative_pd(self, rating: np.ndarray, months: float) -> np.ndarray:
        """Rating-implied cumulative default probability within ``months``.

        Parameters
        ----------
        rating : int array of ``codes.Rating`` letters (NR must be mapped first).
        months : horizon in months (> 0).

        Returns
        -------
        float array like ``rating``: linear interpolation in years between the table's knots
        and (0, 0); past the last knot the last year's marginal rate repeats yearly.
        """
        r = np.asarray(rating)
        if np.any(r == int(Rating.NR)) or np.any(r < 0) or np.any(r > int(Rating.CCC)):
            raise ValueError("ratings must be letters AAA..CCC (map NR first)")
        if months <= 0:
            raise ValueError("horizon in months must be positive")
        years = np.asarray(self.cumulative_default.years.value, dtype=float)
        table = self.cumulative_default.table()
        t = months / 12.0
        if t <= years[-1]:
            knots = np.concatenate([[0.0], years])
            curve = np.array([np.interp(t, knots, np.concatenate([[0.0], row])) for row in table])
        else:
            last = table[:, -1]
            prev = table[:, -2] if years.size > 1 else np.zeros_like(last)
            step = years[-1] - (years[-2] if years.size > 1 else 0.0)
            # survival to the last knot, then the last knot's yearly conditional survival
            cond = np.where(prev < 1.0, (1.0 - last) / (1.0 - prev), 0.0) ** (1.0 / step)
            curve = 1.0 - (1.0 - last) * cond ** (t - years[-1])
        return curve[r]

    def letter_for_archetype(self, archetype: int) -> int:
        """``codes.Rating`` letter of an unrated borrower of this archetype."""
        return int(Rating[self.unrated.by_archetype.value[Archetype(archetype).name]])

    def assumptions(self) -> list[tuple[str, str, str]]:
        """Every target as ``(dotted name, value, source)``."""
        from cliffwatch.market.reference import _sourced_leaves

        return list(_sourced_leaves(self, ""))


def _bundled_path() -> Path:
    return Path(str(resources.files("cliffwatch") / "data" / "market" / "default_studies.yaml"))


def load_default_studies(path: Path | str | None = None) -> DefaultStudies:
    """Load and validate the calibration targets (``None``: the bundled file, cached).

    Raises
    ------
    cliffwatch.market.errors.MarketInputError listing every invalid key with its path.
    """
    if path is None:
        return _load_bundled()
    return _parse(Path(path))


@lru_cache(maxsize=1)
def _load_bundled() -> DefaultStudies:
    return _parse(_bundled_path())


def _parse(path: Path) -> DefaultStudies:
    return parse_model(path, DefaultStudies)
