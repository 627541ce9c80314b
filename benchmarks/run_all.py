"""Run every benchmark in this folder (``bench_*.py``) in turn: ``python benchmarks/run_all.py``.

Extra arguments (e.g. ``--quick``) are passed to every benchmark. Each runs in its own process
with ``src`` and this folder on the path, so the numbers do not share caches or heaps.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def main() -> int:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), str(HERE), env.get("PYTHONPATH", "")])
    failed = []
    for script in sorted(HERE.glob("bench_*.py")):
        print(f"\n===== {script.name} =====", flush=True)
        if subprocess.run([sys.executable, str(script), *sys.argv[1:]], env=env,
                          cwd=ROOT).returncode:
            failed.append(script.name)
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
