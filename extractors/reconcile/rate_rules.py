"""Rates: a stated percentage against the one its figures give (执行率, 到位率, 支付完成率; a growth or a
fall against its two figures in growth.py).

The operands are found, in this order: in the rate's own sentence by the words of their clauses
(决算数2013.49万元 is executed, 调整预算2051.64万元 the budget); in a table row of the same source
or year (中央补助资金 | 全年预算数 | 全年执行数); in the report's one figure of that role and scope.
Operands from the sentence or its table row make a mismatch an `error`; from elsewhere a
`warning`. A percentage that is a threshold or a range (80%（含）至90%之间) is not a rate.
An operand read in the sentence must be of the rate's own scope: one source's or one batch's figure
is no operand of a rate of the whole (中央资金a下达…市级资金c拨付，到位率100%); such a check is
`unverifiable` with the reason, never a finding."""
from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from ..rules import load
from .findings import fmt, make, unverifiable
from .growth import growth
from .inputs import DocumentFacts
from .scope import clause_before, in_list, one_value, scope_of, source_in, whole_figures
from .scope import words as scope_words
from .years import year_rows


@cache
def _rules() -> tuple[dict, Decimal, dict]:
    r = load("reconcile")
    return r["rates"], Decimal(r["rate_points"]), r["rate_operands"]


def _kind_of_rate(before: str) -> str | None:
    """Which rate a percentage is, from the words just before it (longest word first)."""
    rates, _, _ = _rules()
    hits = [(len(w), name) for name, spec in rates.items() for w in spec["words"] if before.endswith(w)
            or w in before[-len(w) - 3:]]
    return max(hits)[1] if hits else None


def _decimals(raw: str) -> int:
    digits = raw.split("%")[0].rstrip()
    return len(digits.split(".")[1]) if "." in digits else 0


def _holds(stated: Decimal, implied: Decimal, raw: str) -> bool:
    _, points, _ = _rules()
    quant = Decimal(1).scaleb(-_decimals(raw))
    return abs(stated - implied) <= points or abs(stated - implied.quantize(quant, ROUND_HALF_UP)) <= points


def _role(label: str, after: str, name: str) -> str | None:
    """numerator | denominator: the role word that ends nearest the figure in its clause (or, for
    8635万元均已拨付到位, the word right after it)."""
    _, _, operands = _rules()
    spec = operands[name]
    best = None
    for role in ("numerator", "denominator"):
        for w in spec[role]:
            pos = label.rfind(w)
            if pos >= 0 and (best is None or pos + len(w) > best[0]):
                best = (pos + len(w), role)
    if best:
        return best[1]
    for role in ("numerator", "denominator"):
        if any(w in after[:8] for w in spec[role]):
            return role
    return None


def _in_sentence(r: DocumentFacts, p: dict, sentence: dict, name: str) -> dict:
    """numerator / denominator amounts of the rate's sentence, before the percentage; the total
    before a 其中 rather than the parts after it."""
    text, start = sentence["text"], sentence["char_start"]
    found: dict[str, list] = {"numerator": [], "denominator": []}
    for a in r.amounts_in(p["sentence_id"]):
        pos = a["char_start"] - start
        if a["char_end"] > p["char_start"]:
            continue
        role = _role(clause_before(text, pos), text[a["char_end"] - start:], name)
        if role:
            found[role].append(a)
    for role, items in found.items():
        whole = [a for a in items if not in_list(text, a["char_start"] - start)]
        found[role] = whole or items
    return found


def _table_operand(r: DocumentFacts, label: str, year: int | None, name: str) -> tuple[Decimal, Decimal, dict] | None:
    """(numerator, denominator, evidence) from the one table row of the same source or year."""
    spec = _rules()[2][name]
    source = source_in(label)
    if not source and year is None:
        return None
    candidates = []
    for t in r.tables:
        for s in t.sections:
            num = next((c for c in (s.column(w, avoid=("率",)) for w in spec["table_numerator"]) if c is not None), None)
            den = next((c for c in (s.column(w, avoid=("率",)) for w in spec["table_denominator"]) if c is not None), None)
            if num is None or den is None or num == den:
                continue
            for row in s.rows:
                same = source_in(row.label) == source if source else row.name.startswith(str(year))
                cells = [row.cells[i] if i < len(row.cells) else None for i in (num, den)]
                if same and all(c is not None and c.number is not None for c in cells) and cells[1].number:
                    candidates.append((cells[0].number, cells[1].number,
                                       {"page": row.page, "quote": row.text, "side": "table"}))
    return candidates[0] if len({(a, b) for a, b, _ in candidates}) == 1 else None


