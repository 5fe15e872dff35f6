"""Conflicts: one thing stated two ways — a payment with two dates, a contract with two values (an
amendment is history, not a conflict), a figure in capital numerals that disagrees with its
digits (2.00亿元（大写：贰亿伍仟万元整）), a contract signed on two different days. All are stated
in the text, so each is an `error`. Two values of one party's contract are a conflict only where the
text ties both to one contract (see `_not_one_contract`); else the check is `unverifiable`."""
from __future__ import annotations

import re
from decimal import Decimal
from functools import cache

from ..numerals import parse_chinese
from ..rules import load
from .findings import fmt, make
from .inputs import DocumentFacts
from .money_rules import KIND_WORDS
from .scope import in_list, list_total, position, scope_of

TO_YUAN = {"元": Decimal(1), "万元": Decimal(10000), "亿元": Decimal(100000000)}


@cache
def _spec() -> dict:
    return load("reconcile")["conflicts"]


@cache
def _patterns() -> tuple[re.Pattern, re.Pattern, re.Pattern]:
    """The patterns of a figure in digits beside the same in capitals, and their gate (a text it
    misses matches neither)."""
    s = _spec()
    return re.compile(s["digits_then_capitals"]), re.compile(s["capitals_then_digits"]), re.compile(s["capitals_gate"])


def conflicts(r: DocumentFacts) -> list[dict]:
    return _marked(r) + _capitals(r) + _signing_dates(r) + _source_twice(r)


def _source_twice(r: DocumentFacts) -> list[dict]:
    """One source's budget (or funds made available) stated twice in the same words with two values
    (中央补助资金500万元 … 中央补助资金550万元); not a batch, an amendment, a table row or another year.
    The two must have one scope: the same kind of figure, party and item, and, for listed parts, the
    same total (a part of the department's budget is not a part of one project's); else the check
    is unverifiable."""
    groups: dict[tuple, list] = {}
    for f in r.of_kind("budget", "appropriation", "other"):
        sc = scope_of(r, f)
        if f.is_amendment or not sc.clean or sc.bound or sc.source in (None, "mixed", "carryover") \
                or any(w in sc.label for w in _spec()["not_restatement"]) or _table_line(f.sentence):
            continue
        label = re.sub(r"[\d年度\s，,。；：:（）()“”]", "", sc.label)
        year = f.year if f.year_source == "stated" else None
        groups.setdefault((sc.source, year, label), []).append(f)
    out = []
    for (source, year, label), facts in groups.items():
        values = sorted({f.wan for f in facts})
        if len(values) != 2 or not label:
            continue
        why = _apart(r, [f for f in facts if f.wan == values[0]], [f for f in facts if f.wan == values[1]])
        out.append(make(r.doc_id, "same_source_two_values", "conflict",
                        f"{label}在报告中有两个金额：{'、'.join(fmt(v) for v in values)}万元", values,
                        severity="warning", evidence_rows=[f.quote(fmt(f.wan)) for f in facts], unverifiable=why))
    return out


def _apart(r: DocumentFacts, one: list, other: list) -> str | None:
    """Why two statements are not of one scope (None: one scope): another kind of figure (a budget
    is not the final accounts; `other`, a figure of no known role, goes with any), party or item,
    or parts of different totals, or two events on different dates (two batches)."""
    for a in one:
        for b in other:
            if "other" not in (a.kind, b.kind) and a.kind != b.kind:
                return f"两个金额是不同的数（{KIND_WORDS.get(a.kind, a.kind)}、{KIND_WORDS.get(b.kind, b.kind)}）"
            ta, tb = list_total(r, a), list_total(r, b)
            if ta != tb:
                return (f"两个金额分属不同的总额（{_of_total(ta)}、{_of_total(tb)}），口径不同")
            if (a.party, a.item) != (b.party, b.item):
                return "两个金额属于不同的单位或分项"
            if a.date_start and b.date_start and a.date_start != b.date_start:
                return f"两个金额各有日期（{a.date_start.isoformat()}、{b.date_start.isoformat()}），是两次拨付或下达"
    return None


def _of_total(t) -> str:
    return f"{fmt(t)}万元之中" if t is not None else "单独列出"


