"""Score tables -> ScoreRow: the items of a score sheet or a self-evaluation form, and its total.

A score (得分) or maximum (分值 / 权重) column belongs to the nearest level or name column on its
left: 一级指标 | 分值 | 得分 | 二级指标 | 分值 | 得分 scores both levels, 一级 | 二级 | 三级 | … |
分值 | 得分 scores the third. A score column with no such column on its left scores its row,
named by the row's label (年度资金总额), or by the table's scored caption (预算执行情况（10分）).
A row holding 总分 / 合计 is the total (name 总分, level 0). A table laid across, its items in the
columns and its 分值 / 得分 in the rows (指标 | 投入 | 过程 | … | 合计 over 分值 | 20 … and 得分 | 18 …),
is read as if it stood upright: one row per item.
"""
from __future__ import annotations

import re
from decimal import Decimal
from functools import cache

from schemas.rows import ScoreRow

from ..rules import load
from .tables import Record, blocks, caption, records, role_by_word, squash, word_roles
from .view import DocView, Row

LEVELS = ("level1", "level2", "level3")


@cache
def _rules() -> dict:
    r = dict(load("scores"))
    r["points_re"] = re.compile(rf"^\s*(?P<v>{r['number_pattern']})\s*分?\s*$")
    return r


def _points(cell: str | None) -> str | None:
    m = _rules()["points_re"].match(cell or "")
    return m.group("v") if m else None


def _groups(header: dict[int, str]) -> dict[int | None, dict[str, int]]:
    """owner column (a level or name column; None: the row) -> {"score": col, "max_score": col}."""
    groups: dict[int | None, dict[str, int]] = {}
    owner = None
    for col in sorted(header):
        role = header[col]
        if role in LEVELS or role == "name":
            owner = col
        elif role in ("score", "max_score"):
            groups.setdefault(owner, {}).setdefault(role, col)
    return {k: v for k, v in groups.items() if "score" in v}


def _label(rec: Record, skip: set[int]) -> str | None:
    """The row's own name: its first cell that is text, not a figure or a placeholder."""
    for i, cell in enumerate(rec.row.cells):
        text = squash(cell)
        if i not in skip and text and re.search(r"[\u4e00-\u9fff]", text):
            return re.sub(r"^其中[:：]", "", text)
    return None


def _row(view: DocView, rec: Record, name: str, score: str, max_score: str | None,
         level: int | None, parent: str | None) -> ScoreRow:
    return ScoreRow(doc_id=view.doc_id, score_id=0, name=name, score=Decimal(score),
                    max_score=Decimal(max_score) if max_score else None, level=level, parent=parent,
                    source="table", page=rec.row.page, quote=rec.quote)


def _is_total(rec: Record) -> bool:
    return any(squash(c) in _rules()["table"]["total_rows"] for c in rec.row.cells)


def _items(view: DocView, rows: list) -> list[ScoreRow]:
    out: list[ScoreRow] = []
    named_by = None                      # the caption, looked up once when a row needs it
    for rec in records(rows, _rules()["table"]["columns"], LEVELS):
        groups = _groups(rec.header)
        scored = [(owner, _points(rec.at(g["score"])), _points(rec.at(g["max_score"])) if "max_score" in g else None)
                  for owner, g in groups.items()]
        scored = [(o, s, m) for o, s, m in scored if s is not None]
        if not scored:
            continue
        if _is_total(rec):
            out.append(_row(view, rec, "总分", scored[0][1], scored[0][2], 0, None))
            continue
        for owner, score, max_score in scored:
            role = rec.header[owner] if owner is not None else None
            if role in LEVELS:
                depth = LEVELS.index(role)
                name = rec.at(owner)
                if not name:             # a row of an upper level scored in the lower level's columns
                    owners = {rec.header[o] for o in groups if o is not None}
                    depth = max((d for d in range(depth) if rec.own.get(LEVELS[d]) and LEVELS[d] not in owners),
                                default=depth)
                    name = rec.own.get(LEVELS[depth])
                parent = next((rec.cells.get(lv) for lv in reversed(LEVELS[:depth]) if rec.cells.get(lv)), None)
                if name:
                    out.append(_row(view, rec, name, score, max_score, depth + 1, parent))
            elif role == "name":
                if rec.at(owner):
                    out.append(_row(view, rec, rec.at(owner), score, max_score, None, None))
            else:
                if named_by is None:
                    named_by = caption(view, rows) or ("",)
                name = named_by[0] or _label(rec, {c for g in groups.values() for c in g.values()})
                if name:
                    out.append(_row(view, rec, name, score, max_score, None, None))
    return out


def _upright(rows: list[Row]) -> list[Row]:
    """The rows of a table laid across turned upright (the first cells of its rows name a 得分
    row and no row is a header), else the rows as they are."""
    columns = word_roles(_rules()["table"]["columns"])
    if any(len({role_by_word(c, columns) for c in r.cells} - {None}) >= 2 for r in rows):
        return rows
    if "score" not in {role_by_word(r.cells[0], columns) for r in rows if r.cells}:
        return rows
    at = next(r for r in rows if r.cells and role_by_word(r.cells[0], columns) == "score")
    width = max(len(r.cells) for r in rows)
    return [Row(at.page, at.table, j, [r.cells[j] if j < len(r.cells) else None for r in rows])
            for j in range(width)]


def table_scores(view: DocView) -> list[ScoreRow]:
    return [row for rows in blocks(view) for row in _items(view, _upright(rows))]


def table_total(view: DocView) -> tuple[Decimal, int, str] | None:
    """(total, page, quote) of the first total row of a score table."""
    row = next((r for r in table_scores(view) if r["name"] == "总分"), None)
    return (row["score"], row["page"], row["quote"]) if row else None
