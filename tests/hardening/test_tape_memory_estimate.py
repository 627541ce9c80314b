"""The tape memory estimate is not low: the peak RSS a CSV tape adds while it is read and
validated stays within ``tape_memory(rows)`` (it was about 20 % low: 2,100 B a row estimated,
2,650 measured as the slope of peak RSS between 220,051 and 660,051 rows)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FACILITIES = 50_000
"""About 110,000 rows over all tables: a few seconds, well above the fixed costs."""

CHILD = """
import gc, resource, sys
from pathlib import Path
from cliffwatch.memory import tape_memory
from cliffwatch.tape.load import check_tape
gc.collect()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
portfolio, issues = check_tape(Path(sys.argv[1]))
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
rows = int(sys.argv[2])
print(after - before, tape_memory(rows).total)
"""
WRITER = """
import sys
from pathlib import Path
from bench_tape import synthetic_tables, write
write(synthetic_tables(int(sys.argv[2])), Path(sys.argv[1]), "csv")
"""


@pytest.mark.slow
def test_peak_rss_of_validating_a_csv_tape_is_within_the_estimate(tmp_path: Path) -> None:
    env = {"PYTHONPATH": f"{ROOT / 'src'}:{ROOT / 'benchmarks'}", "PATH": "/usr/bin:/bin"}
    folder = tmp_path / "tape"
    subprocess.run([sys.executable, "-c", WRITER, str(folder), str(FACILITIES)], env=env,
                   check=True, timeout=600)  # written by another process: its memory is gone
    rows = sum(len(p.read_text().splitlines()) - 1 for p in folder.glob("*.csv"))
    done = subprocess.run([sys.executable, "-c", CHILD, str(folder), str(rows)],
                          capture_output=True, text=True, timeout=600, env=env, check=False)
    assert done.returncode == 0, done.stderr
    used, estimate = (int(x) for x in done.stdout.split())
    assert rows > 2 * FACILITIES
    assert used <= estimate, f"{rows:,} rows added {used / 2**20:.0f} MiB to the peak; " \
                             f"the estimate is {estimate / 2**20:.0f} MiB"
