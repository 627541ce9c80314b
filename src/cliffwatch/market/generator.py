"""Fill :class:`~cliffwatch.market.paths.FactorPaths` for a block of Monte Carlo paths.

``generate(universe, scenario, seed, path_start, path_stop, horizon)`` is a pure function of its
arguments: path ``p`` gets the same numbers whatever block it is generated in (random streams
keyed by fixed chunks, :mod:`~cliffwatch.market.streams`), and every scenario sees the same
draws (common random numbers): scenarios are deterministic transforms of those draws.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cliffwatch.market.access import access_beta, access_probability
from cliffwatch.market.curve import PiecewiseLinearForward
from cliffwatch.market.defaults import apply_forced, default_months, obligor_pd
from cliffwatch.market.errors import MarketInputError
from cliffwatch.market.gpu import rent_center, rent_noise, value_paths
from cliffwatch.market.level_factors import log_ou_noise, tech_sd, tech_sigma, trend
from cliffwatch.market.ou import MONTH_YEARS, ou_paths
from cliffwatch.market.paths import FactorPaths
from cliffwatch.market.reference import MarketReference, load_reference
from cliffwatch.market.scenario import Scenario, load_scenario
from cliffwatch.market.short_rate import HullWhite
from cliffwatch.market.software import software_factors
from cliffwatch.market.spread import SpreadModel
from cliffwatch.market.streams import Shocks, draw_paths
from cliffwatch.market.transforms import apply_mod, apply_post
from cliffwatch.market.universe import Universe
from cliffwatch.market.utilization import util_center, util_noise
from cliffwatch.tape.arrays import NO_MONTH
from cliffwatch.units import HORIZON_DEFAULT_MONTHS

MIN_SPREAD: float = 1e-4
"""Floor on the spread index after scenario shifts (1 bp), keeps its logarithm finite."""
I_SOFR, I_SPREAD, I_RENT, I_UTIL, I_POWER, I_TECH, I_DC = range(7)


def hull_white(ref: MarketReference) -> HullWhite:
    """The SOFR model fitted to the reference starting curve."""
    s = ref.sofr
    curve = PiecewiseLinearForward(
        np.asarray(s.forward_knots_years.value, float), np.asarray(s.forward_rates.value, float)
    )
    return HullWhite(s.mean_reversion.value, s.volatility.value, curve)


def spread_model(ref: MarketReference) -> SpreadModel:
    """The spread-index model with the reference parameters."""
    return SpreadModel(**{k: getattr(ref.spread, k).value for k in SpreadModel.__annotations__})


def correlate(z: np.ndarray, chol: np.ndarray) -> list[np.ndarray]:
    """Correlated innovations ``L z`` as one (T, P) array per factor.

    An explicit sum in a fixed order (not BLAS) so each element is bit-identical whatever the
    number of paths in the block.
    """
    out = []
    for i in range(chol.shape[0]):
        acc = chol[i, 0] * z[..., 0]
        for k in range(1, i + 1):
            acc = acc + chol[i, k] * z[..., k]
        out.append(acc)
    return out


@dataclass(frozen=True)
class _Ctx:
    ref: MarketReference
    universe: Universe
    scenario: Scenario
    months: int


def generate(
    universe: Universe,
    scenario: Scenario | str | None = None,
    seed: int = 0,
    path_start: int = 0,
    path_stop: int = 1,
    horizon: int = HORIZON_DEFAULT_MONTHS,
    antithetic: bool = False,
    reference: MarketReference | None = None,
) -> FactorPaths:
    """Factor paths for paths ``[path_start, path_stop)`` over ``horizon`` months.

    Parameters
    ----------
    universe
        Obligors, facilities and GPU generations (``Universe.from_arrays(pa)``).
    scenario
        A loaded :class:`Scenario`, a bundled name or YAML path; ``None`` = ``base``.
    seed
        Root seed of the run (non-negative int).
    path_start, path_stop
        Global path indices of the block; any split of a range gives identical paths.
    horizon
        Months, month 0 = valuation month.
    antithetic
        Mirror the normals of the first half of each 32-path chunk in its second half.
    reference
        Market reference data; ``None`` = the bundled file.

    Returns
    -------
    FactorPaths
        Arrays shaped (paths, ..., months); see :mod:`cliffwatch.market.paths` for units.
    """
    if not (0 <= path_start < path_stop) or horizon < 1 or seed < 0:
        raise ValueError("need 0 <= path_start < path_stop, horizon >= 1 and seed >= 0")
    ref = reference or load_reference()
    scn = scenario if isinstance(scenario, Scenario) else load_scenario(scenario or "base")
    _check_generations(ref, universe, scn)
    months = max(horizon, ref.tech_earnings.copula_month.value + 1)
    shocks = draw_paths(
        seed,
        path_start,
        path_stop,
        months,
        len(universe.gpu_generations),
        universe.n_borrowers,
        universe.n_counterparties,
        universe.n_facilities,
        antithetic,
    )
    return _build(_Ctx(ref, universe, scn, months), shocks, horizon)


def _check_generations(ref: MarketReference, u: Universe, scn: Scenario) -> None:
    known = set(ref.gpu.generations)
    f = scn.spec.factors
    problems = [
        f"portfolio GPU generation {g!r} not in the market reference data"
        for g in u.gpu_generations
        if g not in known
    ]
    problems += [
        f"{scn.source}: factors.{k}.{g}: unknown GPU generation"
        for k in ("gpu_rent_by_generation", "gpu_value_by_generation")
        for g in getattr(f, k)
        if g not in known
    ]
    if problems:
        raise MarketInputError(f"expected one of {sorted(known)}:\n  - " + "\n  - ".join(problems))


def _build(ctx: _Ctx, shocks: Shocks, horizon: int) -> FactorPaths:
    ref, f, t = ctx.ref, ctx.scenario.spec.factors, ctx.months
    c = correlate(shocks.common, ctx.ref.cholesky())
    hw = hull_white(ref)
    sofr = apply_mod(
        hw.alpha(np.arange(t) * MONTH_YEARS),
        hw.noise(c[I_SOFR]),
        "linear",
        f.sofr,
        additive_jumps=True,
    )
    sm = spread_model(ref)
    s_noise = sm.noise(c[I_SPREAD], shocks.jump_u, shocks.jump_z, shocks.jump_v)
    spread = np.maximum(apply_mod(sm.center(t), s_noise, "log", f.spread), MIN_SPREAD)
    rent, value = _gpu(ctx, c[I_RENT], shocks.gpu)
    util = np.clip(
        apply_mod(
            util_center(ref.utilization, t),
            util_noise(ref.utilization, c[I_UTIL]),
            "logit",
            f.utilization,
        ),
        0.0,
        1.0,
    )
    pw = ref.power
    power = apply_mod(
        trend(pw.p0.value, pw.growth.value, t),
        log_ou_noise(c[I_POWER], pw.kappa.value, pw.sigma.value),
        "log",
        f.power_price,
    )
    kt = ref.tech_earnings.kappa.value
    tech = apply_mod(
        np.zeros(t),
        ou_paths(c[I_TECH], kt, tech_sigma(kt)),
        "linear",
        f.tech_earnings,
        additive_jumps=True,
    )
    dc = apply_mod(
        trend(1.0, ref.dc_value.growth.value, t),
        log_ou_noise(c[I_DC], ref.dc_value.kappa.value, ref.dc_value.sigma.value),
        "log",
        f.dc_value,
    )
    access = _access(ctx, spread)
    cpty, ext = _defaults(ctx, tech, shocks, horizon)
    sw = software_factors(ref.software, f, shocks.software, c[I_TECH], tech, spread)

    def pt(a: np.ndarray) -> np.ndarray:
        return np.ascontiguousarray(a[:horizon].T)

    return FactorPaths(
        sofr=pt(sofr),
        spread=pt(spread),
        gpu_rent=np.ascontiguousarray(rent[:horizon].transpose(1, 2, 0)),
        gpu_value=np.ascontiguousarray(value[:horizon].transpose(1, 2, 0)),
        utilization=pt(util),
        util_idio=np.ascontiguousarray(shocks.util_idio.T),
        power_price=pt(power),
        tech_earnings=pt(tech),
        dc_value=pt(dc),
        market_access=pt(access),
        ai_capex=pt(sw.ai_capex),
        software_budget=pt(sw.software_budget),
        software_multiple=pt(sw.software_multiple),
        software_spread=pt(sw.software_spread),
        cpty_default_month=cpty,
        borrower_ext_default_month=ext,
        refi_u=np.ascontiguousarray(shocks.refi_u.T),
    )


def _gpu(ctx: _Ctx, common: np.ndarray, own: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(T, P, G) rent and value paths after the scenario's GPU modifications."""
    ref, f, spec = ctx.ref, ctx.scenario.spec.factors, ctx.scenario.spec
    step = (
        spec.gpu_value_launch_step
        if spec.gpu_value_launch_step is not None
        else ref.gpu.launch_value_step.value
    )
    shape = (ctx.months, common.shape[1], len(ctx.universe.gpu_generations))
    rent, value = np.empty(shape), np.empty(shape)
    vol_all = f.gpu_rent.vol_scale if f.gpu_rent is not None else 1.0
    for g, name in enumerate(ctx.universe.gpu_generations):
        gen = ref.gpu.generations[name]
        trend_g = rent_center(ref.gpu, gen, ctx.universe.valuation_date, ctx.months)
        noise = vol_all * rent_noise(ref.gpu, common, own[:, :, g])
        r = apply_post(
            apply_mod(trend_g, noise, "log", f.gpu_rent_by_generation.get(name)), f.gpu_rent
        )
        rent[:, :, g] = r
        v = value_paths(ref.gpu, gen, ctx.universe.valuation_date, r, trend_g, step)
        value[:, :, g] = apply_post(apply_post(v, f.gpu_value_by_generation.get(name)), f.gpu_value)
    return rent, value


