"""The bundled sample portfolio: where it lives and how to load it.

The sample is one YAML tape (``data/sample/portfolio.yaml``) with its data card
(``data/sample/DATA_CARD.md``) shipped as package data, so ``cliffwatch validate``, the examples
and the tests of every layer can run on the same realistic book without any user file.
"""

from __future__ import annotations

from pathlib import Path

from cliffwatch.tape.load import load_tape
from cliffwatch.tape.sample_files import (
    SAMPLE_CARD_NAME,
    SAMPLE_DIR,
    SAMPLE_TAPE_NAME,
    sample_card_path,
    sample_tape_path,
)
from cliffwatch.tape.schema import Portfolio

__all__ = ["SAMPLE_CARD_NAME", "SAMPLE_DIR", "SAMPLE_TAPE_NAME", "load_sample",
           "load_tape_or_sample", "sample_card_path", "sample_tape_path"]


def load_sample() -> Portfolio:
    """Load and validate the bundled sample tape.

    Returns
    -------
    Portfolio
        The validated sample portfolio (26 borrowers, 45 facilities, 10 lenders).
    """
    return load_tape(sample_tape_path())


def load_tape_or_sample(path: str | Path | None = None) -> Portfolio:
    """Read and validate a tape (YAML, XLSX, CSV folder or zip, Parquet folder); ``None`` loads
    the bundled sample. Raises ``cliffwatch.tape.errors.TapeError`` listing every problem."""
    return load_tape(sample_tape_path() if path is None else path)