def _table_line(sentence: str) -> bool:
    """A table row read as a sentence: three or more numbers separated by spaces."""
    return len(re.findall(r"(?:^|\s)[\d,]+(?:\.\d+)?%?(?=\s|$)", sentence)) >= 3


def _marked(r: DocumentFacts) -> list[dict]:
    """Facts that the report states in two ways (marked by the fact extractor)."""
    out, seen = [], set()
    for f in r.facts:
        if not f.conflict:
            continue
        if f.kind == "payment" and f.conflict.startswith("stated with different dates"):
            dates = sorted({e["date_iso"] for e in f.evidence if e["date_iso"]})
            payees = _payees(f)
            out.append(make(r.doc_id, "same_payment_two_dates", "conflict",
                            f"同一笔支付{fmt(f.wan)}万元在报告中的日期不一致：{'、'.join(dates)}", [f.wan], dates=dates,
                            evidence_rows=[{"page": e["page"], "quote": e["sentence"], "side": e["date_iso"] or ""}
                                           for e in f.evidence],
                            unverifiable=f"两处写的收款单位不同（{'、'.join(payees)}），是两笔支付" if len(payees) > 1 else None))
            continue
        group = [g for g in r.facts if g.conflict == f.conflict]
        key = tuple(sorted(str(g.wan) for g in group))
        if key in seen:
            continue
        seen.add(key)
        values = sorted({g.wan for g in group}, reverse=True)
        if len(values) < 2:
            continue                    # restated with the same value (2.00亿元（大写：贰亿元整）): no conflict
        message = f"同一{KIND_WORDS.get(f.kind, '')}金额在报告中不一致：{'、'.join(fmt(v) for v in values)}万元"
        evidence = [g.quote(fmt(g.wan)) for g in group]
        if len({list_total(r, g) for g in group}) > 1:
            out.append(make(r.doc_id, "same_fact_two_values", "conflict", message, values, evidence_rows=evidence,
                            unverifiable="其中一个金额是另一金额“其中”所列的分项，不是同一金额"))
            continue
        untied = _not_one_contract(r, group) if f.kind == "contract" else None
        if untied:
            out.append(make(r.doc_id, "same_fact_two_values", "conflict", message, values, evidence_rows=evidence,
                            unverifiable=untied))
            continue
        if not all(scope_of(r, g).clean for g in group):
            out.append(make(r.doc_id, "same_fact_two_values", "conflict", message, values, evidence_rows=evidence,
                            unverifiable="有金额未能完整读出"))
            continue
        out.append(make(r.doc_id, "same_fact_two_values", "conflict", message, values, evidence_rows=evidence))
    return out


def _not_one_contract(r: DocumentFacts, group: list) -> str | None:
    """Why two values of one party's contract are not tied to one contract by the text, None when they
    are: every value stated in a sentence that names the party or a contract (合同, 中标 …), none only
    a part of it (其中…), the same kind of contract where both name theirs (采购合同, 监理合同), and no
    amendment (补充协议) stated between the two."""
    spec = _spec()
    by_value: dict[Decimal, list[tuple[int, str, int]]] = {}
    for g in group:
        for e in g.evidence:
            found = position(r, e["char_start"])
            if found:
                by_value.setdefault(g.wan, []).append((e["char_start"], found[0]["text"], found[1]))
    for value, stated in by_value.items():
        if all(in_list(text, pos) for _, text, pos in stated):
            return f"{fmt(value)}万元是“其中”所列的一部分，不是合同的全额"
        if not any((g.party or "\0") in text or any(w in text for w in spec["contract_ties"])
                   for _, text, _ in stated for g in group):
            return f"{fmt(value)}万元所在的句子未提及该单位或合同，不能确定是同一合同的金额"
    nouns = [{m.group("noun").lstrip("的了") for _, text, _ in stated for m in re.finditer(spec["signing_pattern"], text)}
             for stated in by_value.values()]
    if len(nouns) == 2 and all(nouns) and not any(a.endswith(b) or b.endswith(a) for a in nouns[0] for b in nouns[1]):
        return f"两个金额属于不同的合同（{'、'.join(sorted(nouns[0] | nouns[1]))}）"
    if len(by_value) == 2:
        one, other = by_value.values()
        if all(_amended_between(r, a[0], b[0]) for a in one for b in other):
            return "两处之间报告写有补充协议或合同变更，后一个金额可能是变更后的金额"
    return None


