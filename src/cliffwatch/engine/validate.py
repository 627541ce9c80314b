"""Checks that the engine's inputs fit together, with messages a user can act on."""

from __future__ import annotations

import numpy as np

from cliffwatch.market.paths import ENGINE_FACTORS, FACTOR_FIELDS, FactorPaths, portfolio_sizes
from cliffwatch.tape.arrays import PortfolioArrays
from cliffwatch.units import HORIZON_MAX_MONTHS, HORIZON_MIN_MONTHS


def check_inputs(pa: PortfolioArrays, fp: FactorPaths, horizon: int) -> None:
    """Raise ``ValueError`` naming the first mismatch between portfolio, paths and horizon."""
    if not HORIZON_MIN_MONTHS <= horizon <= HORIZON_MAX_MONTHS:
        raise ValueError(f"horizon must be {HORIZON_MIN_MONTHS}..{HORIZON_MAX_MONTHS} months, "
                         f"got {horizon}")
    if fp.months < horizon:
        raise ValueError(f"factor paths cover {fp.months} months, the horizon needs {horizon}")
    sizes = {**portfolio_sizes(pa, horizon), "path": fp.n_paths}
    for f in FACTOR_FIELDS:
        shape = getattr(fp, f.name).shape
        want = f.shape(sizes)
        # series may run past the horizon (the kernel reads months < horizon); all else exact
        fits = len(shape) == len(want) and all(
            got >= n if a == "month" else got == n
            for a, got, n in zip(f.axes, shape, want, strict=True))
        if not fits:
            expected = ", ".join(f">={n}" if a == "month" else str(n)
                                 for a, n in zip(f.axes, want, strict=True))
            raise ValueError(f"FactorPaths.{f.name} has shape {shape}, expected ({expected}) "
                             f"over {f.axes}")
    if (pa.f_pay_freq <= 0).any():
        bad = int(np.flatnonzero(pa.f_pay_freq <= 0)[0])
        raise ValueError(f"facility {pa.facility_ids[bad]}: pay_freq must be >= 1 month, "
                         f"got {int(pa.f_pay_freq[bad])}")
    for ptr, n, what in ((pa.b_fac_ptr, pa.n_facilities, "b_fac_ptr"),
                         (pa.b_asset_ptr, pa.n_assets, "b_asset_ptr")):
        if len(ptr) != pa.n_borrowers + 1 or ptr[-1] != n or (np.diff(ptr) < 0).any():
            raise ValueError(f"PortfolioArrays.{what} is not a CSR pointer over {n} rows")
    for f in ENGINE_FACTORS:
        if f.dtype.kind != "f":
            continue
        arr = getattr(fp, f.name)
        arr = arr[..., :horizon] if f.axes[-1] == "month" else arr
        if not np.isfinite(arr).all():
            where = np.argwhere(~np.isfinite(arr))[0]
            raise ValueError(f"FactorPaths.{f.name} is not finite at index "
                             f"{tuple(int(i) for i in where)}")
