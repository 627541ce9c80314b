"""Tapes the server knows, by content digest: the bundled sample and every valid upload.

A stored run records only its tape's digest, so a borrower trace can be computed only for a
run whose tape is known here; the registry answers which one that is.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from cliffwatch.sample import sample_tape_path
from cliffwatch.tape.arrays import PortfolioArrays
from cliffwatch.tape.compile import compile_portfolio
from cliffwatch.tape.load import load_tape
from cliffwatch.tape.schema import Portfolio

SAMPLE_NAME = "bundled sample"


@dataclass(frozen=True)
class KnownTape:
    """A validated tape the server can run and trace.

    Attributes
    ----------
    digest : str
        ``PortfolioArrays.digest()``, the ``tape_hash`` stored with each run.
    name : str
        What to call it (upload file name, or ``bundled sample``).
    path : Path
        Where the tape lies (the run worker reads it from there).
    arrays : PortfolioArrays
        The compiled portfolio.
    portfolio : Portfolio
        The validated tape (for its summary tables).
    """

    digest: str
    name: str
    path: Path
    arrays: PortfolioArrays
    portfolio: Portfolio


class TapeRegistry:
    """Thread-safe map from tape digest to :class:`KnownTape`."""

    def __init__(self) -> None:
        self._tapes: dict[str, KnownTape] = {}
        self._lock = threading.Lock()
        self._sample: KnownTape | None = None

    def add(self, portfolio: Portfolio, name: str, path: Path) -> KnownTape:
        """Compile and remember a validated tape; returns its entry."""
        pa = compile_portfolio(portfolio)
        tape = KnownTape(pa.digest(), name, path, pa, portfolio)
        with self._lock:
            self._tapes.setdefault(tape.digest, tape)
            return self._tapes[tape.digest]

    def sample(self) -> KnownTape:
        """The bundled sample tape (loaded on first use)."""
        if self._sample is None:
            path = sample_tape_path()
            self._sample = self.add(load_tape(path), SAMPLE_NAME, path)
        return self._sample

    def get(self, digest: str) -> KnownTape | None:
        """The tape with this digest, if the server has seen it."""
        with self._lock:
            return self._tapes.get(digest)
