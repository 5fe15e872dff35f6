"""Score sheets read from their tables: each scored item with its level and the item it belongs
to, and the sheet's 合计 / 总分 row.

Three layouts: levels in columns side by side (一级指标 分值 得分 二级指标 分值 得分); levels in
name columns (一级指标 | 二级指标 | 三级指标 | 分值 | 得分), a row scoring its deepest name; one
name column numbered by level (一、决策 / （一）项目立项 / 1.立项依据充分性)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

from ..rules import load
from .inputs import DocumentFacts
from .tables import Row, Section, squash


@cache
def _spec() -> dict:
    return load("reconcile")["score_sheets"]


@dataclass
class Item:
    name: str
    level: int
    parent: str | None
    max: Decimal | None
    score: Decimal | None
    page: int
    quote: str

    def ev(self, side: str) -> dict:
        return {"page": self.page, "quote": self.quote, "side": side}


@dataclass
class Sheet:
    items: list[Item] = field(default_factory=list)
    total: Item | None = None
    name_levels: int = 1                 # how many name columns (3 for 一级/二级/三级指标)


def _number(row: Row, col: int | None) -> Decimal | None:
    return row.cells[col].number if col is not None and col < len(row.cells) else None


def _text(row: Row, col: int) -> str:
    return squash(row.cells[col].text) if col < len(row.cells) and not row.cells[col].dash else ""


def _is_total(name: str) -> bool:
    return any(name.startswith(w) for w in _spec()["total_rows"])


def numbered_level(name: str) -> tuple[int | None, str]:
    """(level, name without numbering) from 一、 / （一） / 1. / （1）."""
    for level, pattern in enumerate(_spec()["numbering"], start=1):
        m = re.match(pattern, name)
        if m:
            return level, name[m.end():]
    return None, name


def read_sheets(r: DocumentFacts) -> list[Sheet]:
    out = []
    for t in r.tables:
        sheet = Sheet()
        for s in t.sections:
            if _groups(s):
                _read_section(s, sheet)
        if sheet.items or sheet.total:
            out.append(sheet)
    return out


def _groups(s: Section) -> list[tuple[list[int], int | None, int]]:
    """(name columns, points column, score column) of each level group."""
    spec = _spec()
    scores = [i for i, c in enumerate(s.columns) if any(w in c for w in spec["score_words"])
              and not any(w in c for w in spec["not_score_words"])]
    out, lo = [], 0
    for sc in scores:
        span = range(lo, sc)
        points = next((i for i in span if any(w in s.columns[i] for w in spec["points_words"])), None)
        names = [i for i in span if i != points and any(w in s.columns[i] for w in spec["name_words"])
                 and not any(w in s.columns[i] for w in spec["not_name_words"])
                 and not (i > 0 and s.columns[i] == s.columns[i - 1])]       # a merged copy of its left neighbour
        if not names:
            names = [i for i in span if i != points][:1]
        out.append((names, points, sc))
        lo = sc + 1
    return out


def _read_section(s: Section, sheet: Sheet) -> None:
    groups = _groups(s)
    side_by_side = len(groups) > 1
    filled: list[str | None] = [None] * 8
    for row in s.rows:
        first = next((_text(row, i) for i in range(len(row.cells)) if _text(row, i)), "")
        if _is_total(first):
            score = next((_number(row, sc) for _, _, sc in groups if _number(row, sc) is not None), None)
            if score is not None:
                sheet.total = Item("总分", 0, None, _number(row, groups[0][1]), score, row.page, row.text)
            continue
        for g, (names, points, sc) in enumerate(groups):
            cells = [_text(row, i) for i in names]
            own = next(((k, c) for k, c in reversed(list(enumerate(cells))) if c), None)
            if own is None:
                continue
            k, name = own
            if side_by_side:
                level = g + 1
                parent = filled[g - 1] if g else None
                filled[g] = name
            elif len(names) > 1:
                level = k + 1
                for j, c in enumerate(cells[:k + 1]):
                    if c:
                        above = next((filled[i] for i in range(j - 1, -1, -1) if filled[i]), None)
                        filled[j] = c
                        filled[j + 1:] = [None] * (len(filled) - j - 1)
                        if j < k:                              # an unscored group the row opens
                            sheet.items.append(Item(c, j + 1, above, None, None, row.page, row.text))
                parent = next((filled[j] for j in range(k - 1, -1, -1) if filled[j]), None)
                sheet.name_levels = max(sheet.name_levels, len(names))
            else:
                numbered, name = numbered_level(name)
                level = numbered or 1
                parent = next((it.name for it in reversed(sheet.items) if it.level < level), None) if numbered else None
            score = _number(row, sc)
            sheet.items.append(Item(name, level, parent, _number(row, points), score, row.page, row.text))