def _access(ctx: _Ctx, spread: np.ndarray) -> np.ndarray:
    a = ctx.ref.market_access
    beta = access_beta(ctx.ref.spread.s0.value, a.base_access.value, a.half_open_spread.value)
    p = apply_post(
        access_probability(spread, beta, a.half_open_spread.value),
        ctx.scenario.spec.factors.market_access,
    )
    for w in ctx.scenario.spec.market_closed:
        p[w.from_month : w.to_month] = 0.0
    return np.clip(p, 0.0, 1.0)


def _defaults(
    ctx: _Ctx, tech: np.ndarray, shocks: Shocks, horizon: int
) -> tuple[np.ndarray, np.ndarray]:
    ref, u, spec = ctx.ref, ctx.universe, ctx.scenario.spec
    te = ref.tech_earnings
    m = te.copula_month.value
    factor = tech[m] / tech_sd(te.kappa.value, m)
    rho, pd0 = te.copula_rho.value, ref.annual_pd()
    pc = obligor_pd(u.counterparty_archetypes, u.counterparty_ratings, pd0, spec.counterparty_pd)
    cpty = default_months(shocks.cpty_eps, factor, pc, rho, horizon)
    # Borrowers default inside the engine, from their own cash flows; only a scenario's forced
    # defaults enter from outside (a rating-PD draw here would count their risk twice). The
    # borrower draws are still made so that the streams keep their fixed shapes.
    ext = np.full((cpty.shape[0], u.n_borrowers), NO_MONTH, dtype=np.int32)
    cpty = apply_forced(
        cpty,
        u.counterparty_archetypes,
        u.counterparty_ids,
        spec.forced_defaults,
        "counterparty",
        horizon,
    )
    ext = apply_forced(
        ext, u.borrower_archetypes, u.borrower_ids, spec.forced_defaults, "borrower", horizon
    )
    return cpty, ext
