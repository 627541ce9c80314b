"""tape layer: the loan tape's schema, readers/writers, validation and compile step.

Typical use::

    from cliffwatch.tape import load_tape, compile_portfolio
    arrays = compile_portfolio(load_tape("book.xlsx"))
"""

from cliffwatch.tape.arrays import NO_MONTH, PortfolioArrays
from cliffwatch.tape.compile import compile_portfolio
from cliffwatch.tape.errors import Issue, TapeError
from cliffwatch.tape.load import check_tape, load_tape
from cliffwatch.tape.schema import Portfolio
from cliffwatch.tape.template import template_portfolio
from cliffwatch.tape.write import write_tape

__all__ = [
    "NO_MONTH", "Issue", "Portfolio", "PortfolioArrays", "TapeError", "check_tape",
    "compile_portfolio", "load_tape", "template_portfolio", "write_tape",
]
