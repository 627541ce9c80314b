"""The bundled scenario library (``cliffwatch/data/scenarios/*.yaml``)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def library_dir() -> Path:
    """Directory of the bundled scenario YAML files."""
    return Path(str(resources.files("cliffwatch") / "data" / "scenarios"))


def bundled_names() -> list[str]:
    """Names of the bundled scenarios, ``base`` first then alphabetical."""
    names = sorted(p.stem for p in library_dir().glob("*.yaml"))
    return sorted(names, key=lambda n: (n != "base", n))


def bundled_path(name: str) -> Path | None:
    """Path of a bundled scenario, or ``None`` if no such name."""
    p = library_dir() / f"{name}.yaml"
    return p if p.is_file() else None
