"""cliffwatch: stress-test the debt financing the AI-infrastructure buildout.

The notebook API (``load_tape``, ``run``, ``Results``) is importable from the package itself;
it is loaded on first use so that ``cliffwatch --help`` stays quick.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Any

try:
    __version__ = version("cliffwatch")
except PackageNotFoundError:  # running from a source tree without an install
    __version__ = "0.0.0+source"

_API = ("Results", "load_tape", "run", "resolve_scenarios", "cashflow_vectors")


def __getattr__(name: str) -> Any:
    if name in _API:
        from cliffwatch import api

        return getattr(api, name)
    raise AttributeError(f"module 'cliffwatch' has no attribute {name!r}")


__all__ = ["__version__", *_API]
