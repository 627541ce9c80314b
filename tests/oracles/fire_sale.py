"""Test oracles of fire-sale contagion: Greenwood–Landier–Thesmar and Cont–Schaanning.

Two textbook models the engine's GPU fire-sale channel is checked against (METHODS 5). The
product does not run them (it measures contagion by paired engine runs,
:mod:`cliffwatch.analytics.contagion`), so they live with the tests:

* GLT (2015, JFE 115(3)): N leveraged holders of K assets target their leverage; an asset
  shock ``F`` forces sales ``M'BAMF`` which move prices by ``L M'BAMF``. Aggregate and indirect
  vulnerability, systemicness, and the multi-round fixed point ``(I - G)^-1 ΔP_1``.
* Cont & Schaanning (2017, Norges Bank WP 2/2017): threshold deleveraging of holders of one
  asset with exponential price impact ``exp(-sold / depth)``; the equilibrium price is the
  largest fixed point, found both by monotone iteration and by ``brentq``.

Returns are decimals; balance sheets in any one money unit (``$bn`` in the METHODS toy, with
price impact ``ell`` in return per unit sold).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from scipy import optimize

from cliffwatch.codes import AssetKind
from cliffwatch.tape.arrays import PortfolioArrays


@dataclass(frozen=True)
class GLTResult:
    """First-round GLT quantities (N banks, K assets). Signs follow the shock: losses < 0."""

    returns: np.ndarray
    """(N,) bank asset return ``R = M F``."""
    sales: np.ndarray
    """(N,) asset sales ``b_n a_n R_n`` (negative = selling), money."""
    asset_sales: np.ndarray
    """(K,) net sales per asset ``M'BAMF``, money."""
    price_change: np.ndarray
    """(K,) price impact ``ΔP = L M'BAMF``, decimal."""
    losses: np.ndarray
    """(N,) second-round loss ``A M ΔP``, money."""
    aggregate_vulnerability: float
    """AV: total second-round loss over total equity, decimal."""
    systemicness: np.ndarray
    """(N,) S_n: each bank's sales' contribution to AV; sums to AV."""
    indirect_vulnerability: np.ndarray
    """(N,) IV_n: bank n's second-round loss over its own equity, decimal."""


def glt_vulnerability(
    assets: np.ndarray,
    equity: np.ndarray,
    weights: np.ndarray,
    shock: np.ndarray,
    impact: np.ndarray | float,
) -> GLTResult:
    """GLT first-round vulnerability measures (METHODS 5.1).

    Parameters
    ----------
    assets : ndarray (N,)
        Total assets a_n, money.
    equity : ndarray (N,)
        Equity e_n, money; leverage ``b_n = (a_n - e_n) / e_n``.
    weights : ndarray (N, K)
        Portfolio weights M, rows summing to one.
    shock : ndarray (K,)
        Asset return shock F, decimal.
    impact : ndarray (K,) or float
        Price impact ``ell_k``, return per money unit sold.
    """
    a = np.asarray(assets, dtype=np.float64)
    e = np.asarray(equity, dtype=np.float64)
    m = np.asarray(weights, dtype=np.float64)
    f = np.asarray(shock, dtype=np.float64)
    ell = np.broadcast_to(np.asarray(impact, dtype=np.float64), f.shape)
    b = (a - e) / e
    r = m @ f
    sales = b * a * r
    asset_sales = m.T @ sales
    dp = ell * asset_sales
    losses = a * (m @ dp)
    # S_n: the same second-round loss, driven by bank n's sales alone (linear in the sales).
    spill = (a[:, None] * m) @ (ell[:, None] * m.T)  # (N, N): loss to i per unit sold by n
    per_seller = spill * sales[None, :]
    return GLTResult(
        returns=r,
        sales=sales,
        asset_sales=asset_sales,
        price_change=dp,
        losses=losses,
        aggregate_vulnerability=float(losses.sum() / e.sum()),
        systemicness=per_seller.sum(axis=0) / e.sum(),
        indirect_vulnerability=losses / e,
    )


@dataclass(frozen=True)
class SpilloverResult:
    """Multi-round linear deleveraging ``ΣΔP = (I - G)^-1 ΔP_1``."""

    total_price_change: np.ndarray
    """(K,) cumulative price change over all rounds, decimal (capped if divergent)."""
    spectral_radius: float
    """ρ(G); the rounds converge iff ρ < 1."""
    divergent: bool
    """True when ρ(G) >= 1: the total is the capped ``max_rounds`` partial sum, not a limit."""
    rounds: int
    """Rounds summed (0 when the closed form was used)."""


