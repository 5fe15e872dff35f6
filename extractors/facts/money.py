"""Amount mentions -> money facts: one row per real figure, with its role, party, date, year and
installment, every statement of it as evidence, and conflicts marked.

Chain: `amount_candidates` (one per mention: role, party, date) -> `merge_candidates` (one fact
per figure) -> `mark_conflicts` -> rows.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import regex

from .links import full_payments, handed_down, handed_down_later, paid_off, signing_dates
from .money_context import MERGE_DATE_PRECISIONS, bracket_part, opens_list, paid_at, paid_off_after
from .money_tables import TableFigure, printed_in_table, read_tables, rounds_to
from .parties import Parties, carried_parties, party_for, text_to_parties
from .payment_names import mark_restated_payments
from .roles import (Role, amount_role, approximates, ends_item, ends_sentence, installment, is_restatement, list_head,
                    not_an_amount, opens_breakdown, same_clause, sentence_triggers, settled, spent_under)
from .sources import clause_source, complete_sources, outside_part_labels, source_after
from .view import DocView
from .when import amount_date, handed_out_on, prior_year

_WORD_PART = regex.compile(r"[\p{Han}（）()]*")     # the rest of a word a line break cut (预付 / 款）)
YEAR_SOURCES = ("stated", "date", "report")     # which statement's year a fact takes, best first
# Kinds whose date may be told in the clause after the amount, and how (when.py, roles.toml [date_after]):
# a payment …，于D支付; an appropriation …，但迟至D才拨入.
NEXT_CLAUSE_DATES = {"payment": "next_clause", "appropriation": "late_clause"}


@dataclass
class Candidate:
    mention: dict
    kind: str
    trigger: str | None
    confidence: float
    is_amendment: bool
    party: str | None
    installment: str | None
    date: dict | None            # a date mention (point, finer than a year)
    year: int | None
    year_source: str | None
    restates: "Candidate | None" = None   # the figure this one repeats in other words
    date_strong: bool = True              # no other amount stands between the date and this one
    source: str | None = None             # the funding source (central, provincial, ... self, bond, other)
    item: str | None = None               # the sub-project or category a table row names
    is_total: bool = False                # a table's 合计 / 小计 row or column
    parts_wan: Decimal | None = None      # for a total: the sum of what it totals, as its table prints it
    bracketed: bool = False               # a part listed in brackets after a total, its kind the total's

    @property
    def own_date(self) -> dict | None:
        """The date this statement gives itself (not one it inherits past another figure)."""
        return self.date if self.date_strong else None

    @property
    def wan(self) -> Decimal:
        return self.mention["value_wan"].normalize()


@dataclass
class FactGroup:
    """The statements (candidates) of one real figure, before it becomes a `facts` row."""
    members: list[Candidate] = field(default_factory=list)
    conflict: str | None = None

    @property
    def first(self) -> Candidate:
        return self.members[0]

    def value_of(self, attr: str):
        return next((getattr(c, attr) for c in self.members if getattr(c, attr) is not None), None)

    @property
    def date(self) -> dict | None:
        """The finest date the statements give themselves (2021-03-18 over 2021-03), the first
        among equals; else one inherited from an earlier clause."""
        dates = [m.own_date for m in self.members if m.own_date] or [m.date for m in self.members if m.date]
        return max(dates, key=lambda d: len(d["iso"])) if dates else None

    def fits(self, c: Candidate, attrs: tuple[str, ...] = ()) -> bool:
        """No attribute (and no scope: source, item) that both state differs."""
        for attr in attrs + ("source", "item"):
            mine = self.value_of(attr)
            if mine is not None and getattr(c, attr) is not None and mine != getattr(c, attr):
                return False
        return True

    def accepts(self, c: Candidate) -> bool:
        head = self.first
        if c.kind != head.kind or not _same_value(c, head):
            return False
        for m in self.members:
            if m.mention["sentence_id"] == c.mention["sentence_id"] and (
                    m.trigger == c.trigger or (m.date and c.date and m.date["iso"] != c.date["iso"])):
                return False    # 每季度分别支付500万元、500万元: two figures in one sentence are two facts
        if not self.fits(c, ("party", "installment")):
            return False
        mine = self.value_of("year")
        if self.value_of("year_source") == "stated" and c.year_source == "stated" and mine != c.year:
            return False
        date = self.date
        if head.kind == "payment" and date and c.own_date and not _same_day(date, c.own_date) \
                and not (self.value_of("installment") and c.installment == self.value_of("installment")):
            return False                        # same amount on two dates: two payments, unless both say the same number
        return True


def _same_value(a: Candidate, b: Candidate) -> bool:
    """Equal figures, or a table's exact figure and the prose that states it rounded."""
    if a.wan == b.wan:
        return True
    table, prose = (a, b) if a.mention["char_start"] is None else (b, a)
    return table.mention["char_start"] is None and prose.mention["char_start"] is not None \
        and rounds_to(table.wan, prose.mention)


