"""Whether a figure of funds is ALL the funds: a rule that compares spending with funds must have
every source the report's funding list names (中央 / 省级 / 债券 / 资本金 …), or a stated total.

The funding list is the sources of the report's budget and funds figures (`Fact.source`, else the
words of their clauses). When it names two sources or more, a figure is taken for one of them
(never for all the funds) when the text before it in its sentence names that one source only
(第二批专项债券资金…，两批累计到位2.40亿元), or when it equals the amount listed for one source and
not their total; a year's funds figure also misses the funds of another source put in that year
elsewhere (a bond tranche dated that year) unless those are exactly its parts. A year's first
funds with money carried into the year (上年结转, 结转至本年) are not all of that year's funds."""
from __future__ import annotations

import re

from decimal import Decimal
from functools import cache

from ..rules import load
from .findings import fmt
from .inputs import DocumentFacts, Fact
from .scope import position, scope_of, words as scope_words

FUNDS = ("budget", "appropriation")
ARRIVED = ("appropriation", "other")
NOT_A_SOURCE = (None, "mixed")


@cache
def _carry_in(year: int) -> list[re.Pattern]:
    return [re.compile(p.replace("{year}", str(year))) for p in load("reconcile")["funds"]["carry_in_patterns"]]


def source_of(r: DocumentFacts, f: Fact) -> str | None:
    src = f.source or scope_of(r, f).source
    return None if src in NOT_A_SOURCE else src


def listed(r: DocumentFacts) -> dict[str, set[Decimal]]:
    """The funding list: source -> the amounts of budget or funds the report gives for it."""
    out: dict[str, set[Decimal]] = {}
    for f in r.of_kind(*FUNDS):
        src = source_of(r, f)
        if src:
            out.setdefault(src, set()).add(f.wan)
    return out


def _names(text: str) -> set[str]:
    return {code for code, ws in scope_words()["sources"].items() if any(w in text for w in ws)}


def _name(source: str) -> str:
    return scope_words()["source_names"].get(source, source)


def _before(r: DocumentFacts, f: Fact) -> list[str]:
    """The text of the figure's sentences before it."""
    out = []
    for e in f.evidence:
        found = position(r, e["char_start"])
        if found:
            out.append(found[0]["text"][:found[1]])
    return out


def _covered(r: DocumentFacts, figures: list[Fact]) -> set[str]:
    """The sources the figures' own sentences name, in words or in the facts stated with them."""
    out: set[str] = set()
    for f in figures:
        for e in f.evidence:
            found = position(r, e["char_start"])
            if not found:
                continue
            out |= _names(found[0]["text"])
            out |= {s for g, _ in r.by_sentence.get(found[0]["sentence_id"], []) if (s := source_of(r, g))}
    return out


def one_source(r: DocumentFacts, figures: list[Fact], value: Decimal, what: str = "") -> str | None:
    """Why `value` (the figures' funds) is one source's money, not all of it; None when it may be all."""
    sources = listed(r)
    if len(sources) < 2:
        return None
    others = lambda s: "、".join(_name(o) for o in sorted(sources) if o != s)  # noqa: E731
    for f in figures:
        named = set().union(*(_names(t) for t in _before(r, f))) if f.evidence else set()
        named.discard("carryover")                      # money brought in beside the year's: not the subject
        if len(named) == 1 and (s := named.pop()) in sources:
            return f"{what}{fmt(value)}万元只是{_name(s)}，报告的资金来源还有{others(s)}"
    singles = [next(iter(v)) for v in sources.values() if len(v) == 1]
    whole = sum(singles, Decimal(0)) if len(singles) == len(sources) else None
    hits = [s for s, amounts in sources.items() if value in amounts]
    if len(hits) == 1 and value != whole:
        return f"{what}{fmt(value)}万元等于{_name(hits[0])}的金额，报告的资金来源还有{others(hits[0])}"
    return None


def missing_in_year(r: DocumentFacts, figures: list[Fact], value: Decimal, year: int) -> str | None:
    """Why the year's funds `value` leave out money of that year stated elsewhere; None when not."""
    covered = _covered(r, figures)
    ids = {f.fact_id for f in figures}
    apart = [f for f in r.of_kind(*ARRIVED) if f.year == year and f.fact_id not in ids and not f.party
             and (s := source_of(r, f)) and s not in covered]
    if apart and sum((f.wan for f in apart), Decimal(0)) != value:
        f = apart[0]
        return f"{year}年另有{_name(source_of(r, f))}{fmt(f.wan)}万元，未计入当年资金{fmt(value)}万元"
    return None


def carried_in(r: DocumentFacts, year: int) -> str | None:
    """Money carried into `year` (上年结转…) that the year's funds may not include."""
    patterns = _carry_in(year)
    for s in r.sentences:
        m = next((m for p in patterns if (m := p.search(s["text"]))), None)
        if m:
            return f"报告有{m.group()}资金，当年资金未必包括"
    return None


def carried_amount(r: DocumentFacts, year: int) -> Fact | None:
    """The one remainder the text says an earlier year carried into `year`, with its amount."""
    patterns = _carry_in(year)
    found = [f for f in r.of_kind("balance") if f.year in (None, year - 1) and not f.party
             and any(p.search(f.sentence) for p in patterns)]
    return found[0] if len({f.wan for f in found}) == 1 else None