def _amended_between(r: DocumentFacts, a: int, b: int) -> bool:
    lo, hi = min(a, b), max(a, b)
    between = "".join(s["text"] for s in r.sentences if s["char_end"] > lo and s["char_start"] < hi)
    return any(w in between for w in _spec()["amended_between"])


def _payees(f) -> list[str]:
    """The payees the statements of one payment name (向X支付), when they name different ones."""
    found = []
    for e in f.evidence:
        m = re.search(_spec()["payee_pattern"], e["sentence"])
        if m and not any(m.group("p") in p or p in m.group("p") for p in found):
            found.append(m.group("p"))
    return found


def _yuan_of_capitals(text: str) -> Decimal | None:
    t = text.rstrip("整正")
    t = re.sub(r"[角分].*$", "", t).rstrip("元")
    try:
        return parse_chinese(t)
    except ValueError:
        return None


def _capitals(r: DocumentFacts) -> list[dict]:
    """An amount in digits and the same amount in capital numerals beside it."""
    out = []
    digits_first, capitals_first, gate = _patterns()
    for s in r.sentences:
        if not gate.search(s["text"]):
            continue                            # most sentences: no 大写, no capital numeral
        for pattern in (digits_first, capitals_first):
            for m in pattern.finditer(s["text"]):
                digits = Decimal(m.group("a").replace(",", "")) * TO_YUAN[m.group("u") or "元"]
                capitals = _yuan_of_capitals(m.group("c"))
                if capitals is None:
                    continue
                d_wan, c_wan = digits / 10000, capitals / 10000
                holds = d_wan == c_wan
                message = (f"同一金额小写为{fmt(d_wan)}万元，大写“{m.group('c')}”为{fmt(c_wan)}万元"
                           + ("" if holds else "，大小写不一致"))
                out.append(make(r.doc_id, "digits_vs_capitals", "conflict", message, [d_wan, c_wan], holds=holds,
                                evidence_rows=[{"page": s["page"], "quote": s["text"], "side": "小写"},
                                               {"page": s["page"], "quote": s["text"], "side": "大写"}]))
    return out


def _signing_dates(r: DocumentFacts) -> list[dict]:
    """签订…合同 with one party and one kind of contract on two different days."""
    spec = _spec()
    parties = sorted({f.party for f in r.facts if f.party}, key=lambda p: (-len(p), p))     # ties: not the hash order
    seen: dict[tuple[str, str], dict[str, dict]] = {}
    for s in r.sentences:
        text = s["text"]
        m = re.search(spec["signing_pattern"], text)
        if not m or any(w in text for w in spec["not_signing"]):
            continue
        party = next((p for p in parties if p in text), None)
        dates = [d for d in r.dates if d["sentence_id"] == s["sentence_id"] and d["precision"] == "day"
                 and d["char_start"] - s["char_start"] < m.start()]
        if party is None or not dates:
            continue
        day = max(dates, key=lambda d: d["char_start"])
        seen.setdefault((party, m.group("noun")), {}).setdefault(day["date_start"].isoformat(), s)
    out = []
    for (party, noun), days in seen.items():
        if len(days) < 2:
            continue
        ordered = sorted(days)
        span = (_date(ordered[-1]) - _date(ordered[0])).days
        if span > spec["max_days_apart"]:
            continue
        values = sorted({c.wan for c in r.of_kind("contract") if c.party == party and not c.is_amendment})
        out.append(make(r.doc_id, "contract_signed_twice", "conflict",
                        f"与{party}签订{noun}的日期在报告中不一致：{'、'.join(ordered)}", values[:1] if len(values) == 1 else [],
                        dates=ordered, evidence_rows=[{"page": days[d]["page"], "quote": days[d]["text"], "side": d}
                                                      for d in ordered]))
    return out


def _date(iso: str):
    import datetime as dt
    return dt.date.fromisoformat(iso)
