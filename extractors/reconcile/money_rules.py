"""Money rules: totals against their parts, and remainders against what they remain of.

Each rule says what it needs to be sure: a 其中 list is complete by construction (the parts are
the figures the sentence lists after 其中); a party's payments must be known to be complete before
their sum can contradict its paid total; yearly totals must cover every year up to a cumulative
total; figures compared must have one scope (party, source, item, period)."""
from __future__ import annotations

import dataclasses
import re
from decimal import Decimal
from functools import cache

from ..rules import load
from .findings import compare, fmt, make, unverifiable
from .funds import one_source
from .inputs import DocumentFacts, Fact
from .parts import payments_of
from .scope import clause_before, list_total, parts_cut, position, scope_of, whole_figures, one_value, words as scope_words

PART_KINDS = {"paid_total": ("payment", "paid_total"), "budget": ("budget",), "appropriation": ("appropriation",),
              "contract": ("contract",), "savings": ("savings",), "balance": ("balance",)}
KIND_WORDS = {"paid_total": "支付", "budget": "预算", "appropriation": "到位资金", "contract": "合同",
              "savings": "节约", "balance": "余额", "payment": "支付"}


@cache
def _sums() -> dict:
    return load("reconcile")["sums"]


def _total(facts: list[Fact]) -> Decimal:
    return sum((f.wan for f in facts), Decimal(0))


def _bracketed(text: str, pos: int) -> bool:
    """Inside （…） at `pos`: a figure explained, not listed (…（其中已拨付60万元）)."""
    return text.rfind("（", 0, pos) > text.rfind("）", 0, pos) or text.rfind("(", 0, pos) > text.rfind(")", 0, pos)


def enumerations(r: DocumentFacts) -> list[dict]:
    """A total and the parts its sentence lists after 其中 (stated: an error when they differ)."""
    out = []
    words = _sums()
    for s in r.sentences:
        text, start = s["text"], s["char_start"]
        cut = parts_cut(text)
        if cut <= 0:
            continue
        amounts = [a for a in r.amounts_in(s["sentence_id"]) if not _bracketed(text, a["char_start"] - start)]
        before = [a for a in amounts if a["char_end"] - start <= cut]
        if not before:
            continue
        total = before[-1]
        parts = []
        for a in amounts:
            pos = a["char_start"] - start
            if pos <= cut:
                continue
            if any(w in clause_before(text, pos) for w in words["list_stops"]):
                break
            parts.append(a)
        if len(parts) >= 2:
            out.append(_list_check(r, s, total, parts))
    return out + _parts_before_total(r)


def _list_check(r: DocumentFacts, s: dict, total: dict, parts: list[dict]) -> dict:
    stated = Decimal(total["value_wan"])
    ev = [{"page": s["page"], "quote": s["text"], "side": "stated"}, {"page": s["page"], "quote": s["text"], "side": "parts"}]
    if any(Decimal(p["value_wan"]) >= stated for p in parts):
        return unverifiable(r.doc_id, "parts_after_total", "sum_mismatch", f"其中所列金额与{fmt(stated)}万元",
                            "所列金额不小于合计，不是其组成部分", [stated], ev)
    for k in range(len(parts), 1, -1):          # the list may end before the sentence does
        implied = sum((Decimal(p["value_wan"]) for p in parts[:k]), Decimal(0))
        if abs(implied - stated) < Decimal("0.0005"):
            parts = parts[:k]
            break
    implied = sum((Decimal(p["value_wan"]) for p in parts), Decimal(0))
    msg = (f"合计{fmt(stated)}万元，其中所列{len(parts)}项之和为{fmt(implied)}万元"
           f"（{' + '.join(fmt(Decimal(p['value_wan'])) for p in parts)}）")
    return compare(r.doc_id, "parts_after_total", "sum_mismatch", stated, implied, msg, ev)


