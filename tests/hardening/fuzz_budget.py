"""A long fuzzing budget, run on demand: thousands of hostile tapes, scenario files and news
files through the loaders, counting escapes.

Each input is generated from a seeded random stream (the same seed gives the same inputs) and
checked cheaply (validated, never simulated):

* tapes through ``cliffwatch validate`` (typer's test runner, in process): the exit code must
  be 0 or 2 and no exception may escape;
* scenario files through ``load_scenario``: it returns or raises ``MarketInputError``;
* news files through ``read_items``: it returns or raises ``NewsError``.

An **escape** is any other exception (a traceback), any other exit code, an input that takes
longer than :data:`INPUT_SECONDS`, or one that runs out of the process's address-space limit
(:data:`ADDRESS_SPACE_BYTES`: an alias bomb or an unbounded ``repr`` shows up as a
``MemoryError`` here instead of taking the machine down). ``scripts/reliability-counts.py
--fuzz N`` runs :func:`run` and records the counts; ``tests/hardening/test_fuzz_budget.py``
runs a small budget in the suite so the generator cannot rot.
"""

from __future__ import annotations

import copy
import json
import math
import random
import resource
import signal
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

import yaml
from tests.hardening.bombs import alias_chain
from tests.tape.fixtures import small_tape, write_raw_csv

INPUT_SECONDS: float = 20.0
"""Longest one input may take before it counts as a resource blow-up (the validate of a small
tape takes tens of milliseconds; a bomb takes minutes)."""
ADDRESS_SPACE_BYTES: int = 6 * 2**30
"""Address-space limit of the fuzzing process while the budget runs (numba and the imports
need about 2 GiB of it)."""
EXTREME_NUMBERS: tuple[Any, ...] = (
    1e308, -1e308, math.inf, -math.inf, math.nan, 5e-324, -0.0, 0, 2**63, -(2**63) - 1,
    10**400, 1e13, 1e13 * (1 + 1e-9), 1e16, 123456789012345678901234567890, 1e6, -1, 1000,
)
"""Numbers at and beyond every bound (10**400 is an int no float can hold)."""
JUNK: tuple[Any, ...] = (
    "", " ", "nan", "inf", "-inf", "1e999", "0x10", "1,000", "12%", "N/A", "=1+1",
    "<script>alert(1)</script>", "x" * 10_000, "é" * 500, "\x00", True, None, [], {},
    [1, 2, 3], {"a": 1}, "2026-02-30", "9999-12-31", "0001-01-01",
)
"""Cells a spreadsheet, a script or an attacker may write."""


@dataclass(frozen=True)
class Case:
    """One generated input: what it targets, how it was made, its file name and bytes."""

    target: str  # "tape", "scenario", "news"
    kind: str
    name: str
    content: bytes


class _TooSlow(Exception):
    pass


def _value(rng: random.Random) -> Any:
    # a copy: a later mutation must not write into JUNK's shared list or mapping
    return rng.choice(EXTREME_NUMBERS) if rng.random() < 0.6 else copy.deepcopy(rng.choice(JUNK))


def _dump(doc: Any) -> bytes:
    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True).encode()


