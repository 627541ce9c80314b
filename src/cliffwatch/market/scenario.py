"""Scenario specs: YAML documents that change the factor models deterministically.

A scenario never changes the random draws (common random numbers): it is a set of
deterministic transforms applied to the same shocks. Per factor (:class:`FactorMod`), in order:

1. ``path``: a deterministic path (points ``{month: value}``, linear between points, flat
   outside) that replaces the factor; its volatility is zero. Otherwise:
2. ``center``: a new median path (noise kept); ``delay_months`` shifts the median (e.g. the
   utilization ramp) later in time; ``vol_scale`` scales the noise;
3. ``scale`` (points, multiplicative), ``jump`` (at ``month``, log-size ``size`` decaying with
   ``half_life_months``; additive for ``sofr`` and ``tech_earnings``), ``shift`` (points,
   additive), ``set`` windows ``[from, to)`` fixing the level, then ``floor`` / ``cap``.

Plus counterparty PD rules, forced defaults, market-closed windows, contagion and overrides of
the engine's assumptions (``engine:``), held here as data: the market layer does not import the
engine, and the run checks and applies them (:func:`cliffwatch.runs.params.engine_params`).
``extends: NAME|FILE`` inherits a parent spec (mappings merge key by key, the child wins; lists
are replaced).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from cliffwatch.codes import Archetype, Rating
from cliffwatch.market.bounds import (
    HALF_LIFE_MAX_MONTHS,
    JUMP_SIZE_MAX,
    LEVEL_MAX,
    PD_MULTIPLIER_MAX,
    VOL_SCALE_MAX,
    engine_problems,
)
from cliffwatch.market.errors import MarketInputError, describe_validation, located
from cliffwatch.market.reference import read_yaml
from cliffwatch.shown import shown

Points = dict[int, float]
"""Monthly points ``{month: value}``; months are offsets from the valuation month."""


class _Spec(BaseModel):
    # allow_inf_nan=False: a NaN or infinite number anywhere is refused where it is written
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True,
                              allow_inf_nan=False)


def _check_points(p: Points | None) -> Points | None:
    if p is not None and (not p or min(p) < 0):
        raise ValueError("at least one point, months >= 0")
    if p is not None and any(abs(v) > LEVEL_MAX for v in p.values()):
        raise ValueError(f"point values within +-{LEVEL_MAX:g}")
    return p


Level = Annotated[float, Field(ge=-LEVEL_MAX, le=LEVEL_MAX)]
"""A factor level, shift or bound in the factor's units (finite, see :mod:`.bounds`)."""


class Jump(_Spec):
    """A jump at ``month`` of log-size ``size`` (additive for linear factors) that decays."""

    month: int = Field(ge=0)
    size: float = Field(ge=-JUMP_SIZE_MAX, le=JUMP_SIZE_MAX)
    half_life_months: float | None = Field(default=None, gt=0, le=HALF_LIFE_MAX_MONTHS)
    """Half-life of the jump's decay, months; omitted = permanent."""


class Window(_Spec):
    """Months ``[from, to)`` with a fixed value."""

    from_month: int = Field(alias="from", ge=0)
    to_month: int = Field(alias="to", ge=1)
    value: Level = 0.0

    @model_validator(mode="after")
    def _ordered(self) -> Window:
        if self.to_month <= self.from_month:
            raise ValueError("'to' after 'from'")
        return self


class FactorMod(_Spec):
    """Deterministic modifications of one factor (see the module docstring for the order)."""

    path: Points | None = None
    center: Points | None = None
    delay_months: int = Field(default=0, ge=0)
    vol_scale: float = Field(default=1.0, ge=0.0, le=VOL_SCALE_MAX)
    scale: Points | None = None
    jump: list[Jump] = []
    shift: Points | None = None
    set: list[Window] = []
    floor: Level | None = None
    cap: Level | None = None

    _pts = field_validator("path", "center", "scale", "shift")(_check_points)


