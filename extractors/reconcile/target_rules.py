"""Targets and affirmed irregularities.

A target has a direction: ≥ (reach at least), ≤ (stay at most: 响应时间≤30分钟), or a reduction
(降低/减少/缩短…). An actual that is the baseline (由38.5%提高到63.2%: 38.5 is where it started)
or a figure not read cleanly is no result to judge. A risk statement names the amount it concerns
(涉及金额12.6万元), and the finding carries it."""
from __future__ import annotations

import re
from decimal import Decimal
from functools import cache

from ..patterns import alternation
from ..rules import load
from .findings import fmt, make, unverifiable
from .inputs import DocumentFacts
from .scope import SPACED


@cache
def _rules() -> dict:
    return load("reconcile")


def _met(comparator: str | None, target: Decimal, actual: Decimal, lower_better: bool) -> bool:
    if comparator in ("<=", "<") or lower_better:
        return actual <= target if comparator != "<" else actual < target
    if comparator == ">":
        return actual > target
    return actual >= target


def targets(r: DocumentFacts) -> list[dict]:
    out = []
    spec = _rules()["targets"]
    for i in r.indicators:
        if i["target"] is None or i["actual"] is None:
            continue
        target, actual = Decimal(i["target"]), Decimal(i["actual"])
        unit = i["unit"] or ""
        msg = f"{i['name']}目标{i['target_comparator'] or ''}{fmt(target)}{unit}，实际{fmt(actual)}{unit}"
        evidence = [{"page": i[f"{side}_page"], "quote": i[f"{side}_quote"], "side": side}
                    for side in ("target", "actual") if i[f"{side}_page"] is not None]
        quotes = " ".join(q for q in (i["target_quote"], i["actual_quote"]) if q)
        why = _why_not(i, quotes, actual, spec)
        if why:
            out.append(unverifiable(r.doc_id, "indicator_target_met", "target_missed", msg, why,
                                    [target, actual], evidence))
            continue
        lower_better = any(w in i["name"] + (i["target_quote"] or "")[:0] for w in spec["lower_better"])
        met = _met(i["target_comparator"], target, actual, lower_better and i["target_comparator"] in (None, "="))
        out.append(make(r.doc_id, "indicator_target_met", "target_missed", msg + ("" if met else "，未达到目标"),
                        [target, actual], holds=met, severity="warning", expected=target, actual=actual,
                        evidence_rows=evidence))
    return out


def _why_not(i: dict, quotes: str, actual: Decimal, spec: dict) -> str | None:
    if SPACED.search(quotes) and re.search(r"\d\s\d", quotes):
        return "指标值的数字未能完整读出"
    if i["target"] == 0 and i["target_comparator"] in ("<=", "<", None, "="):
        return "目标值为0，可能未读出"
    for m in re.finditer(spec["baseline_pattern"], i["actual_quote"] or ""):
        if Decimal(m.group("v")) == actual:
            return f"实际值{fmt(actual)}是起点（由…提高到/降低到…），不是完成值"
    if i["target_comparator"] in (None, "=") and any(w in (i["target_quote"] or "") for w in spec["reduction"]) \
            and not any(w in i["name"] for w in spec["lower_better"]):
        return "目标是降低或减少的幅度，方向不明"
    return None


def risks(r: DocumentFacts) -> list[dict]:
    """Sentences that affirm an irregularity, one finding per family of irregularity; a negated
    one (不存在挤占、挪用) is not a finding."""
    spec = _rules()["risk"]
    any_word = _risk_words()
    found: list[tuple[dict, set[str], list[str]]] = []          # sentence, families, words
    for s in r.sentences:
        if not any_word.search(s["text"]):
            continue                            # names no irregularity (most sentences)
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
        amounts = sorted({Decimal(a["value_wan"]) for s, _ in members for a in r.amounts_in(s["sentence_id"])})
        named = f"，涉及{'、'.join(fmt(a) for a in amounts)}万元" if amounts else ""
        out.append(make(r.doc_id, "affirmed_irregularity", "risk_statement",
                        f"报告确认存在问题（{'、'.join(dict.fromkeys(words))}）{named}：{first['text'][:80]}", amounts,
                        severity="warning", key=first["text"], id_values=[],
                        evidence_rows=[{"page": s["page"], "quote": s["text"], "side": "statement"} for s, _ in members]))
    return out


@cache
def _risk_words() -> re.Pattern:
    """Finds a sentence that holds any word of any family of irregularities."""
    return re.compile(alternation([w for ws in _rules()["risk"]["families"].values() for w in ws]))


def _negated(text: str, word: str, spec: dict) -> bool:
    """Every occurrence of `word` has a negation earlier in its clause."""
    pos = text.find(word)
    while pos >= 0:
        start = max(text.rfind(ch, 0, pos) for ch in spec["ends"]) + 1
        if not any(n in text[start:pos] for n in spec["negations"]):
            return False
        pos = text.find(word, pos + 1)
    return True
