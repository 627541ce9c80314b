"""The software side of the AI theme: AI capex, budget reallocation, EV/ARR multiple, basis.

The agreed model of issue 11 (docs/SCENARIOS.md, "Software factors"), all arrays (T, P):

* ``X`` AI capex, standardized OU (sd units) whose innovations load ``a`` on tech earnings:
  ``e_X = a e_tech + sqrt(1 - a^2) z_X``;
* ``S = rho X + sqrt(1 - rho^2) Z`` with ``Z`` an independent OU of the same law as ``X``,
  so ``corr(X_t, S_t) = rho`` at every month; ``B = -lambda S`` (share of software spend
  reallocated). The scenario's ``ai_capex`` modification acts on ``X`` *before* the link, its
  ``software_budget`` modification on ``B`` after it, so a shift of X by k moves B by
  ``-rho lambda k``;
* ``ln M = y_M - beta_M B + beta_T T`` with ``y_M`` a log-OU (median 1 in base) and ``T`` the
  tech-earnings factor after the scenario (sd units): the common risk-appetite link, so weak tech
  earnings de-rate software too; then ``software_multiple``;
* ``D = d0 + y_D + beta_D B`` with ``y_D`` an OU, then ``software_spread``; floored so that
  ``spread + D`` stays at least :data:`MIN_TOTAL_SPREAD`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cliffwatch.market.ou import ou_paths
from cliffwatch.market.reference import SoftwareRef
from cliffwatch.market.scenario import Factors
from cliffwatch.market.transforms import apply_mod

SOFTWARE_SHOCKS: tuple[str, ...] = ("ai_capex", "budget", "multiple", "spread")
"""Columns of ``Shocks.software``: the independent normal driving each software process."""
I_X, I_BUDGET, I_MULTIPLE, I_BASIS = range(len(SOFTWARE_SHOCKS))
MIN_TOTAL_SPREAD: float = 1e-4
"""Floor on ``spread + software_spread``, decimal per year (1 bp): keeps refinancing priced."""


@dataclass(frozen=True)
class SoftwareFactors:
    """The four software-side factors, each (T, P), in the units of ``FactorPaths``."""

    ai_capex: np.ndarray
    software_budget: np.ndarray
    software_multiple: np.ndarray
    software_spread: np.ndarray


def ai_capex_innovations(ref: SoftwareRef, z: np.ndarray, tech_innov: np.ndarray) -> np.ndarray:
    """(T, P) standard-normal AI-capex innovations, correlated ``a`` with tech earnings'."""
    a = ref.ai_capex.tech_loading.value
    return a * tech_innov + np.sqrt(1.0 - a * a) * z


def budget_shock(ref: SoftwareRef, x: np.ndarray, z_budget: np.ndarray) -> np.ndarray:
    """(T, P) standardized budget shock ``S = rho X + sqrt(1 - rho^2) Z``.

    ``Z`` is an OU of the same law as the base ``X``, driven by ``z_budget``, so that ``S`` is
    standardized like ``X`` and correlated ``rho`` with it at every month.
    """
    rho = ref.budget.rho.value
    z = ou_paths(z_budget, ref.ai_capex.kappa.value, ref.ai_capex.sigma.value)
    return rho * x + np.sqrt(1.0 - rho * rho) * z


def software_factors(
    ref: SoftwareRef,
    f: Factors,
    z: np.ndarray,
    tech_innov: np.ndarray,
    tech: np.ndarray,
    spread: np.ndarray,
) -> SoftwareFactors:
    """The software factors of a block of paths under a scenario.

    Parameters
    ----------
    ref
        Software reference parameters.
    f
        The scenario's factor modifications.
    z
        (T, P, 4) independent standard normals (``Shocks.software``).
    tech_innov
        (T, P) correlated standard-normal innovations of tech earnings.
    tech
        (T, P) tech-earnings factor after the scenario, standard deviations.
    spread
        (T, P) HY spread index after the scenario, decimal per year.
    """
    t = z.shape[0]
    ax = ref.ai_capex
    x_noise = ou_paths(
        ai_capex_innovations(ref, z[..., I_X], tech_innov), ax.kappa.value, ax.sigma.value
    )
    x = apply_mod(np.zeros(t), x_noise, "linear", f.ai_capex, additive_jumps=True)
    b_noise = -ref.budget.lambda_share.value * budget_shock(ref, x, z[..., I_BUDGET])
    b = apply_mod(np.zeros(t), b_noise, "linear", f.software_budget, additive_jumps=True)
    m = ref.multiple
    y_m = ou_paths(z[..., I_MULTIPLE], m.kappa.value, m.sigma.value)
    log_m = y_m - m.budget_loading.value * b + m.tech_loading.value * tech
    multiple = apply_mod(np.ones(t), log_m, "log", f.software_multiple)
    s = ref.spread
    y_d = ou_paths(z[..., I_BASIS], s.kappa.value, s.sigma.value)
    basis = apply_mod(
        np.full(t, s.s0.value),
        y_d + s.budget_loading.value * b,
        "linear",
        f.software_spread,
        additive_jumps=True,
    )
    basis = np.maximum(basis, MIN_TOTAL_SPREAD - spread)
    return SoftwareFactors(x, b, multiple, basis)
