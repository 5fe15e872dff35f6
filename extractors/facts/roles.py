"""The role of a money amount (budget, contract, payment, ...) from the wording around it.

Chain: `sentence_triggers` (every trigger in a sentence, overlapping) -> `amount_role` (the
trigger nearest before the amount wins; amendments inherit; wording right after the amount
counts too) -> `installment`.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import regex

from ..numerals import parse_chinese
from ..rules import load


@dataclass(frozen=True)
class Trigger:
    start: int          # in the sentence
    end: int
    kind: str           # a fact kind, or "amendment"
    text: str


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
        "after": {k: regex.compile(v) for k, v in r["after"].items()},
        "inst": {k: regex.compile(v) for k, v in r["installments"].items()},
        "delims": r["clauses"]["delimiters"],
        "restatement": regex.compile(r["restatement"]["between"]),
        "conf": r["clauses"]["confidence"],
    }


def sentence_triggers(sentence: str) -> list[Trigger]:
    """Every trigger of every kind, overlaps included (已支付尾款 holds 已支付 and 支付尾款)."""
    found = []
    for kind, pattern in _rules()["kinds"].items():
        for m in pattern.finditer(sentence, overlapped=True):
            found.append(Trigger(m.start(), m.end(), kind, m.group()))
    # nearest end first; at the same end the longest
    return sorted(found, key=lambda t: (-t.end, t.start))


def _clause_start(sentence: str, pos: int) -> int:
    delims = _rules()["delims"]
    i = pos - 1
    while i >= 0 and sentence[i] not in delims:
        i -= 1
    return i + 1


def amount_role(sentence: str, start: int, end: int, triggers: list[Trigger], previous: str | None) -> Role:
    """Role of the amount at sentence[start:end]; `previous` is the kind of the amount before it
    in the same sentence (for amendments such as 调整后资金为…)."""
    rules = _rules()
    after = sentence[end:end + 8]
    for kind, pattern in rules["after"].items():
        if pattern.match(after):
            return Role(kind, pattern.match(after).group(), rules["conf"]["after"])
    before = [t for t in triggers if t.end <= start]
    if not before:
        return Role("other", None, rules["conf"]["none"])
    clause = _clause_start(sentence, start)
    nearest = before[0]
    if nearest.kind == "amendment":
        origin = next((t for t in before[1:] if t.kind != "amendment" and t.start >= clause), None)
        kind = origin.kind if origin else previous
        if not kind or kind == "other":
            return Role("other", nearest.text, rules["conf"]["none"], True)
        return Role(kind, nearest.text, rules["conf"]["clause"], True)
    where = "clause" if nearest.start >= clause else "sentence"
    amended = any(t.kind == "amendment" and t.start >= clause for t in before[1:])
    return Role(nearest.kind, nearest.text, rules["conf"][where], amended)


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
