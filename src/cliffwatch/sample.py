"""The bundled sample portfolio: where it lives and how to load it.

The sample is one YAML tape (``data/sample/portfolio.yaml``) with its data card
(``data/sample/DATA_CARD.md``) shipped as package data, so ``cliffwatch validate``, the examples
and the tests of every layer can run on the same realistic book without any user file.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from cliffwatch.tape.load import load_tape
from cliffwatch.tape.schema import Portfolio

SAMPLE_DIR = "data/sample"
"""Package-relative folder of the sample tape and its data card."""
SAMPLE_TAPE_NAME = "portfolio.yaml"
"""File name of the sample tape."""
SAMPLE_CARD_NAME = "DATA_CARD.md"
"""File name of the sample's data card (provenance of every figure)."""


def _resource(name: str) -> Path:
    # setuptools installs cliffwatch's package data as plain files (never a zip import), so
    # the resource is a real path the tape readers can open and sniff.
    return Path(str(files("cliffwatch").joinpath(SAMPLE_DIR, name)))


def sample_tape_path() -> Path:
    """Path of the bundled sample tape (YAML, as of 2026-07-01, USD)."""
    return _resource(SAMPLE_TAPE_NAME)


def sample_card_path() -> Path:
    """Path of the sample's data card (Markdown)."""
    return _resource(SAMPLE_CARD_NAME)


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
