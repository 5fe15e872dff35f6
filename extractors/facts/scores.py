"""Score sheets -> ScoreRow: prose items, the items listed after them, the total, score tables.

Prose items are numbered heading-like lines `（一）项目决策：20分`, `1.项目目标（4分）：得3分`,
`（1）目标内容：满分4分，得4分`; the name loses its numbering, the level is the rank of its
numbering among the sheet's items, the parent is the enclosing item. A stated score (an item
or the total) may go on with the items below it: `其中项目立项6分；绩效目标5分，…扣1分；…`
(`name N分` clauses up to the end of the paragraph; `扣1分` is a deduction, not an item), also
in a later sentence of the paragraph, past sentences without points (`等级：优。`), that may
name the list first (`四个一级指标的得分分别是：决策18分，…`). The
total is `综合得分98分` (name 总分, level 0). Items named first may be scored after, in order
(`决策、过程两项依次得分18分、17分`). Only `N分` in these forms counts: counts, money
and sentences such as `评分标准：…` never become scores. Tables: see score_tables.py.
"""
from __future__ import annotations

import re
from decimal import Decimal
from functools import cache

from schemas.rows import ScoreRow

from ..patterns import alternation
from ..rules import load
from ..sentences import Sentence, heading_level
from .score_tables import table_scores, table_total
from .view import DocView


@cache
def _rules() -> dict:
    r = dict(load("scores"))
    n, after = r["number_pattern"], r["after_points_pattern"]
    numbering = "|".join(h["pattern"] for h in load("structure")["heading"])
    max_w, score_w = alternation(r["max_words"]), alternation(r["score_words"])
    r["item_re"] = re.compile(
        rf"^(?:{numbering})\s*(?P<name>{r['name_chars_pattern']})\s*"
        rf"(?:[（(]\s*(?:{max_w})?\s*(?P<max1>{n})\s*分\s*[）)])?\s*(?P<colon>[：:]|(?<=[）)])[，,])?\s*"
        rf"(?:(?:{max_w})\s*(?P<max2>{n})\s*分\s*[，,、;；]?\s*)?"
        rf"(?P<sw>(?:{score_w})\s*[为:：]?\s*)?(?P<score>{n})\s*分{after}"
        rf"(?:\s*[（(]\s*(?:{max_w})\s*[为:：]?\s*(?P<max3>{n})\s*分\s*[）)])?")
    r["total_re"] = re.compile(
        rf"(?:(?:{alternation(r['total_labels'])}){r['total_connector_pattern']}"
        rf"|{r['total_clause_opener_pattern']}|{r['total_sum_pattern']}"
        rf"|(?P<bare>{r['total_after_items_pattern']}))(?P<score>{n})\s*分")
    r["before_total_re"] = re.compile(r["before_total"]["item_pattern"].replace("{n}", n))
    r["max_then_score_re"] = re.compile(r["max_then_score"]["item_pattern"].replace("{n}", n))
    r["clause_re"] = re.compile(r"[，,。；;]")
    r["numbering_re"] = re.compile(rf"^(?:{numbering})\s*")
    r["note_re"] = re.compile(r"[（(][^（()）]*[）)]")
    lst = r["listed"]
    r["opener_re"] = re.compile(rf"^\s*(?P<lead>{lst['lead_pattern']})(?:{alternation(lst['openers'])})\s*[：:，,]?\s*")
    r["opener_in_re"] = re.compile(rf"(?:^|[，,；;：:。])\s*(?:{alternation(lst['openers'])})\s*[：:，,]?\s*")
    r["listed_re"] = re.compile(
        rf"^\s*(?P<name>{lst['name_pattern']}?)\s*(?:(?:{score_w})\s*[为:：]?\s*)?(?P<score>{n})\s*"
        rf"(?:[/／]\s*(?P<slash>{n})\s*)?分\s*"
        rf"(?:[（(]\s*(?:{max_w})\s*[为:：]?\s*(?P<max>{n})\s*分\s*[）)])?\s*$")
    r["listed_split_re"] = re.compile(f"[{re.escape(lst['separators'])}]")
    r["clause_or_colon_re"] = re.compile(f"[{re.escape(lst['separators'])}：:]")
    r["score_lead_re"] = re.compile(r["before_total"]["lead_pattern"])
    rs = r["respective"]
    sep, name = alternation(rs["separators"]), rs["name_pattern"].replace("{count}", rs["count_pattern"])
    r["respective_note_re"] = re.compile(rs["name_note_pattern"])
    name = rf"{name}(?:{rs['name_note_pattern']})?"
    r["respective_re"] = re.compile(
        rf"(?:^|(?<=[，,。；;：:\s])){rs['names_prefix_pattern']}\s*(?P<names>{name}(?:\s*(?:{sep})\s*{name})+)(?P<between>{rs['between_pattern']})"
        rf"(?:{alternation(rs['cues'])}){rs['score_lead_pattern']}"
        rf"(?P<scores>{n}(?:\s*分)?(?:\s*(?:{sep}|[，,])\s*{n}(?:\s*分)?)+)(?<=分)(?!钟|之)")
    r["respective_split_re"] = re.compile(rf"\s*(?:{sep})\s*")
    return r


