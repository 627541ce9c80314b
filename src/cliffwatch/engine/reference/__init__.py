"""A readable reference model of one path, written to be audited rather than to be fast.

It reads ``PortfolioArrays`` and ``FactorPaths`` field by field (not the kernel's packed
arrays) and keeps state in small dataclasses. Its modules mirror the kernel's file for file:
``reference/operations.py`` is the twin of ``steps/operations.py``, and so on for every step of
:data:`cliffwatch.engine.steps.STEPS`; ``reference/path.py`` is the twin of ``kernel.py`` (the
loops and the order of the steps), ``reference/state.py`` of ``state.py``. Tests run it beside
the compiled kernel on random portfolios and require the same results. It shares with the
kernel only the schedule and sizing formulas (``amortization``, ``refinancing``), which have
their own oracle tests.
"""

from cliffwatch.engine.reference.path import ReferencePath, run_reference

__all__ = ["ReferencePath", "run_reference"]
