"""``cliffwatch engine-bench``: measure the kernel's throughput on this machine."""

from __future__ import annotations

import time

import typer

from cliffwatch.engine.validate import MAX_HORIZON_MONTHS


def register(app: typer.Typer) -> None:
    """Add the engine's commands to the ``cliffwatch`` app."""

    @app.command("engine-bench")
    def engine_bench(
        borrowers: int = typer.Option(500, min=1, help="Borrowers (4 facilities each)."),
        paths: int = typer.Option(1000, min=1, help="Monte Carlo paths."),
        months: int = typer.Option(60, min=1, max=MAX_HORIZON_MONTHS, help="Horizon, months."),
        threads: int = typer.Option(0, min=0, help="numba threads (0 = all)."),
        contagion: bool = typer.Option(True, help="Fire-sale contagion on."),
    ) -> None:
        """Run a synthetic book and print facility-path-months per second."""
        import numba

        from cliffwatch.engine.params import EngineParams
        from cliffwatch.engine.run import run_block
        from cliffwatch.engine.synthetic import synthetic_book, synthetic_paths

        available = int(getattr(numba.config, "NUMBA_NUM_THREADS"))  # noqa: B009 (untyped)
        if threads > available:
            typer.echo(f"error: --threads {threads} exceeds the {available} available", err=True)
            raise typer.Exit(2)
        if threads:
            numba.set_num_threads(threads)
        pa = synthetic_book(borrowers)
        fp = synthetic_paths(pa, paths, months)
        params = EngineParams(contagion=contagion)
        run_block(pa, fp.take(0, 1), params, months)  # compile or load the cache
        t0, c0 = time.perf_counter(), time.process_time()
        summary = run_block(pa, fp, params, months)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        work = pa.n_facilities * paths * months
        defaults = float((summary.default_month < months).sum(axis=1).mean())
        typer.echo(f"{pa.n_facilities} facilities x {paths} paths x {months} months on "
                   f"{numba.get_num_threads()} threads: {wall:.2f} s wall, {cpu:.2f} s CPU, "
                   f"{work / wall / 1e6:.1f} M facility-path-months/s "
                   f"({work / max(cpu, 1e-9) / 1e6:.1f} M per CPU-second); "
                   f"mean defaults per path {defaults:.1f}")
