"""The steps of the monthly waterfall, one module each, in the order the kernel runs them.

``STEPS`` numbers them; the kernel (``engine/kernel.py``), the readable twin
(``engine/reference/``, same module names), docs/ENGINE.md (generated from the modules'
docstrings by :mod:`cliffwatch.engine.docs`) and the tests use these numbers.
"""

from __future__ import annotations

STEPS: tuple[tuple[int, str], ...] = (
    (1, "operations"),
    (2, "draws"),
    (3, "debt_service"),
    (4, "balloons"),
    (5, "sweeps"),
    (6, "accrual"),
    (7, "covenants"),
    (8, "default"),
    (9, "distribution"),
    (10, "month_end"),
)
"""(number, module name) of every step, in the kernel's order."""
