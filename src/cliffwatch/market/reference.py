"""Market reference data: GPU generations, rating grid, factor-model parameters, correlations.

Loaded from ``cliffwatch/data/market/reference.yaml`` (or a user file with the same layout).
Every number in the file is a ``{value, source}`` pair and every source must carry one of the
tags ``[sourced]``, ``[estimate]`` or ``[weak]`` from the project's domain notes, so that no
assumption enters the model without its provenance.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Generic, TypeVar

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from cliffwatch.codes import Rating
from cliffwatch.market.errors import MarketInputError, describe_validation, located
from cliffwatch.safe_yaml import YamlBudgetError, safe_load

T = TypeVar("T")
ModelT = TypeVar("ModelT", bound=BaseModel)
TAGS: tuple[str, ...] = ("[sourced", "[estimate", "[weak", "factor order", "knot grid", "age grid")
"""A source must contain one of these (the last three label pure layout entries)."""
FACTORS: tuple[str, ...] = (
    "sofr",
    "spread",
    "gpu_rent",
    "utilization",
    "power",
    "tech_earnings",
    "dc_value",
)
"""Order of the correlated monthly innovations (columns of the correlation matrix)."""
STANDARDIZED_TOL: float = 0.01
"""Allowed relative gap between a standardized factor's stationary variance and 1."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Sourced(_Strict, Generic[T]):
    """One reference number (or list) with its source and tag."""

    value: T
    source: str

    @field_validator("source")
    @classmethod
    def _tagged(cls, s: str) -> str:
        if not any(t in s for t in TAGS):
            raise ValueError("a source tagged [sourced], [estimate] or [weak]")
        return s


F = Sourced[float]


class SofrRef(_Strict):
    r0: F
    forward_knots_years: Sourced[list[float]]
    forward_rates: Sourced[list[float]]
    mean_reversion: F
    volatility: F

    @model_validator(mode="after")
    def _knots(self) -> SofrRef:
        k, f = self.forward_knots_years.value, self.forward_rates.value
        if len(k) != len(f) or len(k) < 1 or k[0] != 0.0 or np.any(np.diff(k) <= 0):
            raise ValueError("forward knots starting at 0, increasing, one rate per knot")
        return self


class SpreadRef(_Strict):
    s0: F
    theta: F
    kappa: F
    sigma: F
    jump_intensity: F
    jump_mean: F
    jump_sd: F
    jump_decay: F


class UtilRef(_Strict):
    u0: F
    u_long: F
    ramp_mid_months: F
    ramp_width_months: F
    kappa: F
    sigma: F


class GenerationRef(_Strict):
    launch: Sourced[dt.date]
    list_price: F
    power_kw: F
    rent0: F
    rent_decay: F


class GpuRef(_Strict):
    rent_kappa: F
    rent_sigma: F
    rent_common_share: F
    launch_rent_step: F
    launch_value_step: F
    value_floor_share: F
    residual_age_years: Sourced[list[float]]
    residual_share: Sourced[list[float]]
    future_launches: Sourced[list[dt.date]]
    generations: dict[str, GenerationRef]


class PowerRef(_Strict):
    p0: F
    growth: F
    kappa: F
    sigma: F


class TechRef(_Strict):
    kappa: F
    copula_month: Sourced[int]
    copula_rho: F


class DcRef(_Strict):
    growth: F
    kappa: F
    sigma: F


class AccessRef(_Strict):
    base_access: F
    half_open_spread: F


class AiCapexRef(_Strict):
    """Standardized AI-capex factor X: an OU started at 0 with unit stationary variance."""

    kappa: F
    sigma: F
    tech_loading: F

    @model_validator(mode="after")
    def _standardized(self) -> AiCapexRef:
        k, s, a = self.kappa.value, self.sigma.value, self.tech_loading.value
        if k <= 0.0 or abs(s * s / (2.0 * k) - 1.0) > STANDARDIZED_TOL:
            raise ValueError("kappa > 0 and sigma = sqrt(2 kappa) (unit stationary variance)")
        if not -1.0 <= a <= 1.0:
            raise ValueError("tech_loading, a correlation, in [-1, 1]")
        return self


class BudgetRef(_Strict):
    """Budget link ``B = -lambda (rho X + sqrt(1 - rho^2) Z)``."""

    rho: F
    lambda_share: F

    @model_validator(mode="after")
    def _signs(self) -> BudgetRef:
        if not -1.0 <= self.rho.value <= 0.0 or self.lambda_share.value < 0.0:
            raise ValueError("rho in [-1, 0] (budgets fall as AI capex rises) and lambda >= 0")
        return self


class SoftwareMultipleRef(_Strict):
    """Log-OU of the EV/ARR multiple factor, loaded on the budget factor and on the
    tech-earnings level (``ln M = y_M - budget_loading B + tech_loading T``)."""

    kappa: F
    sigma: F
    budget_loading: F
    tech_loading: F

    @model_validator(mode="after")
    def _re_rates_with_tech(self) -> SoftwareMultipleRef:
        if self.tech_loading.value < 0.0:
            raise ValueError("tech_loading >= 0 (multiples fall when tech earnings fall)")
        return self