def _clause(text: str, start: int, end: int) -> str:
    cuts = [m.end() for m in _rules()["clause_re"].finditer(text, 0, start)]
    stop = _rules()["clause_re"].search(text, end)
    return text[(cuts[-1] if cuts else 0):(stop.start() if stop else len(text))]


def _total_in(s: Sentence) -> re.Match | None:
    if "分" not in s.text:
        return None                      # item_re and total_re both end with a score in 分
    r = _rules()
    item = r["item_re"].match(s.text)
    if item and not any(label in item.group("name") for label in r["total_labels"]):
        return None                      # a numbered item (3、资金到位率：得分为5分)
    for m in r["total_re"].finditer(s.text):
        clause = r["note_re"].sub("", _clause(s.text, m.start(), m.end()))   # 得分96分（90分及以上为优）
        if m.group("bare") and (Decimal(m.group("score")) >= r["scale_maximum"] or any(
                w in s.text for w in r["total_not_in_clause"])):
            continue                     # 决策20分，…，合计100分: the maxima of a scale
        if not any(w in clause for w in r["total_not_in_clause"]):
            return m
    return None


def find_total(view: DocView) -> tuple[Decimal, Sentence] | None:
    """The first stated total score (综合得分98分), not a scale (满分100分, 指标体系总分100分); a
    total equal to the maximum of the scale gives way to a later one below it (…设置评价指标体系，
    总分100分。… 本项目总分92.5分). Found once per view (the header and the scores ask)."""
    return view.once("total", _find_total)


def _find_total(view: DocView) -> tuple[Decimal, Sentence] | None:
    found = [(Decimal(m.group("score")), s) for s in view.sentences if (m := _total_in(s))]
    top = Decimal(str(_rules()["scale_maximum"]))
    return next((f for f in found if f[0] != top), found[0]) if found else None


def total_score(view: DocView) -> tuple[Decimal, int, str] | None:
    """(total, page, quote): the stated total in prose, else the total row of a score table."""
    found = find_total(view)
    if found:
        return found[0], view.page_of(found[1].start), found[1].text
    return table_total(view)


def _score(view: DocView, name: str, score: str, max_score: str | None, level: int | None,
           parent: str | None, source: str, page: int, quote: str) -> ScoreRow:
    return ScoreRow(doc_id=view.doc_id, score_id=0, name=name, score=Decimal(score),
                    max_score=Decimal(max_score) if max_score else None, level=level, parent=parent,
                    source=source, page=page, quote=quote)


def listed(view: DocView, at: int, after: int, parent: str | None, level: int) -> list[ScoreRow]:
    """Items listed after the stated score of sentence `at` (text from `after` on), up to the end
    of its paragraph: `其中项目立项6分；绩效目标5分，…扣1分` -> 项目立项 6, 绩效目标 5."""
    r = _rules()
    pieces, k = [(view.sentences[at], after)], at + 1
    while k < len(view.sentences):
        s, prev = view.sentences[k], view.sentences[k - 1]
        if "\n" in view.text[prev.end:s.start] or s.heading_level is not None or _total_in(s):
            break
        pieces.append((s, s.start))
        k += 1
    out: list[ScoreRow] = []
    first, opened, bracket = True, False, False
    for s, start in pieces:
        text = view.text[start:s.end]
        if first:                        # the rest of the stated score's sentence
            m = r["opener_in_re"].search(text)
            opened, text = (True, text[m.end():]) if m else _bracketed(text)
            bracket = opened and not m   # a bracketed list ends with its bracket
        elif not opened:                 # else a later sentence must open the list
            m = r["opener_re"].match(text)
            if not m or any(w in m.group("lead") for w in r["listed"]["not_in_lead"]):
                if re.search(r["number_pattern"] + r"\s*分", text):
                    break                # points of their own: no list of this score
                continue                 # 等级：优。 between the total and its list
            opened, text = True, text[m.end():]
        elif r["opener_re"].match(text):
            break                        # another list: it belongs to another score
        first = False
        for clause in r["listed_split_re"].split(text):
            m = r["listed_re"].match(clause)
            if m and not re.search(r["listed"]["not_name_pattern"], m.group("name")):
                out.append(_score(view, m.group("name"), m.group("score"), m.group("max"), level, parent,
                                  "prose", view.page_of(s.start), s.text))
        if bracket:
            break
    return out


