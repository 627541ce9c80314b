"""A writer process for the store tests.

Usage: python writer_child.py STORE RUN_ID MARKER STALL_SECONDS [PATHS [PHASE]]

PHASE ``commit`` (default): insert every row of the run inside the transaction, create
MARKER, sleep STALL_SECONDS, then commit — the parent can kill it mid-write or contend for
its lock. PHASE ``start``: create MARKER as the inserts begin and write on without pausing —
the parent kills it at a random moment of the write.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from cliffwatch.store import runs
from report.fixtures import make_result


def main() -> None:
    store, run_id, marker, stall = sys.argv[1], sys.argv[2], Path(sys.argv[3]), float(sys.argv[4])
    paths = int(sys.argv[5]) if len(sys.argv) > 5 else 2000
    phase = sys.argv[6] if len(sys.argv) > 6 else "commit"
    original = runs._insert_run

    def instrumented_insert(*args, **kwargs):  # type: ignore[no-untyped-def]
        if phase == "start":
            marker.touch()
        original(*args, **kwargs)
        if phase == "commit":
            marker.touch()
            time.sleep(stall)

    runs._insert_run = instrumented_insert
    runs.save_run(make_result(run_id=run_id, paths=paths), store)


if __name__ == "__main__":
    main()