class SoftwareSpreadRef(_Strict):
    """Software sector basis over the HY index: level plus OU surprise plus budget loading."""

    s0: F
    kappa: F
    sigma: F
    budget_loading: F


class SoftwareRef(_Strict):
    """The software side of the AI theme (issue 11, DOMAIN 9)."""

    ai_capex: AiCapexRef
    budget: BudgetRef
    multiple: SoftwareMultipleRef
    spread: SoftwareSpreadRef


class RatingRef(_Strict):
    spread_multiplier: Sourced[list[float]]
    annual_pd: Sourced[list[float]]

    @model_validator(mode="after")
    def _one_per_rating(self) -> RatingRef:
        n = len(Rating)
        if len(self.spread_multiplier.value) != n or len(self.annual_pd.value) != n:
            raise ValueError(f"{n} values, one per rating {[r.name for r in Rating]}")
        if not all(0.0 <= p < 1.0 for p in self.annual_pd.value):
            raise ValueError("annual PDs in [0, 1)")
        return self


class CorrelationRef(_Strict):
    factors: Sourced[list[str]]
    matrix: Sourced[list[list[float]]]

    @model_validator(mode="after")
    def _valid(self) -> CorrelationRef:
        if tuple(self.factors.value) != FACTORS:
            raise ValueError(f"factors in the order {list(FACTORS)}")
        m = np.asarray(self.matrix.value, dtype=float)
        if m.shape != (len(FACTORS), len(FACTORS)) or not np.allclose(m, m.T):
            raise ValueError("a symmetric 7x7 matrix")
        if not np.allclose(np.diag(m), 1.0) or np.linalg.eigvalsh(m).min() <= 0.0:
            raise ValueError("a positive-definite correlation matrix with unit diagonal")
        return self


class MarketReference(_Strict):
    """The whole reference file, validated."""

    as_of: dt.date
    sofr: SofrRef
    spread: SpreadRef
    utilization: UtilRef
    gpu: GpuRef
    power: PowerRef
    tech_earnings: TechRef
    dc_value: DcRef
    market_access: AccessRef
    ratings: RatingRef
    correlation: CorrelationRef
    software: SoftwareRef

    def cholesky(self) -> np.ndarray:
        """(7, 7) lower Cholesky factor of the innovation correlation matrix."""
        return np.linalg.cholesky(np.asarray(self.correlation.matrix.value, dtype=float))

    def annual_pd(self) -> np.ndarray:
        """(8,) base annual default probability per ``codes.Rating``."""
        return np.asarray(self.ratings.annual_pd.value, dtype=float)

    def assumptions(self) -> list[tuple[str, str, str]]:
        """Every reference number as ``(dotted name, value, source)``, for the methodology table."""
        return list(_sourced_leaves(self, ""))


def _sourced_leaves(node: object, prefix: str) -> Iterator[tuple[str, str, str]]:
    if isinstance(node, Sourced):
        yield prefix, str(node.value), node.source
    elif isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from _sourced_leaves(getattr(node, name), f"{prefix}.{name}".lstrip("."))
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _sourced_leaves(value, f"{prefix}.{key}")


def _bundled_path() -> Path:
    return Path(str(resources.files("cliffwatch") / "data" / "market" / "reference.yaml"))


def read_yaml(path: Path) -> object:
    """Safe-load a YAML file (no object-constructing tags); errors are located."""
    try:
        with open(path, encoding="utf-8") as fh:
            return safe_load(fh, path)
    except FileNotFoundError:
        raise located(path, ["file not found"]) from None
    except OSError as e:  # a folder, no permission
        raise located(path, [f"not readable: {e.strerror}"]) from None
    except UnicodeDecodeError as e:
        raise located(path, [f"not UTF-8 text (invalid byte at offset {e.start}); save the "
                             "file as UTF-8"]) from None
    except RecursionError:
        raise located(path, ["YAML nested too deeply to read"]) from None
    except YamlBudgetError as e:
        where = f"line {e.line}: " if e.line is not None else ""
        raise located(path, [f"not valid YAML: {where}{e.problem}"]) from None
    except yaml.YAMLError as e:
        raise located(path, [f"not valid YAML: {e}"]) from None


def load_reference(path: Path | str | None = None) -> MarketReference:
    """Load and validate market reference data.

    Parameters
    ----------
    path
        A YAML file with the layout of the bundled ``reference.yaml``; ``None`` loads the
        bundled file (cached).

    Raises
    ------
    MarketInputError
        Listing every invalid key with its path, value and what was expected.
    """
    if path is None:
        return _load_bundled()
    return _parse(Path(path))


@lru_cache(maxsize=1)
def _load_bundled() -> MarketReference:
    return _parse(_bundled_path())


def parse_model(path: Path, model: type[ModelT]) -> ModelT:
    """The YAML file at ``path`` validated as ``model``; every invalid key located in one
    ``MarketInputError``."""
    raw = read_yaml(path)
    try:
        return model.model_validate(raw)
    except ValidationError as e:
        raise describe_validation(path, e) from None


def _parse(path: Path) -> MarketReference:
    return parse_model(path, MarketReference)


__all__ = ["FACTORS", "MarketInputError", "MarketReference", "load_reference", "read_yaml"]
