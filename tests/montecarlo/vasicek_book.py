"""A homogeneous book whose engine default rate is exactly a one-factor Gaussian (Vasicek) model.

Every borrower owns one merchant GPU fleet (no contracts, no opex, no resale value) and owes

* a senior bullet of ``debt`` USD at 0% falling due in month 0 (the market is shut, so it is
  repaid from the month's revenue or it defaults), and
* a junior unsecured bullet of ``JUNIOR_BALANCE`` USD due far beyond the horizon, held by its own
  lender. On default the month's revenue (the only recovery) is below the senior claim and goes
  to it first, so the junior loss is exactly ``JUNIOR_BALANCE · 1{default}``: that lender's loss
  divided by ``N · JUNIOR_BALANCE`` is the default fraction, LGD = 1.

Month-0 revenue is ``730 · units · rent · u_b`` with ``logit(u_b) = a + s·Z + sigma·z_b``
(common utilization ``logistic(a + s·Z)`` per path, ``util_idio = z_b``, the engine's
``idio_util_vol = sigma``). So borrower b defaults iff ``s·Z + sigma·z_b < logit(u*) - a`` with
``u* = debt / (730 · units · rent)``: Vasicek with ``rho = s²/(s²+sigma²)`` and
``p = Phi((logit(u*) - a) / sqrt(s²+sigma²))``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special, stats
from tests.engine.factory import flat_paths, portfolio

from cliffwatch.codes import AssetKind
from cliffwatch.engine.params import HOURS_PER_MONTH, EngineParams
from cliffwatch.engine.run import run_block
from cliffwatch.market.paths import FactorPaths
from cliffwatch.tape.arrays import PortfolioArrays

UNITS: float = 1_000.0
"""GPUs per borrower (all merchant capacity)."""
RENT: float = 2.0
"""Market rent, USD per GPU-hour, flat."""
CENTER_UTILIZATION: float = 0.70
"""Median common utilization ``logistic(a)`` (DOMAIN 6.1 long-run 70%)."""
IDIO_VOL: float = 0.5
"""Borrower-specific utilization vol in logit space (the EngineParams default)."""
JUNIOR_BALANCE: float = 1_000_000.0
"""Junior unsecured claim per borrower, USD: the LGD-1 exposure whose losses count defaults."""
JUNIOR_MATURITY_MONTH: int = 120
"""Junior maturity, beyond any horizon used here."""
SENIOR_LENDER, JUNIOR_LENDER = 0, 1


@dataclass(frozen=True)
class VasicekDesign:
    """Engine inputs chosen to hit a target ``(p, rho)``."""

    p: float
    rho: float
    a: float
    """Logit of the median common utilization."""
    s: float
    """Loading of the common factor Z in logit utilization."""
    sigma: float
    """Idiosyncratic vol in logit utilization (``EngineParams.idio_util_vol``)."""
    debt: float
    """Senior bullet per borrower, USD."""

    @classmethod
    def for_target(cls, p: float, rho: float, sigma: float = IDIO_VOL,
                   center: float = CENTER_UTILIZATION) -> VasicekDesign:
        """Solve ``s`` from ``rho`` and the loan size from ``p``."""
        s = sigma * np.sqrt(rho / (1.0 - rho))
        a = float(special.logit(center))
        u_star = special.expit(a + np.hypot(s, sigma) * stats.norm.ppf(p))
        return cls(p, rho, a, float(s), sigma, float(u_star * HOURS_PER_MONTH * UNITS * RENT))

    def implied_p(self) -> float:
        """Default probability implied by the engine inputs (independent of ``p``)."""
        u_star = self.debt / (HOURS_PER_MONTH * UNITS * RENT)
        return float(stats.norm.cdf((special.logit(u_star) - self.a) / np.hypot(self.s,
                                                                                self.sigma)))

    def implied_rho(self) -> float:
        """Asset correlation implied by the loadings."""
        return self.s**2 / (self.s**2 + self.sigma**2)

    def params(self) -> EngineParams:
        return EngineParams(idio_util_vol=self.sigma)


def book(n: int, design: VasicekDesign) -> PortfolioArrays:
    """``n`` identical borrowers, each with a senior bullet and a junior LGD-1 claim."""
    assets = [dict(borrower=b, kind=AssetKind.gpu_fleet, units=UNITS) for b in range(n)]
    facilities = []
    for b in range(n):
        facilities += [
            dict(borrower=b, rank=1, drawn=design.debt, coupon=0.0, start_month=-12,
                 maturity_month=0, collateral=(b,)),
            dict(borrower=b, rank=2, secured=False, drawn=JUNIOR_BALANCE, coupon=0.0,
                 start_month=-12, maturity_month=JUNIOR_MATURITY_MONTH),
        ]
    holdings = [dict(facility=f, lender=f % 2, share=1.0) for f in range(2 * n)]
    return portfolio(borrowers=[dict(cash=0.0)] * n, assets=assets, facilities=facilities,
                     holdings=holdings, n_lenders=2)


def paths(pa: PortfolioArrays, design: VasicekDesign, rng: np.random.Generator, n_paths: int,
          months: int = 1, z_shift: float = 0.0) -> tuple[FactorPaths, np.ndarray]:
    """Factor paths with the common utilization ``logistic(a + s·Z)``, ``Z ~ N(z_shift, 1)``;
    returns them and Z."""
    z = z_shift + rng.standard_normal(n_paths)
    util = special.expit(design.a + design.s * z)[:, None]
    fp = flat_paths(pa, months, n_paths, gpu_rent=RENT, gpu_value=0.0, market_access=0.0,
                    power_price=0.0, utilization=np.broadcast_to(util, (n_paths, months)),
                    util_idio=rng.standard_normal((n_paths, pa.n_borrowers)))
    return fp, z


def default_fractions(n: int, design: VasicekDesign, n_paths: int, seed: int,
                      z_shift: float = 0.0, block: int = 2_000) -> tuple[np.ndarray, np.ndarray]:
    """Run the engine on ``n_paths`` paths of the ``n``-borrower book, block by block.

    Returns the junior lender's loss as a fraction of its exposure (the default fraction, LGD 1)
    per path, and the importance-sampling likelihood ratio of each path when the common factor
    is drawn from ``N(z_shift, 1)`` instead of ``N(0, 1)`` (all ones for no shift).
    """
    pa = book(n, design)
    rng = np.random.default_rng(seed)
    fractions, weights = [], []
    for lo in range(0, n_paths, block):
        fp, z = paths(pa, design, rng, min(block, n_paths - lo), z_shift=z_shift)
        summary = run_block(pa, fp, design.params(), horizon=1)
        loss = summary.lender_loss(pa.h_facility, pa.h_lender, pa.h_share, pa.n_lenders)
        fractions.append(loss[:, JUNIOR_LENDER] / (n * JUNIOR_BALANCE))
        # dN(0,1)/dN(shift,1) at z
        weights.append(np.exp(-z_shift * z + 0.5 * z_shift**2))
    return np.concatenate(fractions), np.concatenate(weights)
