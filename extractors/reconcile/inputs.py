"""What the reconciliation rules read about one document: its facts (typed, with their evidence),
indicators, scores, funds rows, sentences, tables and the amount, date, percentage and count
mentions, built from the rows the fact stage produced (`DocumentRows`, typed by `schemas.rows`).

`Fact.source` and `Fact.item` (the funding channel and the budget item a figure belongs to) are
read with `row.get`, so the rules work on rows that carry those columns and on rows that do not
(None: not stated)."""
from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

from schemas.rows import (AmountRow, CountRow, DateRow, FactEvidenceRow, FactKind, FactRow, FormFundsRow,
                          IndicatorRow, PercentageRow, ScoreRow, SentenceRow)

from ..document import DocumentRows
from ..memo import Memo
from .tables import Table, build_tables

OPTIONAL = ("source", "item", "qualifier", "is_total")


@dataclass(frozen=True)
class Fact:
    """One money fact as the rules see it: the columns of `FactRow` they use, and its evidence."""
    fact_id: int
    kind: FactKind
    value_wan: Decimal
    party: str | None
    year: int | None
    year_source: str | None
    date_start: dt.date | None
    date_end: dt.date | None
    installment: str | None
    is_amendment: bool
    conflict: str | None
    trigger: str | None
    page: int
    sentence: str
    evidence: tuple[FactEvidenceRow, ...] = ()
    source: str | None = None          # funding channel (central, provincial, bond, self …), None: not stated
    item: str | None = None            # the budget item or sub-project it belongs to, None: the whole
    qualifier: str | None = None       # 约, 以上, 不超过 … as the amount was written
    is_total: bool | None = None       # a table's 合计 / 小计 row or column

    @classmethod
    def from_row(cls, row: FactRow, evidence: list[FactEvidenceRow]) -> "Fact":
        return cls(**{n: row[n] for n in _required(cls)}, evidence=tuple(evidence),
                   **{n: row.get(n) for n in OPTIONAL})

    @property
    def wan(self) -> Decimal:
        return Decimal(self.value_wan).normalize()

    def quote(self, side: str) -> dict:
        e = self.evidence[0] if self.evidence else {"page": self.page, "sentence": self.sentence}
        return {"page": e["page"], "quote": e["sentence"], "side": side}

    @property
    def first_start(self) -> int | None:
        starts = [e["char_start"] for e in self.evidence if e["char_start"] is not None]
        return min(starts) if starts else None


@cache
def _required(cls: type) -> tuple[str, ...]:
    """The fields of a Fact class read from every row (all but evidence and the OPTIONAL ones)."""
    return tuple(f.name for f in dataclasses.fields(cls) if f.name not in ("evidence", *OPTIONAL))


@dataclass
class DocumentFacts(Memo):
    doc_id: str
    header: dict
    facts: list[Fact]
    indicators: list[IndicatorRow]
    scores: list[ScoreRow]
    sentences: list[SentenceRow]
    percentages: list[PercentageRow]
    counts: list[CountRow]
    form_funds: list[FormFundsRow] = field(default_factory=list)
    amounts: list[AmountRow] = field(default_factory=list)
    dates: list[DateRow] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    pages: dict[int, str] = field(default_factory=dict)
    report_fields: list[dict] = field(default_factory=list)    # where the header's fields were read
    # sentence id -> (fact, the evidence row in that sentence), in text order
    by_sentence: dict[int, list[tuple[Fact, FactEvidenceRow]]] = field(default_factory=dict)

    @classmethod
    def from_rows(cls, doc_id: str, rows: DocumentRows) -> "DocumentFacts":
        t = rows.tables
        evidence: dict[int, list[FactEvidenceRow]] = defaultdict(list)
        for e in t.get("fact_evidence", []):
            evidence[e["fact_id"]].append(e)
        facts = [Fact.from_row(f, evidence[f["fact_id"]]) for f in t.get("facts", [])]
        pages = {p["page"]: p["text"] for p in t.get("pages", [])}
        out = cls(doc_id, rows.header, facts, t.get("indicators", []), t.get("scores", []),
                  t.get("sentences", []), t.get("percentages", []), t.get("counts", []),
                  t.get("form_funds", []), t.get("amounts", []), t.get("dates", []),
                  build_tables(t.get("table_cells", []), pages), pages, t.get("report_fields", []))
        out.by_sentence = _by_sentence(facts, out.sentences)
        return out

    def of_kind(self, *kinds: str) -> list[Fact]:
        return [f for f in self.facts if f.kind in kinds]

    def sentence(self, sid: int) -> SentenceRow | None:
        return self.sentences[sid] if 0 <= sid < len(self.sentences) else None

    def amount(self, mention_id: str) -> AmountRow | None:
        return self.once("amount_ids", lambda r: {a["mention_id"]: a for a in r.amounts}).get(mention_id)

    def amounts_in(self, sid: int) -> list[AmountRow]:
        """The amount mentions of sentence `sid`, in text order (a list of the caller's own)."""
        return list(self.once("amounts_by_sentence", _amounts_by_sentence).get(sid, ()))


def _amounts_by_sentence(r: DocumentFacts) -> dict[int, list[AmountRow]]:
    out: dict[int, list[AmountRow]] = {}
    for a in r.amounts:
        out.setdefault(a["sentence_id"], []).append(a)
    return out


def _by_sentence(facts: list[Fact], sentences: list[SentenceRow]) -> dict[int, list[tuple[Fact, FactEvidenceRow]]]:
    starts = [s["char_start"] for s in sentences]
    out: dict[int, list[tuple[Fact, FactEvidenceRow]]] = {}
    for f in facts:
        for e in f.evidence:
            if e["char_start"] is None:
                continue
            i = bisect.bisect_right(starts, e["char_start"]) - 1
            if i >= 0 and e["char_start"] < sentences[i]["char_end"]:
                out.setdefault(sentences[i]["sentence_id"], []).append((f, e))
    for items in out.values():
        items.sort(key=lambda fe: fe[1]["char_start"])
    return out