def _parts_before_total(r: DocumentFacts) -> list[dict]:
    """…A a与B b，共计X: parts of the total's own kind before a total word in its clause."""
    out = []
    words = _sums()
    for sid, items in r.by_sentence.items():
        text = r.sentences[sid]["text"]
        start = r.sentences[sid]["char_start"]
        cut = parts_cut(text)
        for i, (total, e) in enumerate(items):
            pos = e["char_start"] - start
            # a bracket opens a clause too: 累计支出X（施工A、设计B）lists X's parts, B totals nothing
            clause = text[max(text.rfind(c, 0, pos) for c in "，,（(") + 1:pos]
            word = next((w for w in words["total_words"] if w in clause), None)
            if word is None:
                continue
            lo = cut if 0 <= cut < pos else -1
            family = PART_KINDS.get(total.kind, ())
            parts = [f for f, pe in items[:i] if f.kind in family and pe["char_start"] - start > lo]
            if len(parts) < 2:
                continue
            implied = _total(parts)
            msg = (f"{KIND_WORDS.get(total.kind, '')}合计{fmt(total.wan)}万元，"
                   f"所列各项之和为{fmt(implied)}万元（{' + '.join(fmt(p.wan) for p in parts)}）")
            severity = "error" if word in words["sum_words"] else "warning"
            out.append(compare(r.doc_id, "parts_before_total", "sum_mismatch", total.wan, implied, msg,
                               [total.quote("stated"), *[p.quote("parts") for p in parts]], severity=severity))
    return out


def _cumulative(r: DocumentFacts, f: Fact) -> bool:
    """A total over the whole period: not put in one year by the text, or said to be 累计."""
    return f.year_source != "stated" or any(w in scope_of(r, f).label for w in _sums()["cumulative_words"])


def party_paid(r: DocumentFacts, party: str) -> tuple[Decimal, list[Fact], bool] | None | str:
    """What a party was paid: its stated total (True), else its complete payments (False)."""
    totals = [f for f in r.of_kind("paid_total") if f.party == party and _cumulative(r, f) and scope_of(r, f).clean]
    if totals:
        dated = all(f.date_end for f in totals)
        best = max(totals, key=lambda f: (f.date_end, f.wan)) if dated else max(totals, key=lambda f: f.wan)
        return best.wan, [best], True
    pays = payments_of(r, party)
    if not pays.payments:
        return None
    if not pays.complete:
        return pays.why
    return _total(pays.payments), pays.payments, False


def payments_vs_totals(r: DocumentFacts) -> list[dict]:
    """A party's payments against its stated paid total; all payments (or every party's total)
    against the project's cumulative total; yearly totals against the cumulative total."""
    out = []
    for total in r.of_kind("paid_total"):
        if not total.party or not _cumulative(r, total) or not scope_of(r, total).clean:
            continue
        pays = payments_of(r, total.party, before=total.date_end)
        implied = _total(pays.payments)
        if not pays.payments or (len(pays.payments) == 1 and implied == total.wan):
            continue
        msg = f"向{total.party}累计支付{fmt(total.wan)}万元，逐笔支付之和为{fmt(implied)}万元"
        evidence = [total.quote("stated"), *[p.quote(f"第{p.installment}笔") for p in pays.payments]]
        if abs(implied - total.wan) < Decimal("0.0005") or pays.complete:
            out.append(compare(r.doc_id, "party_payments_vs_paid_total", "sum_mismatch", total.wan, implied, msg,
                               evidence, severity="warning"))
        else:
            out.append(unverifiable(r.doc_id, "party_payments_vs_paid_total", "sum_mismatch", msg, pays.why,
                                    [total.wan, implied], evidence))
    cumulative = _project_cumulative(r)
    if isinstance(cumulative, Fact):
        out += _all_payments(r, cumulative) + _years_vs_cumulative(r, cumulative)
    return out


def _project_cumulative(r: DocumentFacts) -> Fact | None:
    """The project's cumulative paid total: the one value of the whole project's cumulative totals."""
    found = one_value([f for f in whole_figures(r, ("paid_total",)) if _cumulative(r, f)])
    return found[1][0] if isinstance(found, tuple) else None


def _all_payments(r: DocumentFacts, total: Fact) -> list[dict]:
    pays = payments_of(r, None, before=total.date_end)
    if len(pays.payments) < 2:
        return []
    implied = _total(pays.payments)
    msg = f"累计支付{fmt(total.wan)}万元，逐笔支付之和为{fmt(implied)}万元"
    evidence = [total.quote("stated"), *[p.quote("parts") for p in pays.payments]]
    if abs(implied - total.wan) < Decimal("0.0005"):
        return [compare(r.doc_id, "payments_vs_cumulative", "sum_mismatch", total.wan, implied, msg, evidence,
                        severity="warning")]
    closed = _closed_parties(r, total)
    if isinstance(closed, str):
        return [unverifiable(r.doc_id, "payments_vs_cumulative", "sum_mismatch", msg, closed, [total.wan, implied],
                             evidence)]
    implied = _total([f for _, fs in closed for f in fs])
    msg = (f"累计支付{fmt(total.wan)}万元，各单位累计支付之和为{fmt(implied)}万元"
           f"（{'、'.join(f'{p}{fmt(_total(fs))}万元' for p, fs in closed)}）")
    evidence = [total.quote("stated"), *[f.quote(p) for p, fs in closed for f in fs]]
    return [compare(r.doc_id, "parties_vs_cumulative", "sum_mismatch", total.wan, implied, msg, evidence,
                    severity="warning")]


