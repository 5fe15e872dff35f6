"""When are the parts all the parts? A party's payments are complete when they are numbered
1, 2, … without a gap or a repeat and either end with 尾款 (or 全款, one payment), or their number
is the one the report states (分三期支付, 支付工程款三笔, 按40%、30%、30%的比例). A list that is
not known to be complete can still show that a total is too small, never that it is too large.

A party's payments are summed only when they can be tied to one contract: a payment the text puts
under another contract (…支付某公司2022年度运维合同尾款, dated before the only contract with that
party was signed) is set apart, and a party with two contracts (two values, no amendment) has
payments that cannot be told apart."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ..numerals import parse_chinese
from ..rules import load
from .inputs import DocumentFacts, Fact
from .findings import fmt
from .scope import clause_before, list_total, position, scope_of


@cache
def _words() -> dict:
    return load("reconcile")["parts"]


@cache
def _count_re() -> re.Pattern:
    return re.compile(_words()["count_pattern"])


@cache
def _other_contract_re() -> re.Pattern:
    return re.compile(_words()["other_contract_pattern"])


@dataclass
class Payments:
    party: str | None
    payments: list[Fact]
    complete: bool
    why: str                      # why the list is (not) known to be complete

    @property
    def total(self):
        return sum((p.wan for p in self.payments), start=0)


def _number(text: str) -> int | None:
    try:
        return int(text) if text.isdigit() else int(parse_chinese(text))
    except (ValueError, ArithmeticError):
        return None


def stated_count(texts: list[str]) -> int | None:
    """The number of payments the text announces (分三期支付, 共支付七笔, 按30%、40%、30%的比例)."""
    found = set()
    for text in texts:
        for m in _count_re().finditer(text):
            n = _number(m.group("n") or m.group("m"))
            if n:
                found.add(n)
        for m in re.finditer(_words()["shares_pattern"], text):
            shares = re.findall(r"\d+(?:\.\d+)?", m.group(0))
            if len(shares) >= 2 and abs(sum(float(s) for s in shares) - 100) < 0.01:
                found.add(len(shares))
    return found.pop() if len(found) == 1 else None


def _texts_of(r: DocumentFacts, party: str | None, payments: list[Fact]) -> list[str]:
    texts = [e["sentence"] for p in payments for e in p.evidence]
    if party:
        texts += [e["sentence"] for f in r.facts if f.party == party and f.kind in ("contract", "paid_total")
                  for e in f.evidence]
        texts += [s["text"] for s in r.sentences if party in s["text"]]
    return list(dict.fromkeys(texts))


def _signings(r: DocumentFacts, party: str) -> tuple[set, list]:
    """The distinct contract values (not amendments) with a party, and their signing dates (None
    where the contract's sentence does not say it was signed then)."""
    contracts = [c for c in r.of_kind("contract") if c.party == party and not c.is_amendment and scope_of(r, c).clean
                 and list_total(r, c) is None]
    signed = [c.date_start if any(w in e["sentence"] for e in c.evidence for w in _words()["signing_words"]) else None
              for c in contracts]
    return {c.wan for c in contracts}, signed


def other_contract(r: DocumentFacts, p: Fact) -> str | None:
    """Why payment `p` belongs to another contract than the party's one contract, else None."""
    values, signed = _signings(r, p.party) if p.party else (set(), [])
    years = {d.year for d in signed if d}
    for e in p.evidence:
        found = position(r, e["char_start"])
        clause = clause_before(found[0]["text"], found[1]) if found else ""
        m = _other_contract_re().search(clause)
        if m and years and int(m.group("y")) not in years:
            return f"写明是{m.group(0)}的款项"
    if len(values) == 1 and signed and all(signed) and p.date_start and p.date_start < min(signed):
        return f"支付日期{p.date_start.isoformat()}早于合同签订日{min(signed).isoformat()}"
    return None


def _set_apart(r: DocumentFacts, party: str | None, pays: list[Fact]) -> tuple[list[Fact], str | None]:
    """The payments tied to the party's one contract, and why some (or all) are not."""
    if party is None:
        return pays, None
    values, _ = _signings(r, party)
    amended = any(c.is_amendment for c in r.of_kind("contract") if c.party == party)
    if len(values) > 1 and not amended:
        return pays, f"与该单位有{len(values)}份合同，逐笔支付不能对应到同一合同"
    apart = [(p, why) for p in pays if (why := other_contract(r, p))]
    if not apart:
        return pays, None
    kept = [p for p in pays if all(p is not q for q, _ in apart)]
    return kept, "另有" + "、".join(f"{fmt(p.wan)}万元{why}" for p, why in apart)


def payments_of(r: DocumentFacts, party: str | None, before=None) -> Payments:
    """A party's payments (every payment when party is None) tied to its one contract, up to a
    cut-off date."""
    pays = [p for p in r.of_kind("payment") if (party is None or p.party == party) and scope_of(r, p).clean]
    pays, apart = _set_apart(r, party, pays)
    if apart and (not pays or apart.startswith("与该单位")):
        return Payments(party, pays, False, apart)
    found = _judged(r, party, pays, before)
    if apart:
        found.why = f"{found.why}（{apart}，不计入）"
    return found


def _judged(r: DocumentFacts, party: str | None, pays: list[Fact], before) -> Payments:
    undated = False
    if before is not None:
        undated = any(p.date_start is None and p.year == before.year for p in pays)
        pays = [p for p in pays if (p.date_start and p.date_start <= before)
                or (p.date_start is None and p.year is not None and p.year < before.year)]
    numbers = [p.installment for p in pays]
    if not pays:
        return Payments(party, pays, False, "报告未列出逐笔支付")
    if undated:
        return Payments(party, pays, False, "有支付的日期不明，不知是否在截止日前")
    if any(n is None for n in numbers):
        return Payments(party, pays, False, "有支付未标明是第几笔")
    if numbers == ["full"]:
        return Payments(party, pays, True, "一次性全额支付")
    ordinals = sorted(int(n) for n in numbers if n.isdigit())
    if len(ordinals) != len(set(ordinals)):
        dup = next(n for n in ordinals if ordinals.count(n) > 1)
        return Payments(party, pays, False, f"有两笔“第{dup}笔”支付，可能混入了其他单位的款项")
    final = "final" in numbers
    if ordinals != list(range(1, len(ordinals) + 1)):
        return Payments(party, pays, False, f"所列支付为第{'、'.join(map(str, ordinals))}笔，中间有缺")
    early = _out_of_order(pays) if party else None
    if early:
        return Payments(party, pays, False, early)
    count = stated_count(_texts_of(r, party, pays))
    if final and numbers.count("final") == 1:
        return Payments(party, pays, True, "所列支付至尾款止")
    if count is not None and count == len(pays):
        return Payments(party, pays, True, f"报告称共{count}笔，已全部列出")
    if count is not None:
        return Payments(party, pays, False, f"报告称共{count}笔，只列出{len(pays)}笔")
    return Payments(party, pays, False, f"只列出{len(pays)}笔支付，未说明共几笔")


def _out_of_order(pays: list[Fact]) -> str | None:
    """Installments of one contract are paid in their order: a 尾款 (or a 第2笔) dated before an
    earlier installment is the payment of another contract, or the list is not one list."""
    rank = lambda p: float("inf") if p.installment == "final" else int(p.installment)  # noqa: E731
    dated = sorted((p for p in pays if p.date_start and p.installment != "full"), key=rank)
    for a, b in zip(dated, dated[1:]):
        if b.date_end < a.date_start:
            name = "尾款" if b.installment == "final" else f"第{b.installment}笔"
            return f"{name}（{b.date_start.isoformat()}）早于第{a.installment}笔（{a.date_start.isoformat()}），不是同一合同依次支付的款项"
    return None
