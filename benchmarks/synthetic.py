"""A realistic large tape: the bundled sample's borrowers replicated and resized.

``synthetic_portfolio(n_facilities)`` stacks copies of the compiled sample (26 borrowers,
45 facilities, every structure of the sample: GPU ABS, DC CMBS, DDTLs, revolvers, HY bonds,
converts, vendor financing) until the tape holds at least ``n_facilities`` facilities, cutting
the last copy at a borrower boundary. Each copy's borrowers are resized by one lognormal factor
(GPUs, MW, capex, debt, cash, guarantees all scale together, so leverage and coverage ratios stay
those of the sample) and the opening cash gets its own independent factor, so paths differ
between copies. Counterparties, lenders and GPU generations are shared by all copies;
references from one borrower to another (tenant, backstop, parent) stay inside the copy.
"""

from __future__ import annotations

from dataclasses import fields, replace

import numpy as np

from cliffwatch.codes import RefKind
from cliffwatch.sample import load_sample
from cliffwatch.tape.arrays import PortfolioArrays
from cliffwatch.tape.compile import compile_portfolio

SIZE_SIGMA: float = 0.25
"""Log-sd of the per-copy balance-sheet size factor (about ±25%) [estimate]."""
CASH_SIGMA: float = 0.30
"""Log-sd of the extra per-copy factor on opening cash [estimate]."""

_SIZE_FIELDS = ("b_cash", "a_units", "a_capacity_mw", "a_capex_remaining", "a_leased_mw",
                "a_rvg_amount", "f_commitment", "f_drawn", "draw_amount", "sched_amount")
"""Money or quantity fields scaled with the borrower's size (ratios are left alone)."""
_SHARED = ("c_archetype", "c_rating", "l_type")
"""Counterparty and lender rows every copy shares."""
_BORROWER_REFS = (("a_cpty_kind", "a_cpty"), ("a_backstop_kind", "a_backstop"),
                  ("a_rvg_kind", "a_rvg"))


def _copy(pa: PortfolioArrays, k: int, size: float, cash: float) -> dict[str, np.ndarray]:
    """Arrays of copy ``k`` with every borrower / asset / facility index shifted."""
    nb, na, nf = pa.n_borrowers, pa.n_assets, pa.n_facilities
    out = {k: v for k, v in pa.array_fields().items() if k not in _SHARED}
    for name in _SIZE_FIELDS:
        out[name] = out[name] * size
    out["b_cash"] = out["b_cash"] * cash
    out["b_parent"] = np.where(pa.b_parent >= 0, pa.b_parent + k * nb, -1).astype(np.int32)
    out["f_borrower"] = pa.f_borrower + k * nb
    out["a_borrower"] = pa.a_borrower + k * nb
    for kind, ref in _BORROWER_REFS:
        is_b = getattr(pa, kind) == RefKind.borrower
        out[ref] = np.where(is_b, getattr(pa, ref) + k * nb, getattr(pa, ref)).astype(np.int32)
    out["coll_asset"] = pa.coll_asset + k * na
    out["h_facility"] = pa.h_facility + k * nf
    return out


def _stack(parts: list[dict[str, np.ndarray]], pa: PortfolioArrays) -> dict[str, np.ndarray]:
    """Concatenate copies; CSR pointers are re-based on the running value count."""
    ptrs = {"b_fac_ptr", "b_asset_ptr", "f_draw_ptr", "f_sched_ptr", "f_coll_ptr"}
    out = {}
    for name in parts[0]:
        if name in ptrs:
            pieces, base = [np.zeros(1, np.int32)], 0
            for part in parts:
                pieces.append(part[name][1:] + base)
                base += int(part[name][-1])
            out[name] = np.concatenate(pieces).astype(np.int32)
        else:
            out[name] = np.concatenate([part[name] for part in parts])
    return out


def _labels(pa: PortfolioArrays, copies: int) -> dict[str, tuple[str, ...]]:
    def rep(ids: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(f"{i}#{k}" for k in range(copies) for i in ids)

    return dict(borrower_ids=rep(pa.borrower_ids), borrower_names=rep(pa.borrower_names),
                asset_ids=rep(pa.asset_ids), facility_ids=rep(pa.facility_ids),
                facility_structures=pa.facility_structures * copies)


def _first_borrowers(pa: PortfolioArrays, nb: int) -> PortfolioArrays:
    """The tape restricted to borrowers ``0 .. nb-1`` (rows are sorted by borrower)."""
    nf, na = int(pa.b_fac_ptr[nb]), int(pa.b_asset_ptr[nb])
    cut = {}
    for f in fields(pa):
        v = getattr(pa, f.name)
        if f.name.startswith("b_") and f.name.endswith("_ptr"):
            cut[f.name] = v[: nb + 1]
        elif f.name.startswith("b_") or f.name in ("borrower_ids", "borrower_names"):
            cut[f.name] = v[:nb]
        elif f.name.startswith("a_") or f.name == "asset_ids":
            cut[f.name] = v[:na]
        elif f.name in ("f_draw_ptr", "f_sched_ptr", "f_coll_ptr"):
            cut[f.name] = v[: nf + 1]
        elif f.name.startswith("f_") or f.name in ("facility_ids", "facility_structures"):
            cut[f.name] = v[:nf]
    for flat, ptr in (("draw_month", "f_draw_ptr"), ("draw_amount", "f_draw_ptr"),
                      ("sched_month", "f_sched_ptr"), ("sched_amount", "f_sched_ptr"),
                      ("coll_asset", "f_coll_ptr")):
        cut[flat] = getattr(pa, flat)[: cut[ptr][-1]]
    keep = pa.h_facility < nf
    for name in ("h_facility", "h_lender", "h_share"):
        cut[name] = getattr(pa, name)[keep]
    # a reference to a dropped borrower becomes "none" (only possible in the cut copy)
    for kind, ref in _BORROWER_REFS:
        dropped = (cut[kind] == RefKind.borrower) & (cut[ref] >= nb)
        cut[kind] = np.where(dropped, RefKind.none, cut[kind]).astype(np.int8)
        cut[ref] = np.where(dropped, -1, cut[ref]).astype(np.int32)
    cut["b_parent"] = np.where(cut["b_parent"] >= nb, -1, cut["b_parent"]).astype(np.int32)
    return replace(pa, **cut)


def synthetic_portfolio(n_facilities: int, seed: int = 0,
                        sample: PortfolioArrays | None = None) -> PortfolioArrays:
    """A tape of about ``n_facilities`` facilities (never fewer) built from the sample.

    Parameters
    ----------
    n_facilities : int
        Facilities wanted (>= 1); the result ends at the first whole borrower reaching it.
    seed : int
        Seed of the size and cash factors.
    sample : PortfolioArrays, optional
        Tape to replicate; the compiled bundled sample by default.
    """
    pa = sample if sample is not None else compile_portfolio(load_sample())
    copies = -(-n_facilities // pa.n_facilities)
    rng = np.random.default_rng(seed)
    size = np.exp(SIZE_SIGMA * rng.standard_normal(copies))
    cash = np.exp(CASH_SIGMA * rng.standard_normal(copies))
    size[0] = cash[0] = 1.0  # copy 0 is the sample itself
    parts = [_copy(pa, k, size[k], cash[k]) for k in range(copies)]
    big = replace(pa, **_stack(parts, pa), **_labels(pa, copies))
    nb = int(np.searchsorted(big.b_fac_ptr, n_facilities, side="left"))
    return _first_borrowers(big, nb)
