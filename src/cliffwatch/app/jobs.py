"""The run queue: stress runs execute in worker processes, never in a web request.

Each job is one ``spawn``-ed process running :func:`cliffwatch.runs.job.run` on the job's
:class:`~cliffwatch.runs.spec.RunSpec` and saving the result with
:func:`cliffwatch.store.runs.save_run` (one transaction: a failed or cancelled run leaves the
store as it was). At most ``max_parallel`` jobs run at once; the others wait in a
first-in first-out queue and report their position. Progress, the run id and errors come back
over a per-job ``multiprocessing`` queue that the server drains.

Cancellation is safe against the store: the worker claims the "saving" state under a lock
shared with the server, and the server only terminates a worker that has not claimed it.
"""

from __future__ import annotations

import itertools
import multiprocessing as mp
import queue
import threading
import time
from collections import deque
from dataclasses import dataclass, replace
from multiprocessing.context import SpawnProcess
from typing import Any, Literal

from cliffwatch.runs.spec import RunSpec

State = Literal["queued", "running", "saving", "done", "failed", "cancelled"]
FINAL_STATES: frozenset[str] = frozenset({"done", "failed", "cancelled"})
PUMP_INTERVAL_S: float = 0.2
"""How often the background thread starts queued jobs and collects messages, seconds."""
PARENT_CHECK_S: float = 2.0
"""How often an idle standby worker checks that the server is still alive, seconds."""
JOIN_TIMEOUT_S: float = 5.0
"""How long shutdown waits for a terminated worker, seconds."""


@dataclass(frozen=True)
class JobRequest:
    """Everything a worker needs for one run (picklable): the run's spec, without hooks (the
    worker adds its own progress), and the store to save it in."""

    spec: RunSpec
    store: str


@dataclass(frozen=True)
class JobStatus:
    """A snapshot of one job, for display.

    ``done`` and ``total`` count simulated paths over all stages; ``position`` is 1 for the
    next job to start (0 when not queued).
    """

    job_id: str
    state: State
    scenarios: tuple[str, ...]
    label: str = ""
    done: int = 0
    total: int = 0
    position: int = 0
    run_id: str = ""
    error: str = ""
    submitted: float = 0.0

    @property
    def fraction(self) -> float:
        """Share of the work done, 0..1."""
        return 1.0 if self.state == "done" else (self.done / self.total if self.total else 0.0)


@dataclass
class _Job:
    request: JobRequest
    status: JobStatus
    process: SpawnProcess | None = None
    channel: Any = None
    cancel: Any = None
    saving: Any = None
    worker: Any = None
    """The :class:`_Worker`; holding it keeps its queues alive while the child starts up."""


@dataclass
class _Worker:
    """A started worker process and its queues (idle until a request arrives)."""

    inbox: Any
    channel: Any
    cancel: Any
    saving: Any
    process: SpawnProcess | None = None


class _Cancelled(Exception):
    """Raised inside the worker when the user cancelled the job."""


def _work(inbox: Any, channel: Any, cancel: Any, saving: Any, lock: Any) -> None:
    """Worker process body: import the engine, wait for one job, run it, save, exit.

    Workers are started ahead of need (a standby), so the import cost is paid before the
    user presses "run"; ``None`` in the inbox ends an unused standby.
    """
    import cliffwatch.runs.job  # noqa: F401  (warm the imports while idle)
    import cliffwatch.store.runs  # noqa: F401

    req = _next_request(inbox)
    if req is None:
        return
    try:
        _run_and_save(req, channel, cancel, saving, lock)
    except _Cancelled:
        channel.put(("cancelled",))
    except Exception as exc:  # any failure is shown to the user; the store is untouched
        channel.put(("error", _describe(exc)))


def _next_request(inbox: Any) -> JobRequest | None:
    """Wait for a job; ``None`` when told to stop or when the server process has died."""
    parent = mp.parent_process()
    while True:
        try:
            req: JobRequest | None = inbox.get(timeout=PARENT_CHECK_S)
            return req
        except queue.Empty:
            if parent is not None and not parent.is_alive():
                return None  # an orphaned standby must not linger