def _same_day(a: dict, b: dict) -> bool:
    """Dates that can be the same day: equal, or one inside the other (2021-03 and 2021-03-18)."""
    return a["iso"].startswith(b["iso"]) or b["iso"].startswith(a["iso"])


def _span(view: DocView, sid: int, first: dict) -> tuple[int, str]:
    """(start, text) of the sentence `sid`, taken back to the start of the sentence before it
    when that one does not end and states no amount, and this one opens with its first amount
    or the rest of a cut word (a line or page break inside a sentence: 全年实际支出 /
    1.1934亿元，其中…; 支付第一笔合同款（预付 / 款）2994万元). A heading is not continued, unless
    it is a numbered item that holds a clause."""
    sentence = view.sentences[sid]
    start = sentence.start
    if sid > 0 and _WORD_PART.fullmatch(view.text[start:first["char_start"]].strip()):
        prev = view.sentences[sid - 1]
        item = prev.heading_level is None or not same_clause(prev.text)
        if item and not ends_sentence(prev.text) and not view.in_span(view.amounts, prev.start, prev.end):
            start = prev.start
    return start, view.text[start:sentence.end]


def amount_candidates(view: DocView, parties: Parties, report_year: int | None,
                      carried: list[str | None]) -> list[Candidate]:
    by_sentence: dict[int, list[dict]] = {}
    for a in view.amounts:
        if not not_an_amount(a["raw"], view.text[a["char_end"]:a["char_end"] + 4]):
            by_sentence.setdefault(a["sentence_id"], []).append(a)
    out: list[Candidate] = []
    heads: dict[int, str] = {}                  # sentence -> the kind of a list it opens or goes on with
    for sid, amounts in by_sentence.items():
        if not 0 <= sid < len(view.sentences):
            continue
        start, text = _span(view, sid, amounts[0])
        triggers = outside_part_labels(text, sentence_triggers(text))
        previous, prev_end, party_end = None, start, start     # party_end: after the last amount with a party
        # (end in text, kind) of the amounts before; a sentence opening with 其中 breaks down the last one
        kinds: list[tuple[int, str]] = [(-1, c.kind) for c in out if c.mention["sentence_id"] == sid - 1] \
            if opens_breakdown(text) else []
        if sid - 1 not in by_sentence and sid - 1 not in heads and opens_list(view, sid - 1):
            total = next((c.kind for c in reversed(out) if c.mention["sentence_id"] == sid - 2
                          and c.kind != "other"), None)
            if total:
                heads[sid - 1] = total          # 基本支出X万元。其中： / （1）人员经费Y万元；（2）…
        first = len(out)
        for i, a in enumerate(amounts):
            between = view.text[prev_end:a["char_start"]]
            if out and out[-1].mention["sentence_id"] == sid and is_restatement(between):
                head = out[-1]
                out.append(Candidate(a, head.kind, head.trigger, head.confidence, head.is_amendment, head.party,
                                     head.installment, head.date, head.year, head.year_source, restates=head,
                                     source=head.source))
                prev_end = a["char_end"]
                continue
            s, e = a["char_start"] - start, a["char_end"] - start
            role = amount_role(text, s, e, triggers, previous, kinds)
            item = role.kind == "other" and role.trigger is None and sid - 1 in heads
            if item:
                role = Role(heads[sid - 1], "：", role.confidence)     # an item of a list (…；…；)
            elif role.kind == "other" and role.trigger is None and spent_under(view.sentences[sid].section):
                role = Role("paid_total", spent_under(view.sentences[sid].section), role.confidence)
            inst = installment(between) or paid_off_after(role) if role.kind == "payment" else None
            audit = settled(role)               # the builder's, from the contract it amends (amended_parties)
            role = audit or role
            party = None if audit else party_for(parties, role.kind, start, view.text[start:a["char_start"]], a["char_start"],
                              carried[sid - 1 if start < view.sentences[sid].start else sid],
                              since=party_end - start, previous=out[-1].party if i and out else None)
            date, year, year_from = amount_date(view, start, a, amounts[i + 1]["char_start"]
                                                if i + 1 < len(amounts) else view.sentences[sid].end, report_year,
                                                next_clause=NEXT_CLAUSE_DATES.get(role.kind))
            date, year = prior_year(view, a, date, year)
            if item and year is None:           # an item of a list: the year of the items before it
                year, year_from = next(((c.year, c.year_source) for c in reversed(out) if c.kind == role.kind
                                        and c.year), (None, year_from))
            paid_on = paid_at(view, a, role)
            if paid_on:                         # 检测费8万元，已于2023年9月1日一次性付清: the day it was paid
                date, year, year_from = paid_on, paid_on["date_start"].year, "date"
            if role.kind == "paid_total" and handed_out_on(view, date, a):
                role = Role("payment", role.trigger, role.confidence)      # a batch handed out that day
            if role.kind == "paid_total" and date and not date.get("is_cutoff") \
                    and not same_clause(view.text[date["char_end"]:a["char_start"]]):
                date = None                     # a total paid since: not the day of an earlier clause
            strong = date is None or not any(date["char_end"] <= b["char_start"] < a["char_start"] for b in amounts)
            out.append(Candidate(a, role.kind, role.trigger, role.confidence, role.is_amendment, party, inst,
                                 date, year, year_from, date_strong=strong,
                                 bracketed=bracket_part(text, s, triggers, kinds),
                                 source=clause_source(view.text, prev_end, a["char_start"],
                                                      out[-1].source if out and out[-1].mention["sentence_id"] == sid
                                                      else None) or source_after(view.text, a["char_end"])))
            nxt = amounts[i + 1]["char_start"] if i + 1 < len(amounts) else None
            paid = paid_off(view, out[-1], view.sentences[sid].end, nxt) or handed_down(
                view, out[-1], view.sentences[sid].end, nxt)
            if paid:
                out.append(paid)
            previous, prev_end = role.kind, a["char_end"]
            party_end = a["char_end"] if party else party_end
            kinds.append((e, role.kind))
        head = list_head(view.sentences[sid].text, text, amounts[0]["char_start"] - start, out[first].kind,
                         out[-1].kind)
        if head or (sid - 1 in heads and ends_item(view.sentences[sid].text)):
            heads[sid] = head or heads[sid - 1]
    return out


