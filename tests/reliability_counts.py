"""Pytest plugin: counts of what the reliability tests tried, written to ``test-artifacts/``.

A test asks for the ``tally`` fixture and calls ``tally("what was tried")`` once per input it
fuzzed, fault it injected or run it killed, so docs/RELIABILITY.md quotes counts the tests
really reached. Every pytest process (each xdist worker) writes its own
``test-artifacts/reliability/<worker>.json``; ``scripts/reliability-counts.py`` adds them up.
The controlling process clears the folder when a session starts, so the files describe the
last run only.
"""

from __future__ import annotations

import json
import os
import shutil
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

COUNTS_DIR: Path = Path(__file__).resolve().parents[1] / "test-artifacts" / "reliability"
_WORKER_ENV = "PYTEST_XDIST_WORKER"
_COUNTS: Counter[str] = Counter()

Tally = Callable[..., None]
"""``tally(key, n=1)``: add ``n`` to the count named ``key``."""


def pytest_configure(config: pytest.Config) -> None:
    if _WORKER_ENV not in os.environ:
        shutil.rmtree(COUNTS_DIR, ignore_errors=True)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _COUNTS:
        COUNTS_DIR.mkdir(parents=True, exist_ok=True)
        worker = os.environ.get(_WORKER_ENV, "main")
        (COUNTS_DIR / f"{worker}.json").write_text(
            json.dumps(dict(sorted(_COUNTS.items())), indent=1) + "\n")


@pytest.fixture(scope="session")
def tally() -> Tally:
    """The counter of tried inputs and faults (session-wide, so hypothesis tests can use it)."""

    def add(key: str, n: int = 1) -> None:
        _COUNTS[key] += n

    return add
