"""Sensitivity bumps: paired moves of the factor paths, sized to move the model.

A bump of 1 bp moves a credit book by less than its Monte Carlo noise (the issue that prompted
this module saw a spread sensitivity of −$437 ± $828 per bp while a spread scenario moved EL by
47%), so the default bumps are the size of a plausible market move: SOFR and the credit
spread +100 bp, uncontracted utilization −10 percentage points, GPU values and GPU rents −10%.
Each is applied to the same paths as the unbumped run (common random numbers), and the
sensitivities table reports the change of EL and ES99 for the whole bump with its standard
error. Sizes are configurable: ``cliffwatch run --bump spread=50bp``, ``cw.run(bump_sizes=)``,
``RunSpec.bump_sizes``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from typing import Final

import numpy as np

from cliffwatch.market.paths import FactorPaths

BP: Final = 1e-4
"""One basis point as a decimal rate."""


@dataclass(frozen=True)
class Bump:
    """A paired finite-difference bump of the factor paths.

    ``size`` divides the reported change: 1.0 reports the change for the whole bump (the
    default bumps), 25.0 for a 25 bp bump named ``..._1bp`` reports it per basis point.
    """

    name: str
    size: float
    apply: Callable[[FactorPaths], FactorPaths]


@dataclass(frozen=True)
class BumpSizes:
    """Bump sizes in the unit each name states; the sign is the adverse direction."""

    sofr_bp: float = 100.0
    """SOFR shift up, basis points."""
    spread_bp: float = 100.0
    """Credit-spread index shift up, basis points."""
    utilization_pp: float = 10.0
    """Uncontracted utilization shift down, percentage points (kept inside 0..100%)."""
    gpu_value_pct: float = 10.0
    """GPU resale values cut, percent."""
    rent_pct: float = 10.0
    """GPU rents cut, percent."""

    def __post_init__(self) -> None:
        # a cut of 100% or more leaves values or rents at or below zero; utilization is a share
        for f in fields(self):
            value = getattr(self, f.name)
            ok = (0 < value < 100 if f.name.endswith("_pct")
                  else 0 < value <= 100 if f.name.endswith("_pp")
                  else 0 < value < np.inf)
            if not ok:
                unit = f.name.rsplit("_", 1)[1]
                limit = {"pct": " and below 100", "pp": " and at most 100"}.get(unit, "")
                raise ValueError(f"bump size {f.name}: {value} {unit}; expected above 0{limit}")


DEFAULT_SIZES: Final = BumpSizes()


def _shift(name: str, delta: float, lo: float = -np.inf, hi: float = np.inf) -> Callable[
        [FactorPaths], FactorPaths]:
    return lambda fp: replace(fp, **{name: np.clip(getattr(fp, name) + delta, lo, hi)})


def _scale(name: str, factor: float) -> Callable[[FactorPaths], FactorPaths]:
    return lambda fp: replace(fp, **{name: getattr(fp, name) * factor})


def _g(x: float) -> str:
    return f"{x:g}"


def make_bumps(sizes: BumpSizes = DEFAULT_SIZES) -> tuple[Bump, ...]:
    """The five adverse bumps of ``sizes``, named by their move (``spread_+100bp``)."""
    return (
        Bump(f"sofr_+{_g(sizes.sofr_bp)}bp", 1.0, _shift("sofr", sizes.sofr_bp * BP)),
        Bump(f"spread_+{_g(sizes.spread_bp)}bp", 1.0, _shift("spread", sizes.spread_bp * BP)),
        Bump(f"utilization_-{_g(sizes.utilization_pp)}pp", 1.0,
             _shift("utilization", -sizes.utilization_pp / 100, 0.0, 1.0)),
        Bump(f"gpu_value_-{_g(sizes.gpu_value_pct)}pct", 1.0,
             _scale("gpu_value", 1 - sizes.gpu_value_pct / 100)),
        Bump(f"rent_-{_g(sizes.rent_pct)}pct", 1.0, _scale("gpu_rent", 1 - sizes.rent_pct / 100)),
    )


BUMPS: Final = make_bumps()
"""The default bumps."""

_OPTION = re.compile(r"\s*(\w+)\s*=\s*([0-9.]+)\s*(bp|pp|%|pct)?\s*", re.IGNORECASE)
_UNIT_OF: Final = {"sofr": "bp", "spread": "bp", "utilization": "pp", "gpu_value": "pct",
                   "rent": "pct"}


def parse_bump_sizes(options: list[str]) -> BumpSizes:
    """``["spread=50bp", "rent=20%"]`` -> BumpSizes with those two sizes changed.

    Raises
    ------
    ValueError
        Naming the accepted form when an option is not ``NAME=SIZE[UNIT]`` with a known name,
        the name's unit and a size above zero.
    """
    sizes = DEFAULT_SIZES
    names = {f.name.rsplit("_", 1)[0]: f.name for f in fields(BumpSizes)}
    for text in options:
        m = _OPTION.fullmatch(text)
        known = ", ".join(f"{n}=N{u}" for n, u in _UNIT_OF.items())
        if m is None or m.group(1).lower() not in names:
            raise ValueError(f"--bump {text!r}: expected NAME=SIZE, one of {known}")
        name = m.group(1).lower()
        unit = (m.group(3) or _UNIT_OF[name]).lower().replace("%", "pct")
        if unit != _UNIT_OF[name] or float(m.group(2)) <= 0:
            raise ValueError(f"--bump {text!r}: {name} takes a size above 0 in {_UNIT_OF[name]}, "
                             f"e.g. {name}=10{_UNIT_OF[name]}")
        try:
            sizes = replace(sizes, **{names[name]: float(m.group(2))})
        except ValueError as exc:
            raise ValueError(f"--bump {text!r}: {exc}, e.g. {name}=10{_UNIT_OF[name]}") from None
    return sizes
