"""SIGTERM handled like SIGINT, one exit path for both, and critical sections that finish.

``timeout``, systemd, Docker and Kubernetes stop a program with SIGTERM, whose default action
kills Python at once: no ``finally`` runs, so hidden staging folders stay behind. :func:`install`
makes SIGINT and SIGTERM raise :class:`Interrupted` in the main thread, so every cleanup path
written for Ctrl-C also runs for SIGTERM, and the exit code is the shell convention
``128 + signal`` (130 for SIGINT, 143 for SIGTERM).

:class:`Interrupted` subclasses ``KeyboardInterrupt`` (libraries that clean up on Ctrl-C keep
doing so) but is not ``KeyboardInterrupt`` itself: CPython remembers an exact
``KeyboardInterrupt`` that escaped a nested ``exec``/``eval`` or an import and may then end the
whole process by SIGINT at shutdown (return code -2), even after the program caught it, printed
its message and asked for exit code 130. A second signal interrupts cleanup like the first
(leftover staging folders are removed by the next run, see :mod:`cliffwatch.staging`).

:func:`deferred` holds signals back over a critical section (the store transaction), so a
signal cannot land inside DuckDB and surface as "Current transaction is aborted"; the section
calls :func:`raise_if_pending` before committing and rolls back instead.

This module imports only the standard library: ``__main__`` installs it before the slow imports.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import NoReturn

HANDLED: tuple[signal.Signals, ...] = (signal.SIGINT, signal.SIGTERM)
"""Signals that interrupt a command (an orderly stop with cleanup)."""
SIGNAL_EXIT_BASE = 128
"""Exit code of a program ended by signal N is 128 + N (130 SIGINT, 143 SIGTERM)."""
MESSAGE = "interrupted: nothing was written"


class Interrupted(KeyboardInterrupt):
    """The command was stopped by SIGINT or SIGTERM; ``signum`` says which."""

    def __init__(self, signum: int = signal.SIGINT) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = int(signum)

    @property
    def exit_code(self) -> int:
        return SIGNAL_EXIT_BASE + self.signum


class _State:
    received: int | None = None  # first signal seen by this process
    deferring: int = 0  # depth of open deferred() blocks
    pending: int | None = None  # signal held back by deferred()


_STATE = _State()


def _handler(signum: int, _frame: FrameType | None) -> None:
    if _STATE.received is None:
        _STATE.received = signum
    if _STATE.deferring:
        _STATE.pending = _STATE.pending or signum
        return
    raise Interrupted(signum)


def install() -> None:
    """Make SIGINT and SIGTERM raise :class:`Interrupted` (main thread only; a no-op in others,
    where Python cannot set handlers)."""
    if threading.current_thread() is not threading.main_thread():
        return
    for sig in HANDLED:
        signal.signal(sig, _handler)


def received() -> int | None:
    """The first signal this process received since :func:`install` (None: none)."""
    return _STATE.received


def exit_code(exc: BaseException | None = None) -> int:
    """Exit code for an interrupt: 128 + signal (130 for a plain ``KeyboardInterrupt``)."""
    if isinstance(exc, Interrupted):
        return exc.exit_code
    return SIGNAL_EXIT_BASE + (_STATE.received or signal.SIGINT)


def pending() -> bool:
    """True when a signal arrived inside the current :func:`deferred` block."""
    return _STATE.pending is not None


@contextmanager
def deferred() -> Iterator[None]:
    """Hold SIGINT/SIGTERM back for the block: a signal inside it is only recorded. The block
    calls :func:`raise_if_pending` where stopping is still clean (before a commit); a signal
    that arrives after that point stays recorded, and the command ends with its exit code once
    its (now complete) work is done."""
    _STATE.deferring += 1
    try:
        yield
    finally:
        _STATE.deferring -= 1


def raise_if_pending() -> None:
    """Raise :class:`Interrupted` if a signal was held back by :func:`deferred`; call it where
    stopping leaves nothing half-done (before a commit, between two batches)."""
    if _STATE.pending is not None:
        signum, _STATE.pending = _STATE.pending, None
        raise Interrupted(signum)


def exit_now() -> NoReturn:
    """End the process with 128 + the signal received, skipping interpreter shutdown.

    Called once the interrupted command has cleaned up. Shutdown would restore the default
    handlers (a second signal in that window kills the process: return code -2 or -15 instead
    of 130 / 143) and could still act on an interrupt remembered from inside an import.
    """
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(exit_code())


def reset() -> None:
    """Forget received signals (tests that run several commands in one process)."""
    _STATE.received = None
    _STATE.pending = None
