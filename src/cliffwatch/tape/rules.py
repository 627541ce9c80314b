"""Rules across cells and tables: dates in order, amounts consistent, references resolvable.

Each rule is a small function ``rule(ctx) -> None`` that reports through ``ctx.report`` at the
row and column the user sees. :func:`check_portfolio` runs them all and returns every issue;
warnings (a facility with no holder ...) never block a run.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from cliffwatch.tape import defaults as d
from cliffwatch.tape.columns import REQUIRED_FOR_KEY
from cliffwatch.tape.errors import Issue, Severity
from cliffwatch.tape.raw import TableSource
from cliffwatch.tape.schema import Asset, Facility, Portfolio
from cliffwatch.tape.vocab import parse_amortization

DRAWN_KINDS = frozenset({"ddtl", "construction_loan"})
"""Facility kinds that follow a draw schedule."""

COVENANTS = ("min_dscr", "max_ltv", "max_arr_leverage", "max_leverage")
"""Maintenance covenants; any of them makes the breach action default to event_of_default."""

SOFTWARE_ARCHETYPE = "software"
"""Borrower archetype on the software side of the AI theme even without a software asset."""

UNDRAWN_AT_START_KINDS = frozenset({"ddtl", "construction_loan", "revolver"})
"""Facility kinds whose drawn balance defaults to 0 rather than the commitment."""

GPU_ONLY = ("gpu_generation", "units", "unit_cost_usd", "in_service_date",
            "contract_price_usd_per_gpu_hour", "contract_end_date", "counterparty_id",
            "opex_usd_per_gpu_hour")
DC_ONLY = ("capacity_mw", "completion_date", "lease_rate_usd_per_kw_month", "lease_end_date",
           "tenant_id", "opex_ratio", "cap_rate_pct")
SW_ONLY = ("arr_usd", "gross_margin_pct", "ebitda_margin_pct", "net_revenue_retention_pct",
           "pricing_model", "workflow_criticality", "top_customer_share", "ev_to_arr",
           "vulnerability")
KIND_ONLY = {"gpu_fleet": GPU_ONLY, "data_center": DC_ONLY, "software_business": SW_ONLY}
"""Columns that only one asset kind reads (a value on another kind is ignored: a warning)."""

SOFTWARE_KIND = "software_business"
VULNERABILITY_INPUTS = ("pricing_model", "workflow_criticality")
"""Software columns the vulnerability formula needs unless the score is given."""


@dataclass
class Context:
    """The portfolio under check, lookups by id, and the issues found so far."""

    portfolio: Portfolio
    issues: list[Issue] = field(default_factory=list)

    def __post_init__(self) -> None:
        p = self.portfolio
        self.borrowers = {b.id: b for b in p.borrowers}
        self.counterparties = {c.id: c for c in p.counterparties}
        self.assets = {a.id: a for a in p.assets}
        self.facilities = {f.id: f for f in p.facilities}
        self.lenders = {lend.id: lend for lend in p.lenders}
        self.by_table: dict[str, dict[str, Any]] = {
            "borrowers": self.borrowers, "counterparties": self.counterparties,
            "assets": self.assets, "facilities": self.facilities, "lenders": self.lenders,
        }

    def source(self, table: str) -> TableSource:
        src = self.portfolio._sources.get(table)
        if src is None:  # built in memory: number list items from 1
            n = len(self.portfolio.rows(table))
            src = TableSource("", table, list(range(1, n + 1)), "item")
            self.portfolio._sources[table] = src
        return src

    def report(self, table: str, index: int | None, column: str, value: Any, expected: str,
               severity: Severity = "error") -> None:
        self.issues.append(self.source(table).issue(index, column, value, expected, severity))

    def is_party(self, ref: str) -> bool:
        """A reference names a counterparty or a borrower (valid or already reported)."""
        return self.known("counterparties", ref) or self.known("borrowers", ref)

    def known(self, table: str, ref: str) -> bool:
        """``ref`` is an id of ``table``: a valid row, or one whose cells were already reported
        (so one bad cell is not reported again as a dangling reference everywhere)."""
        return ref in self.by_table[table] or ref in self.portfolio._rejected_ids.get(table, ())


Rule = Callable[[Context], None]


def unique_ids(ctx: Context) -> None:
    """Ids are unique within each table, and counterparty ids differ from borrower ids."""
    for table in ("borrowers", "counterparties", "assets", "facilities", "lenders"):
        seen: set[str] = set()
        for i, row in enumerate(ctx.portfolio.rows(table)):
            rid = row.id  # type: ignore[attr-defined]
            if rid in seen:
                ctx.report(table, i, "id", rid, f"a unique id (duplicate in '{table}')")
            seen.add(rid)
    for i, c in enumerate(ctx.portfolio.counterparties):
        if c.id in ctx.borrowers:
            ctx.report("counterparties", i, "id", c.id,
                       "an id not used by a borrower (references would be ambiguous)")


def borrower_parents(ctx: Context) -> None:
    """A parent/guarantor is another borrower of the tape."""
    for i, b in enumerate(ctx.portfolio.borrowers):
        if b.parent_id is None:
            continue
        if b.parent_id == b.id:
            ctx.report("borrowers", i, "parent_id", b.parent_id, "a parent other than itself")
        elif not ctx.known("borrowers", b.parent_id):
            ctx.report("borrowers", i, "parent_id", b.parent_id, "the id of a borrower")


def asset_owner(ctx: Context) -> None:
    """Every asset belongs to a known borrower."""
    for i, a in enumerate(ctx.portfolio.assets):
        if not ctx.known("borrowers", a.borrower_id):
            ctx.report("assets", i, "borrower_id", a.borrower_id, "the id of a borrower")


def _required_for(kind: str) -> list[str]:
    """Asset columns documented as required for ``kind``."""
    out = []
    for name, info in Asset.model_fields.items():
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        if extra.get(REQUIRED_FOR_KEY) == kind:
            out.append(name)
    return out


def asset_kind_terms(ctx: Context) -> None:
    """Columns required for the asset's kind are present; other kinds' columns are empty."""
    required = {kind: _required_for(kind) for kind in KIND_ONLY}
    for i, a in enumerate(ctx.portfolio.assets):
        own = KIND_ONLY[a.kind]
        for name in required[a.kind]:
            if getattr(a, name) is None:
                ctx.report("assets", i, name, None, f"a value (required for {a.kind})")
        if a.kind == SOFTWARE_KIND and a.vulnerability is None:
            for name in VULNERABILITY_INPUTS:
                if getattr(a, name) is None:
                    ctx.report("assets", i, name, None,
                               f"a value (required for {a.kind} unless vulnerability is given)")
        for other in (cols for kind, cols in KIND_ONLY.items() if kind != a.kind):
            for name in other:
                if getattr(a, name) is not None and name not in own:
                    ctx.report("assets", i, name, getattr(a, name),
                               f"empty for a {a.kind} (ignored)", "warning")


def software_margins(ctx: Context) -> None:
    """A software business earns at most its gross margin as EBITDA."""
    for i, a in enumerate(ctx.portfolio.assets):
        if a.kind != SOFTWARE_KIND or a.gross_margin_pct is None or a.ebitda_margin_pct is None:
            continue
        if a.ebitda_margin_pct > a.gross_margin_pct:
            ctx.report("assets", i, "ebitda_margin_pct", a.ebitda_margin_pct,
                       f"at most gross_margin_pct ({a.gross_margin_pct:g})")


def asset_contracts(ctx: Context) -> None:
    """Contracted GPUs have a price; leased MW fit the capacity and have a rate and an end."""
    for i, a in enumerate(ctx.portfolio.assets):
        if a.kind == "gpu_fleet" and a.contracted_share > 0:
            if a.contract_price_usd_per_gpu_hour is None:
                ctx.report("assets", i, "contract_price_usd_per_gpu_hour", None,
                           "a contract price when contracted_share > 0")
        if a.kind != "data_center":
            continue
        if a.capacity_mw is not None and a.leased_mw > a.capacity_mw:
            ctx.report("assets", i, "leased_mw", a.leased_mw,
                       f"at most capacity_mw ({a.capacity_mw:g})")
        if a.leased_mw > 0:
            for name in ("lease_rate_usd_per_kw_month", "lease_end_date"):
                if getattr(a, name) is None:
                    ctx.report("assets", i, name, None, "a value when leased_mw > 0")
        if a.lease_end_date and a.completion_date and a.lease_end_date <= a.completion_date:
            ctx.report("assets", i, "lease_end_date", a.lease_end_date.isoformat(),
                       f"a date after completion_date ({a.completion_date.isoformat()})")


def asset_references(ctx: Context) -> None:
    """Customers, tenants, backstops and guarantors name a counterparty or borrower."""
    for i, a in enumerate(ctx.portfolio.assets):
        for name in ("counterparty_id", "tenant_id", "backstop_id", "rvg_guarantor_id"):
            ref = getattr(a, name)
            if ref is not None and not ctx.is_party(ref):
                ctx.report("assets", i, name, ref, "the id of a counterparty or borrower")
        if a.rvg_amount_usd > 0 and a.rvg_guarantor_id is None:
            ctx.report("assets", i, "rvg_guarantor_id", None, "a guarantor when rvg_amount_usd > 0")


def facility_borrower(ctx: Context) -> None:
    """Every facility is owed by a known borrower."""
    for i, f in enumerate(ctx.portfolio.facilities):
        if not ctx.known("borrowers", f.borrower_id):
            ctx.report("facilities", i, "borrower_id", f.borrower_id, "the id of a borrower")


def facility_amounts(ctx: Context) -> None:
    """The drawn balance does not exceed the commitment."""
    for i, f in enumerate(ctx.portfolio.facilities):
        if f.drawn_usd is not None and f.drawn_usd > f.commitment_usd:
            ctx.report("facilities", i, "drawn_usd", f.drawn_usd,
                       f"at most commitment_usd ({f.commitment_usd:,.0f})")


def facility_rate(ctx: Context) -> None:
    """Exactly one of coupon_pct (fixed) and spread_bp (floating); a SOFR cap above the floor."""
    for i, f in enumerate(ctx.portfolio.facilities):
        if f.coupon_pct is None and f.spread_bp is None:
            ctx.report("facilities", i, "coupon_pct", None,
                       "coupon_pct (fixed) or spread_bp (floating)")
        elif f.coupon_pct is not None and f.spread_bp is not None:
            ctx.report("facilities", i, "spread_bp", f.spread_bp,
                       "empty when coupon_pct is given (fixed or floating, not both)")
        if f.sofr_cap_pct is not None and f.sofr_cap_pct < f.sofr_floor_pct:
            ctx.report("facilities", i, "sofr_cap_pct", f.sofr_cap_pct,
                       f"at least sofr_floor_pct ({f.sofr_floor_pct:g})")


def facility_dates(ctx: Context) -> None:
    """start < maturity, maturity after the as-of date, start < ARD <= legal final."""
    as_of = ctx.portfolio.info.as_of
    for i, f in enumerate(ctx.portfolio.facilities):
        start = f.start_date or as_of
        if f.maturity_date <= as_of:
            ctx.report("facilities", i, "maturity_date", f.maturity_date.isoformat(),
                       f"a date after the as-of date {as_of.isoformat()}")
        if start >= f.maturity_date:
            ctx.report("facilities", i, "start_date", start.isoformat(),
                       f"a date before maturity_date ({f.maturity_date.isoformat()})")
        legal = f.legal_final_date or f.maturity_date
        if f.legal_final_date is not None and legal < f.maturity_date:
            ctx.report("facilities", i, "legal_final_date", legal.isoformat(),
                       f"on or after maturity_date ({f.maturity_date.isoformat()})")
        if f.ard_date is not None and not start < f.ard_date <= legal:
            ctx.report("facilities", i, "ard_date", f.ard_date.isoformat(),
                       f"after start ({start.isoformat()}) and on or before the legal final "
                       f"({legal.isoformat()})")
        if f.step_up_bp > 0 and f.ard_date is None:
            ctx.report("facilities", i, "step_up_bp", f.step_up_bp,
                       "an ard_date for the step-up to apply", "warning")
        end = f.availability_end_date
        if end is not None and not start <= end <= f.maturity_date:
            ctx.report("facilities", i, "availability_end_date", end.isoformat(),
                       f"between start ({start.isoformat()}) and maturity "
                       f"({f.maturity_date.isoformat()})")


def facility_amortization(ctx: Context) -> None:
    """Interest-only months fit inside the term; custom schedules exist only for 'custom'."""
    scheduled = {s.facility_id for s in ctx.portfolio.amortization_schedule}
    for i, f in enumerate(ctx.portfolio.facilities):
        rule, io_months = parse_amortization(f.amortization)
        if f.amort_term_months is not None and io_months >= f.amort_term_months:
            ctx.report("facilities", i, "amortization", f.amortization,
                       f"fewer interest-only months than amort_term_months "
                       f"({f.amort_term_months})")
        if rule.name == "custom" and f.id not in scheduled:
            ctx.report("facilities", i, "amortization", f.amortization,
                       "rows in amortization_schedule for a custom amortization")


def has_covenant(f: Facility) -> bool:
    """The facility sets at least one maintenance covenant."""
    return any(getattr(f, name) is not None for name in COVENANTS)


def facility_covenants(ctx: Context) -> None:
    """A covenant action needs a covenant; a cash trap needs a trigger."""
    for i, f in enumerate(ctx.portfolio.facilities):
        if f.covenant_action is not None and not has_covenant(f):
            ctx.report("facilities", i, "covenant_action", f.covenant_action,
                       f"{', '.join(COVENANTS[:-1])} or {COVENANTS[-1]} for the action to "
                       "apply", "warning")
        if f.trap_dscr is not None and f.min_dscr is not None and f.trap_dscr < f.min_dscr:
            ctx.report("facilities", i, "trap_dscr", f.trap_dscr,
                       f"at least min_dscr ({f.min_dscr:g}): a trap springs before default",
                       "warning")


def software_covenants(ctx: Context) -> None:
    """ARR covenants sit on software borrowers and convert on a date; PIK terms are complete."""
    software = {a.borrower_id for a in ctx.portfolio.assets if a.kind == SOFTWARE_KIND}
    software_side = software | {b.id for b in ctx.portfolio.borrowers
                                if b.archetype == SOFTWARE_ARCHETYPE}
    # a rejected asset row (already reported) may be the software business: do not blame the loan
    owners_known = not ctx.portfolio._rejected_ids.get("assets")
    for i, f in enumerate(ctx.portfolio.facilities):
        if f.max_arr_leverage is not None and f.borrower_id not in software and owners_known:
            ctx.report("facilities", i, "max_arr_leverage", f.max_arr_leverage,
                       f"a borrower owning a software_business asset ({f.borrower_id} owns "
                       "none, so it has no ARR to test)")
        conversion = f.covenant_conversion_date
        if conversion is not None and f.max_arr_leverage is None:
            ctx.report("facilities", i, "covenant_conversion_date", conversion.isoformat(),
                       "max_arr_leverage (an ARR covenant to convert)")
        elif conversion is not None and conversion >= f.maturity_date:
            ctx.report("facilities", i, "covenant_conversion_date", conversion.isoformat(),
                       f"a date before maturity_date ({f.maturity_date.isoformat()}); the ARR "
                       "covenant never converts", "warning")
        if f.max_leverage is not None and f.borrower_id not in software_side:
            ctx.report("facilities", i, "max_leverage", f.max_leverage,
                       "a software borrower (the EBITDA leverage covenant is tested only on "
                       "the software side; ignored here)", "warning")
        if f.pik_margin_bp is not None and not f.pik_share:
            ctx.report("facilities", i, "pik_margin_bp", f.pik_margin_bp,
                       "a pik_share above 0 for the PIK margin to apply")


def facility_collateral(ctx: Context) -> None:
    """Collateral assets exist and belong to the facility's borrower."""
    for i, f in enumerate(ctx.portfolio.facilities):
        for asset_id in f.collateral:
            asset = ctx.assets.get(asset_id)
            if asset is None and ctx.known("assets", asset_id):
                continue
            if asset is None:
                ctx.report("facilities", i, "collateral", asset_id, "the id of an asset")
            elif asset.borrower_id != f.borrower_id:
                ctx.report("facilities", i, "collateral", asset_id,
                           f"an asset of borrower {f.borrower_id} (owned by "
                           f"{asset.borrower_id})")
        if f.secured is True and not f.collateral:
            ctx.report("facilities", i, "secured", True,
                       "collateral asset ids for a secured facility", "warning")


