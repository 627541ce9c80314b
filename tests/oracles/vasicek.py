"""Test oracle: Vasicek one-factor (ASRF) portfolio loss in closed form, the finite-N exact
law and Basel IRB K. The product does not run these; the Monte Carlo and the risk measures are
checked against them.

Obligor i defaults if ``sqrt(rho)·Z + sqrt(1-rho)·eps_i <= Phi^-1(p)``. In the large
homogeneous portfolio (LHP) limit the loss fraction (LGD = 1) is ``L = p(Z)`` with
``p(z) = Phi((Phi^-1(p) - sqrt(rho)·z) / sqrt(1-rho))`` (Vasicek 2002, Risk; METHODS 1). All
losses here are fractions of the portfolio notional; multiply by a deterministic LGD and the
notional for money.
"""

from __future__ import annotations

import numpy as np
from scipy import integrate, optimize, stats

norm = stats.norm

QUADRATURE_Z_RANGE: float = 9.0
"""Integrate the systematic factor over [-9, 9]: the normal mass outside is below 1e-18."""
QUADRATURE_LIMIT: int = 400
"""Subinterval limit of ``scipy.integrate.quad`` for the finite-N integrals."""

# Basel II para. 272 / Basel III CRE31.5 corporate risk-weight function constants.
IRB_R_LOW: float = 0.12
"""Asset correlation at high PD (BCBS CRE31.5)."""
IRB_R_HIGH: float = 0.24
"""Asset correlation at low PD (BCBS CRE31.5)."""
IRB_K_FACTOR: float = 50.0
"""PD decay of the correlation weight ``(1 - e^(-50 PD)) / (1 - e^(-50))`` (CRE31.5)."""
IRB_B_A: float = 0.11852
"""Maturity adjustment ``b = (0.11852 - 0.05478 ln PD)^2`` (CRE31.5)."""
IRB_B_B: float = 0.05478
IRB_CONFIDENCE: float = 0.999
"""Supervisory confidence level of the ASRF quantile."""
IRB_M_REF: float = 2.5
"""Reference effective maturity, years."""
IRB_M_SLOPE: float = 1.5
"""Denominator coefficient of the maturity adjustment ``1 - 1.5 b``."""
IRB_RWA_MULTIPLIER: float = 12.5
"""RWA = 12.5·K·EAD (reciprocal of the 8% minimum capital ratio)."""
MORTGAGE_R: float = 0.15
"""Residential mortgage asset correlation (CRE31.14), no maturity adjustment."""


def conditional_pd(z: np.ndarray | float, p: float, rho: float) -> np.ndarray | float:
    """Default probability given the systematic factor ``z`` (decimal)."""
    return norm.cdf((norm.ppf(p) - np.sqrt(rho) * z) / np.sqrt(1.0 - rho))


def lhp_cdf(x: np.ndarray | float, p: float, rho: float) -> np.ndarray | float:
    """``P(L <= x)`` of the LHP loss fraction, ``x`` in (0, 1)."""
    return norm.cdf((np.sqrt(1.0 - rho) * norm.ppf(x) - norm.ppf(p)) / np.sqrt(rho))


def lhp_quantile(alpha: np.ndarray | float, p: float, rho: float) -> np.ndarray | float:
    """``alpha``-quantile (VaR) of the LHP loss fraction."""
    return norm.cdf((norm.ppf(p) + np.sqrt(rho) * norm.ppf(alpha)) / np.sqrt(1.0 - rho))


def bivariate_normal_cdf(x: float, y: float, r: float) -> float:
    """``Phi_2(x, y; r)``, the standard bivariate normal CDF with correlation ``r``."""
    mvn = stats.multivariate_normal(mean=[0.0, 0.0], cov=[[1.0, r], [r, 1.0]])
    return float(mvn.cdf([x, y]))


def lhp_expected_shortfall(alpha: float, p: float, rho: float) -> float:
    """ES of the LHP loss fraction: ``Phi_2(Phi^-1(p), -Phi^-1(a); sqrt(rho)) / (1 - a)``."""
    return bivariate_normal_cdf(norm.ppf(p), -norm.ppf(alpha), np.sqrt(rho)) / (1.0 - alpha)