def _bracketed(text: str) -> tuple[bool, str]:
    """The items in a bracket right after the stated score (得分94分（决策14分、过程19分、…）), when
    at least [listed] bracketed_min_items of its clauses are `name N分` items."""
    r = _rules()
    m = re.match(r"\s*[（(]([^（()）]*)[）)]", text)
    if not m:
        return False, ""
    items = [c for c in r["listed_split_re"].split(m.group(1)) if (i := r["listed_re"].match(c))
             and not re.search(r["listed"]["not_name_pattern"], i.group("name"))]
    return (True, m.group(1)) if len(items) >= r["listed"]["bracketed_min_items"] else (False, "")


def before_total(view: DocView, s: Sentence, total: re.Match | None, text: str | None = None) -> list[ScoreRow]:
    """Items scored in the clauses before the total of the sentence (`决策类得17分，管理类得26分，
    …，四类合计88分` -> 决策 17, 管理 26), or in the clauses of a text without the total
    (`各项得分为：预算编制得分9.5分（满分10分），…`; after a lead such as 各项得分为： the score word may
    be left out: `…：绩效目标8.5分，资金管理17分`), when at least two clauses are such items."""
    r = _rules()
    text = s.text[:total.start()] if total else text or s.text
    split = r["clause_or_colon_re"]
    lead = None if total else r["score_lead_re"].search(text)
    bare = lead or (total and (total.group("bare") or _labelled_after_items(text)))  # items may leave out the score word
    found = [m for clause in split.split(text[lead.end():] if lead else text)
             if (m := r["before_total_re"].match(clause) or (r["listed_re"].match(clause) if bare else None))
             and not re.search(r["listed"]["not_name_pattern"], m.group("name"))]
    if len(found) < r["before_total"]["min_items"]:
        return []
    return [_score(view, m.group("name"), m.group("score"), m.group("max") or m.groupdict().get("slash"), 1, None,
                   "prose", view.page_of(s.start), s.text) for m in found]


def _labelled_after_items(before: str) -> bool:
    """A labelled total right after a clause of points (决策18分，…，综合得分91.6分) sums them, when
    the sentence names no scale."""
    return bool(re.search(r"分\s*[，,]\s*$", before)) and not any(w in before for w in _rules()["total_not_in_clause"])


def _clause_items(view: DocView, found: list[ScoreRow]) -> list[ScoreRow]:
    """Items scored clause by clause in sentences without the total, that no other form read."""
    out = []
    for s, text in _semicolon_runs(view):
        if "得" in text:
            out += [b for b in before_total(view, s, None, text) if not any(
                b["score"] == x["score"] and (b["name"] in x["name"] or x["name"] in b["name"]) for x in found)]
    return out


def _semicolon_runs(view: DocView) -> list[tuple[Sentence, str]]:
    """The sentences without a total, those a ； joins in one paragraph as one text (…得8.5分；…得17分；…)."""
    runs: list[tuple[Sentence, str]] = []
    for i, s in enumerate(view.sentences):
        if _total_in(s):
            continue
        prev = view.sentences[i - 1] if i else None
        if runs and prev is not None and runs[-1][1].endswith(prev.text) and prev.text.rstrip()[-1:] in "；;" \
                and "\n" not in view.text[prev.end:s.start]:
            runs[-1] = (runs[-1][0], runs[-1][1] + s.text)
        else:
            runs.append((s, s.text))
    return runs


def max_then_score(view: DocView) -> list[ScoreRow]:
    """Items stating their maximum, then their score (`资金投入与管理20分，评得17.6分；产出指标50分，
    评得44.5分`), when their paragraph holds at least two of them."""
    r, out, para = _rules(), [], []
    for k, s in enumerate(view.sentences):
        if "分" in s.text:
            para += [(s, m) for m in r["max_then_score_re"].finditer(s.text)
                     if not re.search(r["listed"]["not_name_pattern"], m.group("name"))]
        nxt = view.sentences[k + 1] if k + 1 < len(view.sentences) else None
        if nxt is None or "\n" in view.text[s.end:nxt.start]:
            if len(para) >= r["max_then_score"]["min_items"]:
                out += [_score(view, m.group("name"), m.group("score"), m.group("max"), 1, None, "prose",
                               view.page_of(t.start), t.text) for t, m in para]
            para = []
    return out


