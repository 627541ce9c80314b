"""``cliffwatch news``: triage news files (or a watched folder) by impact on a portfolio."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from cliffwatch import signals
from cliffwatch.market.errors import MarketInputError
from cliffwatch.news.analyse import DEFAULT_NEWS_PATHS, Analysis, ItemAnalysis, analyse
from cliffwatch.news.errors import NewsError
from cliffwatch.news.store import append_news
from cliffwatch.news.watch import DEFAULT_POLL_S, watch
from cliffwatch.runs.spec import DEFAULT_SEED
from cliffwatch.sample import load_tape_or_sample as load_tape
from cliffwatch.store.errors import StoreError
from cliffwatch.tape.compile import compile_portfolio
from cliffwatch.tape.errors import TapeError

EXIT_USER_ERROR = 2
DEFAULT_NEWS_STORE = Path("cliffwatch.duckdb")


def _musd(x: float) -> str:
    return f"{x / 1e6:+,.1f}"


def _item_tables(a: ItemAnalysis) -> list[Table]:
    head = Table(title=f"{a.item.title}  [impact {a.score:.2f}, signed {a.signed_impact:+.2f}]",
                 show_header=False,
                 title_justify="left")
    head.add_row("id / source", f"{a.item.item_id}  {a.item.source}  {a.item.published}")
    head.add_row("tags", ", ".join(a.tags) or "-")
    known = [c for c in a.companies if c not in a.unknown_companies]
    head.add_row("companies", ", ".join(known) or "-")
    if a.unknown_companies:
        head.add_row("unknown organisations", ", ".join(a.unknown_companies))
    out = [head]
    if a.catalysts:
        cat = Table(title="catalysts", title_justify="left")
        for col in ("catalyst", "direction", "confidence", "evidence"):
            cat.add_column(col)
        for c in a.catalysts:
            # sentences are news text, not rich markup ("[model]" would vanish as a tag)
            ev = escape(" | ".join(sorted({("[model] " if e.source == "model" else "")
                                           + e.sentence for e in c.evidence})))
            cat.add_row(c.name, c.direction, f"{c.confidence:.2f}", ev)
        out.append(cat)
    if a.impact is not None:
        imp = a.impact
        lt = Table(title=f"per lender vs base (USD m): dEL {_musd(imp.d_el)} "
                         f"(se {imp.d_el_se / 1e6:,.1f}), dES99 {_musd(imp.d_es99)} "
                         f"(se {imp.d_es99_se / 1e6:,.1f}) on {imp.exposure / 1e9:,.1f} bn "
                         f"exposure", title_justify="left")
        for col in ("lender", "exposure", "dEL", "se", "dES99", "se "):
            lt.add_column(col, justify="right" if col != "lender" else "left")
        for r in imp.lenders.itertuples():
            lt.add_row(str(r.lender_name), f"{r.exposure / 1e6:,.0f}", _musd(r.d_el),
                       f"{r.d_el_se / 1e6:,.1f}", _musd(r.d_es99), f"{r.d_es99_se / 1e6:,.1f}")
        bt = Table(title="most affected borrowers", title_justify="left")
        for col in ("borrower", "dPD", "dEL (USD m)"):
            bt.add_column(col, justify="right" if col != "borrower" else "left")
        for r in imp.borrowers.itertuples():
            bt.add_row(str(r.borrower_name), f"{r.d_pd:+.3f}", _musd(r.d_el))
        out += [lt, bt]
    return out


def print_analysis(console: Console, res: Analysis, show_scenario: bool = True) -> None:
    """Rich tables per item (highest impact first), its scenario YAML, then input errors."""
    for a in res.items:
        for t in _item_tables(a):
            console.print(t)
        if show_scenario and a.catalysts:
            console.print("scenario:", style="bold")
            console.print(a.scenario_yaml, markup=False, highlight=False)
    for e in res.errors:
        console.print(f"news error: {e}", soft_wrap=True, markup=False, highlight=False)


def register(app: typer.Typer) -> None:
    """Add the ``news`` command to ``app``."""

    @app.command("news")
    def news(
        paths_in: list[Path] = typer.Argument(None, metavar="PATH...",
                                              help="News files: text, HTML, JSON, RSS/Atom."),
        tape: Path | None = typer.Option(None, "--tape", help="Tape (default: bundled sample)."),
        paths: int = typer.Option(DEFAULT_NEWS_PATHS, "--paths", min=1, help="MC paths."),
        seed: int = typer.Option(DEFAULT_SEED, "--seed", help="Root seed (same for base)."),
        store: Path = typer.Option(DEFAULT_NEWS_STORE, "--store", help="DuckDB results store."),
        watch_dir: Path | None = typer.Option(None, "--watch", help="Poll this folder."),
        interval: float = typer.Option(DEFAULT_POLL_S, "--interval", min=0.0,
                                       help="Seconds between polls (--watch)."),
        max_iterations: int | None = typer.Option(None, "--max-iterations", min=1,
                                                  help="Stop after this many polls (--watch)."),
        no_scenario: bool = typer.Option(False, "--no-scenario", help="Hide scenario YAML."),
        rules_only: bool = typer.Option(False, "--rules-only",
                                        help="Rules alone: turn the learned layer off."),
    ) -> None:
        """Read news, detect credit catalysts, run their scenario against base, store impact."""
        console = Console()
        if not paths_in and watch_dir is None:
            console.print("news: give news files, or --watch DIR")
            raise typer.Exit(EXIT_USER_ERROR)
        if watch_dir is not None and not watch_dir.is_dir():
            console.print(f"news: --watch {watch_dir}: not a folder", soft_wrap=True,
                          markup=False, highlight=False)
            raise typer.Exit(EXIT_USER_ERROR)
        try:
            pa = compile_portfolio(load_tape(tape))
            if watch_dir is not None:
                n = watch(watch_dir, pa, store, paths=paths, seed=seed, interval=interval,
                          max_iterations=max_iterations, classifier=not rules_only,
                          on_batch=lambda r: print_analysis(console, r, not no_scenario),
                          on_store_busy=lambda e, s: console.print(
                              f"store busy, retrying in {s:g} s: {e}", markup=False))
                console.print(f"{n} news item(s) appended to {store} ({'news_items'})")
                return
            res = analyse(list(paths_in), pa, paths=paths, seed=seed, classifier=not rules_only)
            print_analysis(console, res, not no_scenario)
            n = append_news(res.items, store, paths=paths, seed=seed)
            console.print(f"{n} news item(s) appended to {store} (news_items)")
        except TapeError as exc:
            console.print(str(exc), soft_wrap=True, markup=False, highlight=False)
            raise typer.Exit(EXIT_USER_ERROR) from None
        except (NewsError, MarketInputError, StoreError) as exc:
            console.print(f"news error: {exc}", soft_wrap=True, markup=False, highlight=False)
            raise typer.Exit(EXIT_USER_ERROR) from None
        except KeyboardInterrupt as exc:  # SIGINT or SIGTERM (cliffwatch.signals)
            # every finished batch is already committed to the store
            console.print("interrupted: items analysed so far are in the store")
            raise typer.Exit(signals.exit_code(exc)) from None
        if res.errors and not res.items:
            raise typer.Exit(EXIT_USER_ERROR)