def _before_month(day: Any, as_of: Any) -> bool:
    """``day`` falls in a month before the valuation month."""
    return bool((day.year, day.month) < (as_of.year, as_of.month))


def draws(ctx: Context) -> None:
    """Draws belong to a ddtl/construction loan, fall in its window, fit its commitment."""
    as_of = ctx.portfolio.info.as_of
    total: dict[str, float] = defaultdict(float)
    for i, dr in enumerate(ctx.portfolio.draws):
        f = ctx.facilities.get(dr.facility_id)
        if f is None and ctx.known("facilities", dr.facility_id):
            continue
        if f is None:
            ctx.report("draws", i, "facility_id", dr.facility_id, "the id of a facility")
            continue
        if f.kind not in DRAWN_KINDS:
            ctx.report("draws", i, "facility_id", dr.facility_id,
                       f"a ddtl or construction_loan (this facility is a {f.kind})")
            continue
        start = f.start_date or as_of
        end = f.availability_end_date or f.maturity_date
        if not start <= dr.date <= end:
            ctx.report("draws", i, "date", dr.date.isoformat(),
                       f"a date in the draw window {start.isoformat()}..{end.isoformat()}")
        elif _before_month(dr.date, as_of):
            ctx.report("draws", i, "date", dr.date.isoformat(),
                       "a draw in or after the valuation month (past draws belong in "
                       "drawn_usd; this one compiles to a negative month)", "warning")
        total[f.id] += dr.amount_usd
    for i, f in enumerate(ctx.portfolio.facilities):
        drawn = f.drawn_usd or 0.0
        if f.id in total and drawn + total[f.id] > f.commitment_usd * (1 + d.SHARE_SUM_TOLERANCE):
            ctx.report("facilities", i, "commitment_usd", f.commitment_usd,
                       f"at least drawn + scheduled draws ({drawn + total[f.id]:,.0f})")


