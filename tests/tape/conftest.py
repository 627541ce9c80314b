"""Fixtures of the tape tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from .fixtures import small_tape, yaml_text


@pytest.fixture
def small_yaml(tmp_path: Path) -> Path:
    """The small valid tape written as YAML."""
    path = tmp_path / "tape.yaml"
    path.write_text(yaml_text(small_tape()))
    return path
