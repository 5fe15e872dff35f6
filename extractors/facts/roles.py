"""The role of a money amount (budget, contract, payment, ...) from the wording around it.

Chain: `sentence_triggers` (every trigger in a sentence, overlapping) -> `amount_role` (the
trigger nearest before the amount wins; amendments inherit; wording right after the amount
counts too) -> `installment`.

A trigger inside a source or category label (当年财政拨款, 上年结转资金, 基本支出) is weak: it
counts only in its own clause, and a part listed after 其中 with no other role word takes the
kind of the total before 其中. A trigger followed by a share (合同金额的30%) is no trigger.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Iterator

import regex

from ..numerals import parse_chinese
from ..rules import load


@dataclass(frozen=True)
class Trigger:
    start: int          # in the sentence
    end: int
    kind: str           # a fact kind, or "amendment"
    text: str
    weak: bool = False  # inside a source or category label (财政拨款, 基本支出)


@dataclass(frozen=True)
class Role:
    kind: str
    trigger: str | None
    confidence: float
    is_amendment: bool = False


@cache
def _rules() -> dict:
    r = load("roles")
    kinds = {k: regex.compile("|".join(sorted(v, key=len, reverse=True))) for k, v in r["kinds"].items()}
    return {
        "kinds": kinds,
        "after": {k: regex.compile(v) for k, v in r["after"].items() if k not in ("window", "yields")},
        "after_yields": r["after"]["yields"],
        "after_window": r["after"]["window"],
        "inst": {k: regex.compile(v) for k, v in r["installments"].items()},
        "delims": r["clauses"]["delimiters"],
        "restatement": regex.compile(r["restatement"]["between"]),
        "conf": r["clauses"]["confidence"],
        "ends": r["clauses"]["sentence_ends"],
        "labels": regex.compile("|".join(r["context"]["labels"])),
        "not_triggers": regex.compile("|".join(r["context"]["not_triggers"])),
        "share": regex.compile(r["context"]["share_after"]),
        "payment_total": regex.compile(r["context"]["payment_total"]),
        "lumped": regex.compile(r["context"]["payment_lumped"]),
        "batch": regex.compile(r["context"]["batch"]),
        "breakdown": regex.compile(r["context"]["breakdown"]),
        "breakdown_colon": regex.compile(r"[，,]\s*(?:" + r["context"]["breakdown"] + r")\s*[：:]?\s*[^，,。；;：:]*?[\d]"),
        "spent": regex.compile(r["context"]["spending_heading"]),
        "per_unit": regex.compile(r["context"]["per_unit_before"]),
        "not_amount": regex.compile(r["not_amount"]["after"]),
        "irregular": regex.compile(r["context"]["irregular_after"]),
        "negated": regex.compile(r["context"]["irregular_negated"]),
        "settled": regex.compile(r["context"]["settled"]),
        "topup": regex.compile(r["context"]["topup_words"]),
        "paid_out": regex.compile(r["context"]["paid_out_words"]),
        "topup_budget": regex.compile(r["context"]["topup_budget_after"]),
    }


def sentence_triggers(sentence: str) -> list[Trigger]:
    """Every trigger of every kind, overlaps included (已支付尾款 holds 已支付 and 支付尾款)."""
    rules = _rules()
    firsts = [(kind, pattern, first) for kind, pattern in rules["kinds"].items()
              if (first := pattern.search(sentence)) is not None]
    if not firsts:
        return []
    labels = [m.span() for m in rules["labels"].finditer(sentence)]
    names = [m.span() for m in rules["not_triggers"].finditer(sentence)]
    found = []
    for kind, pattern, first in firsts:
        for m in overlapped(pattern, sentence, first):
            if rules["share"].match(sentence, m.end()) or any(a <= m.start() and m.end() <= b for a, b in names):
                continue                          # 合同金额的30%: a share of that figure; 预算评审费: a fee
            weak = any(a <= m.start() and m.end() <= b for a, b in labels)
            found.append(Trigger(m.start(), m.end(), kind, m.group(), weak))
    # nearest end first; at the same end the longest
    return sorted(found, key=lambda t: (-t.end, t.start))


def overlapped(pattern: regex.Pattern, text: str, first: regex.Match | None = None) -> Iterator[regex.Match]:
    """The matches of `pattern` in `text` starting at each position, as
    pattern.finditer(text, overlapped=True) gives them: from `first` (pattern.search(text)), a plain
    search from each match's start plus one. A plain search skips ahead where the overlapped
    scan tries every position, at twice its cost over a sentence with no match."""
    m = pattern.search(text) if first is None else first
    while m is not None:
        yield m
        m = pattern.search(text, m.start() + 1)


def _clause_start(sentence: str, pos: int) -> int:
    """Start of the clause that ends at `pos`; a comma inside brackets closed before `pos`
    does not end it (支付第一笔款项（预付款，为合同金额的30%）224.51万元)."""
    delims = _rules()["delims"]
    depth = 0
    i = pos - 1
    while i >= 0 and (depth or sentence[i] not in delims):
        depth += {"）": 1, ")": 1, "（": -1, "(": -1}.get(sentence[i], 0)
        depth = max(depth, 0)
        i -= 1
    return i + 1


def amount_role(sentence: str, start: int, end: int, triggers: list[Trigger], previous: str | None,
                kinds_before: list[tuple[int, str]] = ()) -> Role:
    """Role of the amount at sentence[start:end]; `previous` is the kind of the amount before it
    in the same sentence (for amendments such as 调整后资金为…), `kinds_before` the (end, kind)
    of every amount before it in the sentence (for the parts listed after 其中)."""
    rules = _rules()
    after = sentence[end:end + rules["after_window"]]
    clause = _clause_start(sentence, start)
    before = [t for t in triggers if t.end <= start and (not t.weak or t.start >= clause)]
    for kind, pattern in rules["after"].items():
        yields = rules["after_yields"].get(kind, ())
        if pattern.match(after) and not any(t.kind in yields and t.start >= clause for t in before):
            return Role(kind, pattern.match(after).group(), rules["conf"]["after"])
    per_unit = rules["per_unit"].search(sentence, 0, start)
    if per_unit:
        return Role("other", per_unit.group(), rules["conf"]["after"])
    part = _part_of_total(sentence, start, clause, before, kinds_before)
    if part:
        return part
    if not any(t.start >= clause for t in before) and kinds_before and kinds_before[-1][1] == "payment" \
            and rules["payment_total"].search(sentence, clause, start):
        return Role("paid_total", rules["payment_total"].search(sentence, clause, start).group(),
                    rules["conf"]["clause"])          # …第二期进度款86万元于9月2日拨付，两期合计206万元
    irregular = _irregular_after(sentence, end)
    if irregular and (not before or before[0].start < clause):
        return Role("other", irregular, rules["conf"]["none"])
    if not before:
        return Role("other", None, rules["conf"]["none"])
    nearest = before[0]
    if nearest.kind == "amendment":
        return _amended(before, clause, previous)
    where = "clause" if nearest.start >= clause else "sentence"
    amended = any(t.kind == "amendment" and t.start >= clause for t in before[1:])
    kind = nearest.kind
    if kind == "payment" and (rules["payment_total"].search(sentence, nearest.end, start)
                              or rules["lumped"].search(sentence, clause, nearest.start)):
        kind = "paid_total"                       # 支付工程款三笔，合计673.5万元 / 等费用支付
    elif kind == "appropriation" and rules["paid_out"].search(nearest.text) \
            and any(t.kind == "payment" and t.start >= clause for t in before[1:]):
        kind = "payment"                          # 第一期于5月6日拨付220万元: an installment paid out
    elif kind == "appropriation" and rules["topup"].search(nearest.text) and rules["topup_budget"].match(sentence[end:]):
        kind = "budget"                           # 追加预算X，调整后全年预算为Y: the budget's top-up
    elif kind == "paid_total" and rules["batch"].search(sentence, nearest.end, start) \
            and not rules["payment_total"].search(sentence, nearest.start, start) and "累计" not in nearest.text:
        kind = "payment"                          # 发放第二批补贴35万元: one batch
    return Role(kind, nearest.text, rules["conf"][where], amended)


def _irregular_after(sentence: str, end: int) -> str | None:
    """The word by which the sentence, after the amount, calls it an irregularity (…，属于超范围支出),
    not negated (未发现挪用)."""
    rules = _rules()
    return next((m.group() for m in rules["irregular"].finditer(sentence, end)
                 if not rules["negated"].search(sentence, end, m.start())), None)


def _amended(before: list[Trigger], clause: int, previous: str | None) -> Role:
    """An amount after 调整为: the kind of the other trigger in its clause, else of the amount
    before it, else of the nearest trigger earlier in the sentence (预算调整…，拨款调整为…)."""
    rules = _rules()
    nearest = before[0]
    plain = [t for t in before[1:] if t.kind != "amendment" and not t.weak]
    origin = next((t for t in plain if t.start >= clause), None)
    kind = origin.kind if origin else previous
    if not kind or kind == "other":
        kind = plain[0].kind if plain else None
    if not kind or kind == "other":
        return Role("other", nearest.text, rules["conf"]["none"], True)
    return Role(kind, nearest.text, rules["conf"]["clause"], True)


def _part_of_total(sentence: str, start: int, clause: int, before: list[Trigger],
                   kinds_before: list[tuple[int, str]]) -> Role | None:
    """A part listed after 其中 with no role word of its own (only a label, or nothing) takes the
    kind of the total stated before 其中."""
    opener = None
    for opener in _rules()["breakdown"].finditer(sentence, 0, start):
        pass
    if opener is None:
        return None
    k = opener.start()
    heads = [kind for end, kind in kinds_before if end <= k and kind != "other"]   # not a 比上年减少 beside it
    if not heads:
        return None
    if any(not t.weak and t.start >= max(clause, k) for t in before):
        return None                               # 其中当年财政拨款执行360万元: its own role word
    return Role(heads[-1], opener.group(), _rules()["conf"]["clause"])


def settled(role: Role) -> Role | None:
    """A contract total fixed by a settlement audit (审定金额), as an amendment of the contract."""
    if role.kind != "contract" or not role.trigger or not _rules()["settled"].match(role.trigger):
        return None
    return Role(role.kind, role.trigger, role.confidence, True)


def installment(text: str) -> str | None:
    """1, 2, ... / 'final' / 'full' from the words before a payment (第二笔, 首笔, 尾款, 全款)."""
    inst = _rules()["inst"]
    found = []
    m = None
    for m in inst["ordinal"].finditer(text):
        pass
    if m:
        n = m.group(1)
        try:
            found.append((m.end(), str(int(n)) if n.isdigit() else str(parse_chinese(n))))
        except ValueError:
            pass                            # 第十0笔: digits and numerals mixed, no number
    for key, label in (("first", "1"), ("final", "final"), ("full", "full")):
        hits = list(inst[key].finditer(text))
        if hits:
            found.append((hits[-1].end(), label))
    return max(found)[1] if found else None


def is_restatement(between: str) -> bool:
    """The text between two amounts says the second restates the first: （约…） / （大写：…）."""
    return _rules()["restatement"].match(between) is not None


def same_clause(between: str) -> bool:
    """No clause ends in `between` (the text between a date and an amount)."""
    delims = _rules()["delims"] + "；;。"
    return not any(ch in delims for ch in between)


def ends_item(sentence: str) -> bool:
    """The sentence ends with ；: the next one lists another item."""
    return sentence.rstrip()[-1:] in "；;"


def list_head(sentence: str, text: str, first_amount: int, kind: str, last_kind: str | None = None) -> str | None:
    """The kind of the items of a list that this sentence opens (支出构成：A费12万元；B费3万元；…):
    a heading with a colon before its first amount, whose role word stands before that colon, and
    an item ending with ；. Items after it with no role word of their own are of that kind. A total
    broken down after it (预算150万元，其中：A费120万元；B费…) opens a list of parts of its last
    amount's kind."""
    colon = max(text.rfind("：", 0, first_amount), text.rfind(":", 0, first_amount))
    if colon < 0 and last_kind not in (None, "other") and ends_item(sentence):
        opener = None
        for opener in _rules()["breakdown"].finditer(text):
            pass
        if opener and (opener.group()[-1:] in "：:" or text[opener.end():opener.end() + 1] in ("：", ":")):
            return last_kind
    if kind == "other" or not ends_item(sentence):
        return None
    if colon < 0:                                 # 安排支出X万元，具体为：A费Y万元；B费Z万元: the total opens it
        return kind if _rules()["breakdown_colon"].search(text, first_amount) else None
    triggers = [t for t in sentence_triggers(text[:colon]) if t.kind == kind]
    return kind if triggers or opens_breakdown(text[:colon]) else None