def schedule(ctx: Context) -> None:
    """Custom principal payments belong to a 'custom' facility and fall in its life."""
    as_of = ctx.portfolio.info.as_of
    total: dict[str, float] = defaultdict(float)
    for i, s in enumerate(ctx.portfolio.amortization_schedule):
        f = ctx.facilities.get(s.facility_id)
        if f is None and ctx.known("facilities", s.facility_id):
            continue
        if f is None:
            ctx.report("amortization_schedule", i, "facility_id", s.facility_id,
                       "the id of a facility")
            continue
        if parse_amortization(f.amortization)[0].name != "custom":
            ctx.report("amortization_schedule", i, "facility_id", s.facility_id,
                       f"a facility with amortization 'custom' (it has '{f.amortization}')")
            continue
        start = f.start_date or as_of
        legal = f.legal_final_date or f.maturity_date
        if not start < s.date <= legal:
            ctx.report("amortization_schedule", i, "date", s.date.isoformat(),
                       f"a date after start ({start.isoformat()}) and on or before maturity "
                       f"({legal.isoformat()})")
        total[f.id] += s.principal_usd
    for i, f in enumerate(ctx.portfolio.facilities):
        if total.get(f.id, 0.0) > f.commitment_usd * (1 + d.SHARE_SUM_TOLERANCE):
            ctx.report("facilities", i, "commitment_usd", f.commitment_usd,
                       f"at least the scheduled principal ({total[f.id]:,.0f})")


