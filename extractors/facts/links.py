"""Money facts completed from the words around them, after the roles are read.

- A contract paid off in one go (合同金额48万元，已于2023年11月8日一次性付清) states a payment
  too: the same amount, in full, on the date of that clause (`paid_off`).
- A contract whose signing is told in a sentence of its own (…以238.6万元中标。2023年4月18日，
  我局与该公司签订合同，约定…) takes that date when the sentence is about the same company
  and states no amount (`signing_dates`).
- The one payment to a company that equals its contract is the full payment (`full_payments`).
- Money planned and handed down whole on a day (安排补助资金3000万元，于2024年3月28日全部下达) is
  made available on that day too (`handed_down`), also when a sentence of its own says so right
  after the budget (…预算为150万元…。预算资金于2024年2月1日批复下达。: `handed_down_later`).
"""
from __future__ import annotations

from dataclasses import replace
from functools import cache
from typing import TYPE_CHECKING

import regex

from ..rules import load
from .parties import Parties
from .view import DocView

if TYPE_CHECKING:
    from .money import Candidate, FactGroup


@cache
def _rules() -> dict:
    r = load("roles")["links"]
    return {"paid_off": regex.compile(r["paid_off_pattern"]), "signed": regex.compile(r["signed_pattern"]),
            "reach": r["signing_reach"], "handed_down": regex.compile(r["handed_down_pattern"]),
            "later": regex.compile(r["handed_down_later_pattern"]), "later_reach": r["handed_down_reach"]}


def _point_dates(view: DocView, start: int, end: int) -> list[dict]:
    return [d for d in view.in_span(view.dates, start, end)
            if d["kind"] == "point" and d["precision"] != "year"]


def paid_off(view: DocView, c: "Candidate", sentence_end: int, next_amount: int | None) -> "Candidate | None":
    """The payment a contract amount states when its sentence goes on to say it was paid off
    in one go, with no other amount in between."""
    if c.kind != "contract" or c.restates is not None:
        return None
    end = next_amount if next_amount is not None else sentence_end
    m = _rules()["paid_off"].match(view.text, c.mention["char_end"], end)
    if not m:
        return None
    dates = _point_dates(view, c.mention["char_end"], m.end())
    if not dates and "已" not in m.group():
        return None
    date = dates[-1] if dates else None
    year, source = (date["date_start"].year, "date") if date else (c.year, c.year_source)
    return replace(c, kind="payment", trigger=m.group("word"), installment="full", is_amendment=False,
                   date=date, year=year, year_source=source, date_strong=True)


def handed_down(view: DocView, c: "Candidate", sentence_end: int, next_amount: int | None) -> "Candidate | None":
    """The appropriation a budget amount states when its sentence goes on to say it was handed
    down whole on a day, with no other amount in between."""
    if c.kind != "budget" or c.restates is not None:
        return None
    end = next_amount if next_amount is not None else sentence_end
    m = _rules()["handed_down"].match(view.text, c.mention["char_end"], end)
    dates = _point_dates(view, c.mention["char_end"], m.end()) if m else []
    if len(dates) != 1:
        return None
    return replace(c, kind="appropriation", trigger=m.group(), is_amendment=False, date=dates[0],
                   year=dates[0]["date_start"].year, year_source="date", date_strong=True)


def handed_down_later(view: DocView, facts: list["FactGroup"]) -> list["Candidate"]:
    """The appropriation of the largest budget stated in the few sentences (of one section) before a
    sentence without amounts that says the budget money was handed down on a day."""
    with_amounts = {a["sentence_id"] for a in view.amounts}
    out = []
    for k, s in enumerate(view.sentences):
        if k in with_amounts or not _rules()["later"].match(s.text):
            continue
        dates = _point_dates(view, s.start, s.end)
        near = [f for f in facts if f.first.kind == "budget" and f.first.mention["char_start"] is not None
                and k - _rules()["later_reach"] <= f.first.mention["sentence_id"] < k
                and view.sentences[f.first.mention["sentence_id"]].section == s.section]
        if len(dates) != 1 or not near:
            continue
        c = max(near, key=lambda f: f.first.wan).first
        out.append(replace(c, kind="appropriation", trigger=s.text[:8], is_amendment=False, date=dates[0],
                           year=dates[0]["date_start"].year, year_source="date", date_strong=True))
    return out


def signing_dates(view: DocView, facts: list["FactGroup"], parties: Parties, carried: list[str | None]) -> None:
    """Give an undated contract the date of a sentence near it, in its section, that tells its
    signing with the same company and states no amount. `carried[i]` is the company sentence i
    inherits from the sentences before it."""
    reach = _rules()["reach"]
    with_amounts = {a["sentence_id"] for a in view.amounts}
    for f in facts:
        sid = f.first.mention["sentence_id"]
        if f.first.kind != "contract" or f.date is not None or f.value_of("party") is None \
                or not 0 <= sid < len(view.sentences):
            continue
        for k in _neighbours(view, sid, reach):
            s = view.sentences[k]
            names = parties.names_in(s.start, s.end)
            party = names[0] if len(names) == 1 else None if names else carried[k]
            if party != f.value_of("party") or k in with_amounts or not _rules()["signed"].search(s.text):
                continue
            dates = _point_dates(view, s.start, s.end)
            if len(dates) == 1:
                for m in f.members:
                    m.date, m.date_strong = dates[0], True
                    m.year, m.year_source = dates[0]["date_start"].year, "date"
            break


def _neighbours(view: DocView, sid: int, reach: int) -> list[int]:
    """Sentences within `reach` of sentence `sid` with no heading between, nearest first."""
    out = []
    for step in (1, -1):
        k = sid
        for _ in range(reach):
            k += step
            if not 0 <= k < len(view.sentences) or view.sentences[k].heading_level is not None:
                break
            out.append(k)
    return sorted(out, key=lambda k: (abs(k - sid), k))


def full_payments(facts: list["FactGroup"]) -> None:
    """A company's only payment, equal to its only contract, is paid in full."""
    by_party: dict[str, dict[str, list["FactGroup"]]] = {}
    for f in facts:
        party = f.value_of("party")
        if party and f.first.kind in ("contract", "payment"):
            by_party.setdefault(party, {}).setdefault(f.first.kind, []).append(f)
    for kinds in by_party.values():
        contracts, payments = kinds.get("contract", []), kinds.get("payment", [])
        if len(contracts) == 1 and len(payments) == 1 and payments[0].value_of("installment") is None \
                and payments[0].first.wan == contracts[0].first.wan:
            payments[0].first.installment = "full"
