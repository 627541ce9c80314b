"""Peak memory of a Monte Carlo run, estimated from the book's size before it starts."""

from __future__ import annotations

from cliffwatch.memory import MemoryEstimate
from cliffwatch.runs.montecarlo import (
    DEFAULT_BLOCK_PATHS,
    block_bytes_per_path,
    summary_bytes_per_path,
)
from cliffwatch.tape.arrays import PortfolioArrays

RESULT_COPIES_PER_SCENARIO: int = 2
"""Engine summaries alive at once for one scenario: its run and the no-contagion twin."""
MERGE_COPIES: int = 1
"""Extra summary copy while block results are concatenated in path order."""


def _arrays_bytes(pa: PortfolioArrays) -> int:
    return sum(int(getattr(v, "nbytes", 0)) for v in vars(pa).values())


def run_memory(pa: PortfolioArrays, paths: int, horizon: int, *, bumps: int = 0,
               block_paths: int = DEFAULT_BLOCK_PATHS) -> MemoryEstimate:
    """Peak memory of a run of ``paths`` paths over ``horizon`` months on ``pa``.

    Per scenario the engine summaries of every path are held at once: the run, its
    no-contagion twin and, for the first scenario, ``bumps`` paired sensitivity runs, plus
    one copy while blocks are merged; one block of factor paths exists at a time.
    """
    held = RESULT_COPIES_PER_SCENARIO + bumps + MERGE_COPIES
    return MemoryEstimate(
        what=(f"a run of {paths:,} paths x {horizon} months on {pa.n_facilities:,} facilities"
              f" ({held} result sets held)"),
        parts={
            "results": held * paths * summary_bytes_per_path(pa, horizon),
            "block": min(paths, block_paths) * block_bytes_per_path(pa, horizon),
            "portfolio": _arrays_bytes(pa),
        },
        hint="lower --paths or --horizon, or run on a cluster (--workers / --cluster)",
    )
