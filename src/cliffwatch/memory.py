"""Up-front memory estimates: refuse a tape or a run that cannot fit, before it starts.

A run that exhausts memory dies with the operating system's out-of-memory kill: no message, no
store write, hours lost. Both the tape load and the Monte Carlo run therefore estimate their peak
memory from their sizes first and raise :class:`CapacityError`, which says what needs how much,
how much is available and what to change, when the estimate exceeds the usable memory.

This module imports no other layer, so the tape readers can use it; the run estimate lives in
:mod:`cliffwatch.runs.memory`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

MEMINFO: Path = Path("/proc/meminfo")
"""Linux memory report; ``MemAvailable`` is what a new allocation can get without swapping."""
CGROUP_LIMIT: Path = Path("/sys/fs/cgroup/memory.max")
"""cgroup v2 limit of this container ("max" when unlimited); /proc/meminfo ignores it."""
LIMIT_ENV: str = "CLIFFWATCH_MEMORY_LIMIT_BYTES"
"""Environment variable that overrides the detected available memory, bytes."""
USABLE_FRACTION: float = 0.8
"""Share of the available memory an estimate may plan to use; the rest covers what the estimate
leaves out (interpreter, numba, pandas tables of the report) [estimate]."""
PARSED_ROW_BYTES: int = 2_900
"""Peak resident memory per tape row while it is read and validated, bytes. Measured as the
slope of the peak RSS of ``cliffwatch validate`` on synthetic CSV tapes (``bench_tape``): 976 MB
at 220,051 rows, 2,115 MB at 660,051 rows, 2,650 bytes a row over a 400 MB process (the earlier
2,100 counted the Python heap only, tracemalloc, and was about 20 % low), plus 9 % margin;
see docs/RELIABILITY.md."""
GIB: float = 2.0**30


class CapacityError(ValueError):
    """A tape or a run would need more memory than this machine can give it."""


@dataclass(frozen=True)
class MemoryEstimate:
    """Peak memory of one job, by part, bytes.

    Attributes
    ----------
    what : str
        The job, in the user's words ("run of 3,000 paths x 60 months on 45 facilities").
    parts : dict[str, int]
        Bytes of each part of the peak.
    hint : str
        What to change to fit.
    """

    what: str
    parts: dict[str, int] = field(default_factory=dict)
    hint: str = ""

    @property
    def total(self) -> int:
        """Peak bytes of the job."""
        return sum(self.parts.values())

    def describe(self, usable: int) -> str:
        """The refusal message: total, parts, usable memory and the hint."""
        parts = ", ".join(f"{name} {b / GIB:.2f} GiB" for name, b in self.parts.items())
        return (f"{self.what} needs about {self.total / GIB:.2f} GiB ({parts}) but only "
                f"{usable / GIB:.2f} GiB is usable ({USABLE_FRACTION:.0%} of the available "
                f"memory; set {LIMIT_ENV} to override); {self.hint}")


def _meminfo_available(text: str) -> int | None:
    for line in text.splitlines():
        if line.startswith("MemAvailable:"):
            return int(line.split()[1]) * 1024  # the file reports kB
    return None


def _cgroup_limit() -> int | None:
    try:
        text = CGROUP_LIMIT.read_text().strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def available_memory_bytes() -> int:
    """Memory a new job can use, bytes: ``$CLIFFWATCH_MEMORY_LIMIT_BYTES`` if set, else the
    smaller of ``MemAvailable`` (or free pages from ``os.sysconf``) and the cgroup limit."""
    override = os.environ.get(LIMIT_ENV)
    if override is not None:
        return int(override)
    try:
        found = _meminfo_available(MEMINFO.read_text())
    except OSError:
        found = None
    if found is None:
        found = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    limit = _cgroup_limit()
    return found if limit is None else min(found, limit)


def usable_memory_bytes(available: int | None = None) -> int:
    """The share of ``available`` (default: detected) an estimate may plan on, bytes."""
    return int(USABLE_FRACTION * (available_memory_bytes() if available is None else available))


def require_fits(estimate: MemoryEstimate, available: int | None = None) -> None:
    """Raise :class:`CapacityError` when ``estimate`` exceeds the usable memory.

    ``available`` (bytes) replaces the detected available memory (tests inject a small one).
    """
    usable = usable_memory_bytes(available)
    if estimate.total > usable:
        raise CapacityError(estimate.describe(usable))


def tape_memory(rows: int) -> MemoryEstimate:
    """Peak memory to validate a tape of ``rows`` rows over all its tables."""
    return MemoryEstimate(
        what=f"validating a tape of {rows:,} rows",
        parts={"parsed rows": rows * PARSED_ROW_BYTES},
        hint="split the tape by lender or borrower group and run the parts separately",
    )
