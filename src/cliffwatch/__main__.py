"""``python -m cliffwatch`` and the ``cliffwatch`` console script.

The command-line modules import numpy, scipy, numba and pandas, which takes seconds; a Ctrl-C
in that time must end the program like one during a run (a message and exit code 130), not
with a traceback from inside an import.
"""

from __future__ import annotations

import os
import sys


def entry() -> None:
    """Import the command line and run it."""
    from cliffwatch import signals

    signals.install()  # SIGTERM during the slow imports ends like SIGINT, with a message
    try:
        from cliffwatch.cli import main
    except KeyboardInterrupt as exc:
        sys.stderr.write(f"{signals.MESSAGE}\n")
        sys.stderr.flush()
        # os._exit, not SystemExit: nothing is open yet, and a half-done import must not run
        # any more code at shutdown.
        os._exit(signals.exit_code(exc))
    main()


if __name__ == "__main__":
    entry()
