"""A store writer that signals itself while inside the store transaction.

Usage: python signal_child.py STORE SIGNAL WHEN — WHEN ``insert`` sends the signal right after
the rows are inserted (before the commit), ``during`` while a DuckDB statement runs (from a
thread, so it lands inside DuckDB). Exit code: what ``cliffwatch`` would exit with.
"""

from __future__ import annotations

import os
import sys
import threading
import time

from cliffwatch import signals
from cliffwatch.store import runs
from report.fixtures import make_result


def main() -> None:
    store, signum, when = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    signals.install()
    original = runs._insert_run

    def insert(*args, **kwargs):  # type: ignore[no-untyped-def]
        if when == "during":
            threading.Timer(0.05, os.kill, (os.getpid(), signum)).start()
            original(*args, **kwargs)
            time.sleep(0.3)
        else:
            original(*args, **kwargs)
            os.kill(os.getpid(), signum)
            time.sleep(0.3)

    runs._insert_run = insert
    try:
        runs.save_run(make_result(run_id="sig", paths=4000), store)
    except KeyboardInterrupt as exc:
        print(signals.MESSAGE, flush=True)
        sys.exit(signals.exit_code(exc))
    print("saved", flush=True)


if __name__ == "__main__":
    main()