def holdings(ctx: Context) -> None:
    """Holdings name known facilities and lenders; shares of a facility sum to at most 1."""
    share: dict[str, float] = defaultdict(float)
    pairs: Counter[tuple[str, str]] = Counter()
    for i, h in enumerate(ctx.portfolio.holdings):
        if not ctx.known("facilities", h.facility_id):
            ctx.report("holdings", i, "facility_id", h.facility_id, "the id of a facility")
        if not ctx.known("lenders", h.lender_id):
            ctx.report("holdings", i, "lender_id", h.lender_id, "the id of a lender")
        pairs[(h.facility_id, h.lender_id)] += 1
        if pairs[(h.facility_id, h.lender_id)] == 2:
            ctx.report("holdings", i, "lender_id", h.lender_id,
                       "one row per facility and lender (duplicate holding)", "warning")
        share[h.facility_id] += h.share
    for i, f in enumerate(ctx.portfolio.facilities):
        if share.get(f.id, 0.0) > 1 + d.SHARE_SUM_TOLERANCE:
            ctx.report("facilities", i, "id", f.id,
                       f"holdings summing to at most 1 (they sum to {share[f.id]:.6g})")
        elif f.id not in share:
            ctx.report("facilities", i, "id", f.id, "at least one holding (no lender holds "
                       "this facility; its losses are attributed to no lender)", "warning")


RULES: tuple[Rule, ...] = (
    unique_ids, borrower_parents, asset_owner, asset_kind_terms, asset_contracts,
    software_margins, asset_references, facility_borrower, facility_amounts, facility_rate,
    facility_dates, facility_amortization, facility_covenants, software_covenants,
    facility_collateral, draws, schedule, holdings,
)
"""Every cross-cell rule, in reporting order."""


def check_portfolio(portfolio: Portfolio) -> list[Issue]:
    """Run every rule on ``portfolio``; return all issues (errors and warnings)."""
    ctx = Context(portfolio)
    for rule in RULES:
        rule(ctx)
    return ctx.issues

