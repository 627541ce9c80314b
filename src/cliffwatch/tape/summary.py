"""What a tape holds, at a glance: counts, commitments by kind/rating/lender, maturity profile.

Pure functions of a validated :class:`Portfolio` returning small pandas DataFrames (USD); the
``validate`` command renders them.
"""

from __future__ import annotations

from collections import defaultdict

import pandas as pd

from cliffwatch.tape.compile import drawn_at_start
from cliffwatch.tape.schema import TABLE_MODELS, Portfolio
from cliffwatch.tape.vocab import fold_rating

UNHELD = "(not held by a listed lender)"
"""Label of the share of commitments no holding row covers."""


def counts(portfolio: Portfolio) -> dict[str, int]:
    """Rows per table (the ``tape`` row excluded)."""
    return {t: len(portfolio.rows(t)) for t in TABLE_MODELS if t != "tape"}


def _frame(totals: dict[str, list[float]], key: str) -> pd.DataFrame:
    rows = [(k, n, c, dr) for k, (n, c, dr) in totals.items()]
    frame = pd.DataFrame(rows, columns=[key, "facilities", "commitment_usd", "drawn_usd"])
    return frame.astype({"facilities": "int64"})


def by_kind(portfolio: Portfolio) -> pd.DataFrame:
    """Facilities, commitment and drawn balance (USD) per facility kind, largest first."""
    totals: dict[str, list[float]] = defaultdict(lambda: [0, 0.0, 0.0])
    for f in portfolio.facilities:
        t = totals[f.kind]
        t[0] += 1
        t[1] += f.commitment_usd
        t[2] += drawn_at_start(f)
    return _frame(totals, "kind").sort_values("commitment_usd", ascending=False,
                                              ignore_index=True)


def by_rating(portfolio: Portfolio) -> pd.DataFrame:
    """Facilities, commitment and drawn (USD) per borrower letter grade, best grade first."""
    grade = {b.id: fold_rating(b.rating) for b in portfolio.borrowers}
    totals: dict[str, list[float]] = defaultdict(lambda: [0, 0.0, 0.0])
    for f in sorted(portfolio.facilities, key=lambda f: grade[f.borrower_id]):
        t = totals[grade[f.borrower_id].name]
        t[0] += 1
        t[1] += f.commitment_usd
        t[2] += drawn_at_start(f)
    return _frame(totals, "rating")


def by_lender(portfolio: Portfolio) -> pd.DataFrame:
    """Held commitment and drawn (USD) per lender (share x amount), plus the unheld rest.

    Lenders are labelled ``name (id)`` so two lenders of the same name stay apart.
    """
    facilities = {f.id: f for f in portfolio.facilities}
    names = {lend.id: f"{lend.name} ({lend.id})" for lend in portfolio.lenders}
    totals: dict[str, list[float]] = defaultdict(lambda: [0, 0.0, 0.0])
    held: dict[str, float] = defaultdict(float)
    for h in portfolio.holdings:
        f = facilities[h.facility_id]
        t = totals[names[h.lender_id]]
        t[0] += 1
        t[1] += h.share * f.commitment_usd
        t[2] += h.share * drawn_at_start(f)
        held[f.id] += h.share
    for f in portfolio.facilities:
        rest = max(0.0, 1.0 - held[f.id])
        if rest > 0:
            t = totals[UNHELD]
            t[0] += 1
            t[1] += rest * f.commitment_usd
            t[2] += rest * drawn_at_start(f)
    frame = _frame(totals, "lender")
    return frame.sort_values("commitment_usd", ascending=False, ignore_index=True)


def maturity_profile(portfolio: Portfolio) -> pd.DataFrame:
    """Commitment due per calendar quarter (USD), at the ARD when there is one, else maturity.

    Columns: ``quarter`` (``2027Q3``), ``facilities``, ``commitment_usd``, ``drawn_usd``;
    chronological.
    """
    totals: dict[str, list[float]] = defaultdict(lambda: [0, 0.0, 0.0])
    for f in sorted(portfolio.facilities, key=lambda f: f.ard_date or f.maturity_date):
        due = f.ard_date or f.maturity_date
        t = totals[f"{due.year}Q{(due.month - 1) // 3 + 1}"]
        t[0] += 1
        t[1] += f.commitment_usd
        t[2] += drawn_at_start(f)
    return _frame(totals, "quarter")