def table_candidates(figures: list[TableFigure], report_year: int | None, parties: Parties | None = None
                     ) -> list[Candidate]:
    """Figures of money tables, as candidates whose evidence is the table row."""
    out = []
    aliases = parties.aliases if parties else {}
    for i, f in enumerate(figures):
        mention = {"mention_id": f.mention_id, "page": f.row.page, "char_start": None, "char_end": None,
                   "sentence": f.row.text, "sentence_id": -1 - i, "value": f.value, "unit": f.unit,
                   "value_wan": f.value_wan, "qualifier": None}
        year, year_from = ((f.year, "stated") if f.year else (f.date["date_start"].year, "date") if f.date
                           else (None, None) if f.yearly else (report_year, "report" if report_year else None))
        out.append(Candidate(mention, f.kind, f"{f.label} {f.header}".strip(), 0.95, False,
                             aliases.get(f.party, f.party), None, f.date, year, year_from,
                             source=f.source, item=f.item, is_total=f.is_total, parts_wan=f.parts_wan))
    return out


def _position(c: Candidate) -> tuple[int, int]:
    m = c.mention
    return (0, m["char_start"]) if m["char_start"] is not None else (1, m["page"] * 100000 - m["sentence_id"])


def merge_candidates(candidates: list[Candidate]) -> list[FactGroup]:
    """One fact per figure; a figure restated without role words joins the one fact of that value,
    and a rounded one (三千二百余万元, 约300万元) the one fact of its kind that it rounds."""
    facts: list[FactGroup] = []
    others: list[Candidate] = []
    rough: list[Candidate] = []
    for c in candidates:
        if c.restates is not None and not _restates_same(c):
            facts.append(FactGroup([c]))       # 120万元（大写：壹佰万元整）: two values, mark_restatements says so
            continue
        if c.kind != "other" and c.restates is None and approximates(c.mention["qualifier"], c.wan, None):
            rough.append(c)
            continue
        if c.restates is not None:
            home = next((f for f in facts + [FactGroup(others)] if c.restates in f.members), None)
            if home is not None and home.members is not others:
                home.members.append(c)
            else:
                others.append(c)
            continue
        if c.kind == "other":
            others.append(c)
            continue
        if c.bracketed:                 # 监理28.6万元 in 累计支出X（…）: the fee stated before, if there is one
            same = [f for f in facts if _same_value(f.first, c) and f.fits(c)]
            if len(same) == 1:
                same[0].members.append(c)
                continue
        home = next((f for f in facts if f.accepts(c)), None)
        if home:
            home.members.append(c)
        else:
            facts.append(FactGroup([c]))
    for c in others:
        head = next((f for f in facts if c.restates in f.members), None) if c.restates is not None else None
        if head is not None:            # 募集收入80,000元（约8万元）: one figure, though no fact
            head.members.append(c)
            continue
        same = [f for f in facts if _same_value(f.first, c)]
        if len(same) == 1 and all(m.mention["sentence_id"] != c.mention["sentence_id"] for m in same[0].members) \
                and same[0].fits(c):
            same[0].members.append(c)
            continue
        home = next((f for f in facts if f.first.kind == "other" and f.first.wan == c.wan and f.fits(c)), None)
        if home:
            home.members.append(c)
        else:
            facts.append(FactGroup([c]))
    for c in rough:                     # 全年完成支付三千二百余万元 restates the 3240万元 paid
        near = [f for f in facts if f.first.kind == c.kind and approximates(c.mention["qualifier"], c.wan, f.first.wan)]
        home = near[0] if len(near) == 1 else next((f for f in facts if f.accepts(c)), None)
        if home:
            home.members.append(c)
        else:
            facts.append(FactGroup([c]))
    return sorted(facts, key=lambda f: min(_position(m) for m in f.members))