def _closed_parties(r: DocumentFacts, total: Fact) -> list[tuple[str, list[Fact]]] | str:
    """Every payment made: each contracted party's paid total (or complete payments), when no
    money is paid to anyone else. Else why not."""
    if any(p.party is None for p in r.of_kind("payment")):
        return "有支付未写明收款单位"
    spending = _sums()["spending_words"]
    others = [f for f in r.of_kind("paid_total", "payment", "other") if f.party is None and f.wan != total.wan
              and (f.kind != "other" or any(w in scope_of(r, f).label for w in spending))
              and scope_of(r, f).clean and f.fact_id != total.fact_id]
    if others:
        return f"另有未归属单位的支出（{fmt(others[0].wan)}万元），逐笔支付不是全部支出"
    parties = sorted({f.party for f in r.facts if f.party and f.kind in ("contract", "payment", "paid_total")})
    if len(parties) < 2:
        return "只有一个收款单位"
    out = []
    for party in parties:
        paid = party_paid(r, party)
        if paid is None:
            return f"未列出向{party}的支付"
        if isinstance(paid, str):
            return f"向{party}的支付：{paid}"
        out.append((party, paid[1]))
    return out


def _years_vs_cumulative(r: DocumentFacts, total: Fact) -> list[dict]:
    from .years import yearly_paid

    years = yearly_paid(r)
    if len(years) < 2:
        return []
    last = total.date_start.year if total.date_start else total.year
    first = min(years)
    dated = {p.date_start.year for p in r.of_kind("payment") if p.date_start}
    implied = sum((v for v, _ in years.values()), Decimal(0))
    msg = f"累计支付{fmt(total.wan)}万元，{first}—{max(years)}年各年度支付之和为{fmt(implied)}万元"
    evidence = [total.quote("stated"), *[e for _, e in years.values()]]
    missing = [y for y in range(first, (last or max(years)) + 1) if y not in years]
    if last is None or missing or (dated and min(dated) < first) or max(years) > last:
        why = (f"{'、'.join(map(str, missing))}年的支付未列出" if missing else "各年度支付与累计数的期间不一致")
        return [unverifiable(r.doc_id, "years_vs_cumulative", "sum_mismatch", msg, why, [total.wan, implied], evidence)]
    return [compare(r.doc_id, "years_vs_cumulative", "sum_mismatch", total.wan, implied, msg, evidence,
                    severity="warning")]


# --- remainders ----------------------------------------------------------------------------

def contract_in_force(r: DocumentFacts, party: str) -> tuple[Decimal, list[Fact], str] | None | str:
    """The contract total in force for a party: the latest total set by an amendment, else the one
    contract value stated (two values and no amendment: no total in force)."""
    stated = [c for c in r.of_kind("contract") if c.party == party]
    contracts = [c for c in stated if scope_of(r, c).clean and list_total(r, c) is None
                 and not re.search(_sums()["share_of_contract"], scope_of(r, c).before)]
    if not contracts:
        return "合同金额未能完整读出" if any(not scope_of(r, c).clean for c in stated) else None
    amendments = [c for c in contracts if c.is_amendment]
    if amendments:
        dated = [c for c in amendments if c.date_start]
        latest = max(dated, key=lambda c: c.date_start) if len(dated) == len(amendments) else amendments[-1]
        if any(w in (latest.trigger or "") for w in _sums()["increment_words"]):
            base = [c for c in contracts if not c.is_amendment]
            if len({c.wan for c in base}) != 1:
                return "补充协议只写明增加额，原合同金额不明"
            total = base[0].wan + _total(amendments)
            return total, [base[0], *amendments], "补充协议增加后"
        return latest.wan, [latest], "补充协议调整后"
    values = {c.wan for c in contracts}
    if len(values) > 1:
        return f"合同金额有{len(values)}个不同的数（{'、'.join(fmt(v) for v in sorted(values))}万元），且无补充协议"
    return contracts[0].wan, [contracts[0]], ""


