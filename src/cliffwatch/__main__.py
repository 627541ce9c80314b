"""``python -m cliffwatch`` and the ``cliffwatch`` console script.

The command-line modules import numpy, scipy, numba and pandas, which takes seconds; a Ctrl-C
in that time must end the program like one during a run (a message and exit code 130), not
with a traceback from inside an import.
"""

from __future__ import annotations

import os
import sys

EXIT_INTERRUPTED = 130
"""Exit code of a run ended by SIGINT (128 + signal 2, the shell convention)."""


def entry() -> None:
    """Import the command line and run it."""
    try:
        from cliffwatch.cli import main
    except KeyboardInterrupt:
        sys.stderr.write("interrupted: nothing was written\n")
        sys.stderr.flush()
        # os._exit, not SystemExit: CPython remembers a KeyboardInterrupt raised inside an
        # import and may end the process by SIGINT (exit -2) at shutdown; nothing is open yet.
        os._exit(EXIT_INTERRUPTED)
    main()


if __name__ == "__main__":
    entry()
