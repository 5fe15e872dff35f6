"""`jixiao eval`: score exported reports against gold files with the matching rules of GOLD.md.

Pure matching functions (`match_facts`, `match_indicators`, ...) take lists of dicts in the
export/gold shape; `evaluate` pairs reports with gold files by document name.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

FACT_KINDS = {"budget", "appropriation", "contract", "payment", "paid_total", "balance", "savings"}
SECTIONS = ("facts", "indicators", "scores", "report", "findings")
VALUE_TOLERANCE = 0.005


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list = field(default_factory=list)       # gold items nothing matched
    false_hits: list = field(default_factory=list)   # output items that matched nothing

    def add(self, other: "Score") -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self, verbose: bool = False) -> dict:
        out = {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 4),
               "recall": round(self.recall, 4), "f1": round(self.f1, 4)}
        if verbose:
            out["misses"], out["false_hits"] = self.misses, self.false_hits
        return out


def _close(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) <= VALUE_TOLERANCE + 1e-9


def _squash(text) -> str:
    return "".join(str(text).split())


def _contains(a, b) -> bool:
    a, b = _squash(a), _squash(b)
    return bool(a) and bool(b) and (a in b or b in a)


def one_to_one(gold: list, out: list, matches: Callable[[dict, dict], bool]) -> Score:
    """Maximum one-to-one matching (Kuhn's augmenting paths) of gold items to output items."""
    adj = [[j for j, o in enumerate(out) if matches(g, o)] for g in gold]
    owner: dict[int, int] = {}

    def augment(i: int, seen: set) -> bool:
        for j in adj[i]:
            if j not in seen:
                seen.add(j)
                if j not in owner or augment(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    for i in range(len(gold)):
        augment(i, set())
    matched_gold = set(owner.values())
    score = Score(tp=len(owner), fp=len(out) - len(owner), fn=len(gold) - len(matched_gold))
    score.misses = [g for i, g in enumerate(gold) if i not in matched_gold]
    score.false_hits = [_brief(o) for j, o in enumerate(out) if j not in owner]
    return score


def _brief(item: dict) -> dict:
    return {k: v for k, v in item.items() if k not in ("evidence",)}


def fact_matches(gold: dict, out: dict) -> bool:
    if gold["kind"] != out["kind"] or not _close(gold["value_wan"], out["value_wan"]):
        return False
    if "date" in gold and not str(out.get("date") or "").startswith(gold["date"]):
        return False
    if "year" in gold:
        year = str(gold["year"])
        if str(out.get("year")) != year and not str(out.get("date") or "").startswith(year):
            return False
    if "party" in gold and not _contains(gold["party"], out.get("party") or ""):
        return False
    if "installment" in gold and str(gold["installment"]) != str(out.get("installment")):
        return False
    if gold.get("source") and gold["source"] != out.get("source"):
        return False
    return True


def indicator_matches(gold: dict, out: dict) -> bool:
    if not (_close(gold.get("target"), out.get("target")) and _close(gold.get("actual"), out.get("actual"))):
        return False
    if gold.get("year") is not None and str(gold["year"]) != str(out.get("year")):
        return False
    return not (gold.get("unit") and out.get("unit")) or gold["unit"] == out["unit"]


def score_matches(gold: dict, out: dict) -> bool:
    return _close(gold["score"], out["score"]) and _contains(gold["name"], out["name"])


def finding_matches(gold: dict, out: dict) -> bool:
    if gold["kind"] != out["kind"]:
        return False
    values = out.get("values") or []
    if any(not any(_close(v, o) for o in values) for v in gold.get("values") or []):
        return False
    if any(d not in (out.get("dates") or []) for d in gold.get("dates") or []):
        return False
    if gold.get("quote"):
        text = " ".join(str(e.get("quote", "")) for e in out.get("evidence") or []) + str(out.get("message", ""))
        return _squash(gold["quote"]) in _squash(text)
    return True


def report_items(report: dict | None) -> list[dict]:
    """The report header as matchable items (null fields are absent)."""
    items = []
    for key, value in (report or {}).items():
        if key == "evidence" or value is None:
            continue
        items.append({"field": key, "value": value})
    return items


def report_matches(gold: dict, out: dict) -> bool:
    if gold["field"] != out["field"]:
        return False
    g, o = gold["value"], out["value"]
    if gold["field"] in ("project_name", "unit"):
        return _squash(g) == _squash(o) or _squash(g) in _squash(o)
    if gold["field"] == "total_score":
        return _close(g, o)
    return g == o


def score_report(gold: dict, out: dict) -> dict[str, Score]:
    facts = [f for f in out.get("facts", []) if f["kind"] in FACT_KINDS]
    findings = [f for f in out.get("findings", []) if f.get("severity") != "info"]
    return {
        "facts": one_to_one(gold.get("facts", []), facts, fact_matches),
        "indicators": one_to_one(gold.get("indicators", []), out.get("indicators", []), indicator_matches),
        "scores": one_to_one(gold.get("scores", []), out.get("scores", []), score_matches),
        "report": one_to_one(report_items(gold.get("report")), report_items(out.get("report")), report_matches),
        "findings": one_to_one(gold.get("findings", []), findings, finding_matches),
    }


def load_gold(folder: Path) -> dict[str, dict]:
    """document name -> gold, for every *.gold.json in folder."""
    gold = {}
    for path in sorted(folder.glob("*.gold.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        gold[data["document"]] = data
    return gold


def evaluate(gold: dict[str, dict], reports: list[dict]) -> dict:
    """Scores per document and section, and overall per section. A gold document without a
    report in the database counts every gold item as missed."""
    by_name = {r["document"]: r for r in reports}
    per_doc: dict[str, dict[str, Score]] = {}
    for name, g in gold.items():
        per_doc[name] = score_report(g, by_name.get(name, {}))
    overall = {s: Score() for s in SECTIONS}
    for scores in per_doc.values():
        for section, score in scores.items():
            overall[section].add(score)
    return {"documents": per_doc, "overall": overall, "missing": sorted(set(gold) - set(by_name))}


def render_scores(result: dict) -> str:
    """The evaluation as a plain-text table: P / R / F1 per section, per document and overall."""
    head = f"{'document':32}" + "".join(f"{s:>22}" for s in SECTIONS)
    lines = [head, f"{'':32}" + "".join(f"{'P    R    F1':>22}" for _ in SECTIONS), "-" * len(head)]

    def row(name: str, scores: dict[str, Score]) -> str:
        cells = "".join(f"{s.precision:>10.2f}{s.recall:>5.2f}{s.f1:>6.2f} " for s in (scores[k] for k in SECTIONS))
        return f"{name[:32]:32}{cells}"

    for name, scores in result["documents"].items():
        lines.append(row(name, scores))
    lines.append("-" * len(head))
    lines.append(row("overall", result["overall"]))
    if result["missing"]:
        lines.append(f"not in the database: {', '.join(result['missing'])}")
    return "\n".join(lines)


def as_json(result: dict, verbose: bool = False) -> dict:
    return {"documents": {n: {s: sc.as_dict(verbose) for s, sc in d.items()} for n, d in result["documents"].items()},
            "overall": {s: sc.as_dict() for s, sc in result["overall"].items()}, "missing": result["missing"]}
