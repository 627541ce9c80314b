"""Where the bundled sample tape and its data card live (package data).

The paths sit in the tape layer so that tape commands (``cliffwatch template --sample``) can
find the sample without importing :mod:`cliffwatch.sample`, which imports the tape readers.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

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
