"""Tables are bit-identical whatever the BLAS thread count."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = """
import hashlib, sys
sys.path.insert(0, {tests!r})
from builders import make_portfolio, one_factor_summary
from cliffwatch.analytics import tables
holdings = [(f, l, 0.3 + 0.1 * l) for f in range(40) for l in range(3)]
pa = make_portfolio([f // 2 for f in range(40)], [10.0 + f for f in range(40)],
                    [3 * f for f in range(40)], holdings, 3)
s = one_factor_summary(pa, 3000, 0.05, 0.2, 0.6, 60, 1)
h = hashlib.sha256()
for name, df in sorted(tables.build_tables("x", pa, s).items()):
    h.update(name.encode())
    h.update(df.to_csv(float_format="%.17g").encode())
print(h.hexdigest())
"""

THREAD_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS")


def _digest(threads: int) -> str:
    env = dict(os.environ)
    env.update({v: str(threads) for v in THREAD_VARS})
    root = Path(__file__).parents[2]
    env["PYTHONPATH"] = str(root / "src")
    code = SCRIPT.format(tests=str(Path(__file__).parent))
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         check=True)
    return out.stdout.strip()


@pytest.mark.slow
def test_tables_do_not_depend_on_thread_count() -> None:
    one, two = _digest(1), _digest(2)
    assert len(one) == len(hashlib.sha256().hexdigest())
    assert one == two
