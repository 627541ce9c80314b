"""tape layer: the loan tape's schema, readers/writers, validation and compile step.

Typical use::

    from cliffwatch.tape import load_tape, compile_portfolio
    arrays = compile_portfolio(load_tape("book.xlsx"))

Names are imported lazily, so ``import cliffwatch.tape.arrays`` (the engine's contract) does
not pull in the readers' dependencies (pyarrow, calamine, xlsxwriter).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS: dict[str, str] = {
    "NO_MONTH": "arrays", "PortfolioArrays": "arrays", "compile_portfolio": "compile",
    "Issue": "errors", "TapeError": "errors", "check_tape": "load", "load_tape": "load",
    "Portfolio": "schema", "template_portfolio": "template", "write_tape": "write",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'cliffwatch.tape' has no attribute {name!r}")
    return getattr(import_module(f"cliffwatch.tape.{_EXPORTS[name]}"), name)
