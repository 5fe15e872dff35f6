"""Money rules: totals against their parts, balances, limits, conflicts and years."""
from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from functools import cache

from extractors.rules import load

from .findings import compare, fmt, make, rounding
from .report import Fact, Report

# A total of one kind is the sum of parts of these kinds.
PART_KINDS = {"paid_total": ("payment", "paid_total"), "budget": ("budget",), "appropriation": ("appropriation",),
              "contract": ("contract",), "savings": ("savings",), "balance": ("balance",)}
KIND_WORDS = {"paid_total": "支付", "budget": "预算", "appropriation": "到位资金", "contract": "合同",
              "savings": "节约", "balance": "余额"}


@cache
def _sums() -> dict:
    return load("reconcile")["sums"]


def _total(facts: list[Fact]) -> Decimal:
    return sum((f.wan for f in facts), Decimal(0))


def _whole(f: Fact) -> bool:
    """A figure of the whole project, not of one funding source or sub-project."""
    return not f.row.get("source") and not f.row.get("item")


def table_totals(r: Report) -> list[dict]:
    """A table's 合计 / 小计 cell against the sum of the cells it totals (facts.parts_wan)."""
    out = []
    for f in r.facts:
        if f.row.get("is_total") and f.row.get("parts_wan") is not None:
            parts = Decimal(f.parts_wan).normalize()
            msg = f"表中合计{fmt(f.wan)}万元，分项之和为{fmt(parts)}万元"
            out.append(compare(r.doc_id, "table_total", "sum_mismatch", f.wan, parts, msg, [f.quote("total")]))
    return out


def enumerations(r: Report) -> list[dict]:
    """A total and its parts stated in one sentence: 累计支付X，其中A a，B b / A与B，共计支付X."""
    out = []
    words = _sums()
    for sid, items in r.by_sentence.items():
        text = r.sentences[sid]["text"]
        start = r.sentences[sid]["char_start"]
        cut = text.find(words["parts_after"])
        for i, (total, e) in enumerate(items):
            family = PART_KINDS.get(total.kind, ())
            pos = e["char_start"] - start
            if cut >= 0 and pos < cut and all(p[1]["char_start"] - start < cut for p in items[:i]):
                parts = [f for f, pe in items[i + 1:] if pe["char_start"] - start > cut and f.kind in family]
                nxt = [pe for f, pe in items[i + 1:] if pe["char_start"] - start < cut]
                if len(parts) >= 2 and not nxt:
                    out.append(_sum_check(r, total, parts, "parts_after_total"))
                    continue
            clause = text[max(text.rfind("，", 0, pos), text.rfind(",", 0, pos)) + 1:pos]
            if any(w in clause for w in words["total_words"]):
                lo = cut if 0 <= cut < pos else -1
                parts = [f for f, pe in items[:i] if f.kind in family and pe["char_start"] - start > lo]
                if len(parts) >= 2:
                    out.append(_sum_check(r, total, parts, "parts_before_total"))
    return out


def _sum_check(r: Report, total: Fact, parts: list[Fact], rule: str) -> dict:
    implied = _total(parts)
    msg = (f"{KIND_WORDS.get(total.kind, '')}合计{fmt(total.wan)}万元，"
           f"所列各项之和为{fmt(implied)}万元（{' + '.join(fmt(p.wan) for p in parts)}）")
    return compare(r.doc_id, rule, "sum_mismatch", total.wan, implied, msg,
                   [total.quote("stated"), *[p.quote("parts") for p in parts[:1]]])


def _latest_contract(contracts: list[Fact]) -> Fact | None:
    """The contract total in force: the last amendment by date, else the last stated."""
    if not contracts:
        return None
    dated = [c for c in contracts if c.date_start]
    return max(dated, key=lambda c: c.date_start) if dated and any(c.is_amendment for c in contracts) \
        else contracts[-1]


def _by_party(r: Report, kind: str) -> dict[str, list[Fact]]:
    out = defaultdict(list)
    for f in r.of_kind(kind):
        if f.party:
            out[f.party].append(f)
    return out


def _paid(r: Report, party: str) -> tuple[Decimal, list[Fact]] | None:
    totals = [f for f in r.of_kind("paid_total") if f.party == party and f.year_source != "stated"]
    if totals:
        best = max(totals, key=lambda f: f.wan)
        return best.wan, [best]
    payments = [f for f in r.of_kind("payment") if f.party == party]
    return (_total(payments), payments) if payments else None


