"""Hypothesis strategies for whole loan tapes: valid books built from scratch, and mutations
of them that break one thing the way a hand-edited spreadsheet does."""

from __future__ import annotations

import copy
from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st

AS_OF: date = date(2026, 6, 30)
KINDS: tuple[str, ...] = ("term_loan", "bond", "revolver", "ddtl", "vendor_financing")
FIXED_KINDS: frozenset[str] = frozenset({"bond", "vendor_financing"})
RATINGS: tuple[str, ...] = ("A", "BBB-", "BB+", "B", "CCC+", "NR")
ARCHETYPES: tuple[str, ...] = ("neocloud", "gpu_spv", "hyperscaler", "dc_developer")
LENDER_TYPES: tuple[str, ...] = ("bank", "private_credit", "insurer")
TABLES: tuple[str, ...] = ("borrowers", "assets", "facilities", "lenders", "holdings")

ids = st.from_regex(r"[A-Z][A-Z0-9\-]{0,7}", fullmatch=True)


@st.composite
def facility(draw: st.DrawFn, fid: str, borrower: str) -> dict[str, Any]:
    """One facility of ``borrower`` with a valid kind, size, price and maturity."""
    kind = draw(st.sampled_from(KINDS))
    months = draw(st.integers(1, 240))
    row: dict[str, Any] = {
        "id": fid, "borrower_id": borrower, "kind": kind,
        "commitment_usd": round(draw(st.floats(1e6, 5e9)), 0),
        "maturity_date": (AS_OF + timedelta(days=31 * months)).isoformat(),
    }
    if kind in FIXED_KINDS:
        row["coupon_pct"] = round(draw(st.floats(0.0, 20.0)), 4)
    else:
        row["spread_bp"] = draw(st.integers(0, 3000))  # the schema cap
    if kind in {"revolver", "ddtl"}:
        row["drawn_usd"] = round(row["commitment_usd"] * draw(st.floats(0.0, 1.0)), 0)
    return row


@st.composite
def valid_tapes(draw: st.DrawFn) -> dict[str, Any]:
    """A valid book: 1-4 borrowers, each with one GPU fleet and 1-3 facilities, 1-3 lenders
    holding every facility in full."""
    borrower_ids = draw(st.lists(ids, min_size=1, max_size=4, unique=True))
    lenders = [{"id": f"L{i}", "name": f"Lender {i}", "type": draw(st.sampled_from(LENDER_TYPES))}
               for i in range(draw(st.integers(1, 3)))]
    tape: dict[str, Any] = {"as_of": AS_OF.isoformat(), "currency": "USD", "name": "fuzz book",
                            "borrowers": [], "assets": [], "facilities": [], "lenders": lenders,
                            "holdings": []}
    for b in borrower_ids:
        tape["borrowers"].append({
            "id": b, "name": f"Borrower {b}", "archetype": draw(st.sampled_from(ARCHETYPES)),
            "rating": draw(st.sampled_from(RATINGS)),
            "opening_cash_usd": round(draw(st.floats(0.0, 1e9)), 0)})
        tape["assets"].append({
            "id": f"{b}-GPU", "borrower_id": b, "kind": "gpu_fleet", "gpu_generation": "H100",
            "units": draw(st.integers(1, 50_000)), "unit_cost_usd": 30_000.0,
            "in_service_date": "2025-03-01", "opex_usd_per_gpu_hour": 0.25})
        for j in range(draw(st.integers(1, 3))):
            fac = draw(facility(f"{b}-F{j}", b))
            tape["facilities"].append(fac)
            split = draw(st.integers(1, len(lenders)))
            for k in range(split):
                tape["holdings"].append({"facility_id": fac["id"], "lender_id": lenders[k]["id"],
                                         "share": 1.0 / split})
    return tape


JUNK = st.one_of(
    st.none(), st.booleans(), st.integers(-10**15, 10**15), st.floats(), st.text(max_size=20),
    st.sampled_from(["", "NaN", "-inf", "1e999", "=1+1", "@SUM(A1)", "../../etc/passwd",
                     "<script>alert(1)</script>", "!!python/object:os.system", "2026-02-30",
                     "31/12/2027", "12%", "$1,000", "TRUE", "null", " ", "\t"]),
)


def _rows(tape: dict[str, Any], draw: st.DrawFn) -> list[dict[str, Any]]:
    present = [t for t in TABLES if tape.get(t)]
    return tape[draw(st.sampled_from(present))] if present else []


@st.composite
def mutated_tapes(draw: st.DrawFn) -> tuple[dict[str, Any], str]:
    """A valid tape with one to three mutations; returns the tape and what was done."""
    tape = copy.deepcopy(draw(valid_tapes()))
    done = []
    for _ in range(draw(st.integers(1, 3))):
        rows = _rows(tape, draw)
        if not rows:
            break
        row = draw(st.sampled_from(rows))
        how = draw(st.sampled_from(["junk", "drop_cell", "drop_table", "duplicate_row",
                                    "dangling", "extra_column", "drop_info", "empty_table"]))
        done.append(how)
        if how == "junk":
            row[draw(st.sampled_from(sorted(row)))] = draw(JUNK)
        elif how == "drop_cell" and row:
            row.pop(draw(st.sampled_from(sorted(row))))
        elif how == "drop_table":
            tape.pop(draw(st.sampled_from(TABLES)), None)
        elif how == "duplicate_row":
            rows.append(copy.deepcopy(row))
        elif how == "dangling":
            key = next((k for k in ("borrower_id", "facility_id", "lender_id") if k in row), "id")
            row[key] = "NOPE-" + str(row.get(key))
        elif how == "extra_column":
            row[draw(st.text(max_size=15))] = draw(JUNK)
        elif how == "drop_info":
            tape.pop(draw(st.sampled_from(["as_of", "currency", "name"])), None)
        else:
            rows.clear()
    return tape, "+".join(done)