def glt_round_matrix(
    assets: np.ndarray, equity: np.ndarray, weights: np.ndarray, impact: np.ndarray | float
) -> np.ndarray:
    """The K×K round-to-round price map ``G = L M'BAM``."""
    a = np.asarray(assets, dtype=np.float64)
    e = np.asarray(equity, dtype=np.float64)
    m = np.asarray(weights, dtype=np.float64)
    b = (a - e) / e
    ell = np.broadcast_to(np.asarray(impact, dtype=np.float64), (m.shape[1],))
    return ell[:, None] * (m.T @ ((b * a)[:, None] * m))


def glt_spillover(
    assets: np.ndarray,
    equity: np.ndarray,
    weights: np.ndarray,
    shock: np.ndarray,
    impact: np.ndarray | float,
    max_rounds: int = 50,
    price_floor: float = -1.0,
) -> SpilloverResult:
    """Cumulative price change of iterated leverage targeting.

    When ``ρ(G) < 1`` the closed form ``(I - G)^-1 ΔP_1`` is returned. Otherwise the series
    diverges: a warning is issued and the partial sum over ``max_rounds`` rounds is returned,
    clipped at ``price_floor`` (a price cannot fall more than 100%), and flagged.
    """
    g = glt_round_matrix(assets, equity, weights, impact)
    dp1 = glt_vulnerability(assets, equity, weights, shock, impact).price_change
    rho = float(np.max(np.abs(np.linalg.eigvals(g))))
    if rho < 1.0:
        total = np.linalg.solve(np.eye(len(dp1)) - g, dp1)
        return SpilloverResult(total, rho, divergent=False, rounds=0)
    warnings.warn(
        f"fire-sale spillover diverges: spectral radius {rho:.4f} >= 1; "
        f"total capped after {max_rounds} rounds",
        RuntimeWarning,
        stacklevel=2,
    )
    total, step = dp1.copy(), dp1.copy()
    for _ in range(max_rounds - 1):
        step = g @ step
        total = np.maximum(total + step, price_floor)
    return SpilloverResult(total, rho, divergent=True, rounds=max_rounds)


def glt_spillover_iterated(
    assets: np.ndarray,
    equity: np.ndarray,
    weights: np.ndarray,
    shock: np.ndarray,
    impact: np.ndarray | float,
    rounds: int,
) -> np.ndarray:
    """Partial sum ``Σ_{k<rounds} G^k ΔP_1`` (the round-by-round cascade, no closed form)."""
    g = glt_round_matrix(assets, equity, weights, impact)
    step = glt_vulnerability(assets, equity, weights, shock, impact).price_change
    total = np.zeros_like(step)
    for _ in range(rounds):
        total = total + step
        step = g @ step
    return total


def one_asset_multiplier(impact: float, leverage: float, assets: float) -> float:
    """One bank, one asset: ``1 / (1 - ell·b·a)``; ``inf`` when ``ell·b·a >= 1``."""
    g = impact * leverage * assets
    return 1.0 / (1.0 - g) if g < 1.0 else float("inf")


@dataclass(frozen=True)
class Amplification:
    """Linearised feedback of the GPU fire-sale loop."""

    loop_gain: float
    """``Σ b_i q_i / depth``: price fall caused by the forced sales a 1% fall triggers, in %."""
    multiplier: float
    """``1 / (1 - gain)``: total over first-round price impact; ``inf`` if the gain >= 1."""
    unstable: bool
    """True when the gain is >= 1 (a small shock cascades until thresholds stop it)."""