def _describe(exc: Exception) -> str:
    from cliffwatch.market.errors import MarketInputError
    from cliffwatch.store.errors import StoreError
    from cliffwatch.tape.errors import TapeError

    if isinstance(exc, TapeError | MarketInputError | StoreError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


def _run_and_save(req: JobRequest, channel: Any, cancel: Any, saving: Any, lock: Any) -> None:
    from cliffwatch.runs.job import run, total_work
    from cliffwatch.store.runs import save_run

    channel.put(("total", total_work(req.spec)))

    def progress(label: str, n: int) -> None:
        if cancel.is_set():
            raise _Cancelled
        channel.put(("progress", label, n))

    result = run(replace(req.spec, progress=progress))
    with lock:
        if cancel.is_set():
            raise _Cancelled
        saving.set()
    channel.put(("saving",))
    channel.put(("done", save_run(result, req.store)))


class RunQueue:
    """Runs jobs in worker processes, ``max_parallel`` at a time, first in first out."""

    def __init__(self, max_parallel: int = 1, *, warm: bool = True) -> None:
        """``warm`` keeps one worker imported and idle so a run starts without import delay."""
        if max_parallel < 1:
            raise ValueError("max_parallel must be at least 1")
        self._ctx = mp.get_context("spawn")
        self._max = max_parallel
        self._jobs: dict[str, _Job] = {}
        self._waiting: deque[str] = deque()
        self._lock = threading.RLock()
        self._cancel_lock = self._ctx.Lock()
        self._ids = itertools.count(1)
        self._stop = threading.Event()
        self._warm = warm
        self._standby: _Worker | None = self._spawn() if warm else None
        self._thread = threading.Thread(target=self._loop, name="run-queue", daemon=True)
        self._thread.start()

    def submit(self, request: JobRequest) -> str:
        """Queue a run; returns its job id."""
        with self._lock:
            job_id = f"job-{next(self._ids)}-{int(time.time() * 1000) % 100000:05d}"
            names = tuple(s.name for s in request.spec.scenarios)
            self._jobs[job_id] = _Job(request, JobStatus(job_id, "queued", names,
                                                         submitted=time.time()))
            self._waiting.append(job_id)
            self._pump()
        return job_id

    def status(self, job_id: str) -> JobStatus:
        """The job's current status (``KeyError`` if unknown)."""
        with self._lock:
            self._pump()
            job = self._jobs[job_id]
            if job.status.state == "queued":
                return replace(job.status, position=self._waiting.index(job_id) + 1)
            return job.status

    def cancel(self, job_id: str) -> bool:
        """Cancel a queued or running job; False if it is already saving or finished."""
        with self._lock:
            self._pump()
            job = self._jobs[job_id]
            state = job.status.state
            if state == "queued":
                self._waiting.remove(job_id)
            elif state == "running":
                with self._cancel_lock:
                    if job.saving.is_set():
                        return False
                    job.cancel.set()
                if job.process is not None:
                    job.process.terminate()
                    job.process.join(JOIN_TIMEOUT_S)
            else:
                return False
            job.status = replace(job.status, state="cancelled", label="cancelled by the user")
            return True

    def shutdown(self) -> None:
        """Stop the queue: cancel waiting jobs, end running workers."""
        self._stop.set()
        with self._lock:
            self._waiting.clear()
            if self._standby is not None and self._standby.process is not None:
                self._standby.process.terminate()  # idle: it holds no job and no store
                self._standby.process.join(JOIN_TIMEOUT_S)
                self._standby = None
            for job in self._jobs.values():
                if job.process is not None and job.process.is_alive():
                    job.process.terminate()
                    job.process.join(JOIN_TIMEOUT_S)

    def _loop(self) -> None:
        while not self._stop.wait(PUMP_INTERVAL_S):
            with self._lock:
                self._pump()

    def _pump(self) -> None:
        """Collect worker messages, reap dead workers, start waiting jobs."""
        for job in self._jobs.values():
            if job.status.state in ("running", "saving"):
                self._drain(job)
                self._reap(job)
        running = sum(j.status.state in ("running", "saving") for j in self._jobs.values())
        while self._waiting and running < self._max and not self._stop.is_set():
            self._start(self._jobs[self._waiting.popleft()])
            running += 1

    def _spawn(self) -> _Worker:
        w = _Worker(self._ctx.Queue(), self._ctx.Queue(), self._ctx.Event(), self._ctx.Event())
        w.process = self._ctx.Process(
            target=_work, args=(w.inbox, w.channel, w.cancel, w.saving, self._cancel_lock),
            daemon=True)
        w.process.start()
        return w

    def _start(self, job: _Job) -> None:
        w = self._standby if self._standby is not None else self._spawn()
        self._standby = self._spawn() if self._warm else None
        w.inbox.put(job.request)
        job.worker = w
        job.process, job.channel, job.cancel, job.saving = w.process, w.channel, w.cancel, \
            w.saving
        job.status = replace(job.status, state="running", label="starting worker")

    def _drain(self, job: _Job) -> None:
        while True:
            try:
                msg = job.channel.get_nowait()
            except (queue.Empty, OSError, ValueError):
                return
            job.status = _apply(job.status, msg)

    def _reap(self, job: _Job) -> None:
        proc = job.process
        if proc is None or proc.is_alive():
            return
        proc.join()
        self._drain(job)  # messages sent just before exit
        if job.status.state not in FINAL_STATES:
            job.status = replace(job.status, state="failed",
                                 error=f"the worker process stopped (exit code {proc.exitcode})"
                                 " before finishing; nothing was saved")


def _apply(status: JobStatus, msg: tuple[Any, ...]) -> JobStatus:
    """Fold one worker message into the status."""
    kind = msg[0]
    if kind == "total":
        return replace(status, total=int(msg[1]))
    if kind == "progress":
        return replace(status, label=str(msg[1]), done=status.done + int(msg[2]))
    if kind == "saving":
        return replace(status, state="saving", label="saving to the store")
    if kind == "done":
        return replace(status, state="done", label="finished", run_id=str(msg[1]),
                       done=status.total)
    if kind == "cancelled":
        return replace(status, state="cancelled", label="cancelled by the user")
    return replace(status, state="failed", error=str(msg[1]), label="failed")