def balances(r: DocumentFacts) -> list[dict]:
    out = []
    for b in r.of_kind("balance"):
        sc = scope_of(r, b)
        if not sc.clean or sc.bound:
            continue
        if b.party:
            out += _party_balance(r, b)
        elif any(w in sc.label for w in _sums()["inflow_words"]):
            continue                                     # 上年结转资金: money brought in, not left over
        elif any(w in sc.label for w in _sums()["contract_words"]) or _contract_column(b):
            out += _local_balance(r, b) or _only_contract_balance(r, b)
        else:
            out += _local_balance(r, b) or _funds_balance(r, b, sc)
    return out


def _contract_column(b: Fact) -> bool:
    """The 合计 of a table's column of what is still owed (合同金额 | 已支付 | 未支付): owed on the
    contracts of its rows, not what is left of the funds."""
    words = _sums()["contract_words"] + _sums()["contract_remainder_words"]
    return bool(b.is_total) and any(w in (b.trigger or "") for w in words)


def _party_balance(r: DocumentFacts, b: Fact) -> list[dict]:
    contract, paid = contract_in_force(r, b.party), party_paid(r, b.party)
    paid = (_paid_beside(r, b) or paid) if isinstance(paid, str) else paid
    msg = f"与{b.party}的合同余额{fmt(b.wan)}万元"
    if contract is None or paid is None:
        return []
    if isinstance(contract, str) or isinstance(paid, str):
        return [unverifiable(r.doc_id, "contract_minus_paid", "balance_mismatch", msg,
                             contract if isinstance(contract, str) else paid, [b.wan], [b.quote("stated")])]
    implied = contract[0] - paid[0]
    msg = (f"与{b.party}的合同{contract[2]}金额{fmt(contract[0])}万元，已付{fmt(paid[0])}万元，"
           f"应余{fmt(implied)}万元，报告称{fmt(b.wan)}万元")
    return [compare(r.doc_id, "contract_minus_paid", "balance_mismatch", b.wan, implied, msg,
                    [b.quote("stated"), *[c.quote("contract") for c in contract[1]], *[p.quote("paid") for p in paid[1]]],
                    severity="warning")]


def _paid_beside(r: DocumentFacts, b: Fact) -> tuple[Decimal, list[Fact], bool] | None:
    """The party's one payment when the remainder follows it in its sentence (向X支付a万元，未付
    质保金b万元): what the sentence says was paid, whatever its installment."""
    pays = [p for p in r.of_kind("payment") if p.party == b.party and scope_of(r, p).clean]
    beside = len(pays) == 1 and any(pe["sentence"] == e["sentence"] and pe["char_start"] < e["char_start"]
                                    for pe in pays[0].evidence for e in b.evidence)
    return (pays[0].wan, pays, False) if beside else None


def _near(r: DocumentFacts, b: Fact, kinds: tuple[str, ...], reach: int) -> list[Fact]:
    """Facts of `kinds` in the remainder's sentence or the `reach` sentences before it, same section."""
    found = position(r, b.first_start)
    if found is None:
        return []
    sid, section = found[0]["sentence_id"], found[0]["section"]
    out = []
    for f in r.of_kind(*kinds):
        at = position(r, f.first_start)
        if at and sid - reach <= at[0]["sentence_id"] <= sid and at[0]["section"] == section:
            out.append(f)
    return out


def _local_balance(r: DocumentFacts, b: Fact) -> list[dict]:
    """累计已支付X，剩余Y after a contract of Z stated just before: Z − X = Y."""
    found = position(r, b.first_start)
    paid = [f for f in _near(r, b, ("paid_total",), 0)
            if (f.first_start or 0) < (b.first_start or 0) and scope_of(r, f).clean]
    contracts = [c for c in _near(r, b, ("contract",), _sums()["reach"]) if scope_of(r, c).clean and not c.is_amendment]
    if found is None or len(paid) != 1 or len({c.wan for c in contracts}) != 1:
        return []
    if not any(w in scope_of(r, b).label for w in _sums()["contract_remainder_words"]):
        return []
    if any(w in scope_of(r, paid[0]).label for w in _sums()["project_words"]):
        return []                                   # the project's total paid, not this contract's
    implied = contracts[0].wan - paid[0].wan
    msg = (f"合同金额{fmt(contracts[0].wan)}万元，累计已支付{fmt(paid[0].wan)}万元，应余{fmt(implied)}万元，"
           f"报告称剩余{fmt(b.wan)}万元")
    return [compare(r.doc_id, "contract_minus_paid", "balance_mismatch", b.wan, implied, msg,
                    [b.quote("stated"), contracts[0].quote("contract"), paid[0].quote("paid")], severity="warning")]