def _document_operand(r: DocumentFacts, kinds: list[str], prefer: list[str], one_year: bool = False):
    """The report's one figure of `kinds` for the whole project; for a rate of one year's figures,
    not a total over several years (总投资 of a multi-year project is no year's budget)."""
    # a figure put in a year is no whole-project figure when the money of the report (not a contract
    # signed in an earlier year under a framework agreement) spans several years
    years = {g.year for g in r.of_kind(*_rules()[2]["flow_kinds"]) if g.year}
    facts = [f for f in whole_figures(r, tuple(kinds)) if f.year_source != "stated" or len(years) <= 1]
    if one_year:
        words = _rules()[2]["multi_year"] + load("reconcile")["sums"]["cumulative_words"]
        several = [f for f in facts if any(w in (f.trigger or "") or w in scope_of(r, f).label for w in words)]
        facts = [f for f in facts if f not in several]
        if several and not facts:
            return f"报告未给出该年度的数（{fmt(several[0].wan)}万元是多年的总额）"
    found = one_value(facts)
    if isinstance(found, str):
        preferred = [f for f in facts if any(w in f.sentence for w in prefer)]
        found = one_value(preferred) if preferred else found
    return found


def _threshold(sentence: str, p: dict, start: int) -> bool:
    _, _, operands = _rules()
    after = sentence[p["char_end"] - start:p["char_end"] - start + 4]
    before = sentence[max(0, p["char_start"] - start - 4):p["char_start"] - start]
    return any(after.startswith(w) for w in operands["threshold_after"]) or any(
        before.endswith(w) for w in operands["threshold_before"])


def rates(r: DocumentFacts) -> list[dict]:
    out = []
    specs, _, _ = _rules()
    for p in r.percentages:
        sentence = r.sentence(p["sentence_id"])
        if sentence is None or p["comparator"] != "=" or p["value_high"] is not None:
            continue
        start = sentence["char_start"]
        if _threshold(sentence["text"], p, start):
            continue
        pos = p["char_start"] - start
        before = sentence["text"][max(0, pos - 12):pos]
        name = _kind_of_rate(before)
        if name is None:
            continue
        stated = Decimal(p["value"])
        evidence = [{"page": p["page"], "quote": sentence["text"], "side": "stated"}]
        if name in ("growth", "decline"):
            found = growth(r, p, sentence, decline=name == "decline")
            if found is None:
                continue
            if isinstance(found, str):
                said = f"报告称{'下降' if name == 'decline' else '增长'}{p['raw']}"
                out.append(unverifiable(r.doc_id, f"rate_{name}", "rate_mismatch", said, found, [stated], evidence))
                continue
            implied, message, rough = found
            if rough and not _holds(stated, implied, p["raw"]):
                out.append(unverifiable(r.doc_id, f"rate_{name}", "rate_mismatch", f"报告称{p['raw']}，{message}", rough,
                                        [stated], evidence))
                continue
            severity = "error"
        else:
            found = _operands(r, p, sentence, name, specs[name])
            if found is None:
                continue
            if isinstance(found, str):
                out.append(unverifiable(r.doc_id, f"rate_{name}", "rate_mismatch",
                                        f"报告称{specs[name]['words'][0]}{p['raw']}", found, [stated], evidence))
                continue
            num, den, extra, severity = found
            implied = num / den * 100
            message = f"{specs[name]['words'][0]}应为{fmt(num)}÷{fmt(den)}={implied:.2f}%"
            evidence += extra
        holds = _holds(stated, implied, p["raw"])
        out.append(make(r.doc_id, f"rate_{name}", "rate_mismatch", f"报告称{p['raw']}，{message}",
                        [stated, implied.quantize(Decimal("0.01"), ROUND_HALF_UP)], holds=holds, severity=severity,
                        expected=implied.quantize(Decimal("0.0001")), actual=stated, evidence_rows=evidence))
    return out


def _operands(r: DocumentFacts, p: dict, sentence: dict, name: str, spec: dict):
    """(numerator, denominator, evidence, severity), None (nothing to check) or why not."""
    found = _in_sentence(r, p, sentence, name)
    nums, dens = found["numerator"], found["denominator"]
    here = lambda side: {"page": sentence["page"], "quote": sentence["text"], "side": side}  # noqa: E731
    if nums and dens:
        return Decimal(nums[-1]["value_wan"]), Decimal(dens[-1]["value_wan"]), [here("numerator"), here("denominator")], "error"
    rest = _remainder(r, sentence, spec_words(name).get("remainder", []), nums)
    if rest is not None:
        num = Decimal(nums[-1]["value_wan"])
        return num, num + rest, [here("numerator"), here("denominator")], "error"
    start = sentence["char_start"]
    label = clause_before(sentence["text"], p["char_start"] - start)
    gap = _scope_gap(r, p, sentence, nums or dens, label)
    if gap:
        return gap
    if nums:
        label = clause_before(sentence["text"], nums[-1]["char_start"] - start) + label
    year = _year_in(label) or _year_in(sentence["text"])
    table = _table_operand(r, label, year, name)
    if table and (not nums or _same_figure(table[0], nums[-1])):
        return table[0], table[1], [table[2]], "warning"
    several_years = len({y for y, _, _ in year_rows(r)}) > 1 or len({f.year for f in r.facts if f.year}) > 1
    if source_in(label) or (year is not None and several_years):
        return "该比率属于某一资金来源或年度，报告未给出同一口径的分子和分母"
    one_year = year is not None or any(w in sentence["text"] for w in _rules()[2]["one_year"])
    extra = [here("numerator")] if nums else []
    if nums:
        num = Decimal(nums[-1]["value_wan"])
    else:
        found = _document_operand(r, spec["numerator"], [], one_year)
        if not isinstance(found, tuple):
            return found
        num, extra = found[0], [found[1][0].quote("numerator")]
    den = _document_operand(r, spec["denominator"], _rules()[2]["prefer_denominator"], one_year)
    if not isinstance(den, tuple):
        return den
    if not den[0]:
        return None
    return num, den[0], extra + [den[1][0].quote("denominator")], "warning"


