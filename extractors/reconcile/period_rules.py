"""Period mismatches: a figure put in a year that the report's dated events contradict — one
statement says 2021 and another dates it in 2022; a year's total that holds a payment the report
dates in the next year (only when the payments are known to be complete). Inferred: `warning`."""
from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal

from ..rules import load
from .findings import fmt, make, rounding
from .inputs import DocumentFacts, Fact
from .parts import payments_of
from .years import year_facts, yearly_paid


def _total(facts: list[Fact]) -> Decimal:
    return sum((f.wan for f in facts), Decimal(0))


def periods(r: DocumentFacts) -> list[dict]:
    out = _stated_vs_dated(r) + _year_totals(r)
    flagged = {v for f in out if not f.get("holds") for v in f["values"]}
    return out + [f for f in _listed_in_year(r) if f["values"][0] not in flagged]


def _stated_vs_dated(r: DocumentFacts) -> list[dict]:
    out = []
    for f in r.facts:                      # one statement says 2021, another dates it in 2022
        stated = {e["year"] for e in f.evidence if e.get("year")}
        dated = {int(e["date_iso"][:4]) for e in f.evidence if e["date_iso"]}
        if stated and dated and not stated & dated and not _issued_in_advance(f, stated, dated):
            out.append(make(r.doc_id, "stated_year_vs_date", "period_mismatch",
                            f"{fmt(f.wan)}万元被记为{'、'.join(map(str, sorted(stated)))}年，但报告所记日期在"
                            f"{'、'.join(map(str, sorted(dated)))}年", [f.wan], severity="warning",
                            evidence_rows=[{"page": e["page"], "quote": e["sentence"], "side": str(e.get("year") or
                                            e["date_iso"] or "")} for e in f.evidence]))
    return out


def _issued_in_advance(f: Fact, stated: set[int], dated: set[int]) -> bool:
    """Funds for a budget year issued before it began (a year's funds issued in the November before)."""
    return f.kind in load("reconcile")["periods"]["advance_kinds"] and min(stated) > max(dated)


def _year_totals(r: DocumentFacts) -> list[dict]:
    pays = payments_of(r, None)
    parties = {p.party for p in pays.payments}
    complete = pays.complete or (None not in parties and all(payments_of(r, p).complete for p in parties))
    by_year: dict[int, list[Fact]] = defaultdict(list)
    for p in pays.payments:
        if p.date_start:
            by_year[p.date_start.year].append(p)
    if not by_year:
        return []
    out, moved = [], set()
    for year, (total, ev) in sorted(yearly_paid(r).items()):
        in_year = _total(by_year.get(year, []))
        if abs(in_year - total) <= rounding():
            out.append(make(r.doc_id, "year_total_vs_dated_payments", "period_mismatch",
                            f"{year}年支付{fmt(total)}万元，与当年逐笔支付相符", [total], holds=True, evidence_rows=[ev]))
            continue
        other = [y for y, ps in by_year.items() if y != year and abs(_total(ps) - total) <= rounding()]
        if other:
            out.append(make(r.doc_id, "year_total_vs_dated_payments", "period_mismatch",
                            f"报告记{year}年支付{fmt(total)}万元，但逐笔支付显示该金额于{other[0]}年支付", [total],
                            severity="warning", expected=in_year, actual=total,
                            evidence_rows=[ev, *[p.quote(p.date_start.isoformat()) for p in by_year[other[0]]]]))
            continue
        if not complete:
            continue
        gap = total - in_year
        for p in pays.payments:
            if p.date_start and abs(p.date_start.year - year) == 1 and abs(abs(gap) - p.wan) <= rounding() \
                    and (gap > 0) == (p.date_start.year != year) and p.fact_id not in moved:
                moved.add(p.fact_id)
                out.append(make(r.doc_id, "payment_in_another_year", "period_mismatch",
                                f"{year}年支付{fmt(total)}万元，当年逐笔支付合计{fmt(in_year)}万元，相差的{fmt(p.wan)}万元"
                                f"是{p.date_start.isoformat()}支付的第{p.installment}笔，不在{year}年", [p.wan, total],
                                severity="warning", expected=in_year, actual=total,
                                evidence_rows=[ev, p.quote(p.date_start.isoformat())]))
                break
    return out


def _listed_in_year(r: DocumentFacts) -> list[dict]:
    """A payment listed in the breakdown of a year's spending (2023年完成支出X，包括：…2024年1月15日支付Y)
    but dated, its year written out, in another year."""
    out, openers = [], load("reconcile")["periods"]["list_openers"]
    for t in year_facts(r, "paid"):
        if not any(w in t.sentence for w in openers) or t.first_start is None:
            continue
        for p in r.of_kind("payment"):
            if p.sentence != t.sentence or p.date_start is None or p.date_start.year == t.year \
                    or (p.first_start or 0) <= t.first_start or not _year_written(p):
                continue
            out.append(make(r.doc_id, "listed_payment_in_another_year", "period_mismatch",
                            f"{t.year}年支出{fmt(t.wan)}万元所列的{fmt(p.wan)}万元，报告记其于{p.date_start.isoformat()}支付，"
                            f"不在{t.year}年", [p.wan, t.wan], severity="warning",
                            evidence_rows=[t.quote(f"{t.year}年"), p.quote(p.date_start.isoformat())]))
    return out


def _year_written(p: Fact) -> bool:
    d = p.date_start
    return bool(re.search(rf"{d.year}\s*[年.．/\-]\s*0?{d.month}\s*[月.．/\-]\s*0?{d.day}(?!\d)", p.sentence))