class Factors(_Spec):
    """Modifications per factor; ``gpu_*_by_generation`` keys are generation names."""

    sofr: FactorMod | None = None
    spread: FactorMod | None = None
    utilization: FactorMod | None = None
    power_price: FactorMod | None = None
    tech_earnings: FactorMod | None = None
    dc_value: FactorMod | None = None
    market_access: FactorMod | None = None
    gpu_rent: FactorMod | None = None
    gpu_value: FactorMod | None = None
    ai_capex: FactorMod | None = None
    """Standardized AI-capex factor (sd units, additive jumps); applied before the budget link."""
    software_budget: FactorMod | None = None
    """Share of software spend reallocated (decimal, additive jumps); applied after the link."""
    software_multiple: FactorMod | None = None
    """EV/ARR multiple factor (x month 0, log space)."""
    software_spread: FactorMod | None = None
    """Software basis over the HY index (decimal per year, additive jumps)."""
    gpu_rent_by_generation: dict[str, FactorMod] = {}
    gpu_value_by_generation: dict[str, FactorMod] = {}

    @model_validator(mode="after")
    def _all_gen_level_free(self) -> Factors:
        for name in ("gpu_rent", "gpu_value"):
            mod = getattr(self, name)
            if mod is not None and (mod.path is not None or mod.center is not None):
                raise ValueError(
                    f"{name} (all generations) cannot set 'path' or 'center' in "
                    f"USD; use {name}_by_generation"
                )
        return self


def _archetype(v: str | None) -> str | None:
    if v is not None and v not in Archetype.__members__:
        raise ValueError(f"an archetype in {list(Archetype.__members__)}")
    return v


def _rating(v: str | None) -> str | None:
    if v is not None and v not in Rating.__members__:
        raise ValueError(f"a rating in {list(Rating.__members__)}")
    return v


class PdRule(_Spec):
    """Counterparty / exogenous-borrower PD change for an archetype and/or rating."""

    archetype: str | None = None
    rating: str | None = None
    multiplier: float | None = Field(default=None, ge=0.0, le=PD_MULTIPLIER_MAX)
    annual_pd: float | None = Field(default=None, ge=0.0, lt=1.0)

    _a = field_validator("archetype")(_archetype)
    _r = field_validator("rating")(_rating)

    @model_validator(mode="after")
    def _one(self) -> PdRule:
        if (self.multiplier is None) == (self.annual_pd is None):
            raise ValueError("exactly one of 'multiplier' or 'annual_pd'")
        return self


class ForcedDefault(_Spec):
    """Obligors of an archetype (or listed ids) forced to default at ``month``."""

    target: Literal["borrower", "counterparty"] = "borrower"
    archetype: str | None = None
    ids: list[str] | None = None
    month: int = Field(ge=0)
    max_count: int | None = Field(default=None, ge=1)
    """Only the first ``max_count`` matches (in tape order)."""

    _a = field_validator("archetype")(_archetype)

    @model_validator(mode="after")
    def _some(self) -> ForcedDefault:
        if self.archetype is None and not self.ids:
            raise ValueError("'archetype' or 'ids'")
        return self


MAX_REF_BYTES = 250
"""Longest ``extends`` reference, bytes (a file name may have 255)."""


class ScenarioSpec(_Spec):
    """A validated scenario document (after ``extends`` is merged)."""

    name: str
    description: str = ""
    extends: str | None = None
    anchors: list[str] = []
    """Public history each parameter is calibrated on (free text, cited in the YAML)."""
    factors: Factors = Factors()
    gpu_value_launch_step: float | None = Field(default=None, ge=0.0, lt=1.0)
    """Extra GPU value step-down at each new-generation launch (overrides the reference)."""
    market_closed: list[Window] = []
    counterparty_pd: list[PdRule] = []
    forced_defaults: list[ForcedDefault] = []
    contagion: bool | None = None
    engine: dict[str, Any] = {}
    """Overrides of the engine's assumptions by name (checked against the engine's parameters
    when a run is built, :func:`cliffwatch.runs.params.check_engine_overrides`)."""


@dataclasses.dataclass(frozen=True)
class Scenario:
    """A resolved scenario: its spec and the file it came from."""

    spec: ScenarioSpec
    source: str

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def is_deterministic(self) -> bool:
        """True when every stochastic factor has a ``path`` (one path suffices)."""
        f = self.spec.factors
        mods = [f.sofr, f.spread, f.utilization, f.power_price, f.tech_earnings, f.dc_value]
        mods += [f.ai_capex, f.software_budget, f.software_multiple, f.software_spread]
        return all(m is not None and m.path is not None for m in mods)



