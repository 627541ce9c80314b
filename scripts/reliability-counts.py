"""Add up what the reliability tests tried (written by tests/reliability_counts.py).

Run after the test suite: ``python scripts/reliability-counts.py`` prints the counts as a
Markdown table; ``--write docs/RELIABILITY.md`` replaces the block between
``<!-- counts:begin -->`` and ``<!-- counts:end -->`` in that file with it.

``--fuzz N`` first runs the fuzzing budget (``tests/hardening/fuzz_budget.py``): N hostile tapes,
scenario files and news files through the loaders, validated, never simulated, each bounded in
time and memory. Its counts, escapes included, are written to
``test-artifacts/reliability/fuzz-budget.json`` beside the test processes' files and added up
with them.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COUNTS_DIR = ROOT / "test-artifacts" / "reliability"
BEGIN, END = "<!-- counts:begin -->", "<!-- counts:end -->"
TOTALS: dict[str, tuple[str, ...]] = {
    "inputs fuzzed (tape, scenario and news files)": ("tape files fuzzed",
                                                      "scenario files fuzzed",
                                                      "news files fuzzed"),
    "escapes of the fuzzing budget (traceback, exit code other than 0 or 2, over its time "
    "or memory limit)": ("escapes",),
    "random cases of the invariant and extreme tests": ("random ", "harsher", "extreme"),
    "faults injected": ("full disks", "read-only", "unwritable", "concurrent writers",
                        "runs refused", "tapes refused"),
    "runs killed": ("runs killed", "store writers killed"),
}
"""Headline totals: the counts whose key starts with one of these prefixes."""


FUZZ_FILE = "fuzz-budget.json"
ESCAPES_KEY = "escapes: total"


def run_fuzz(n: int, seed: int) -> Path:
    """Run the fuzzing budget of ``n`` inputs and write its counts; returns the file."""
    for extra in (ROOT, ROOT / "src", ROOT / "tests"):
        sys.path.insert(0, str(extra))
    from tests.hardening.fuzz_budget import run  # needs the repository on the path

    counts = run(n, seed=seed)
    counts[ESCAPES_KEY] = sum(v for k, v in counts.items() if k.startswith("escapes: "))
    COUNTS_DIR.mkdir(parents=True, exist_ok=True)
    out = COUNTS_DIR / FUZZ_FILE
    out.write_text(json.dumps(dict(sorted(counts.items())), indent=1) + "\n")
    print(f"{n:,} inputs fuzzed, {counts[ESCAPES_KEY]} escape(s); counts in {out}")
    return out


def load_counts(folder: Path = COUNTS_DIR) -> tuple[Counter[str], list[Path]]:
    """Sum of every worker's counts, and the files read."""
    files = sorted(folder.glob("*.json"))
    total: Counter[str] = Counter()
    for f in files:
        total.update(json.loads(f.read_text()))
    return total, files


def render(counts: Counter[str], files: list[Path]) -> str:
    """The counts as Markdown: headline totals, then every key."""
    newest = max((f.stat().st_mtime for f in files), default=0.0)
    when = datetime.fromtimestamp(newest, UTC).strftime("%Y-%m-%d %H:%M UTC")
    procs = [f for f in files if f.name != FUZZ_FILE]
    budget = " and the fuzzing budget" if len(procs) < len(files) else ""
    lines = [f"Counts of the last test run ({when}, {len(procs)} pytest process(es){budget}), "
             "from `test-artifacts/reliability/`:", "", "| total | count |", "|---|---:|"]
    for name, prefixes in TOTALS.items():
        n = sum(c for k, c in counts.items() if k.startswith(prefixes) and k != ESCAPES_KEY)
        lines.append(f"| {name} | {n:,} |")
    lines += ["", "| what was tried | count |", "|---|---:|"]
    lines += [f"| {key} | {n:,} |" for key, n in sorted(counts.items())]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", type=Path, help="Markdown file whose counts block to replace")
    parser.add_argument("--fuzz", type=int, metavar="N",
                        help="first run the fuzzing budget on N inputs (about 15 minutes for "
                             "10,000 on a shared two-core machine)")
    parser.add_argument("--seed", type=int, default=20261204, help="seed of the fuzzing budget")
    args = parser.parse_args()
    if args.fuzz:
        run_fuzz(args.fuzz, args.seed)
    counts, files = load_counts()
    if not files:
        raise SystemExit(f"no counts in {COUNTS_DIR}: run the tests first")
    table = render(counts, files)
    if args.write is None:
        print(table)
        return
    text = args.write.read_text(encoding="utf-8")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    args.write.write_text(f"{head}{BEGIN}\n{table}\n{END}{tail}", encoding="utf-8")
    print(f"updated {args.write}")


if __name__ == "__main__":
    main()