def _only_contract_balance(r: DocumentFacts, b: Fact) -> list[dict]:
    """合同剩余款项 in a report with one contracted party: that party's remainder."""
    parties = {c.party for c in r.of_kind("contract") if c.party}
    if len(parties) != 1 or any(c.party is None for c in r.of_kind("contract")):
        return [unverifiable(r.doc_id, "contract_minus_paid", "balance_mismatch", f"合同余额{fmt(b.wan)}万元",
                             "未写明是哪一份合同的余额", [b.wan], [b.quote("stated")])]
    return _party_balance(r, dataclasses.replace(b, party=parties.pop()))


def _year_balance(r: DocumentFacts, b: Fact) -> list[dict]:
    """A remainder the text puts at the end of a year before the report's last: the funds of every
    year up to it minus the spending of those years (each stated for its year), never the project's
    cumulative figures."""
    first = min(f.year for f in r.facts if f.year)
    funds, paid, evidence = Decimal(0), Decimal(0), [b.quote("stated")]
    for year in range(first, b.year + 1):
        f_one = one_value(_of_year(r, ("appropriation",), year) or _of_year(r, ("budget",), year))
        p_one = one_value(_of_year(r, ("paid_total",), year))
        if not isinstance(f_one, tuple) or not isinstance(p_one, tuple):
            return [unverifiable(r.doc_id, "funds_minus_paid", "balance_mismatch", f"{b.year}年末结余{fmt(b.wan)}万元",
                                 f"报告未给出{year}年度同一口径的资金和支出，项目累计数不是{b.year}年末的", [b.wan],
                                 evidence)]
        funds, paid = funds + f_one[0], paid + p_one[0]
        evidence += [f_one[1][0].quote("funds"), p_one[1][0].quote("paid")]
    span = f"{first}—{b.year}年" if first < b.year else f"{b.year}年度"
    msg = f"{span}资金{fmt(funds)}万元，支出{fmt(paid)}万元，应结余{fmt(funds - paid)}万元，报告称{fmt(b.wan)}万元"
    return [compare(r.doc_id, "funds_minus_paid", "balance_mismatch", b.wan, funds - paid, msg, evidence,
                    severity="warning")]


def _of_year(r: DocumentFacts, kinds: tuple[str, ...], year: int) -> list[Fact]:
    return [f for f in whole_figures(r, kinds, year=year, stated_year=True) if not _cumulative(r, f)]


def _funds_balance(r: DocumentFacts, b: Fact, sc) -> list[dict]:
    """A remainder of the project's funds: funds made available minus spent, of the same scope."""
    msg = f"结余{fmt(b.wan)}万元"
    if sc.source or sc.item or sc.part:
        why = f"结余属于{scope_words()['source_names'].get(sc.source, sc.source) if sc.source else sc.item or '所列分项之一'}"
        return [unverifiable(r.doc_id, "funds_minus_paid", "balance_mismatch", msg, why + "，报告未给出同一口径的资金和支出",
                             [b.wan], [b.quote("stated")])]
    years = {f.year for f in r.facts if f.year}
    if b.year_source in ("stated", "date") and len(years) > 1 and b.year < max(years):
        return _year_balance(r, b)
    funds = whole_figures(r, ("appropriation",)) or whole_figures(r, ("budget",))
    funds = [f for f in funds if _cumulative(r, f)] or funds
    paid = [f for f in whole_figures(r, ("paid_total",)) if _cumulative(r, f)]
    f_one, p_one = one_value(funds), one_value(paid)
    if not isinstance(f_one, tuple) or not isinstance(p_one, tuple):
        why = f_one if isinstance(f_one, str) else p_one if isinstance(p_one, str) else "报告未给出资金或支出总额"
        return [unverifiable(r.doc_id, "funds_minus_paid", "balance_mismatch", msg, why, [b.wan], [b.quote("stated")])]
    implied = f_one[0] - p_one[0]
    gap = one_source(r, f_one[1], f_one[0], "资金") if implied != b.wan else None
    if gap:                                          # the funds of one source, the spending of all
        return [unverifiable(r.doc_id, "funds_minus_paid", "balance_mismatch", msg, gap, [b.wan], [b.quote("stated")])]
    msg = f"资金{fmt(f_one[0])}万元，累计支出{fmt(p_one[0])}万元，应结余{fmt(implied)}万元，报告称{fmt(b.wan)}万元"
    return [compare(r.doc_id, "funds_minus_paid", "balance_mismatch", b.wan, implied, msg,
                    [b.quote("stated"), f_one[1][0].quote("funds"), p_one[1][0].quote("paid")], severity="warning")]