def lhp_expected_shortfall_quad(alpha: float, p: float, rho: float) -> float:
    """The same ES as ``∫_a^1 q_u du / (1 - a)`` by quadrature (an independent check)."""
    val, _ = integrate.quad(lambda u: lhp_quantile(u, p, rho), alpha, 1.0, limit=QUADRATURE_LIMIT)
    return val / (1.0 - alpha)


def lhp_moments(p: float, rho: float) -> tuple[float, float]:
    """Mean ``p`` and variance ``Phi_2(c, c; rho) - p^2`` of the LHP loss fraction."""
    c = norm.ppf(p)
    return p, bivariate_normal_cdf(c, c, rho) - p * p


def finite_n_cdf(k: int, n: int, p: float, rho: float) -> float:
    """Exact ``P(L_N <= k/N)`` for N homogeneous obligors: ``∫ Binom(k; N, p(z)) phi(z) dz``."""

    def integrand(z: float) -> float:
        return float(stats.binom.cdf(k, n, conditional_pd(z, p, rho)) * norm.pdf(z))

    val, _ = integrate.quad(
        integrand, -QUADRATURE_Z_RANGE, QUADRATURE_Z_RANGE, limit=QUADRATURE_LIMIT, points=[0.0]
    )
    return val


def finite_n_quantile(alpha: float, n: int, p: float, rho: float) -> float:
    """Exact ``alpha``-quantile of ``L_N`` (a multiple of 1/N): smallest k/N with CDF >= alpha.

    Bisection over the integer k, each step one quadrature, so O(log N) integrals.
    """
    lo, hi = 0, n
    while lo < hi:
        mid = (lo + hi) // 2
        if finite_n_cdf(mid, n, p, rho) >= alpha:
            hi = mid
        else:
            lo = mid + 1
    return lo / n


def irb_correlation(pd: np.ndarray | float) -> np.ndarray | float:
    """Corporate asset correlation ``R = 0.12 w + 0.24 (1 - w)``, ``w = (1-e^-50PD)/(1-e^-50)``."""
    w = (1.0 - np.exp(-IRB_K_FACTOR * pd)) / (1.0 - np.exp(-IRB_K_FACTOR))
    return IRB_R_LOW * w + IRB_R_HIGH * (1.0 - w)


def irb_capital(
    pd: np.ndarray | float,
    lgd: np.ndarray | float,
    maturity: np.ndarray | float = IRB_M_REF,
    mortgage: bool = False,
) -> np.ndarray | float:
    """Basel IRB capital requirement K per unit EAD (decimal).

    Parameters
    ----------
    pd, lgd : decimals
    maturity : effective maturity M, years (ignored for mortgages)
    mortgage : residential-mortgage formula (R = 0.15, no maturity adjustment)
    """
    r = MORTGAGE_R if mortgage else irb_correlation(pd)
    stressed = norm.cdf(
        norm.ppf(pd) / np.sqrt(1.0 - r) + np.sqrt(r / (1.0 - r)) * norm.ppf(IRB_CONFIDENCE)
    )
    k = lgd * stressed - pd * lgd
    if mortgage:
        return k
    b = (IRB_B_A - IRB_B_B * np.log(pd)) ** 2
    return k * (1.0 + (maturity - IRB_M_REF) * b) / (1.0 - IRB_M_SLOPE * b)


def irb_risk_weight(
    pd: np.ndarray | float,
    lgd: np.ndarray | float,
    maturity: np.ndarray | float = IRB_M_REF,
    mortgage: bool = False,
) -> np.ndarray | float:
    """Risk weight ``12.5·K`` (decimal, 1.0 = 100%), without the Basel II 1.06 scaling."""
    return IRB_RWA_MULTIPLIER * irb_capital(pd, lgd, maturity, mortgage)


def implied_lhp_correlation(q: float, alpha: float, p: float) -> float:
    """The ``rho`` whose LHP ``alpha``-quantile equals ``q`` (brentq; for calibration checks)."""
    return float(optimize.brentq(lambda r: lhp_quantile(alpha, p, r) - q, 1e-9, 1.0 - 1e-9))
