"""A writer process for the store tests: saves a fixture run but stalls before committing.

Usage: python writer_child.py STORE RUN_ID MARKER STALL_SECONDS

It inserts every row of the run inside the transaction, creates MARKER, then sleeps
STALL_SECONDS before the commit, so the parent can kill it mid-write or contend for its lock.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from cliffwatch.store import runs
from report.fixtures import make_result


def main() -> None:
    store, run_id, marker, stall = sys.argv[1], sys.argv[2], Path(sys.argv[3]), float(sys.argv[4])
    original = runs._insert_run

    def stalled_insert(*args, **kwargs):  # type: ignore[no-untyped-def]
        original(*args, **kwargs)
        marker.touch()
        time.sleep(stall)

    runs._insert_run = stalled_insert
    runs.save_run(make_result(run_id=run_id, paths=2000), store)


if __name__ == "__main__":
    main()
