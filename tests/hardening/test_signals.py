"""SIGTERM handled like SIGINT (exit 128 + N, cleanup runs), signals held back over the store
transaction, and leftover staging / report folders cleaned at the next run."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from tests.reliability_counts import Tally

from cliffwatch import signals
from cliffwatch.staging import UNSAVED, clean_stale, mark_saved, stage

ROOT = Path(__file__).resolve().parents[2]
CHILD = Path(__file__).with_name("signal_child.py")
TERMINATED = 128 + signal.SIGTERM
INTERRUPTED = 128 + signal.SIGINT
SIGTERM_DELAYS_S = (1.0, 3.0, 6.0, 10.0)
"""Seconds after start at which ``timeout`` sends SIGTERM: imports, tape load and scenario
library, the simulation, later in the simulation (plus seeded jitter)."""


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT / 'tests'}",
            "PYTHONUNBUFFERED": "1", "COLUMNS": "200"}


def test_interrupted_is_a_keyboard_interrupt_but_not_the_exact_type() -> None:
    exc = signals.Interrupted(signal.SIGTERM)
    assert isinstance(exc, KeyboardInterrupt) and type(exc) is not KeyboardInterrupt
    assert exc.exit_code == TERMINATED
    assert signals.exit_code(signals.Interrupted(signal.SIGINT)) == INTERRUPTED


@pytest.mark.slow
@pytest.mark.parametrize("delay", SIGTERM_DELAYS_S)
def test_sigterm_exits_143_and_writes_nothing(tmp_path: Path, delay: float,
                                              tally: Tally) -> None:
    store, out = tmp_path / "s.duckdb", tmp_path / "out"
    jitter = random.Random(int(delay * 1000)).uniform(0.0, 0.5)
    done = subprocess.run(
        ["timeout", "--preserve-status", "-s", "TERM", f"{delay + jitter:.2f}", sys.executable,
         "-m", "cliffwatch", "run", "--paths", "3000", "--store", str(store), "--out",
         str(out)], capture_output=True, text=True, env=_env(), timeout=300, check=False)
    output = done.stdout + done.stderr
    assert done.returncode == TERMINATED, output
    assert "interrupted: nothing was written" in output and "Traceback" not in output
    assert not store.exists()
    assert not out.exists() or list(out.iterdir()) == []  # no hidden .RUNID.* folder either
    tally("runs killed: SIGTERM (timeout -s TERM)")


@pytest.mark.parametrize(("signum", "when"), [(signal.SIGINT, "insert"),
                                              (signal.SIGTERM, "insert"),
                                              (signal.SIGINT, "during")])
def test_signal_inside_the_store_transaction_is_an_interrupt(
        tmp_path: Path, signum: int, when: str, tally: Tally) -> None:
    store = tmp_path / "s.duckdb"
    done = subprocess.run([sys.executable, str(CHILD), str(store), str(signum), when],
                          capture_output=True, text=True, env=_env(), timeout=300,
                          check=False)
    output = done.stdout + done.stderr
    assert done.returncode == 128 + signum, output
    assert signals.MESSAGE in output
    assert "transaction" not in output.lower() and "Traceback" not in output
    assert not store.exists()  # a store this writer created is removed again
    tally("store writers interrupted: SIGINT/SIGTERM inside the transaction")


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_stale_staging_and_orphaned_report_folders_are_cleaned(tmp_path: Path) -> None:
    out = tmp_path / "out"
    dead = _dead_pid()
    staged_dead = out / f".r1.pid{dead}.abcd1234"
    staged_dead.mkdir(parents=True)
    (staged_dead / "report.html").write_text("x")
    live = stage(out / "r2")  # this process: alive, kept
    orphan = out / "r3"  # published, never stored, writer dead
    orphan.mkdir()
    (orphan / UNSAVED).write_text(f"{dead}\n")
    stored = out / "r4"  # stored, marker left by a kill between commit and marker removal
    stored.mkdir()
    (stored / UNSAVED).write_text(f"{dead}\n")
    unknown = out / "r5"  # store cannot tell (locked): kept
    unknown.mkdir()
    (unknown / UNSAVED).write_text(f"{dead}\n")
    mine = out / "r6"  # the user's folder without a marker: never touched
    mine.mkdir()
    answers = {"r3": False, "r4": True, "r5": None}
    removed = clean_stale(out, lambda run_id: answers.get(run_id, False))
    assert sorted(p.name for p in removed) == sorted([staged_dead.name, "r3"])
    assert live.exists() and stored.exists() and not (stored / UNSAVED).exists()
    assert unknown.exists() and mine.exists()
    mark_saved(live)
    assert not (live / UNSAVED).exists()


def test_next_run_removes_what_a_killed_run_left(tmp_path: Path, tally: Tally) -> None:
    from typer.testing import CliRunner

    from cliffwatch.cli import app

    store, out = tmp_path / "s.duckdb", tmp_path / "out"
    dead = _dead_pid()
    (out / f".gone.pid{dead}.abcd1234").mkdir(parents=True)
    orphan = out / "gone"
    orphan.mkdir()
    (orphan / UNSAVED).write_text(f"{dead}\n")
    res = CliRunner().invoke(app, ["run", "-s", "base", "--paths", "8", "--seed", "1",
                                   "--no-sensitivities", "--no-reverse-stress", "--horizon",
                                   "12", "--out", str(out), "--store", str(store)])
    assert res.exit_code == 0, res.output
    left = sorted(p.name for p in out.iterdir())
    assert len(left) == 1 and left[0] != "gone"  # only the new run's folder
    assert not (out / left[0] / UNSAVED).exists()
    tally("runs killed: leftovers cleaned by the next run")


def test_deferred_holds_a_signal_until_asked(tmp_path: Path) -> None:
    script = ("import os,signal,sys\nfrom cliffwatch import signals\nsignals.install()\n"
              "with signals.deferred():\n    os.kill(os.getpid(), signal.SIGTERM)\n"
              "    print('still here', flush=True)\n    assert signals.pending()\n"
              "    try:\n        signals.raise_if_pending()\n"
              "    except KeyboardInterrupt as e:\n        sys.exit(signals.exit_code(e))\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env=_env(), timeout=60, check=False)
    assert done.returncode == TERMINATED and "still here" in done.stdout, done.stderr


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_signal_while_typer_builds_the_command(signum: int) -> None:
    """The window of the flaky ``test_sigint_exits_130_and_writes_nothing[4.0]``: typer
    evaluates the command's annotations (``eval`` of strings) before any command code runs;
    an interrupt there escaped as a traceback (or, as the exact ``KeyboardInterrupt`` raised
    inside ``eval``, made CPython end the process by SIGINT: return code -2)."""
    script = ("import os,sys,typer.main\nfrom cliffwatch import cli\n"
              "orig = typer.main.get_command\n"
              f"def hit(*a, **k):\n    os.kill(os.getpid(), {int(signum)})\n"
              "    return orig(*a, **k)\n"
              "typer.main.get_command = hit\nsys.argv = ['cliffwatch', 'runs']\ncli.main()\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env=_env(), timeout=120, check=False)
    assert done.returncode == 128 + signum, done.stderr
    assert signals.MESSAGE in done.stderr and "Traceback" not in done.stderr
