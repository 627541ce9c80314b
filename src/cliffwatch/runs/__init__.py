"""Runs: where a stress run is defined, planned, executed and published.

* :mod:`~cliffwatch.runs.spec` — the frozen ``RunSpec`` every entry point builds;
* :mod:`~cliffwatch.runs.job` — ``run(spec) -> RunResult``: the scenarios with common random
  numbers, the paired bumps, the manifest, the executor opened once;
* :mod:`~cliffwatch.runs.params` — a scenario's engine overrides checked and applied;
* :mod:`~cliffwatch.runs.bumps` — the sensitivity bumps and their configurable sizes;
* :mod:`~cliffwatch.runs.montecarlo` — the Monte Carlo over blocks of paths, the median path;
* :mod:`~cliffwatch.runs.cluster` — blocks as tasks on a Dask cluster;
* :mod:`~cliffwatch.runs.memory` — the run's peak memory, checked before it starts;
* :mod:`~cliffwatch.runs.reverse` — reverse stress on the median path;
* :mod:`~cliffwatch.runs.progress` — the progress bar: compiling step, paths, writing step;
* :mod:`~cliffwatch.runs.publish` — report, workbook and pack first, then the store;
* :mod:`~cliffwatch.runs.cashflows` — monthly cash-flow vectors per facility from the trace;
* :mod:`~cliffwatch.runs.commands` — ``cliffwatch run`` and ``cliffwatch project``;
* :mod:`~cliffwatch.runs.cashflow_commands` — ``cliffwatch cashflows``.

It sits above tape, market, engine, analytics, store and report (``tests/test_layers.py``).
"""