def _restates_same(c: Candidate) -> bool:
    """A restatement gives the same value: exactly (大写：壹佰贰拾万元整), or rounded to its last
    printed digit (2,591,630.00元（约259.16万元）)."""
    head, mine = c.restates.mention, c.mention
    tolerance = Decimal(0)
    if mine["numeral"] == "arabic" and mine["value"]:
        tolerance = Decimal("0.5").scaleb(mine["value"].as_tuple().exponent) * mine["value_wan"] / mine["value"]
    return abs(head["value_wan"] - mine["value_wan"]) <= abs(tolerance)


def mark_restatements(facts: list[FactGroup]) -> None:
    """A figure restated in other words with another value: both facts carry the conflict."""
    home = {id(m): f for f in facts for m in f.members}
    for f in facts:
        for m in f.members:
            first = home.get(id(m.restates)) if m.restates is not None else None
            if first is not None and first is not f:
                f.conflict = first.conflict = (f"stated as {first.first.wan:f} 万元 and restated as "
                                               f"{m.wan:f} 万元")


def amended_parties(facts: list[FactGroup]) -> None:
    """An amended contract total with no party of its own amends the last contract that has one."""
    last_party = None
    for f in facts:
        if f.first.kind != "contract":
            continue
        party = f.value_of("party")
        if party is None and any(m.is_amendment for m in f.members) and last_party:
            for m in f.members:
                m.party = last_party
        elif party:
            last_party = party


