"""The "two sides of the AI theme" view: per scenario, each lender's exposure and losses split
into infrastructure and software, shared by the HTML report and the dashboard.

Builders return plain DataFrames and escaped HTML; tape strings (lender ids and names) reach
the page only through :func:`html.escape`.
"""

from __future__ import annotations

from html import escape

import pandas as pd

from cliffwatch.analytics.theme import BOOK_ID, TWO_SIDED_MIN_SHARE
from cliffwatch.report.format import fmt_num, fmt_pct, fmt_usd
from cliffwatch.results import RunResult

THEME_COLUMNS: list[str] = [
    "lender_id", "lender_name", "exposure_infra", "exposure_software", "el_infra",
    "el_software", "el_joint", "es99_joint", "diversification", "diversification_share",
    "loss_correlation", "two_sided",
]
"""Columns of the per-scenario table, in display order."""
FLAG_TEXT: dict[bool, str] = {True: "yes", False: "no"}
"""How the two-sided flag reads in a table."""

NO_SPLIT_TEXT = ("The run holds no split of losses by side of the AI theme (it was stored "
                 "before the split existed).")
NO_SOFTWARE_TEXT = ("This book has no software side: no borrower is a software business, so "
                    "the whole AI-theme exposure sits on the infrastructure side and the loss "
                    "tables above already show it. There is nothing to split or diversify.")
EXPLANATION = (
    "The same private-credit lenders that finance GPUs and data centers are the largest "
    "lenders to software buyouts, and the AI buildout is paid for partly out of software "
    "budgets. A lender that looks only at its infrastructure loans sees half of its exposure "
    "to the theme. This section splits each lender's book into the <b>infrastructure</b> side "
    "and the <b>software</b> side (borrowers that are software businesses) and measures both "
    "on the same simulated paths. EL adds up across the sides; tail risk need not. The "
    "<b>diversification</b> is ES99(infrastructure) + ES99(software) − ES99(both): a large "
    "share means the two sides rarely lose together; a figure near zero means they fail in "
    "the same paths and holding both is no hedge. A lender is <b>two-sided</b> when each side "
    f"holds at least {TWO_SIDED_MIN_SHARE:.0%} of its theme exposure at the valuation date."
)


def theme_table(result: RunResult, scenario: str) -> pd.DataFrame:
    """Display rows of ``scenario``: one per lender, then the whole book; flag as yes / no."""
    t = result.table("theme_split")
    t = t[t["scenario"] == scenario][THEME_COLUMNS].copy()
    t["two_sided"] = t["two_sided"].map(lambda v: FLAG_TEXT[bool(v)]).astype(object)
    return t.reset_index(drop=True)


def theme_scenarios(result: RunResult) -> list[str]:
    """Scenarios of the theme split, in run order."""
    return list(dict.fromkeys(result.table("theme_split")["scenario"].astype(str).tolist()))


def book_finding(result: RunResult, scenario: str) -> str:
    """One escaped sentence on the whole book and the two-sided lenders under ``scenario``."""
    t = result.table("theme_split")
    t = t[t["scenario"] == scenario]
    lenders = t[t["lender_id"] != BOOK_ID]
    two = lenders[lenders["two_sided"].astype(bool)]
    names = ", ".join(escape(str(n)) for n in two["lender_name"]) or "none"
    book = t[t["lender_id"] == BOOK_ID]
    if book.empty:
        return f"<p>Two-sided lenders under <b>{escape(scenario)}</b>: {names}.</p>"
    b = book.iloc[0]
    return (f"<p>Under <b>{escape(scenario)}</b> the book's EL is {fmt_usd(b['el_infra'])} on "
            f"the infrastructure side and {fmt_usd(b['el_software'])} on the software side; "
            f"holding both sides lowers ES99 by {fmt_usd(b['diversification'])} "
            f"({fmt_pct(b['diversification_share'], 1)} of the two sides' ES99), with a "
            f"correlation of {fmt_num(b['loss_correlation'], 2)} between the sides' losses. "
            f"Two-sided lenders ({len(two)} of {len(lenders)}): {names}.</p>")
