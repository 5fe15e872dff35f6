"""Figures of one year: what the text puts in a year (2022年度当年实际支付726.50万元) and what a
table with a row per year states (年度 | 预算 | 实际支付). A year with two different figures of one
role is left out (which one is meant is not known)."""
from __future__ import annotations

import re
from decimal import Decimal
from functools import cache

from ..rules import load
from .inputs import DocumentFacts, Fact
from .scope import scope_of, source_in
from .tables import Row, Section

YEAR_ROW = re.compile(r"^((?:19|20)\d{2})年?度?$")
KINDS = {"paid": ("paid_total",), "budget": ("budget",), "funds": ("appropriation",)}


@cache
def _columns() -> dict:
    return load("reconcile")["years"]


def year_rows(r: DocumentFacts) -> list[tuple[int, Section, Row]]:
    out = []
    for t in r.tables:
        for s in t.sections:
            for row in s.rows:
                m = YEAR_ROW.match(row.name.replace(" ", ""))
                if m:
                    out.append((int(m.group(1)), s, row))
    return out


def _column(s: Section, role: str) -> int | None:
    spec = _columns()[role]
    for word in spec["words"]:
        col = s.column(word, avoid=tuple(spec["avoid"]))
        if col is not None:
            return col
    return None


def _from_tables(r: DocumentFacts, role: str) -> dict[int, list[tuple[Decimal, dict]]]:
    out: dict[int, list[tuple[Decimal, dict]]] = {}
    for year, s, row in year_rows(r):
        if source_in(s.header_text + " ".join(s.columns)):
            continue                           # a table of one source's money is not the whole
        col = _column(s, role)
        if col is None or col >= len(row.cells) or row.cells[col].number is None or not s.column_unit(col):
            continue
        value = s.to_wan(row.cells[col].number, col)
        out.setdefault(year, []).append((value, {"page": row.page, "quote": row.text, "side": f"{year}年"}))
    return out


def year_facts(r: DocumentFacts, role: str, year: int | None = None) -> list[Fact]:
    """The facts the text puts in one year (`year`, or any) as that year's figure of `role`."""
    out = []
    for f in r.of_kind(*KINDS[role]):
        if f.year_source != "stated" or f.year is None or f.party or (year is not None and f.year != year):
            continue
        sc = scope_of(r, f)
        if sc.whole and not any(w in sc.label for w in _columns()["cumulative_words"]):
            out.append(f)
    return out


def yearly(r: DocumentFacts, role: str) -> dict[int, tuple[Decimal, dict]]:
    """year -> (the one figure of `role` the report gives for that year, its evidence)."""
    found = _from_tables(r, role)
    for f in year_facts(r, role):
        found.setdefault(f.year, []).append((f.wan, f.quote(f"{f.year}年")))
    out = {}
    for year, items in found.items():
        values = {v for v, _ in items}
        if len(values) == 1:
            out[year] = items[0]
    return out


def yearly_paid(r: DocumentFacts) -> dict[int, tuple[Decimal, dict]]:
    return yearly(r, "paid")