def spec_words(name: str) -> dict:
    return _rules()[2][name]


def _remainder(r: DocumentFacts, sentence: dict, words: list[str], nums: list) -> Decimal | None:
    """The figure that, with the numerator, makes up the rate's base: the last amount before the
    numerator whose clause names one of `words` (中标金额X，节约资金Y，节约率Z: the base is X + Y)."""
    if not words or not nums:
        return None
    text, start = sentence["text"], sentence["char_start"]
    before = [a for a in r.amounts_in(sentence["sentence_id"]) if a["char_end"] <= nums[-1]["char_start"]]
    hits = [a for a in before if any(w in clause_before(text, a["char_start"] - start) for w in words)]
    return Decimal(hits[-1]["value_wan"]) if hits else None


def _operand_scope(r: DocumentFacts, a: dict, text: str, start: int) -> tuple[str | None, bool]:
    """(source, one batch) of an amount of the rate's sentence: the source of the fact read on it,
    else the one its clause names; a batch when its clause says so (第一批, 提前下达)."""
    label = clause_before(text, a["char_start"] - start)
    fact = next((f for f, e in r.by_sentence.get(a["sentence_id"], [])
                 if e["char_start"] is not None and a["char_start"] <= e["char_start"] < a["char_end"]), None)
    source = (fact.source if fact else None) or source_in(label)
    return source, any(w in label for w in scope_words()["batch"])


def _scope_gap(r: DocumentFacts, p: dict, sentence: dict, operands: list, rate_label: str) -> str | None:
    """Why an operand read in the rate's sentence is not of the rate's scope, None when it is. The
    rate's clause (资金到位率100%) names its source or none (the whole); an operand of one source or
    one batch, or one of several figures of different sources listed before the rate, is not the
    whole's figure (中央资金a下达，省级资金b下达，市级资金c拨付，到位率100%: c is one source's)."""
    if not operands:
        return None
    text, start = sentence["text"], sentence["char_start"]
    source, batch = _operand_scope(r, operands[-1], text, start)
    figure = f"{fmt(Decimal(operands[-1]['value_wan']))}万元"
    if batch:
        return f"{figure}只是其中一批资金，比率的分子和分母不是同一口径"
    before = [a for a in r.amounts_in(p["sentence_id"]) if a["char_end"] <= p["char_start"]]
    named = {_operand_scope(r, a, text, start)[0] for a in before} - {None}
    listed = {_operand_scope(r, a, text, start)[0] for a in before if not in_list(text, a["char_start"] - start)} - {None}
    # the rate is of the source its clause names, else of the one source its sentence is about
    rate_source = source_in(rate_label) or (next(iter(named)) if len(named) == 1 else None)
    if source and rate_source is None:
        return f"{figure}只是一个资金来源的数，比率未限定来源，报告未给出同一口径的分子和分母"
    if any(w in clause_before(text, operands[-1]["char_start"] - start) for w in load("reconcile")["sums"]["total_words"]):
        return None                                 # 累计到位资金860万元: the sum of the figures listed
    if rate_source is None and len(listed) > 1:
        return "句中列出了多个资金来源的金额，比率的分子和分母不能对应到同一口径"
    return None


def _year_in(text: str) -> int | None:
    """The one year a text names (2021年度预算执行率), None for none or several."""
    years = set(re.findall(r"((?:19|20)\d{2})年度?(?![\d一二三四五六七八九十]{1,2}月)", text))
    return int(years.pop()) if len(years) == 1 else None


def _same_figure(value: Decimal, amount: dict) -> bool:
    """A table cell (in the table's unit) and a prose amount (万元) that are the same figure."""
    wan = Decimal(amount["value_wan"])
    return any(abs(value * k - wan) < Decimal("0.005") for k in (Decimal(1), Decimal("0.0001"), Decimal(10000)))