def amplification_factor(
    units_held: np.ndarray, leverage: np.ndarray, market_depth_units: float
) -> Amplification:
    """Amplification of a GPU price shock by leverage-targeting holders.

    With impact ``exp(-sold / depth)`` a sale of ``x`` units moves the price by about
    ``-x / depth``; a holder of ``q`` units at leverage ``b`` (debt/equity) sells
    ``b·q·|ΔP/P|`` units to restore its leverage (GLT). The loop gain is therefore
    ``Σ b_i q_i / depth`` — the GLT one-asset ``ell·b·a`` with ``ell = 1/depth`` in units.

    Parameters
    ----------
    units_held : ndarray (N,)
        GPU units held (as collateral) by each leveraged borrower.
    leverage : ndarray (N,)
        Debt over equity of each holder (>= 0).
    market_depth_units : float
        Units that move the price by ``1 - e^-1`` (EngineParams.gpu_market_depth_units).

    Warns
    -----
    RuntimeWarning when the gain is >= 1.
    """
    if market_depth_units <= 0:
        raise ValueError(f"market depth must be positive, got {market_depth_units}")
    q, b = np.asarray(units_held, dtype=np.float64), np.asarray(leverage, dtype=np.float64)
    held = q > 0  # an insolvent (infinite-leverage) borrower without units adds nothing
    gain = float(np.sum(b[held] * q[held])) / market_depth_units
    if gain >= 1.0:
        warnings.warn(
            f"GPU fire-sale loop gain {gain:.3f} >= 1: leveraged holders can sell more than "
            "the market absorbs; losses are set by default thresholds, not by the shock size",
            RuntimeWarning,
            stacklevel=2,
        )
    return Amplification(gain, 1.0 / (1.0 - gain) if gain < 1.0 else float("inf"), gain >= 1.0)


@dataclass(frozen=True)
class FireSaleEquilibrium:
    """Cont–Schaanning single-asset equilibrium."""

    price: float
    """Equilibrium price P*, same unit as the initial price."""
    sales: np.ndarray
    """(N,) units each holder sells at P*."""
    iterations: int
    """Monotone iterations used (0 for the root-finding solver)."""
    path: tuple[float, ...]
    """Price after each iteration (non-increasing)."""


@dataclass(frozen=True)
class ThresholdRule:
    """Cont–Schaanning leverage thresholds, as equity / assets ratios (decimals)."""

    buffer: float
    """Do nothing while E/A >= buffer."""
    target: float
    """Sell down to E/A = target when min <= E/A < buffer."""
    minimum: float
    """Below this the holder is insolvent and liquidates everything."""


def threshold_sales(
    price: float, units: np.ndarray, debt: np.ndarray, rule: ThresholdRule
) -> np.ndarray:
    """Units each holder sells at ``price`` under the threshold rule (METHODS 5.2)."""
    q = np.asarray(units, dtype=np.float64)
    eq = q * price - np.asarray(debt, dtype=np.float64)
    lev = eq / (q * price)
    deleverage = np.clip(q - eq / (rule.target * price), 0.0, q)
    return np.where(lev < rule.minimum, q, np.where(lev < rule.buffer, deleverage, 0.0))


def _price_map(price: float, start: float, units: np.ndarray, debt: np.ndarray,
               rule: ThresholdRule, depth: float) -> float:
    return start * float(np.exp(-threshold_sales(price, units, debt, rule).sum() / depth))


def fire_sale_iterate(
    units: np.ndarray, debt: np.ndarray, initial_price: float, shock: float,
    rule: ThresholdRule, depth: float, tol: float = 1e-15, max_iter: int = 10_000,
) -> FireSaleEquilibrium:
    """Largest fixed point of ``P = P0(1-shock)·exp(-Σx_i(P)/depth)`` by monotone iteration.

    The map is increasing in P, so starting from ``P0(1 - shock)`` the sequence decreases to
    the largest fixed point (Tarski); the order in which holders are visited cannot matter
    because all sales at a given price are simultaneous.

    Parameters
    ----------
    units, debt : ndarray (N,)
        GPU units held and debt of each holder (debt in price units × units).
    initial_price : float
        Pre-shock price P0.
    shock : float
        Exogenous price fall, decimal.
    rule : ThresholdRule
    depth : float
        Market depth in units.
    """
    start = initial_price * (1.0 - shock)
    price, path = start, [start]
    for it in range(1, max_iter + 1):
        new = _price_map(price, start, units, debt, rule, depth)
        path.append(new)
        if abs(new - price) <= tol:
            sales = threshold_sales(new, units, debt, rule)
            return FireSaleEquilibrium(new, sales, it, tuple(path))
        price = new
    raise RuntimeError(f"fire-sale iteration did not converge in {max_iter} steps")


BRACKET_GRID_POINTS: int = 4096
"""Log-spaced prices scanned from the top to isolate the largest root before ``brentq``."""