def _paths(doc: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(doc, dict):
        for k, v in doc.items():
            out += _paths(v, prefix + (k,))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            out += _paths(v, prefix + (i,))
    return out


def _set(doc: Any, path: tuple[Any, ...], value: Any) -> None:
    for key in path[:-1]:
        doc = doc[key]
    doc[path[-1]] = value


def _alias_text(rng: random.Random, host: str) -> bytes:
    """YAML whose value at ``host`` is an alias chain of random depth and fan."""
    levels, fan = rng.randint(2, 12), rng.randint(2, 12)
    lines = alias_chain(levels, fan)
    return ("\n".join(lines) + "\n" + host.replace("ALIAS", f"*a{levels - 1}")).encode()


def _nested_yaml(rng: random.Random, prefix: str) -> bytes:
    depth = rng.choice([50, 99, 101, 500, 5_000, 100_000])
    opener, closer = rng.choice([("[", "]"), ("{a: ", "}")])
    closed = closer * depth if rng.random() < 0.5 else ""
    return (prefix + opener * depth + closed + "\n").encode()


def _tape_case(i: int, rng: random.Random, folder: Path) -> Case:
    roll = rng.random()
    tape = small_tape()
    if roll < 0.45:  # one to three cells replaced by extreme numbers or junk
        for _ in range(rng.randint(1, 3)):
            _set(tape, rng.choice(_paths(tape)), _value(rng))
        return Case("tape", "YAML cells: extreme numbers and junk", f"t{i}.yaml", _dump(tape))
    if roll < 0.6:  # the same through a CSV folder
        for _ in range(rng.randint(1, 3)):
            table = rng.choice([k for k, v in tape.items() if isinstance(v, list) and v])
            row = rng.choice(tape[table])
            value = _value(rng)  # a CSV cell is text: lists and mappings as their JSON
            row[rng.choice(list(row))] = json.dumps(value) if isinstance(value, list | dict) \
                else value
        write_raw_csv(tape, folder / f"t{i}")
        return Case("tape", "CSV cells: extreme numbers and junk", f"t{i}", b"")
    if roll < 0.8:  # an alias chain as a cell, a row list or the whole document
        host = rng.choice(["as_of: 2026-06-30\ncurrency: USD\nborrowers:\n  - {id: X, name: ALIAS}",
                           "as_of: 2026-06-30\nfacilities: ALIAS", "borrowers: ALIAS"])
        return Case("tape", "YAML alias chains (up to 12 levels x 12)", f"t{i}.yaml",
                    _alias_text(rng, host))
    return Case("tape", "YAML nested 50 to 100,000 levels", f"t{i}.yaml",
                _nested_yaml(rng, "as_of: 2026-06-30\nborrowers: "))


def _library() -> dict[str, Any]:
    from cliffwatch.market.library import bundled_names, bundled_path

    return {n: yaml.safe_load(bundled_path(n).read_text())  # type: ignore[union-attr]
            for n in bundled_names()}


def _scenario_case(i: int, rng: random.Random, library: dict[str, Any]) -> Case:
    roll = rng.random()
    if roll < 0.6:  # a library scenario with one to three values made extreme
        doc = json.loads(json.dumps(library[rng.choice(sorted(library))]))
        for _ in range(rng.randint(1, 3)):
            paths = _paths(doc)
            if paths:
                _set(doc, rng.choice(paths), _value(rng))
        doc.pop("extends", None) if rng.random() < 0.2 else None
        return Case("scenario", "library scenarios: extreme numbers and junk", f"s{i}.yaml",
                    _dump(doc))
    if roll < 0.75:  # engine overrides and factor knobs out of range
        field = rng.choice(["contract_renewal_prob", "gpu_fire_sale_haircut", "idio_util_vol",
                            "dc_sale_cost", "refi_window_months", "rating_spread_multiplier"])
        factor = rng.choice(["spread", "sofr", "gpu_rent", "utilization", "dc_value"])
        knob = rng.choice([{"vol_scale": _value(rng)},
                           {"jump": [{"month": 1, "size": _value(rng)}]},
                           {"shift": {0: 0.0, 6: _value(rng)}}, {"floor": _value(rng)}])
        doc = {"name": f"s{i}", "extends": "base", "engine": {field: _value(rng)},
               "factors": {factor: knob}}
        return Case("scenario", "engine overrides and factor knobs out of range", f"s{i}.yaml",
                    _dump(doc))
    if roll < 0.9:
        host = rng.choice(["name: x\nfactors: ALIAS", "name: ALIAS",
                           "name: x\nengine: {contract_renewal_prob: ALIAS}"])
        return Case("scenario", "YAML alias chains (up to 12 levels x 12)", f"s{i}.yaml",
                    _alias_text(rng, host))
    return Case("scenario", "YAML nested 50 to 100,000 levels", f"s{i}.yaml",
                _nested_yaml(rng, "name: x\nfactors: "))


def _news_case(i: int, rng: random.Random) -> Case:
    roll = rng.random()
    if roll < 0.5:
        depth = rng.choice([10, 500, 990, 1_000, 5_000, 100_000])
        text = "[" * depth + ("]" * depth if rng.random() < 0.5 else "")
        return Case("news", "JSON nested 10 to 100,000 levels", f"n{i}.json", text.encode())
    item = {"title": _value(rng), "body": _value(rng), "published": _value(rng),
            "source": _value(rng)}
    text = json.dumps([item] * rng.randint(1, 3), allow_nan=True, default=str)
    return Case("news", "JSON items: extreme numbers and junk", f"n{i}.json", text.encode())


def cases(n: int, seed: int, folder: Path) -> Iterator[Case]:
    """``n`` inputs: 45 % tapes, 40 % scenario files, 15 % news files."""
    rng = random.Random(seed)
    library = _library()
    for i in range(n):
        roll = rng.random()
        if roll < 0.45:
            yield _tape_case(i, rng, folder)
        elif roll < 0.85:
            yield _scenario_case(i, rng, library)
        else:
            yield _news_case(i, rng)


@contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    def expire(_signum: int, _frame: FrameType | None) -> None:
        raise _TooSlow

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _checker() -> Callable[[Case, Path], str | None]:
    from typer.testing import CliRunner

    from cliffwatch.cli import app
    from cliffwatch.market.errors import MarketInputError
    from cliffwatch.market.scenario import load_scenario
    from cliffwatch.news.errors import NewsError
    from cliffwatch.news.readers import read_items

    runner = CliRunner()

    def check(case: Case, path: Path) -> str | None:
        """None when the input was handled; else why it escaped."""
        if case.target == "tape":
            res = runner.invoke(app, ["validate", str(path)])
            if res.exception is not None and not isinstance(res.exception, SystemExit):
                return f"{type(res.exception).__name__}: {str(res.exception)[:200]}"
            if res.exit_code not in (0, 2) or "Traceback" in res.output:
                return f"exit code {res.exit_code}"
            return None
        try:
            if case.target == "scenario":
                load_scenario(path)
            else:
                read_items(path)
        except (MarketInputError, NewsError):
            return None
        return None

    return check


def run(n: int, seed: int = 20261204, log: Callable[[str], None] = print) -> Counter[str]:
    """Fuzz ``n`` inputs; counts by kind, plus ``escapes: ...`` keys for every escape."""
    counts: Counter[str] = Counter()
    check = _checker()
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = ADDRESS_SPACE_BYTES if hard == resource.RLIM_INFINITY \
        else min(hard, ADDRESS_SPACE_BYTES)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    start = time.monotonic()
    try:
        with tempfile.TemporaryDirectory(prefix="fuzz-budget-") as tmp:
            folder = Path(tmp)
            for k, case in enumerate(cases(n, seed, folder)):
                path = folder / case.name
                if case.content:
                    path.write_bytes(case.content)
                try:
                    with _deadline(INPUT_SECONDS):
                        why = check(case, path)
                except _TooSlow:
                    why = f"over {INPUT_SECONDS:g} s"
                except MemoryError:
                    why = "MemoryError (over the address-space limit)"
                except RecursionError:
                    why = "RecursionError"
                except Exception as exc:  # noqa: BLE001 - that is what we count
                    why = f"{type(exc).__name__}: {str(exc)[:200]}"
                word = "tape files" if case.target == "tape" else (
                    "scenario files" if case.target == "scenario" else "news files")
                counts[f"{word} fuzzed: budget run, {case.kind}"] += 1
                if why is not None:
                    counts[f"escapes: {case.target}, {case.kind}"] += 1
                    log(f"ESCAPE {case.name} ({case.kind}): {why}")
                if (k + 1) % 1000 == 0:
                    log(f"{k + 1:,} inputs, {time.monotonic() - start:.0f} s, "
                        f"{sum(v for key, v in counts.items() if key.startswith('escapes'))} "
                        "escapes")
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    return counts
