"""Over-limit: money paid above what bounds it — a party's contract in force (after every
补充协议), the project's appropriation or budget, a year's funds (with what earlier years carried
over). Preconditions: the bound is the one figure of its scope (not one batch, one source or one
item of several), the paid figure has the same scope, and a cumulative figure is compared with a
single year's bound only when the project lasts that one year."""
from __future__ import annotations

from decimal import Decimal

from .findings import fmt, make, rounding, unverifiable
from .inputs import DocumentFacts, Fact
from .money_rules import _cumulative, _project_cumulative, contract_in_force, party_paid
from .scope import one_value, scope_of, whole_figures
from .funds import carried_amount, carried_in, missing_in_year, one_source
from .years import year_facts, yearly


def limits(r: DocumentFacts) -> list[dict]:
    return _contracts(r) + _project(r) + _years(r)


def _over(r: DocumentFacts, rule: str, paid: Decimal, bound: Decimal, message: str, evidence: list[dict],
          severity: str = "error") -> dict:
    over = paid - bound
    holds = over <= rounding()
    return make(r.doc_id, rule, "over_limit", message + ("" if holds else f"，超出{fmt(over)}万元"), [paid, bound],
                holds=holds, severity=severity, expected=bound, actual=paid, evidence_rows=evidence)


def _contracts(r: DocumentFacts) -> list[dict]:
    out = []
    for party in sorted({c.party for c in r.of_kind("contract") if c.party}):
        contract, paid = contract_in_force(r, party), party_paid(r, party)
        if contract is None or paid is None:
            continue
        msg = f"向{party}的支付与合同金额"
        if isinstance(contract, str):
            out.append(unverifiable(r.doc_id, "paid_within_contract", "over_limit", msg, contract, [],
                                    [c.quote("contract") for c in r.of_kind("contract") if c.party == party]))
            continue
        if isinstance(paid, str):
            pays = [p for p in r.of_kind("payment") if p.party == party]
            subtotal = sum((p.wan for p in pays), Decimal(0))
            if subtotal - contract[0] > rounding():
                out.append(unverifiable(r.doc_id, "paid_within_contract", "over_limit",
                                        f"向{party}所列支付合计{fmt(subtotal)}万元与合同金额{fmt(contract[0])}万元", paid,
                                        [subtotal, contract[0]], [p.quote("paid") for p in pays]))
            continue
        stated = paid[2]
        message = (f"向{party}{'累计支付' if stated else '逐笔支付合计'}{fmt(paid[0])}万元，"
                   f"合同{contract[2]}金额{fmt(contract[0])}万元")
        evidence = [*[p.quote("paid") for p in paid[1]], *[c.quote("bound") for c in contract[1]]]
        out.append(_over(r, "paid_within_contract", paid[0], contract[0], message, evidence,
                         severity="error" if stated else "warning"))
    return out


def _project_years(r: DocumentFacts) -> set[int]:
    years = {f.date_start.year for f in r.of_kind("payment", "paid_total") if f.date_start}
    years |= {f.year for f in r.of_kind("payment", "paid_total", "budget", "appropriation")
              if f.year_source == "stated" and f.year}
    return years


def _project(r: DocumentFacts) -> list[dict]:
    """The project's cumulative paid total against its appropriation, else its budget."""
    paid = _project_cumulative(r)
    if not isinstance(paid, Fact):
        return []
    out = []
    single_year = len(_project_years(r)) <= 1
    for kind, word in (("appropriation", "到位资金"), ("budget", "预算")):
        bounds = [f for f in whole_figures(r, (kind,)) if _cumulative(r, f) or single_year]
        msg = f"累计支付{fmt(paid.wan)}万元与{word}"
        found = one_value(bounds)
        if found is None:
            continue
        if isinstance(found, str):
            smallest = min(bounds, key=lambda f: f.wan)
            if paid.wan - smallest.wan > rounding():       # some reading of the bound is exceeded: which is meant?
                out.append(unverifiable(r.doc_id, f"paid_within_{kind}", "over_limit", msg, found,
                                        [paid.wan, smallest.wan], [paid.quote("paid"), *[b.quote("bound") for b in bounds]]))
                break
            bound = smallest                               # within every figure the report gives
        else:
            bound = found[1][0]
        gap = one_source(r, [bound], bound.wan, word) if paid.wan - bound.wan > rounding() else None
        if gap:                                            # not all the funds: the budget may still bound it
            out.append(unverifiable(r.doc_id, f"paid_within_{kind}", "over_limit", msg, gap, [paid.wan, bound.wan],
                                    [paid.quote("paid"), bound.quote("bound")]))
            continue
        out.append(_over(r, f"paid_within_{kind}", paid.wan, bound.wan,
                         f"累计支付{fmt(paid.wan)}万元，{word}{fmt(bound.wan)}万元",
                         [paid.quote("paid"), bound.quote("bound")], severity="warning"))
        break                                   # the appropriation bounds spending; the budget only without it
    return out


def _years(r: DocumentFacts) -> list[dict]:
    """A year's spending against that year's funds, with what the earlier years left unspent; the
    year's funds must be all of them (every source, and what was carried into the first year)."""
    paid = yearly(r, "paid")
    out = []
    for role, word in (("funds", "到位资金"), ("budget", "预算")):
        bounds = yearly(r, role)
        first = min([*paid, *bounds], default=None)
        every = sum((v for v, _ in bounds.values()), Decimal(0))
        of_all = one_source(r, year_facts(r, role), every, f"各年{word}之和") if len(bounds) > 1 else None
        gaps: set[int] = set()
        for year in sorted(set(paid) & set(bounds)):
            (p, p_ev), (b, b_ev) = paid[year], bounds[year]
            msg = f"{year}年支付{fmt(p)}万元，当年{word}{fmt(b)}万元"
            if p - b <= rounding():
                out.append(_over(r, f"year_paid_within_{role}", p, b, msg, [p_ev, b_ev], severity="warning"))
                continue
            facts = year_facts(r, role, year)
            stated = carried_amount(r, year) if year == first else None
            earlier = range(first, year)
            gap = (of_all or one_source(r, facts, b) or missing_in_year(r, facts, b, year)
                   or (carried_in(r, year) if year == first and stated is None else None)
                   or next((f"{y}年的资金不全，结转不明" for y in sorted(gaps) if y < year), None))
            if gap is None and not all(y in paid and y in bounds for y in earlier):
                gap = "以前年度结转的资金不明，可能足以支付"
            if gap:
                gaps.add(year)
                out.append(unverifiable(r.doc_id, f"year_paid_within_{role}", "over_limit", msg, gap, [p, b],
                                        [p_ev, b_ev]))
                continue
            if stated:                  # the first year, with the money carried into it stated
                out.append(_over(r, f"year_paid_within_{role}", p, b + stated.wan, msg + f"，上年结转{fmt(stated.wan)}万元",
                                 [p_ev, b_ev, stated.quote(f"结转{fmt(stated.wan)}万元")], severity="warning"))
                continue
            carried = sum((bounds[y][0] - paid[y][0] for y in earlier), Decimal(0))
            message = msg + (f"，以前年度结转{fmt(carried)}万元" if year != first else "")
            out.append(_over(r, f"year_paid_within_{role}", p, b + carried, message,
                             [p_ev, b_ev, *[paid[y][1] for y in earlier], *[bounds[y][1] for y in earlier]],
                             severity="warning"))
    return out
