"""The two ways the engine compiles a function with numba, named once.

``kernel_fn`` is a compiled function called like any other (a call boundary: numba pays an
atomic incref/decref pair per array argument per call, so the hot loop calls only those that
take scalars or run rarely). ``step_fn`` is inlined into its caller at numba-IR level
(``inline="always"``): a step reads the packed containers of :mod:`cliffwatch.engine.state`
without a call, so splitting the monthly step into modules costs nothing at run time.
Both cache their machine code on disk; :mod:`cliffwatch.engine.cache` (installed by the
package) makes that cache depend on every engine source file, since an inlined step is
compiled into its caller.
"""

from __future__ import annotations

from numba import njit

kernel_fn = njit(cache=True, error_model="numpy")
"""Decorator: a compiled engine function with its own call boundary."""
step_fn = njit(cache=True, error_model="numpy", inline="always")
"""Decorator: a compiled engine function inlined into its caller."""
loop_fn = njit(cache=True, error_model="numpy", _nrt=False)  # type: ignore[call-overload]
"""Decorator: the kernel's month loop, compiled without numba's reference counting (NRT).

Each step reads arrays out of the named tuples; with reference counting on, numba wraps every
such read in an atomic incref/decref pair its pruning pass cannot remove from a function this
large (757 increfs and 1,465 decrefs in the loop's machine code). The loop allocates nothing
(the path state is allocated before it, by a function with reference counting) and every array
it touches outlives it, so it needs no reference counts."""
