"""Add up what the reliability tests tried (written by tests/reliability_counts.py).

Run after the test suite: ``python scripts/reliability-counts.py`` prints the counts as a
Markdown table; ``--write docs/RELIABILITY.md`` replaces the block between
``<!-- counts:begin -->`` and ``<!-- counts:end -->`` in that file with it.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COUNTS_DIR = ROOT / "test-artifacts" / "reliability"
BEGIN, END = "<!-- counts:begin -->", "<!-- counts:end -->"
TOTALS: dict[str, tuple[str, ...]] = {
    "inputs fuzzed (tape and scenario files)": ("tape files fuzzed", "scenario files fuzzed"),
    "random cases of the invariant and extreme tests": ("random ", "harsher", "extreme"),
    "faults injected": ("full disks", "read-only", "unwritable", "concurrent writers",
                        "runs refused", "tapes refused"),
    "runs killed": ("runs killed", "store writers killed"),
}
"""Headline totals: the counts whose key starts with one of these prefixes."""


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
    lines = [f"Counts of the last test run ({when}, {len(files)} pytest process(es)), from "
             "`test-artifacts/reliability/`:", "", "| total | count |", "|---|---:|"]
    for name, prefixes in TOTALS.items():
        n = sum(c for k, c in counts.items() if k.startswith(prefixes))
        lines.append(f"| {name} | {n:,} |")
    lines += ["", "| what was tried | count |", "|---|---:|"]
    lines += [f"| {key} | {n:,} |" for key, n in sorted(counts.items())]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", type=Path, help="Markdown file whose counts block to replace")
    args = parser.parse_args()
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