def payments_vs_totals(r: Report) -> list[dict]:
    """Each party's payments against its stated paid total; all payments against the cumulative total."""
    out = []
    payments = _by_party(r, "payment")
    for party, totals in _by_party(r, "paid_total").items():
        parts = payments.get(party, [])
        for total in totals:
            if len(parts) >= 2:
                msg = f"向{party}累计支付{fmt(total.wan)}万元，逐笔支付之和为{fmt(_total(parts))}万元"
                out.append(compare(r.doc_id, "party_payments_vs_paid_total", "sum_mismatch", total.wan,
                                   _total(parts), msg, [total.quote("stated"), parts[0].quote("parts")]))
    cumulative = [f for f in r.of_kind("paid_total") if not f.party and f.year_source != "stated"]
    all_payments = r.of_kind("payment")
    if cumulative and len(all_payments) >= 2:
        total = max(cumulative, key=lambda f: f.wan)
        msg = f"累计支付{fmt(total.wan)}万元，逐笔支付之和为{fmt(_total(all_payments))}万元"
        out.append(compare(r.doc_id, "payments_vs_cumulative", "sum_mismatch", total.wan, _total(all_payments),
                           msg, [total.quote("stated"), all_payments[0].quote("parts")]))
    yearly = [f for f in r.of_kind("paid_total") if f.year_source == "stated" and not f.party]
    years = {f.year for f in yearly}
    paid_years = {p.date_start.year for p in all_payments if p.date_start}
    if cumulative and len(years) >= 2 and len(yearly) == len(years) and paid_years <= years:
        total = max(cumulative, key=lambda f: f.wan)
        if total.wan >= max(f.wan for f in yearly) and (total.year is None or total.year in years):
            msg = f"累计支付{fmt(total.wan)}万元，各年度支付之和为{fmt(_total(yearly))}万元"
            out.append(compare(r.doc_id, "years_vs_cumulative", "sum_mismatch", total.wan, _total(yearly), msg,
                               [total.quote("stated"), yearly[0].quote("parts")]))
    return out


def balances(r: Report) -> list[dict]:
    """A stated remainder against contract (or budget) minus paid."""
    out = []
    contracts = _by_party(r, "contract")
    for b in r.of_kind("balance"):
        if b.party and b.party in contracts:
            contract = _latest_contract(contracts[b.party])
            paid = _paid(r, b.party)
            if contract is None or paid is None:
                continue
            implied = contract.wan - paid[0]
            msg = f"与{b.party}的合同{fmt(contract.wan)}万元，已付{fmt(paid[0])}万元，应余{fmt(implied)}万元，报告称{fmt(b.wan)}万元"
            out.append(compare(r.doc_id, "contract_minus_paid", "balance_mismatch", b.wan, implied, msg,
                               [b.quote("stated"), contract.quote("contract"), paid[1][0].quote("paid")]))
        elif not b.party and b.trigger in _unspent_words():
            budget = max(r.of_kind("appropriation") or r.of_kind("budget"), key=lambda f: f.wan, default=None)
            paid = max([f for f in r.of_kind("paid_total") if not f.party and _whole(f)], key=lambda f: f.wan,
                       default=None)
            if budget is None or paid is None:
                continue
            implied = budget.wan - paid.wan
            msg = f"资金{fmt(budget.wan)}万元，累计支出{fmt(paid.wan)}万元，应结余{fmt(implied)}万元，报告称{fmt(b.wan)}万元"
            out.append(compare(r.doc_id, "funds_minus_paid", "balance_mismatch", b.wan, implied, msg,
                               [b.quote("stated"), budget.quote("funds"), paid.quote("paid")]))
    return out


@cache
def _unspent_words() -> frozenset[str]:
    return frozenset({"结余", "结转", "余额"})


def limits(r: Report) -> list[dict]:
    """Paid above what bounds it: a party's contract, the appropriation, the budget, a year's budget."""
    out = []
    for party, contracts in _by_party(r, "contract").items():
        contract, paid = _latest_contract(contracts), _paid(r, party)
        if contract is None or paid is None:
            continue
        out.append(_limit(r, "paid_within_contract", paid[0], contract.wan,
                          f"向{party}支付{fmt(paid[0])}万元，合同金额{fmt(contract.wan)}万元",
                          [paid[1][0].quote("paid"), contract.quote("bound")]))
    paid = max([f for f in r.of_kind("paid_total") if not f.party and f.year_source != "stated" and _whole(f)],
               key=lambda f: f.wan, default=None)
    for kind, word in (("appropriation", "到位资金"), ("budget", "预算")):
        bound = max([f for f in r.of_kind(kind) if f.year_source != "stated"], key=lambda f: f.wan, default=None)
        if paid and bound:
            out.append(_limit(r, f"paid_within_{kind}", paid.wan, bound.wan,
                              f"累计支付{fmt(paid.wan)}万元，{word}{fmt(bound.wan)}万元",
                              [paid.quote("paid"), bound.quote("bound")]))
    budgets: dict[int, Fact] = {}
    for f in r.of_kind("budget"):          # a year's budget: the largest stated for the whole project
        if f.year_source == "stated" and _whole(f) and (f.year not in budgets or f.wan > budgets[f.year].wan):
            budgets[f.year] = f
    for f in r.of_kind("paid_total"):
        if f.year_source == "stated" and not f.party and _whole(f) and f.year in budgets:
            b = budgets[f.year]
            out.append(_limit(r, "year_paid_within_budget", f.wan, b.wan,
                              f"{f.year}年支付{fmt(f.wan)}万元，当年预算{fmt(b.wan)}万元",
                              [f.quote("paid"), b.quote("bound")]))
    return out