def fire_sale_brentq(
    units: np.ndarray, debt: np.ndarray, initial_price: float, shock: float,
    rule: ThresholdRule, depth: float, xtol: float = 1e-15,
) -> FireSaleEquilibrium:
    """The same largest fixed point by ``brentq`` on ``g(P) = P - T(P)``.

    ``g < 0`` at the full-liquidation price ``P0(1-shock)·exp(-Σq/depth)`` and ``g >= 0`` at
    ``P0(1-shock)``. The map can have several fixed points (the threshold rule is not smooth),
    so the largest one is first isolated: prices are scanned downward on a log grid of
    :data:`BRACKET_GRID_POINTS` points and brentq runs on the first cell where ``g`` turns
    negative. Two fixed points closer than one grid cell (about 1e-4 relative for a 40% full
    cascade) could still be confused.
    """
    start = initial_price * (1.0 - shock)
    floor = start * float(np.exp(-np.sum(units) / depth))

    def gap(p: float) -> float:
        return p - _price_map(p, start, units, debt, rule, depth)

    if gap(start) <= 0.0:  # nothing is sold at the shocked price
        price = start
    else:
        grid = np.geomspace(start, floor, BRACKET_GRID_POINTS)
        gaps = np.array([gap(p) for p in grid])
        below = np.flatnonzero(gaps < 0.0)
        if below.size == 0:  # the full-liquidation price is itself the fixed point
            price = floor
        else:
            lo, hi = grid[below[0]], grid[below[0] - 1]
            price = float(optimize.brentq(gap, lo, hi, xtol=xtol, rtol=4 * np.finfo(float).eps))
    return FireSaleEquilibrium(price, threshold_sales(price, units, debt, rule), 0, (price,))


@dataclass(frozen=True)
class GpuExposure:
    """GPU units held and leverage of each borrower that owns GPU fleets."""

    units: np.ndarray
    """(NB, G) GPU units per borrower and generation."""
    debt: np.ndarray
    """(NB,) drawn debt secured on the borrower's GPU fleets, USD."""
    value: np.ndarray
    """(NB,) market value of the borrower's GPU fleets, USD."""

    @property
    def leverage(self) -> np.ndarray:
        """(NB,) debt / equity on GPU collateral (inf when the equity is not positive)."""
        equity = self.value - self.debt
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(equity > 0, self.debt / equity, np.where(self.debt > 0, np.inf, 0.0))


def gpu_exposure(pa: PortfolioArrays, gpu_value: np.ndarray) -> GpuExposure:
    """GPU holdings and collateral leverage per borrower from the compiled portfolio.

    Parameters
    ----------
    gpu_value : ndarray (G,)
        Market value of one GPU per generation (``PortfolioArrays.gpu_generations`` order), USD.
    """
    gpu = np.flatnonzero((pa.a_kind == AssetKind.gpu_fleet) & (pa.a_gpu_gen >= 0))
    units = np.zeros((pa.n_borrowers, len(pa.gpu_generations)))
    np.add.at(units, (pa.a_borrower[gpu], pa.a_gpu_gen[gpu]), pa.a_units[gpu])
    is_gpu = np.zeros(pa.n_assets, dtype=bool)
    is_gpu[gpu] = True
    n_coll = np.diff(pa.f_coll_ptr)
    owner = np.repeat(np.arange(pa.n_facilities), n_coll)
    on_gpu = np.zeros(pa.n_facilities, dtype=bool)
    on_gpu[owner[is_gpu[pa.coll_asset]]] = True
    debt = np.bincount(pa.f_borrower[on_gpu], weights=pa.f_drawn[on_gpu],
                       minlength=pa.n_borrowers)
    return GpuExposure(units, debt, units @ np.asarray(gpu_value, dtype=np.float64))


def gpu_amplification(
    pa: PortfolioArrays, gpu_value: np.ndarray, market_depth_units: float
) -> dict[str, Amplification]:
    """Fire-sale loop gain per GPU generation from the book's leveraged GPU holders.

    Borrowers with non-positive equity on their GPU collateral have unbounded leverage: any
    further price fall forces a full sale, so their presence makes a generation unstable.
    See :func:`amplification_factor` (which warns when a gain is >= 1).
    """
    exp = gpu_exposure(pa, gpu_value)
    lev = exp.leverage
    return {
        gen: amplification_factor(exp.units[:, g], lev, market_depth_units)
        for g, gen in enumerate(pa.gpu_generations)
    }
