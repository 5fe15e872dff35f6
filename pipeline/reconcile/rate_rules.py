"""Rates: a stated percentage against the one its figures give (执行率, 到位率, 支付完成率, growth)."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from extractors.rules import load

from .findings import fmt, make
from .report import Fact, Report


@cache
def _rules() -> tuple[dict, Decimal]:
    r = load("reconcile")
    return r["rates"], Decimal(r["rate_points"])


def _kind_of_rate(before: str) -> str | None:
    """Which rate a percentage is, from the words just before it (longest word first)."""
    rates, _ = _rules()
    hits = [(len(w), name) for name, spec in rates.items() for w in spec["words"] if before.endswith(w)
            or w in before[-len(w) - 3:]]
    return max(hits)[1] if hits else None


def _decimals(raw: str) -> int:
    digits = raw.split("%")[0].rstrip()
    return len(digits.split(".")[1]) if "." in digits else 0


def _holds(stated: Decimal, implied: Decimal, raw: str) -> bool:
    _, points = _rules()
    quant = Decimal(1).scaleb(-_decimals(raw))
    return abs(stated - implied) <= points or abs(stated - implied.quantize(quant, ROUND_HALF_UP)) <= points


def _scope(f: Fact) -> tuple:
    return f.row.get("source"), f.row.get("item"), bool(f.row.get("is_total"))


def _pick(r: Report, sid: int, kinds: list[str], year: int | None, like: Fact | None = None) -> Fact | None:
    """The operand: a fact of `kinds` in the same sentence, else one of the scope (source, item,
    table total) of `like`, else the same year's, else the document's total."""
    near = [f for f, _ in r.by_sentence.get(sid, []) if f.kind in kinds]
    if near:
        return near[-1]
    facts = [f for f in r.facts if f.kind in kinds and not f.party]
    if like is not None and any(_scope(like)):
        scoped = [f for f in facts if _scope(f) == _scope(like)]
        if scoped:
            return max(scoped, key=lambda f: f.wan)
    if year is not None:
        same = [f for f in facts if f.year == year and f.year_source == "stated"]
        if same:
            return same[-1]
    totals = [f for f in facts if f.year_source != "stated"]
    return max(totals, key=lambda f: f.wan) if totals else None


def _sentence_year(r: Report, sid: int) -> int | None:
    years = {f.year for f, _ in r.by_sentence.get(sid, []) if f.year_source == "stated"}
    return years.pop() if len(years) == 1 else None


def rates(r: Report) -> list[dict]:
    out = []
    specs, _ = _rules()
    for p in r.percentages:
        sentence = r.sentence(p["sentence_id"])
        if sentence is None or p["comparator"] != "=" or p["value_high"] is not None:
            continue
        pos = p["char_start"] - sentence["char_start"]
        before = sentence["text"][max(0, pos - 12):pos]
        name = _kind_of_rate(before)
        if name is None:
            continue
        stated = Decimal(p["value"])
        evidence = [{"page": p["page"], "quote": sentence["text"], "side": "stated"}]
        if name == "growth":
            found = _growth(r, p, sentence)
            if found is None:
                continue
            implied, message = found
        else:
            spec = specs[name]
            year = _sentence_year(r, p["sentence_id"])
            num = _pick(r, p["sentence_id"], spec["numerator"], year)
            den = _pick(r, p["sentence_id"], spec["denominator"], year, like=num)
            if num is None or den is None or den.wan == 0 or num is den:
                continue
            implied = num.wan / den.wan * 100
            message = f"{spec['words'][0]}应为{fmt(num.wan)}÷{fmt(den.wan)}={implied:.2f}%"
            evidence += [num.quote("numerator"), den.quote("denominator")]
        holds = _holds(stated, implied, p["raw"])
        message = f"报告称{p['raw']}，{message}"
        out.append(make(r.doc_id, f"rate_{name}", "rate_mismatch", message,
                        [stated, implied.quantize(Decimal("0.01"), ROUND_HALF_UP)], holds=holds,
                        expected=implied.quantize(Decimal("0.0001")), actual=stated, evidence_rows=evidence))
    return out


def _growth(r: Report, p: dict, sentence: dict) -> tuple[Decimal, str] | None:
    """Growth from the two figures (counts or amounts of one measure) stated just before it."""
    before = [c for c in r.counts if c["sentence_id"] == p["sentence_id"] and c["char_end"] <= p["char_start"]]
    if len(before) < 2 or before[-1]["measure"] != before[-2]["measure"] or Decimal(before[-2]["value"]) == 0:
        return None
    old, new = Decimal(before[-2]["value"]), Decimal(before[-1]["value"])
    implied = (new - old) / old * 100
    return implied, f"由{fmt(old)}到{fmt(new)}的增长为{implied:.2f}%"