def _as_in_table(item: ScoreRow, table: list[ScoreRow]) -> ScoreRow:
    """A top item that a score table also scores, with the table's name and maximum
    (本项目年度资金总额执行率 8.54 and the row 年度资金总额 | … | 10 | 8.54 are one item)."""
    same = next((t for t in table if t["score"] == item["score"] and t["level"] in (None, 1)
                 and (t["name"] in item["name"] or item["name"] in t["name"])), None)
    return {**item, "name": same["name"], "max_score": same["max_score"]} if same else item


def _restates(row: ScoreRow, prose: list[tuple[str, Decimal]]) -> bool:
    """A numbered table row that scores an item the prose scores already (一、决策 | 20 | 15 after
    项目决策得分15分): the same item, once."""
    name = re.sub(_rules()["numbering_re"], "", row["name"])
    return name != row["name"] and row["level"] is None and any(
        score == row["score"] and name and name in other for other, score in prose)


def respective(view: DocView, s: Sentence, parent: str | None, level: int | None) -> list[ScoreRow]:
    """Items named first and scored after in the same order: `决策、过程、产出、效益四项一级指标
    依次得分19分、18.6分、36分、19分` (as many names as scores, else nothing)."""
    r, out = _rules(), []
    if "分" not in s.text:
        return out                       # respective_re ends with a score in 分
    for m in r["respective_re"].finditer(s.text):
        named = r["respective_note_re"].sub("", m.group("names"))      # 目标完成（满分50分）-> 目标完成
        if any(w in named + m.group("between") for w in r["respective"]["not_between"]):
            continue
        names = r["respective_split_re"].split(named)
        scores = re.findall(r["number_pattern"], m.group("scores"))
        if len(names) != len(scores) and len(named.split("、")) == len(scores):
            names = named.split("、")      # 经费管理与使用、组织管理与保障: 与 inside a name
        if len(names) == len(scores):
            out += [_score(view, name, score, None, level, parent, "prose", view.page_of(s.start), s.text)
                    for name, score in zip(names, scores)]
    return out


def prose_scores(view: DocView) -> list[ScoreRow]:
    r = _rules()
    items: list[tuple[int, re.Match, Sentence]] = []
    for s in view.sentences:
        m = r["item_re"].match(s.text) if "分" in s.text else None     # item_re ends with a score in 分
        if not m or not (m.group("colon") or m.group("max1") or m.group("sw")):
            continue
        name = m.group("name").strip()
        if any(w in name for w in r["not_item_names"]) or r["total_re"].search(s.text):
            continue
        items.append((heading_level(s.text) or 0, m, s))
    ranks = {lv: i for i, lv in enumerate(sorted({lv for lv, _, _ in items}), 1)}
    out, stack = [], []                  # stack: (level, name) of the enclosing items
    for lv, m, s in items:
        stack = [(k, n) for k, n in stack if k < lv]
        name = m.group("name").strip()
        out.append(_score(view, name, m.group("score"), m.group("max1") or m.group("max2") or m.group("max3"), ranks[lv],
                          stack[-1][1] if stack else None, "prose", view.page_of(s.start), s.text))
        out += listed(view, s.index, s.start + m.end(), name, ranks[lv] + 1)
        stack.append((lv, name))
    return out


def view_to_scores(view: DocView) -> list[ScoreRow]:
    rows = []
    table = table_scores(view)
    total = find_total(view)
    if total:
        s = total[1]
        rows.append(_score(view, "总分", str(total[0]), None, 0, None, "prose", view.page_of(s.start), s.text))
        rows += listed(view, s.index, s.start + _total_in(s).end(), None, 1)
        rows += [_as_in_table(b, table) for b in before_total(view, s, _total_in(s))]
    for s in view.sentences:
        rows += respective(view, s, None, 1)
    rows += max_then_score(view)
    rows += prose_scores(view)
    rows += [_as_in_table(b, table) for b in _clause_items(view, rows)]
    prose = [(re.sub(_rules()["numbering_re"], "", p["name"]), p["score"]) for p in rows]
    table = [t for t in table if not _restates(t, prose)]
    seen, out = set(), []
    for row in rows + table:
        key = (row["name"], row["score"])
        if key not in seen:
            seen.add(key)
            out.append(row)
    for i, row in enumerate(out, 1):
        row["score_id"] = i
    return out
