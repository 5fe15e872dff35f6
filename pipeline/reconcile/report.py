"""What the reconciliation rules read about one report, built from its rows."""
from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass
class Fact:
    row: dict
    evidence: list[dict]

    def __getattr__(self, name):
        try:
            return self.row[name]
        except KeyError as exc:
            raise AttributeError(name) from exc

    @property
    def wan(self) -> Decimal:
        return Decimal(self.row["value_wan"]).normalize()

    def quote(self, side: str) -> dict:
        e = self.evidence[0] if self.evidence else {"page": self.row["page"], "sentence": self.row["sentence"]}
        return {"page": e["page"], "quote": e["sentence"], "side": side}


@dataclass
class Report:
    doc_id: str
    header: dict
    facts: list[Fact]
    indicators: list[dict]
    scores: list[dict]
    sentences: list[dict]
    percentages: list[dict]
    counts: list[dict]
    form_funds: list[dict] = field(default_factory=list)
    by_sentence: dict[int, list[tuple[Fact, dict]]] = field(default_factory=dict)  # sentence -> (fact, evidence)

    @classmethod
    def from_tables(cls, doc_id: str, tables: dict[str, list[dict]], header: dict) -> "Report":
        evidence = defaultdict(list)
        for e in tables.get("fact_evidence", []):
            evidence[e["fact_id"]].append(e)
        facts = [Fact(f, evidence[f["fact_id"]]) for f in tables.get("facts", [])]
        report = cls(doc_id, header, facts, tables.get("indicators", []), tables.get("scores", []),
                     tables.get("sentences", []), tables.get("percentages", []), tables.get("counts", []),
                     tables.get("form_funds", []))
        starts = [s["char_start"] for s in report.sentences]
        for f in facts:
            for e in f.evidence:
                if e["char_start"] is None:
                    continue
                i = bisect.bisect_right(starts, e["char_start"]) - 1
                if i >= 0 and e["char_start"] < report.sentences[i]["char_end"]:
                    report.by_sentence.setdefault(report.sentences[i]["sentence_id"], []).append((f, e))
        for items in report.by_sentence.values():
            items.sort(key=lambda fe: fe[1]["char_start"])
        return report

    def of_kind(self, *kinds: str) -> list[Fact]:
        return [f for f in self.facts if f.kind in kinds]

    def sentence(self, sid: int) -> dict | None:
        return self.sentences[sid] if 0 <= sid < len(self.sentences) else None
