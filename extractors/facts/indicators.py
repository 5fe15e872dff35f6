"""Performance indicators -> IndicatorRow: targets and achieved values, from prose and tables.

Prose: a target is a percentage, count or money amount with a comparator in an indicator
context (产出指标：…达到820个以上 / a 绩效目标 section / 要求 / 不低于 …). Its actual is a later
figure of the same unit in the same sentence (…，实际…超过1000个), else the first later figure
whose indicator name is close enough (character bigrams, generic endings such as 率 left out).
Tables: the standard indicator table (一级/二级/三级指标, 年度指标值, 实际完成值, 偏差原因).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from schemas.rows import IndicatorRow

from ..patterns import alternation
from ..rules import load
from .scores import table_records
from .view import DocView


@cache
def _rules() -> dict:
    r = dict(load("indicators"))
    pct = load("percentages")
    r["before"] = {w: c for c, words in pct["before"].items() for w in words}
    r["after"] = {w: c for c, words in pct["after"].items() for w in words}
    r["before_re"] = re.compile(alternation(r["before"]))
    r["after_re"] = re.compile(rf"\s*({alternation(r['after'])})")
    r["verb_re"] = re.compile(alternation(r["name_verbs"]))
    r["prefix_re"] = re.compile(r["name_prefix_pattern"])
    numbering = "|".join(h["pattern"] for h in load("structure")["heading"])
    r["label_re"] = re.compile(rf"^(?:{numbering})?\s*({alternation(r['categories'] + r['generic_labels'])})\s*[：:]")
    r["clause_re"] = re.compile(f"[{re.escape(r['clause_separators'])}]")
    r["value_re"] = re.compile(r["table"]["value_pattern"])
    return r


@dataclass
class Quantity:
    start: int
    end: int
    value: Decimal
    unit: str
    sentence: int
    comparator: str = "="
    name: str = ""
    clause: str = ""        # the clause up to the figure
    role: str = ""          # target | actual | "" (not used yet)


def clean_name(prefix: str) -> str:
    """The noun phrase of a clause before its figure: 一是…的覆盖率达到 -> 覆盖率."""
    r = _rules()
    name = r["prefix_re"].sub("", prefix.strip())
    for m in r["verb_re"].finditer(name):
        if m.start() >= 2:
            name = name[:m.start()]
            break
    cut = max(name.rfind(c) for c in r["name_cut_chars"])
    if 0 <= cut < len(name) - 2:
        name = name[cut + 1:]
    return r["prefix_re"].sub("", name).strip() or prefix.strip()


def _stem(name: str) -> str:
    """The name without its generic endings (覆盖率 -> 覆盖), at least two characters left."""
    suffixes = sorted(_rules()["name_suffixes"], key=len, reverse=True)
    while s := next((x for x in suffixes if name.endswith(x) and len(name) - len(x) >= 2), None):
        name = name[: -len(s)]
    return name


def similarity(a: str, b: str) -> float:
    """Dice coefficient of the character bigrams of two names without their generic endings."""
    def grams(s: str) -> set[str]:
        s = _stem(s)
        return {s[i:i + 2] for i in range(len(s) - 1)} or {s}
    ga, gb = grams(a), grams(b)
    return 2 * len(ga & gb) / (len(ga) + len(gb)) if ga and gb else 0.0


# --- prose -------------------------------------------------------------------------------------

def _quantities(view: DocView) -> list[Quantity]:
    out = [Quantity(m["char_start"], m["char_end"], m["value"], "%", m["sentence_id"]) for m in view.percentages]
    out += [Quantity(m["char_start"], m["char_end"], m["value"], m["measure"], m["sentence_id"]) for m in view.counts]
    out += [Quantity(m["char_start"], m["char_end"], m["value_wan"], _rules()["money_unit"], m["sentence_id"])
            for m in view.amounts]
    return sorted((q for q in out if q.sentence >= 0), key=lambda q: q.start)


def _clause_start(view: DocView, q: Quantity) -> int:
    s = view.sentences[q.sentence]
    cuts = [m.end() for m in _rules()["clause_re"].finditer(view.text, s.start, q.start)]
    return cuts[-1] if cuts else s.start


def _comparator(view: DocView, q: Quantity, start: int) -> tuple[str, bool]:
    """(comparator, strong): a directional word before the figure wins over 以上/以内 after it."""
    r = _rules()
    words = list(r["before_re"].finditer(view.text, start, q.end))
    before = words[-1].group() if words else ""
    raw = view.text[q.start:q.end]
    after = r["after_re"].match(view.text, q.end)       # 以上 after the mention, or inside it
    after_word = after.group(1) if after else next((w for w in r["after"] if raw.endswith(w)), None)
    directional = r["before"].get(before, "=")
    if directional != "=":
        return directional, before in r["strong_before"]
    if after_word:
        return r["after"][after_word], True
    return "=", False


def _section_sets_targets(section: str) -> bool:
    """A heading above names the targets (绩效目标) and is not a report on them (…完成情况)."""
    words, exclusions = _rules()["target_sections"], _rules()["section_exclusions"]
    return any(any(w in h for w in words) and not any(x in h for x in exclusions) for h in section.split(" > "))


def _category(view: DocView, q: Quantity) -> str | None:
    """The sentence's label (产出指标：…), else the nearest heading naming a category."""
    s = view.sentences[q.sentence]
    label = _rules()["label_re"].match(s.text)
    if label and label.group(1) in _rules()["categories"]:
        return label.group(1)
    categories = sorted(_rules()["categories"], key=len, reverse=True)
    return next((c for h in reversed(s.section.split(" > ")) for c in categories if c in h), None)


