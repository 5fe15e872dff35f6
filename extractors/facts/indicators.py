"""Performance indicators -> IndicatorRow: targets and achieved values, from prose and tables.

Prose: a target is a figure (a percentage, count, money amount or a unit of rules/indicators.toml
such as 分钟 / 小时) with a comparator in an indicator context: a label (产出指标：…), a section
that sets targets (绩效目标), a target cue (要求 / 计划). A target restated in the results
(…97.8%，高于95%的目标值 / 目标值为不少于420套) is a reference: it is the target already stated
(same value and unit) and brings the figure before it as the actual. A figure with a strong
comparator outside any such context (建设内容：…不少于600个路口) counts only in a report that
states no target otherwise. An actual is a later figure of the target's unit in its sentence
read as a result (…，实际…超过1000个), else the first later figure whose name is close enough
(character bigrams, generic endings such as 率 left out). A figure stated with its result in its
sentence is a target wherever it stands: 道路3.5公里（实际完成3.8公里）, 满意度目标90%，调查结果为93.8%.
Text printed inside a ruled table is left to the table reader (indicator_tables.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from schemas.rows import IndicatorRow

from ..patterns import alternation
from ..rules import load
from .indicator_merge import merge_restated
from .indicator_names import bare_ending, clean_name, name_after, same_ending, similarity
from .indicator_tables import indicator_rules, met, parse_value, table_indicators
from .indicator_years import prose_year
from .tables import table_sentences
from .view import DocView

__all__ = ["clean_name", "met", "parse_value", "prose_indicators", "similarity", "view_to_indicators"]


@cache
def _rules() -> dict:
    r = dict(indicator_rules())
    r["before_re"] = re.compile(alternation(r["before"]))
    r["after_re"] = re.compile(rf"\s*({alternation(r['after'])})")
    numbering = "|".join(h["pattern"] for h in load("structure")["heading"])
    labels = r["categories"] + r["generic_labels"]
    r["label_re"] = re.compile(rf"^(?:{numbering})?\s*(?:{r['label_prefix_pattern']})?({alternation(labels)})"
                               rf"\s*(?:{alternation(r['list_words'])})?\s*[：:]")
    # a comma between digits groups thousands (8,236人), it separates no clauses
    r["clause_re"] = re.compile(f"[{re.escape(r['clause_separators'])}](?<!\\d,(?=\\d{{3}}))|{r['clause_bracket_close']}")
    magnitude = alternation(list(r["unit_prefixes"]))
    r["unit_re"] = re.compile(rf"(?<![\d.,])(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>(?:{magnitude})?(?:{alternation(r['units'])}))")
    r["ref_after_re"] = re.compile(r["reference_after_pattern"])
    r["counted_re"] = re.compile(r["counted_after_pattern"])
    r["result_bracket_re"] = re.compile(r["result_bracket_pattern"])
    r["target_word_re"] = re.compile(r["target_word_before_pattern"])
    r["money_target_re"] = re.compile(r["money_target_before_pattern"])
    r["as_targeted_re"] = re.compile(r["as_targeted_after_pattern"])
    # finds a clause holding any of these words (literals), else none of them is in it
    r["reference_before_re"] = re.compile(alternation(r["reference_before"]))
    r["after_words"] = tuple(r["after"])
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
    role: str = ""          # target | weak | ref | actual | dropped | "" (not used yet)
    strong: bool = False    # the comparator states a target's direction (不低于, ≥, 以上)
    year: int | None = None  # the year the target is set for, where the text says it
    before: str = ""        # the comparison word before the figure (达到, 不低于)
    as_targeted: bool = False   # stated equal to its target (…100%，与目标一致): target and result
    written: str = ""       # a count's measure as written (`unit` may read it as another: 名 -> 人)


# --- reading the figures ----------------------------------------------------------------

def _as_written(view: DocView, m: dict) -> tuple[Decimal, str]:
    """A count in the unit it is written in: 1.36万人次 -> (1.36, 万人次), as tables print it."""
    for magnitude, factor in _rules()["unit_prefixes"].items():
        if re.search(rf"{magnitude}\s*{re.escape(m['measure'])}", view.text[m["char_start"]:m["char_end"]]):
            return m["value"] / Decimal(factor), magnitude + m["measure"]
    return m["value"], m["measure"]


def _quantities(view: DocView) -> list[Quantity]:
    out = [Quantity(m["char_start"], m["char_end"], m["value"], "%", m["sentence_id"]) for m in view.percentages]
    same = _rules()["same_measures"]
    for m in view.counts:       # 名 counts as 人 when paired; the row keeps the unit as written where both agree
        value, unit = _as_written(view, m)
        out.append(Quantity(m["char_start"], m["char_end"], value, same.get(unit, unit), m["sentence_id"], written=unit))
    out += [Quantity(m["char_start"], m["char_end"], m["value_wan"], _rules()["money_unit"], m["sentence_id"])
            for m in view.amounts]
    taken = [(q.start, q.end) for q in out]
    for m in _rules()["unit_re"].finditer(view.text):          # 10分钟, 4小时: units no mention reads
        s = view.sentence_at(m.start())
        if s and m.end() <= s.end and not any(a < m.end() and m.start() < b for a, b in taken):
            out.append(Quantity(m.start(), m.end(), Decimal(m.group("num")), m.group("unit"), s.index))
    skip = table_sentences(view) if view.tables else set()
    return sorted((q for q in out if q.sentence >= 0 and q.sentence not in skip), key=lambda q: q.start)


def _clause_start(view: DocView, q: Quantity) -> int:
    s = view.sentences[q.sentence]
    cuts = [m.end() for m in _rules()["clause_re"].finditer(view.text, s.start, q.start)]
    return cuts[-1] if cuts else s.start


def _name_elsewhere(view: DocView, q: Quantity, start: int) -> str:
    """The name of a figure whose clause names nothing: the words after it (6个助餐点全部运营),
    else the clause before it in its sentence (按月开展全面巡检，全年共12次)."""
    s = view.sentences[q.sentence]
    end = _rules()["clause_re"].search(view.text, q.end, s.end)
    after = name_after(view.text[q.end:end.start() if end else s.end])
    if after or start <= s.start:
        return after
    cuts = [m.end() for m in _rules()["clause_re"].finditer(view.text, s.start, start - 1)]
    return clean_name(view.text[cuts[-1] if cuts else s.start:start - 1])


def _comparator(view: DocView, q: Quantity, start: int) -> tuple[str, bool, str]:
    """(comparator, strong, word before): a directional word before the figure wins over 以上/以内 after it."""
    r = _rules()
    words = list(r["before_re"].finditer(view.text, start, q.end))
    before = words[-1].group() if words else ""
    raw = view.text[q.start:q.end]
    after = r["after_re"].match(view.text, q.end)       # 以上 after the mention, or inside it
    if after:
        after_word = after.group(1)
    elif raw.endswith(r["after_words"]):                # inside the mention (95%以上)
        after_word = next(w for w in r["after"] if raw.endswith(w))
    else:
        after_word = None
    directional = r["before"].get(before, "=")
    if directional != "=":
        return directional, before in r["strong_before"], before
    if after_word:
        return r["after"][after_word], True, before
    return "=", False, before


def _section_sets_targets(section: str) -> bool:
    """A heading above names the targets (绩效目标) and is not a report on them (…完成情况)."""
    words, exclusions = _rules()["target_sections"], _rules()["section_exclusions"]
    return any(any(w in h for w in words) and not any(x in h for x in exclusions) for h in section.split(" > "))


def _category(view: DocView, q: Quantity) -> str | None:
    """The label of the sentence or of the paragraph's first sentence (产出指标：… / 产出目标：…；
    预警信息发布准确率不低于95%), else the nearest heading naming a category."""
    r = _rules()
    k = q.sentence
    while k > 0 and "\n" not in view.text[view.sentences[k - 1].end:view.sentences[k].start] \
            and not r["label_re"].match(view.sentences[k].text):
        k -= 1
    label = r["label_re"].match(view.sentences[k].text)
    if label:
        found = r["label_categories"].get(label.group(1), label.group(1))
        if found in r["categories"]:
            return found
    categories = sorted(r["categories"], key=len, reverse=True)
    section = view.sentences[q.sentence].section
    return next((c for h in reversed(section.split(" > ")) for c in categories if c in h), None)


def _is_reference(view: DocView, q: Quantity) -> bool:
    """目标值为不少于420套 (the word governs the next figure only) / 高于95%的目标值."""
    r = _rules()
    word = r["reference_before_re"].search(q.clause)
    lead = view.text[view.sentences[q.sentence].start:q.start]
    if word and re.search(r["label_then_target_pattern"], lead[:lead.rfind(word.group())]):
        return False            # 完赛率：目标值≥90%，实际…: the label's own target
    before = word is not None and any(
        w in q.clause and not re.search(r"\d", q.clause[q.clause.rfind(w):]) for w in r["reference_before"])
    return before or bool(r["ref_after_re"].match(view.text, q.end))


def _labelled(view: DocView, k: int) -> bool:
    """The sentence opens with a label (产出指标：…), or continues a labelled list after ；."""
    label = _rules()["label_re"]
    while not label.match(view.sentences[k].text) and k > 0 and view.sentences[k - 1].text.rstrip().endswith("；") \
            and "\n" not in view.text[view.sentences[k - 1].end:view.sentences[k].start]:
        k -= 1
    return bool(label.match(view.sentences[k].text))


def _next_item(quantities: list[Quantity], i: int, start: int) -> bool:
    """A later clause of a labelled list states an indicator of its own (…：新建站点12座，验收
    合格率100%), unless it is a part (其中…), or the result of the one before (满意度为86.5%)."""
    q, r = quantities[i], _rules()
    prev = quantities[i - 1] if i else None
    if prev is None or prev.sentence != q.sentence or prev.start >= start:
        return False            # not the first figure of its clause
    if q.clause.lstrip().startswith(tuple(r["part_openers"])):
        return False
    same_unit = next((o for o in reversed(quantities[:i]) if o.sentence == q.sentence and o.unit == q.unit), None)
    return same_unit is None or not (similarity(same_unit.name, q.name) >= r["min_similarity"]
                                     or same_ending(same_unit.name, q.name))


def _listed(view: DocView, quantities: list[Quantity]) -> set[int]:
    """Sentences that list targets: labelled (产出指标：…), or in a section that sets targets with
    a figure stating a target's direction (（二）绩效目标 / 计划购置设备42台，验收合格率100%，
    到货及时率不低于95%)."""
    strong = {q.sentence for q in quantities if q.strong and q.comparator != "="
              and _section_sets_targets(view.sentences[q.sentence].section)}
    return strong | {k for k in {q.sentence for q in quantities} if _labelled(view, k)}


def _classify(view: DocView, quantities: list[Quantity]) -> None:
    r = _rules()
    starts = [_clause_start(view, q) for q in quantities]
    refs = []
    for q, start in zip(quantities, starts):
        q.clause = view.text[start:q.start]
        refs.append(_is_reference(view, q))
        q.name = clean_name(q.clause) or ("" if refs[-1] else _name_elsewhere(view, q, start))
        q.comparator, q.strong, q.before = _comparator(view, q, start)
        q.year = prose_year(view, q.sentence, q.start)
    listed, first_in_sentence = _listed(view, quantities), set()
    for i, q in enumerate(quantities):
        s, clause = view.sentences[q.sentence], q.clause
        item = q.sentence in listed and (q.sentence not in first_in_sentence or _next_item(quantities, i, starts[i])) \
            and not r["counted_re"].match(view.text, q.end)    # 共4个产出指标 counts indicators
        labelled = item and (_labelled(view, q.sentence) or q.unit != r["money_unit"])
        first_in_sentence.add(q.sentence)
        target_cue = any(w in clause for w in r["target_cues"])
        actual_cue = any(w in clause for w in r["actual_cues"])
        in_section = _section_sets_targets(s.section)
        if refs[i]:                                        # …，高于95%的目标值
            q.role = "ref"
        elif labelled and not actual_cue:                  # 产出指标：验收合格率100%
            q.role = "target"
        elif q.comparator != "=" and (target_cue or labelled or (in_section and not actual_cue)):
            q.role = "target"
        elif in_section and q.before in r["reach_words"] and not actual_cue:   # 绩效目标 / 合格率达到100%
            q.role = "target"
        elif q.comparator != "=" and q.strong and not actual_cue:
            q.role = "weak"
    for i, q in enumerate(quantities):
        if q.role in ("", "weak") and _stated_with_result(view, quantities, i):
            q.role = "target"
        elif q.role in ("", "weak") and q.name and r["as_targeted_re"].match(view.text, q.end):
            q.role, q.as_targeted = "target", True
    for i, q in enumerate(quantities):       # 满意度指标：满意度93%，高于90%的目标: 93% is the result
        prev = next((o for o in reversed(quantities[:i]) if o.sentence == q.sentence and o.unit == q.unit), None)
        if q.role == "ref" and prev is not None and prev.role == "target" and prev.comparator == "=":
            prev.role = ""


def _stated_with_result(view: DocView, quantities: list[Quantity], i: int) -> bool:
    """A figure with its result right after it in its sentence: in brackets (道路3.5公里（实际完成
    3.8公里）), or, when the figure states a target (以上 / 以内 / 目标85%), in a later clause read as
    a result (…，实际91.6%). Money is left alone (合同金额…（实际支付…）)."""
    r, q = _rules(), quantities[i]
    nxt = next((o for o in quantities[i + 1:] if o.sentence == q.sentence and o.unit == q.unit), None)
    money = q.unit == r["money_unit"]
    if (money and not r["money_target_re"].search(view.text[view.sentences[q.sentence].start:q.start])) \
            or not q.name or nxt is None or nxt.role:
        return False
    between = view.text[q.end:nxt.start]
    if r["result_bracket_re"].match(between) and not re.search(r"[）)]", between):
        return True                                 # the result inside the bracket, not after it
    states_target = q.strong or bool(r["target_word_re"].search(q.clause))
    later_clause = bool(r["clause_re"].search(view.text, q.end, nxt.start))
    return states_target and later_clause and any(w in nxt.clause for w in r["actual_cues"] + r["result_cues"])


def _row(view: DocView, target: Quantity, actual: Quantity | None, category: str | None) -> IndicatorRow:
    quote = lambda q: view.sentences[q.sentence].text  # noqa: E731
    return IndicatorRow(
        doc_id=view.doc_id, indicator_id=0, category=category, name=target.name,
        target_comparator=target.comparator, target=target.value, actual=actual.value if actual else None,
        unit=target.written if target.written and (actual is None or actual.written == target.written) else target.unit,
        year=target.year, met=met(target.comparator, target.value, actual.value if actual else None),
        deviation_reason=None, source="prose", target_page=view.page_of(target.start),
        target_quote=quote(target), actual_page=view.page_of(actual.start) if actual else None,
        actual_quote=quote(actual) if actual else None)


# --- pairing targets and actuals ------------------------------------------------------------

def _next_result(quantities: list[Quantity], i: int) -> Quantity | None:
    """The figure after quantities[i] in its sentence, of its unit, when it reads as the result."""
    r, q = _rules(), quantities[i]
    nxt = next((o for o in quantities[i + 1:] if o.sentence == q.sentence and o.unit == q.unit), None)
    if nxt is not None and not nxt.role and (any(w in nxt.clause for w in r["actual_cues"] + r["result_cues"])
                                             or _closeness(q.name, nxt.name) >= r["min_similarity"]):
        return nxt
    return None


def _continues(view: DocView, k: int) -> bool:
    """Sentence k goes on from the one before it after a ； in the same paragraph."""
    return k > 0 and view.sentences[k - 1].text.rstrip().endswith(("；", ";")) \
        and "\n" not in view.text[view.sentences[k - 1].end:view.sentences[k].start]


def _before_ref(view: DocView, quantities: list[Quantity], i: int) -> Quantity | None:
    """The figure of a reference's unit before it in its sentence (97.8%，高于95%的目标值): of
    several, one of the latest year stated (2024年8,236人，2023年8,015人，目标为…: not the year
    compared with), then the closest name (带动156人，其中脱贫人口97人；原计划带动不少于120人),
    then the nearest."""
    q = quantities[i]
    before = [(k, o) for k, o in enumerate(quantities[:i]) if o.sentence == q.sentence and o.unit == q.unit
              and not o.role]
    if not before and _continues(view, q.sentence):      # …，带动156人…；原计划带动不少于120人
        before = [(k, o) for k, o in enumerate(quantities[:i]) if o.sentence == q.sentence - 1
                  and o.unit == q.unit and not o.role]
    latest = max((o.year for _, o in before if o.year), default=None)
    before = [(k, o) for k, o in before if latest is None or o.year in (None, latest)]
    return max(before, key=lambda ko: (similarity(ko[1].name, q.name), ko[0]))[1] if before else None


def _closeness(target: str, later: str) -> float:
    """How close a later figure's name is to a target's: a bare 合格率 / 整改率 reporting on
    工程验收合格率 / 安全漏洞整改率 (only its ending) is close enough."""
    r = _rules()
    return max(similarity(target, later), r["min_similarity"] if bare_ending(later, target) else 0.0)


def _pair(pair: list, actual: Quantity | None) -> None:
    if actual is not None and pair[1] is None:
        pair[1] = actual
        actual.role = "actual"


def _pair_later(pairs: list[list], quantities: list[Quantity]) -> None:
    """Targets still without an actual take a figure of their unit in a later sentence, the
    closest names first (设备验收合格率100% over 验收合格后支付至90% stated before it)."""
    candidates = sorted(((-_closeness(p[0].name, q.name), q.start, k, j) for k, p in enumerate(pairs)
                         for j, q in enumerate(quantities) if not q.role and p[1] is None
                         and p[0].unit == q.unit and p[0].sentence < q.sentence), key=lambda c: c[:2])
    for score, _, k, j in candidates:
        if -score >= _rules()["min_similarity"] and pairs[k][1] is None and not quantities[j].role:
            _pair(pairs[k], quantities[j])


def prose_indicators(view: DocView, stated_elsewhere: bool = False) -> list[IndicatorRow]:
    r = _rules()
    quantities = _quantities(view)
    _classify(view, quantities)
    stated = stated_elsewhere or any(q.role == "target" for q in quantities)
    for q in quantities:
        if q.role == "weak":
            q.role = "dropped" if stated else "target"
    pairs: list[list] = []          # [target, actual | None]
    for i, q in enumerate(quantities):
        if q.role != "target":
            continue
        same = next((p for p in pairs if (p[0].unit, p[0].value, p[0].comparator, p[0].year or q.year)
                     == (q.unit, q.value, q.comparator, q.year or p[0].year)
                     and similarity(p[0].name, q.name) >= r["restated_similarity"]), None)
        pair = same or [q, q if q.as_targeted else None]
        if same is None:
            pairs.append(pair)
        _pair(pair, _next_result(quantities, i))
    for i, q in enumerate(quantities):
        if q.role != "ref":
            continue
        actual = _before_ref(view, quantities, i)
        if not q.name and actual is not None:
            q.name = actual.name    # …93.5%，达到不低于90%的目标: named by the figure before
        same = [p for p in pairs if (p[0].unit, p[0].value) == (q.unit, q.value)]
        if same:                    # the stated target of that value, the closest name first
            pair = max(same, key=lambda p: (similarity(p[0].name, q.name), p[1] is None))
        else:                       # a target stated only where it is reported on: 高于 / 未达到
            q.comparator = q.comparator if q.strong else "="    # relate the result to it
            pair = [q, None]
            pairs.append(pair)
        _pair(pair, actual or _next_result(quantities, i))
    _pair_later(pairs, quantities)
    return [_row(view, t, a, _category(view, t)) for t, a in sorted(pairs, key=lambda p: p[0].start)]


def view_to_indicators(view: DocView) -> list[IndicatorRow]:
    tables = table_indicators(view)
    rows = merge_restated(prose_indicators(view, stated_elsewhere=bool(tables)), tables) + tables
    for i, row in enumerate(rows, 1):
        row["indicator_id"] = i
    return rows
