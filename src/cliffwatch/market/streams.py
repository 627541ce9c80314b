"""Reproducible random streams keyed by path chunk (METHODS 8.1).

Paths are grouped into fixed chunks of :data:`CHUNK_SIZE`. Chunk ``c`` draws from
``SeedSequence(seed, spawn_key=(c,))``; each kind of shock has its own child of that sequence
(``spawn_key=(c, k)``) and a fixed shape, so a path's numbers depend only on the seed, its path
index and the dimensions of the universe and horizon — never on how paths are split into
execution blocks, threads or cluster workers. Time-indexed arrays are time-major, so a longer
horizon extends a shorter one without changing its months. Obligor-indexed arrays are
obligor-major, so appending an obligor leaves the others' draws unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

CHUNK_SIZE: int = 32
"""Paths per random-stream chunk. Fixed forever: changing it changes every result."""
N_COMMON: int = 7
"""Correlated monthly innovations (see ``reference.FACTORS``)."""
N_SOFTWARE: int = 4
"""Independent monthly normals of the software-side factors, in the order of
:data:`cliffwatch.market.software.SOFTWARE_SHOCKS` (ai_capex, budget, multiple, spread basis)."""


@dataclass(frozen=True)
class Shocks:
    """All random numbers of a set of paths; the path axis is axis 1 everywhere."""

    common: np.ndarray
    """(T, P, 7) independent standard normals, correlated later by Cholesky."""
    gpu: np.ndarray
    """(T, P, G) generation-specific rent normals."""
    jump_u: np.ndarray
    """(T, P) uniforms giving the number of spread jumps in the month (inverse Poisson CDF)."""
    jump_z: np.ndarray
    """(T, P) normals giving the size of the month's spread jumps."""
    jump_v: np.ndarray
    """(T, P) uniforms giving the arrival time of the jump within the month."""
    util_idio: np.ndarray
    """(NB, P) borrower-specific utilization normals."""
    cpty_eps: np.ndarray
    """(NC, P) idiosyncratic copula normals of counterparties."""
    borrower_eps: np.ndarray
    """(NB, P) idiosyncratic copula normals of borrowers (exogenous defaults)."""
    refi_u: np.ndarray
    """(NF, P) uniforms for each facility's refinancing-access test."""
    software: np.ndarray
    """(T, P, 4) independent standard normals of the software-side factors (issue 11). Drawn
    from the chunk's last child stream, so adding them left every earlier stream unchanged."""

    def take(self, start: int, stop: int) -> Shocks:
        """Paths ``start:stop`` (axis 1)."""
        return Shocks(**{f.name: getattr(self, f.name)[:, start:stop] for f in fields(self)})

    @staticmethod
    def concat(parts: list[Shocks]) -> Shocks:
        """Join along the path axis."""
        return Shocks(
            **{
                f.name: np.concatenate([getattr(p, f.name) for p in parts], axis=1)
                for f in fields(Shocks)
            }
        )


_NORMAL = ("common", "gpu", "jump_z", "util_idio", "cpty_eps", "borrower_eps", "software")


def draw_chunk(
    seed: int,
    chunk: int,
    months: int,
    n_gen: int,
    n_borrowers: int,
    n_cpty: int,
    n_facilities: int,
    antithetic: bool = False,
) -> Shocks:
    """Draw every shock of chunk ``chunk`` (paths ``chunk*CHUNK_SIZE`` onward).

    With ``antithetic`` the second half of the chunk mirrors the first: normals negated,
    uniforms reflected (``1 - u``).
    """
    c = CHUNK_SIZE
    shapes = {
        "common": (months, c, N_COMMON),
        "gpu": (months, c, n_gen),
        "jump_u": (months, c),
        "jump_z": (months, c),
        "jump_v": (months, c),
        "util_idio": (n_borrowers, c),
        "cpty_eps": (n_cpty, c),
        "borrower_eps": (n_borrowers, c),
        "refi_u": (n_facilities, c),
        # New streams go last: child k of the chunk's SeedSequence is the same whatever the
        # number of children spawned, so the streams above keep their numbers bit for bit.
        "software": (months, c, N_SOFTWARE),
    }
    children = np.random.SeedSequence(seed, spawn_key=(chunk,)).spawn(len(shapes))
    out: dict[str, np.ndarray] = {}
    for child, (name, shape) in zip(children, shapes.items(), strict=True):
        rng = np.random.Generator(np.random.PCG64(child))
        arr = rng.standard_normal(shape) if name in _NORMAL else rng.random(shape)
        if antithetic:
            h = c // 2
            arr[:, h:] = -arr[:, :h] if name in _NORMAL else 1.0 - arr[:, :h]
        out[name] = arr
    return Shocks(**out)


def draw_paths(
    seed: int,
    path_start: int,
    path_stop: int,
    months: int,
    n_gen: int,
    n_borrowers: int,
    n_cpty: int,
    n_facilities: int,
    antithetic: bool = False,
) -> Shocks:
    """Shocks of paths ``[path_start, path_stop)``, identical whatever the block split."""
    first, last = path_start // CHUNK_SIZE, -(-path_stop // CHUNK_SIZE)
    parts = [
        draw_chunk(seed, k, months, n_gen, n_borrowers, n_cpty, n_facilities, antithetic)
        for k in range(first, last)
    ]
    off = first * CHUNK_SIZE
    return Shocks.concat(parts).take(path_start - off, path_stop - off)
