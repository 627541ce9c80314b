"""numba's on-disk cache, made to see every engine source file a compiled function depends on.

numba keys the cache of a function on its own source file only. The kernel inlines the steps
of ``engine/steps/`` and reads the column declarations of ``engine/layout.py`` as constants,
so an edit to a step would otherwise leave the kernel's stale machine code in the cache. The
locator installed here stamps every function defined under ``engine/`` with the modification
times and sizes of all engine modules and of the package modules they read constants from;
any edit there recompiles the engine on its next use.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

from numba.core.caching import CacheImpl, _CacheLocator

ENGINE_DIR: Path = Path(__file__).resolve().parent
PACKAGE_DIR: Path = ENGINE_DIR.parent
DEPENDENCIES: tuple[Path, ...] = (PACKAGE_DIR / "codes.py", PACKAGE_DIR / "units.py",
                                  PACKAGE_DIR / "tape" / "arrays.py")
"""Modules outside ``engine/`` whose constants the compiled engine reads."""


def source_stamp() -> str:
    """Digest of (path, mtime, size) of every engine module and its dependencies."""
    files = sorted(ENGINE_DIR.rglob("*.py")) + list(DEPENDENCIES)
    h = hashlib.sha256()
    for f in files:
        st = os.stat(f)
        h.update(f"{f.relative_to(PACKAGE_DIR)}:{st.st_mtime_ns}:{st.st_size};".encode())
    return h.hexdigest()


class EngineCacheLocator(_CacheLocator):  # type: ignore[misc]
    """numba's usual locator for an engine function, with the engine-wide source stamp."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def ensure_cache_path(self) -> None:
        self._inner.ensure_cache_path()

    def get_cache_path(self) -> str:
        return str(self._inner.get_cache_path())

    def get_source_stamp(self) -> str:
        return source_stamp()

    def get_disambiguator(self) -> str:
        return str(self._inner.get_disambiguator())

    @classmethod
    def from_function(cls, py_func: Any, py_file: str) -> EngineCacheLocator | None:
        if ENGINE_DIR not in Path(py_file).resolve().parents:
            return None
        locators: list[Any] = CacheImpl._locator_classes
        for other in locators:
            if other is cls:
                continue
            inner = other.from_function(py_func, py_file)
            if inner is not None:
                return cls(inner)
        return None


def install() -> None:
    """Put :class:`EngineCacheLocator` first in numba's locator list (idempotent)."""
    locators: list[Any] = CacheImpl._locator_classes
    if EngineCacheLocator not in locators:
        locators.insert(0, EngineCacheLocator)