def opens_breakdown(text: str) -> bool:
    """The text opens with a word that breaks down the total before it (其中 / 分项看)."""
    return _rules()["breakdown"].match(text.lstrip()) is not None


def spent_under(section: str) -> str | None:
    """The heading of the section path that names money spent (4.资金支出), if any."""
    return next((h.strip() for h in section.split(" > ") if _rules()["spent"].match(h.strip())), None)


def ends_sentence(text: str) -> bool:
    """The sentence (or line) ends here: it does not go on in the next one."""
    text = text.rstrip()
    return not text or text[-1] in _rules()["ends"]


def not_an_amount(raw: str, after: str) -> bool:
    """A bare number read under a unit label that is followed by 年 is a year (2021年)."""
    return raw[-1:].isdigit() and _rules()["not_amount"].match(after) is not None


def approximates(qualifier: str | None, rough: Decimal, exact: Decimal | None) -> bool:
    """`rough`, stated with `qualifier` (余, 约, 近…), is a rounding of `exact`; with `exact`
    None, whether the qualifier makes a figure rough at all."""
    r = load("roles")["approximate"]
    for key, sign in (("more", 1), ("about", 0), ("less", -1)):
        if qualifier in r[key]:
            if exact is None:
                return True
            share = (exact - rough) / rough if rough else Decimal(1)
            tolerance = Decimal(str(r["tolerance"]))
            return 0 <= share * sign < tolerance if sign else abs(share) <= tolerance / 2
    return False
