"""What the reconciliation rules read about one document: its facts (typed, with their evidence),
indicators, scores, funds rows, sentences and the percentage and count mentions, built from the
rows the fact stage produced (`DocumentRows`, typed by `schemas.rows`)."""
from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from schemas.rows import (CountRow, FactEvidenceRow, FactKind, FactRow, FormFundsRow, IndicatorRow,
                          PercentageRow, ScoreRow, SentenceRow)

from ..document import DocumentRows


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
    installment: str | None
    is_amendment: bool
    conflict: str | None
    trigger: str | None
    page: int
    sentence: str
    evidence: tuple[FactEvidenceRow, ...] = ()

    @classmethod
    def from_row(cls, row: FactRow, evidence: list[FactEvidenceRow]) -> "Fact":
        names = [f.name for f in dataclasses.fields(cls) if f.name != "evidence"]
        return cls(**{n: row[n] for n in names}, evidence=tuple(evidence))

    @property
    def wan(self) -> Decimal:
        return Decimal(self.value_wan).normalize()

    def quote(self, side: str) -> dict:
        e = self.evidence[0] if self.evidence else {"page": self.page, "sentence": self.sentence}
        return {"page": e["page"], "quote": e["sentence"], "side": side}


@dataclass
class DocumentFacts:
    doc_id: str
    header: dict
    facts: list[Fact]
    indicators: list[IndicatorRow]
    scores: list[ScoreRow]
    sentences: list[SentenceRow]
    percentages: list[PercentageRow]
    counts: list[CountRow]
    form_funds: list[FormFundsRow] = field(default_factory=list)
    # sentence id -> (fact, the evidence row in that sentence), in text order
    by_sentence: dict[int, list[tuple[Fact, FactEvidenceRow]]] = field(default_factory=dict)

    @classmethod
    def from_rows(cls, doc_id: str, rows: DocumentRows) -> "DocumentFacts":
        tables = rows.tables
        evidence: dict[int, list[FactEvidenceRow]] = defaultdict(list)
        for e in tables.get("fact_evidence", []):
            evidence[e["fact_id"]].append(e)
        facts = [Fact.from_row(f, evidence[f["fact_id"]]) for f in tables.get("facts", [])]
        out = cls(doc_id, rows.header, facts, tables.get("indicators", []), tables.get("scores", []),
                  tables.get("sentences", []), tables.get("percentages", []), tables.get("counts", []),
                  tables.get("form_funds", []))
        out.by_sentence = _by_sentence(facts, out.sentences)
        return out

    def of_kind(self, *kinds: str) -> list[Fact]:
        return [f for f in self.facts if f.kind in kinds]

    def sentence(self, sid: int) -> SentenceRow | None:
        return self.sentences[sid] if 0 <= sid < len(self.sentences) else None


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