def _classify(view: DocView, quantities: list[Quantity]) -> None:
    r = _rules()
    first_in_sentence: set[int] = set()
    for q in quantities:
        start = _clause_start(view, q)
        q.clause = clause = view.text[start:q.start]
        q.name = clean_name(clause)
        q.comparator, strong = _comparator(view, q, start)
        s = view.sentences[q.sentence]
        labelled = bool(r["label_re"].match(s.text)) and q.sentence not in first_in_sentence
        first_in_sentence.add(q.sentence)
        target_cue = any(w in clause for w in r["target_cues"])
        actual_cue = any(w in clause for w in r["actual_cues"])
        context = strong or _section_sets_targets(s.section)
        if labelled and not actual_cue:      # 产出指标：验收合格率100%
            q.role = "target"
        elif q.comparator != "=" and (target_cue or labelled or (context and not actual_cue)):
            q.role = "target"


def _row(view: DocView, target: Quantity, actual: Quantity | None, category: str | None) -> IndicatorRow:
    quote = lambda q: view.sentences[q.sentence].text  # noqa: E731
    return IndicatorRow(
        doc_id=view.doc_id, indicator_id=0, category=category, name=target.name,
        target_comparator=target.comparator, target=target.value, actual=actual.value if actual else None,
        unit=target.unit, met=met(target.comparator, target.value, actual.value if actual else None),
        deviation_reason=None, source="prose", target_page=view.page_of(target.start),
        target_quote=quote(target), actual_page=view.page_of(actual.start) if actual else None,
        actual_quote=quote(actual) if actual else None)


def met(comparator: str | None, target: Decimal | None, actual: Decimal | None) -> bool | None:
    """Whether the actual satisfies the target ("=" reads as "at least")."""
    if target is None or actual is None:
        return None
    return {"<=": actual <= target, "<": actual < target, ">": actual > target}.get(comparator or "=", actual >= target)


def prose_indicators(view: DocView) -> list[IndicatorRow]:
    r = _rules()
    quantities = _quantities(view)
    _classify(view, quantities)
    pairs: list[list] = []          # [target, actual | None]
    for i, q in enumerate(quantities):
        if q.role != "target":
            continue
        same = next((p for p in pairs if (p[0].unit, p[0].value, p[0].comparator) == (q.unit, q.value, q.comparator)
                     and similarity(p[0].name, q.name) >= r["restated_similarity"]), None)
        pair = same or [q, None]
        if same is None:
            pairs.append(pair)
        nxt = next((o for o in quantities[i + 1:] if o.sentence == q.sentence and o.unit == q.unit), None)
        if nxt is not None and nxt.role != "target" and pair[1] is None and (
                any(w in nxt.clause for w in r["actual_cues"] + r["result_cues"])
                or similarity(q.name, nxt.name) >= r["min_similarity"]):
            pair[1] = nxt
            nxt.role = "actual"
    for q in quantities:
        if q.role:
            continue
        open_ = [p for p in pairs if p[1] is None and p[0].unit == q.unit and p[0].sentence < q.sentence]
        scored = [(similarity(p[0].name, q.name), k) for k, p in enumerate(open_)]
        best = max(scored, default=(0.0, -1))
        if best[0] >= r["min_similarity"]:
            open_[best[1]][1] = q
    return [_row(view, t, a, _category(view, t)) for t, a in pairs]


# --- tables (read with scores.table_records) ---------------------------------------------

def parse_value(cell: str | None) -> tuple[str, Decimal, str | None] | None:
    """`≥95%` -> ('>=', 95, '%'); money -> 万元; words -> None."""
    r = _rules()
    m = r["value_re"].match(re.sub(r"\s+", "", cell or ""))
    if not m:
        return None
    comparator = r["before"].get(m.group("cmp") or "", "=")
    if comparator == "=" and m.group("after"):
        comparator = r["after"].get(m.group("after"), "=")
    value, unit = Decimal(m.group("num")), m.group("unit").replace("％", "%") or None
    factor = r["table"]["money"].get(unit or "")
    if factor:
        value, unit = value * Decimal(factor), r["money_unit"]
    return comparator, value, unit


def table_indicators(view: DocView) -> list[IndicatorRow]:
    r = _rules()
    out = []
    for table in view.tables:
        for row, own, cells in table_records(table, r["table"]["columns"]):
            name = own.get("level3")
            if not name or any(t in (c or "") for c in row for t in r["table"]["total_rows"]):
                continue
            target, actual = parse_value(cells.get("target")), parse_value(cells.get("actual"))
            if not target and not actual:
                continue
            comparator = target[0] if target else None
            unit = (target or actual)[2] or (actual or target)[2]
            t_val, a_val = (target[1] if target else None), (actual[1] if actual else None)
            quote = " | ".join(c for c in row if c)
            category = " > ".join(c for c in (cells.get("level1"), cells.get("level2")) if c) or None
            out.append(IndicatorRow(
                doc_id=view.doc_id, indicator_id=0, category=category, name=name,
                target_comparator=comparator, target=t_val, actual=a_val, unit=unit,
                met=met(comparator, t_val, a_val), deviation_reason=cells.get("reason"), source="table",
                target_page=table.page if target else None, target_quote=quote if target else None,
                actual_page=table.page if actual else None, actual_quote=quote if actual else None))
    return out


def view_to_indicators(view: DocView) -> list[IndicatorRow]:
    rows = prose_indicators(view) + table_indicators(view)
    for i, row in enumerate(rows, 1):
        row["indicator_id"] = i
    return rows
