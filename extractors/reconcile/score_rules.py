"""Score sheets, grades, targets and affirmed irregularities."""
from __future__ import annotations

from decimal import Decimal
from functools import cache

from ..rules import load

from .findings import fmt, make
from .inputs import DocumentFacts


@cache
def _rules() -> dict:
    return load("reconcile")


def _ev(s: dict, side: str) -> dict:
    return {"page": s["page"], "quote": s["quote"], "side": side}


def scores(r: DocumentFacts) -> list[dict]:
    out = []
    rows = [s for s in r.scores if s["name"] != "总分"]
    total = next((s for s in r.scores if s["name"] == "总分"), None)
    for parent in rows:
        children = [s for s in rows if s["parent"] == parent["name"]]
        if len(children) >= 2:
            implied = sum(Decimal(c["score"]) for c in children)
            out.append(_score_sum(r, "items_vs_item", parent, implied, children))
        if parent["max_score"] is not None:
            over = Decimal(parent["score"]) > Decimal(parent["max_score"])
            out.append(make(r.doc_id, "score_within_max", "score_mismatch",
                            f"{parent['name']}得分{fmt(parent['score'])}分，满分{fmt(parent['max_score'])}分",
                            [parent["score"], parent["max_score"]], holds=not over,
                            expected=parent["max_score"], actual=parent["score"], evidence_rows=[_ev(parent, "item")]))
    names = {s["name"] for s in rows}
    top = [s for s in rows if s["parent"] not in names]     # the highest scored level of each branch
    if total and len(top) >= 2:
        out.append(_score_sum(r, "items_vs_total", total, sum(Decimal(s["score"]) for s in top), top))
    score = r.header.get("total_score")
    grade = r.header.get("grade")
    if score is not None and grade in _rules()["grades"]:
        out.append(_grade(r, Decimal(score), grade, total))
    return out


def _score_sum(r: DocumentFacts, rule: str, whole: dict, implied: Decimal, parts: list[dict]) -> dict:
    stated = Decimal(whole["score"])
    holds = abs(stated - implied) <= Decimal("0.005")
    msg = f"{whole['name']}{fmt(stated)}分，各项得分之和为{fmt(implied)}分"
    return make(r.doc_id, rule, "score_mismatch", msg, [stated, implied], holds=holds, expected=implied,
                actual=stated, evidence_rows=[_ev(whole, "stated"), _ev(parts[0], "parts")])


def _grade(r: DocumentFacts, score: Decimal, grade: str, total: dict | None) -> dict:
    bands = _rules()["grades"]
    floor = Decimal(bands[grade])
    ceiling = min((Decimal(v) for v in bands.values() if Decimal(v) > floor), default=Decimal(1000))
    holds = floor <= score < ceiling or (ceiling == 1000 and score >= floor)
    msg = f"总分{fmt(score)}分，评价等级为“{grade}”" + ("" if holds else f"，“{grade}”要求{fmt(floor)}分及以上"
                                                   + (f"、{fmt(ceiling)}分以下" if ceiling < 1000 else ""))
    evidence = [_ev(total, "score")] if total else []
    return make(r.doc_id, "grade_fits_score", "score_mismatch", msg, [score], holds=holds, evidence_rows=evidence)


def targets(r: DocumentFacts) -> list[dict]:
    out = []
    for i in r.indicators:
        if i["met"] is None:
            continue
        msg = (f"{i['name']}目标{i['target_comparator'] or ''}{fmt(i['target'])}{i['unit'] or ''}，"
               f"实际{fmt(i['actual'])}{i['unit'] or ''}")
        evidence = [{"page": i[f"{side}_page"], "quote": i[f"{side}_quote"], "side": side}
                    for side in ("target", "actual") if i[f"{side}_page"] is not None]
        out.append(make(r.doc_id, "indicator_target_met", "target_missed", msg + ("" if i["met"] else "，未达到目标"),
                        [i["target"], i["actual"]], holds=bool(i["met"]), severity="warning",
                        expected=i["target"], actual=i["actual"], evidence_rows=evidence))
    return out


def risks(r: DocumentFacts) -> list[dict]:
    """Sentences that affirm an irregularity, one finding per family of irregularity; a negated
    one (不存在挤占、挪用) is not a finding."""
    spec = _rules()["risk"]
    found: list[tuple[dict, set[str], list[str]]] = []          # sentence, families, words
    for s in r.sentences:
        words = [w for ws in spec["families"].values() for w in ws
                 if w in s["text"] and not _negated(s["text"], w, spec["clauses"])]
        if words:
            found.append((s, {f for f, ws in spec["families"].items() if set(ws) & set(words)}, words))
    groups: list[tuple[set[str], list[tuple[dict, list[str]]]]] = []
    for s, families, words in sorted(found, key=lambda x: x[1] == {spec["generic"]}):
        specific = families - {spec["generic"]}
        home = next((g for g in groups if (specific and specific <= g[0]) or (not specific and groups)), None)
        if home is None:
            groups.append((set(families), [(s, words)]))
        else:
            home[1].append((s, words))
    out = []
    for families, members in groups:
        first, words = min(members, key=lambda m: m[0]["sentence_id"])
        members.sort(key=lambda m: m[0]["sentence_id"])
        out.append(make(r.doc_id, "affirmed_irregularity", "risk_statement",
                        f"报告确认存在问题（{'、'.join(dict.fromkeys(words))}）：{first['text'][:80]}", [],
                        severity="warning", key=first["text"],
                        evidence_rows=[{"page": s["page"], "quote": s["text"], "side": "statement"} for s, _ in members]))
    return out


def _negated(text: str, word: str, spec: dict) -> bool:
    """Every occurrence of `word` has a negation earlier in its clause."""
    pos = text.find(word)
    while pos >= 0:
        start = max(text.rfind(ch, 0, pos) for ch in spec["ends"]) + 1
        if not any(n in text[start:pos] for n in spec["negations"]):
            return False
        pos = text.find(word, pos + 1)
    return True
