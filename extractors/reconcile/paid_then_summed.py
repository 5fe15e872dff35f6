"""A party's payments listed one by one, then summed in a later sentence:

    ⑴ 2024年7月5日向某公司支付上半年服务费A万元，2024年12月30日支付下半年服务费B万元。
    ⑵ 年度考核后，于2025年2月20日向某公司支付绩效服务费C万元。
    ⑶ 2024年度共计向某公司支付X万元。

The total names the party and a sum word (共计 / 合计 / 总计) in its role words, and every payment
to that party in the report is stated before it: the sum it states is the sum of those payments,
whatever year each was paid in (the year's fees may be paid after the year ends). A total over the
whole period is left to payments_vs_totals; a party with two such totals makes no check."""
from __future__ import annotations

from decimal import Decimal

from .findings import compare, fmt
from .inputs import DocumentFacts
from .money_rules import _cumulative
from .scope import scope_of

SUM_WORDS = ("共计", "合计", "总计")


def paid_then_summed(r: DocumentFacts) -> list[dict]:
    out = []
    for party in sorted({f.party for f in r.of_kind("paid_total") if f.party}):
        pays = [p for p in r.of_kind("payment") if p.party == party]
        first_year = min((p.year for p in pays if p.year), default=None)
        # a total of a year before every payment (较2023年度的X) cannot be their sum
        totals = [f for f in r.of_kind("paid_total") if f.party == party and f.trigger
                  and any(w in f.trigger for w in SUM_WORDS) and scope_of(r, f).clean
                  and not (f.year and first_year and f.year < first_year)]
        if len(totals) != 1 or _cumulative(r, totals[0]) or totals[0].first_start is None:
            continue
        total = totals[0]
        if len(pays) < 2 or any(p.first_start is None or p.first_start >= total.first_start for p in pays):
            continue
        implied = sum((p.wan for p in pays), Decimal(0))
        msg = (f"向{party}共计支付{fmt(total.wan)}万元，此前逐笔列出的{len(pays)}笔支付之和为{fmt(implied)}万元"
               f"（{' + '.join(fmt(p.wan) for p in pays)}）")
        out.append(compare(r.doc_id, "paid_then_summed", "sum_mismatch", total.wan, implied, msg,
                           [total.quote("stated"), *[p.quote("parts") for p in pays]], severity="warning"))
    return out