def _limit(r: Report, rule: str, paid: Decimal, bound: Decimal, message: str, evidence: list[dict]) -> dict:
    over = paid - bound
    holds = over <= rounding()
    return make(r.doc_id, rule, "over_limit", message + ("" if holds else f"，超出{fmt(over)}万元"), [paid, bound],
                holds=holds, expected=bound, actual=paid, evidence_rows=evidence)


def conflicts(r: Report) -> list[dict]:
    """Facts that the report states in two ways (marked by the fact extractor)."""
    out, seen = [], set()
    for f in r.facts:
        if not f.conflict:
            continue
        if f.kind == "payment":
            dates = sorted({e["date_iso"] for e in f.evidence if e["date_iso"]})
            out.append(make(r.doc_id, "same_payment_two_dates", "conflict",
                            f"同一笔支付{fmt(f.wan)}万元在报告中的日期不一致：{'、'.join(dates)}", [f.wan], dates=dates,
                            evidence_rows=[{"page": e["page"], "quote": e["sentence"], "side": e["date_iso"] or ""}
                                           for e in f.evidence]))
        else:
            group = [g for g in r.facts if g.conflict == f.conflict]
            key = tuple(sorted(str(g.wan) for g in group))
            if key in seen:
                continue
            seen.add(key)
            values = sorted({g.wan for g in group}, reverse=True)
            out.append(make(r.doc_id, "same_fact_two_values", "conflict",
                            f"同一{KIND_WORDS.get(f.kind, '')}金额在报告中不一致：{'、'.join(fmt(v) for v in values)}万元",
                            values, evidence_rows=[g.quote(fmt(g.wan)) for g in group]))
    return out


def periods(r: Report) -> list[dict]:
    """A figure put in a year that the report's dated events contradict."""
    out = []
    for f in r.facts:                      # one statement says 2021, another dates it in 2022
        stated = {e["year"] for e in f.evidence if e.get("year")}
        dated = {int(e["date_iso"][:4]) for e in f.evidence if e["date_iso"]}
        if stated and dated and not stated & dated:
            out.append(make(r.doc_id, "stated_year_vs_date", "period_mismatch",
                            f"{fmt(f.wan)}万元被记为{'、'.join(map(str, sorted(stated)))}年，但报告所记日期在"
                            f"{'、'.join(map(str, sorted(dated)))}年", [f.wan], severity="warning",
                            evidence_rows=[{"page": e["page"], "quote": e["sentence"], "side": str(e.get("year") or
                                            e["date_iso"] or "")} for e in f.evidence]))
    by_year = defaultdict(list)
    for p in r.of_kind("payment"):
        if p.date_start:
            by_year[p.date_start.year].append(p)
    if not by_year:
        return out
    for f in r.of_kind("paid_total"):
        if f.year_source != "stated" or f.party or f.year is None:
            continue
        in_year = _total(by_year.get(f.year, []))
        if abs(in_year - f.wan) <= rounding():
            out.append(make(r.doc_id, "year_total_vs_dated_payments", "period_mismatch",
                            f"{f.year}年支付{fmt(f.wan)}万元，与当年逐笔支付相符", [f.wan], holds=True,
                            evidence_rows=[f.quote("stated")]))
            continue
        other = [y for y, ps in by_year.items() if y != f.year and abs(_total(ps) - f.wan) <= rounding()]
        if other:
            out.append(make(r.doc_id, "year_total_vs_dated_payments", "period_mismatch",
                            f"报告记{f.year}年支付{fmt(f.wan)}万元，但逐笔支付显示该金额于{other[0]}年支付", [f.wan],
                            severity="warning", expected=_total(by_year.get(f.year, [])), actual=f.wan,
                            evidence_rows=[f.quote("stated"), by_year[other[0]][0].quote("dated")]))
    return out
