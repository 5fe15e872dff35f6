"""Score sheets -> ScoreRow: prose items, the total, and score tables.

Prose items are numbered heading-like lines `（一）项目决策：20分`, `1.项目目标（4分）：得3分`,
`（1）目标内容：满分4分，得4分`; the name loses its numbering, the level is the rank of its
numbering among the sheet's items, the parent is the enclosing item. The total is
`综合得分98分` (name 总分, level 0). Only `N分` in this form counts: counts, money and
sentences such as `评分标准：…` never become scores.
"""
from __future__ import annotations

import re
from decimal import Decimal
from functools import cache
from typing import Iterator

from schemas.rows import ScoreRow

from ..patterns import alternation
from ..rules import load
from ..sentences import Sentence, heading_level
from .view import DocView, Table


@cache
def _rules() -> dict:
    r = dict(load("scores"))
    n, after = r["number_pattern"], r["after_points_pattern"]
    numbering = "|".join(h["pattern"] for h in load("structure")["heading"])
    max_w, score_w = alternation(r["max_words"]), alternation(r["score_words"])
    r["item_re"] = re.compile(
        rf"^(?:{numbering})\s*(?P<name>{r['name_chars_pattern']})\s*"
        rf"(?:[（(]\s*(?:{max_w})?\s*(?P<max1>{n})\s*分\s*[）)])?\s*(?P<colon>[：:])?\s*"
        rf"(?:(?:{max_w})\s*(?P<max2>{n})\s*分\s*[，,、;；]?\s*)?"
        rf"(?P<sw>(?:{score_w})\s*[为:：]?\s*)?(?P<score>{n})\s*分{after}")
    r["total_re"] = re.compile(
        rf"(?:(?:{alternation(r['total_labels'])}){r['total_connector_pattern']}"
        rf"|{r['total_clause_opener_pattern']})(?P<score>{n})\s*分")
    r["clause_re"] = re.compile(r"[，,。；;]")
    r["points_re"] = re.compile(rf"^\s*(?P<v>{n})\s*分?\s*$")
    return r


def _clause(text: str, start: int, end: int) -> str:
    cuts = [m.end() for m in _rules()["clause_re"].finditer(text, 0, start)]
    stop = _rules()["clause_re"].search(text, end)
    return text[(cuts[-1] if cuts else 0):(stop.start() if stop else len(text))]


def find_total(view: DocView) -> tuple[Decimal, Sentence] | None:
    """The first stated total score (综合得分98分), not a scale (满分100分, 指标体系总分100分)."""
    r = _rules()
    for s in view.sentences:
        item = r["item_re"].match(s.text)
        if item and not any(label in item.group("name") for label in r["total_labels"]):
            continue                     # a numbered item (3、资金到位率：得分为5分)
        for m in r["total_re"].finditer(s.text):
            if not any(w in _clause(s.text, m.start(), m.end()) for w in r["total_not_in_clause"]):
                return Decimal(m.group("score")), s
    return None


def _score(view: DocView, name: str, score: str, max_score: str | None, level: int | None,
           parent: str | None, source: str, page: int, quote: str) -> ScoreRow:
    return ScoreRow(doc_id=view.doc_id, score_id=0, name=name, score=Decimal(score),
                    max_score=Decimal(max_score) if max_score else None, level=level, parent=parent,
                    source=source, page=page, quote=quote)


def prose_scores(view: DocView) -> list[ScoreRow]:
    r = _rules()
    items: list[tuple[int, re.Match, Sentence]] = []
    for s in view.sentences:
        m = r["item_re"].match(s.text)
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
        out.append(_score(view, name, m.group("score"), m.group("max1") or m.group("max2"), ranks[lv],
                          stack[-1][1] if stack else None, "prose", view.page_of(s.start), s.text))
        stack.append((lv, name))
    return out


def _role(cell: str | None, columns: dict[str, list[str]]) -> str | None:
    text = re.sub(r"\s+", "", cell or "")
    text = re.sub(r"[（(][^）)]*[）)]$", "", text)
    return next((role for role, words in columns.items() if text in words), None)


def table_records(table: Table, columns: dict[str, list[str]],
                  carry: tuple[str, ...] = ("level1", "level2")) -> Iterator[tuple[list, dict, dict]]:
    """(row, own cells by role, cells with merged upper levels carried down) per data row."""
    header: dict[int, str] = {}
    carried: dict[str, str] = {}
    in_header = False
    for row in table.rows:
        roles = {i: _role(c, columns) for i, c in enumerate(row)}
        found = {i: r for i, r in roles.items() if r}
        if len(set(found.values())) >= 2:
            header = ({**header, **found} if in_header else found)
            in_header, carried = True, {}
            continue
        in_header = False
        if not header:
            continue
        own = {role: (row[i] or "").strip() or None for i, role in header.items() if i < len(row)}
        for role in carry:
            if own.get(role):
                carried[role] = own[role]
                for lower in carry[carry.index(role) + 1:]:
                    carried.pop(lower, None)
        yield row, own, {**own, **{k: own.get(k) or v for k, v in carried.items()}}


def _points(cell: str | None) -> str | None:
    m = _rules()["points_re"].match(cell or "")
    return m.group("v") if m else None


def table_scores(view: DocView) -> list[ScoreRow]:
    r = _rules()
    out = []
    levels = ("level1", "level2", "level3")
    for table in view.tables:
        for row, own, cells in table_records(table, r["table"]["columns"], levels):
            score = _points(own.get("score"))
            if score is None:
                continue
            quote, max_score = " | ".join(c for c in row if c), _points(own.get("max_score"))
            if any((c or "").replace(" ", "") in r["table"]["total_rows"] for c in row):
                out.append(_score(view, "总分", score, max_score, 0, None, "table", table.page, quote))
                continue
            depth = max((i for i, lv in enumerate(levels) if own.get(lv)), default=None)
            name = own.get(levels[depth]) if depth is not None else own.get("name")
            if not name:
                continue
            parent = next((cells.get(lv) for lv in reversed(levels[:depth]) if cells.get(lv)), None) if depth else None
            out.append(_score(view, name, score, max_score,
                              depth + 1 if depth is not None else None, parent, "table", table.page, quote))
    return out


def view_to_scores(view: DocView) -> list[ScoreRow]:
    rows = []
    total = find_total(view)
    if total:
        rows.append(_score(view, "总分", str(total[0]), None, 0, None, "prose",
                           view.page_of(total[1].start), total[1].text))
    rows += prose_scores(view)
    seen, out = set(), []
    for row in rows + table_scores(view):
        key = (row["name"], row["score"])
        if key not in seen:
            seen.add(key)
            out.append(row)
    for i, row in enumerate(out, 1):
        row["score_id"] = i
    return out