def mark_conflicts(facts: list[FactGroup]) -> None:
    """A numbered payment given two dates; one contract (same party, not amended) given two values."""
    for f in facts:
        if f.first.kind != "payment":
            continue
        own = [m.own_date for m in f.members if m.own_date and m.own_date["precision"] in MERGE_DATE_PRECISIONS]
        dates = sorted({d["iso"] for d in own})
        if len(dates) > 1 and not all(_same_day(a, b) for a in own for b in own):
            f.conflict = f"stated with different dates: {', '.join(dates)}"
    contracts: dict[str, list[FactGroup]] = {}
    for f in facts:
        if f.first.kind == "contract" and not any(m.is_amendment for m in f.members) and f.value_of("party"):
            contracts.setdefault(f.value_of("party"), []).append(f)
    for party, group in contracts.items():
        values = sorted({f.first.wan for f in group})
        dates = {f.date["iso"] for f in group if f.date}
        years = {f.value_of("year") for f in group}
        if None not in years and len(years) == len(group) > 1:
            continue                            # one contract a year under a framework agreement
        if len(values) > 1 and len(dates) <= 1:
            text = " and ".join(format(v, "f") for v in values)
            for f in group:
                f.conflict = f"the contract with {party} is stated as {text} 万元"


def _fact_row(doc_id: str, fact_id: int, f: FactGroup) -> dict:
    head = f.first
    date = f.date
    mention = head.mention
    year = min((m for m in f.members if m.year is not None), default=None,
               key=lambda m: YEAR_SOURCES.index(m.year_source))
    return {
        "doc_id": doc_id, "fact_id": fact_id, "kind": head.kind, "value": mention["value"],
        "unit": mention["unit"], "value_wan": mention["value_wan"],
        "date_iso": date["iso"] if date else None, "date_start": date["date_start"] if date else None,
        "date_end": date["date_end"] if date else None, "precision": date["precision"] if date else None,
        "year": year.year if year else None, "year_source": year.year_source if year else None,
        "party": f.value_of("party"), "source": f.value_of("source"), "item": f.value_of("item"),
        "is_total": any(m.is_total for m in f.members), "parts_wan": f.value_of("parts_wan"),
        "installment": f.value_of("installment"), "qualifier": next(
            (m.mention["qualifier"] for m in f.members if m.mention["qualifier"]), None),
        "is_amendment": any(m.is_amendment for m in f.members), "conflict": f.conflict,
        "confidence": max(m.confidence for m in f.members), "trigger": f.value_of("trigger"),
        "mentions": len(f.members), "page": mention["page"], "sentence": mention["sentence"],
    }


def _evidence_rows(doc_id: str, fact_id: int, f: FactGroup) -> list[dict]:
    return [{"doc_id": doc_id, "fact_id": fact_id, "mention_id": m.mention["mention_id"],
             "page": m.mention["page"], "char_start": m.mention["char_start"], "char_end": m.mention["char_end"],
             "sentence": m.mention["sentence"], "date_iso": m.own_date["iso"] if m.own_date else None,
             "year": m.year if m.year_source == "stated" else None}
            for m in f.members]


def view_to_facts(view: DocView, header: dict, parties: Parties | None = None) -> tuple[list[dict], list[dict]]:
    start, end = header.get("period_start"), header.get("period_end")
    report_year = start.year if start and end and start.year == end.year else None
    if start is None and end is None:           # no period: the one year the project's name gives (…2024年度部门整体支出)
        years = set(regex.findall(r"((?:19|20)\d{2})\s*年度", header.get("project_name") or ""))
        report_year = int(years.pop()) if len(years) == 1 else None
    parties = parties or text_to_parties(view.text)
    carried = carried_parties(view.text, view.sentences, parties)
    figures, printed = read_tables(view)
    tables = table_candidates(figures, report_year, parties)
    prose = [c for c in amount_candidates(view, parties, report_year, carried)
             if not printed_in_table(view, c.mention, printed)]
    complete_sources(view.text, prose)
    candidates = prose + tables
    facts = merge_candidates(candidates)
    facts += [FactGroup([c]) for c in handed_down_later(view, facts)]
    amended_parties(facts)
    signing_dates(view, facts, parties, carried)
    full_payments(facts)
    mark_conflicts(facts)
    mark_restated_payments(view.text, facts)
    mark_restatements(facts)
    rows, evidence = [], []
    for i, f in enumerate(facts):
        rows.append(_fact_row(view.doc_id, i, f))
        evidence.extend(_evidence_rows(view.doc_id, i, f))
    return rows, evidence
