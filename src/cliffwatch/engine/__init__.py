"""The monthly cash-flow engine (see docs/ENGINE.md)."""

from cliffwatch.engine import cache as _cache

# before any engine module compiles: its numba cache must see every engine source file
_cache.install()
