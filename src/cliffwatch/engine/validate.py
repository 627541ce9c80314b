"""Checks that the engine's inputs fit together, with messages a user can act on."""

from __future__ import annotations

import numpy as np

from cliffwatch.market.paths import FactorPaths
from cliffwatch.tape.arrays import PortfolioArrays
from cliffwatch.units import HORIZON_MAX_MONTHS, HORIZON_MIN_MONTHS


def check_inputs(pa: PortfolioArrays, fp: FactorPaths, horizon: int) -> None:
    """Raise ``ValueError`` naming the first mismatch between portfolio, paths and horizon."""
    if not HORIZON_MIN_MONTHS <= horizon <= HORIZON_MAX_MONTHS:
        raise ValueError(f"horizon must be {HORIZON_MIN_MONTHS}..{HORIZON_MAX_MONTHS} months, "
                         f"got {horizon}")
    if fp.months < horizon:
        raise ValueError(f"factor paths cover {fp.months} months, the horizon needs {horizon}")
    p = fp.n_paths
    expect = {
        "gpu_rent": (p, len(pa.gpu_generations)), "gpu_value": (p, len(pa.gpu_generations)),
        "util_idio": (p, pa.n_borrowers), "cpty_default_month": (p, pa.n_counterparties),
        "borrower_ext_default_month": (p, pa.n_borrowers), "refi_u": (p, pa.n_facilities),
    }
    for name, lead in expect.items():
        shape = getattr(fp, name).shape
        if shape[: len(lead)] != lead:
            raise ValueError(f"FactorPaths.{name} has shape {shape}, expected leading {lead}")
    for name in ("spread", "utilization", "power_price", "dc_value", "market_access",
                 "software_budget", "software_multiple", "software_spread"):
        shape = getattr(fp, name).shape
        if shape[0] != p or shape[1] < horizon:
            raise ValueError(f"FactorPaths.{name} has shape {shape}, expected ({p}, >={horizon})")
    if (pa.f_pay_freq <= 0).any():
        bad = int(np.flatnonzero(pa.f_pay_freq <= 0)[0])
        raise ValueError(f"facility {pa.facility_ids[bad]}: pay_freq must be >= 1 month, "
                         f"got {int(pa.f_pay_freq[bad])}")
    for ptr, n, what in ((pa.b_fac_ptr, pa.n_facilities, "b_fac_ptr"),
                         (pa.b_asset_ptr, pa.n_assets, "b_asset_ptr")):
        if len(ptr) != pa.n_borrowers + 1 or ptr[-1] != n or (np.diff(ptr) < 0).any():
            raise ValueError(f"PortfolioArrays.{what} is not a CSR pointer over {n} rows")
    for name in ("sofr", "spread", "utilization", "power_price", "dc_value", "market_access",
                 "gpu_rent", "gpu_value", "software_budget", "software_multiple",
                 "software_spread"):
        arr = getattr(fp, name)[..., :horizon]
        if not np.isfinite(arr).all():
            where = np.argwhere(~np.isfinite(arr))[0]
            raise ValueError(f"FactorPaths.{name} is not finite at index "
                             f"{tuple(int(i) for i in where)}")