def _check_engine_ranges(where: Path | str, engine: Mapping[str, Any]) -> None:
    """Refuse non-finite or out-of-range engine overrides where they are written (their names
    and types are checked against EngineParams by ``runs.params``, which knows the engine)."""
    problems = engine_problems(engine)
    if problems:
        raise located(where, problems)


def deep_merge(parent: Mapping[str, Any], child: Mapping[str, Any]) -> dict[str, Any]:
    """Child keys override parent keys; nested mappings merge recursively, lists replace."""
    out = dict(parent)
    for k, v in child.items():
        if isinstance(v, Mapping) and isinstance(out.get(k), Mapping):
            out[k] = deep_merge(out[k], v)
        else:
            out[k] = v
    return out


def _locate(ref: str, origin: Path | None) -> Path:
    """A bundled name (``base``) or a YAML path; ``origin`` is the extending file, if any.

    A parent file named by ``extends`` must lie in the extending file's folder or below it:
    a scenario (perhaps uploaded to the dashboard) must not make us read ``/etc/passwd`` or
    ``../../secrets.yaml``. Problems are located at the extending file.
    """
    from cliffwatch.market.library import bundled_names, bundled_path

    def refuse(why: str) -> MarketInputError:
        if origin is None:
            return MarketInputError(f"unknown scenario {shown(ref)}: {why}")
        return located(origin, [f"extends: got {shown(ref)}; {why}"])

    if len(ref.encode()) > MAX_REF_BYTES:  # the OS refuses it (ENAMETOOLONG) before any check
        raise refuse(f"expected a scenario name or file name (got {len(ref):,} characters)")
    if not ref.endswith((".yaml", ".yml")) and "/" not in ref and "\\" not in ref:
        found = bundled_path(ref)
        if found is None:
            raise refuse(f"expected one of {bundled_names()} or a .yaml file")
        return found
    if origin is None:
        return Path(ref)
    folder = origin.parent.resolve()
    path = (folder / ref).resolve()
    if Path(ref).is_absolute() or not path.is_relative_to(folder):
        raise refuse("expected a bundled name or a .yaml file in the folder of this file or "
                     "below it")
    if not path.is_file():
        raise refuse("expected an existing .yaml file (not found)")
    return path


def _raw(ref: str, origin: Path | None, seen: tuple[str, ...]) -> tuple[dict[str, Any], Path]:
    path = _locate(ref, origin)
    key = str(path.resolve())
    if key in seen:
        raise located(path, [f"extends: cycle through {' -> '.join(seen + (key,))}"])
    doc = read_yaml(path)
    if not isinstance(doc, dict):
        raise located(path, [f"<document>: got {type(doc).__name__}; expected a mapping"])
    parent = doc.get("extends")
    if parent is None:
        return doc, path
    if not isinstance(parent, str):
        raise located(path, [f"extends: got {shown(parent)}; expected a scenario name or file"])
    pdoc, _ = _raw(parent, path, seen + (key,))
    return deep_merge(pdoc, doc), path


def load_scenario(ref: str | Path) -> Scenario:
    """Load a scenario by bundled name (``base``) or YAML file path, resolving ``extends``.

    Raises
    ------
    MarketInputError
        With the file, key path, value and expectation of every problem.
    """
    doc, path = _raw(str(ref), None, ())
    name = doc.get("name")
    where = f"{path} (scenario {shown(name)})" if isinstance(name, str) else str(path)
    try:
        spec = ScenarioSpec.model_validate(doc)
    except ValidationError as e:
        raise describe_validation(where, e) from None
    _check_engine_ranges(where, spec.engine)
    return Scenario(spec=spec, source=str(path))


def resolve_scenarios(names: Sequence[str | Path] | None) -> list[Scenario]:
    """Bundled names or YAML paths; ``None`` or empty means the whole bundled library, ``base``
    first."""
    from cliffwatch.market.library import bundled_names

    if not names:
        names = sorted(bundled_names(), key=lambda n: (n != "base", n))
    return [load_scenario(n) for n in names]
