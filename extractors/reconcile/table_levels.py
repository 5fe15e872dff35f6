"""The levels of the rows a table's total closes: a total is the sum of the rows of ONE level.

A department's table often puts each subtotal ABOVE its items (一、基本支出 / 1.人员经费 /
2.公用经费 / 二、项目支出 / 1.… / 合计): the 合计 is the sum of the subtotals (or of the items when
the subtotals are blank), never of every row. The levels are told apart by the rows' numbering
(一、 / （一） / 1. / （1）): the numbering of the first row is the top level, each row of another
numbering belongs to the top row above it. Rows of one numbering (or none) are one level, unless
one of them equals the sum of the rows right under it: a subtotal the labels do not show, so the
levels cannot be told apart and the check is unverifiable."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .score_sheets import numbered_level
from .tables import Cell, Row, squash


@dataclass
class Group:
    """A top-level row and the rows of the next level under it (deeper rows left out)."""
    head: Row
    items: list[Row]


def outline(parts: list[Row]) -> list[Group]:
    """The parts as top-level rows with their items; flat (no items) when one numbering is used."""
    styles = [numbered_level(squash(p.title))[0] for p in parts]
    if len(set(styles)) <= 1:
        return [Group(p, []) for p in parts]
    top, out, below = styles[0], [], []
    for p, style in zip(parts, styles):
        if style == top:
            out.append(Group(p, []))
            below.append([])
        else:
            below[-1].append((p, style))
    for g, rows in zip(out, below):
        if rows:
            first = rows[0][1]                           # the next level: the numbering of the first item
            g.items = [p for p, style in rows if style == first]
    return out


def cell(row: Row, col: int) -> Cell | None:
    return row.cells[col] if col < len(row.cells) else None


def filled(rows: list[Row], col: int) -> bool:
    """Every row has a number (or a dash: nothing) in the column."""
    return all((c := cell(r, col)) is not None and (c.number is not None or c.dash) for r in rows)


def blank(rows: list[Row], col: int) -> bool:
    return all((c := cell(r, col)) is None or (c.number is None and not c.dash) for r in rows)


def total(rows: list[Row], col: int) -> Decimal:
    return sum(((c.number or Decimal(0)) for r in rows if (c := cell(r, col)) is not None), Decimal(0))


def level_rows(groups: list[Group], col: int) -> list[Row] | str:
    """The rows of one level a total over `groups` adds in column `col`: the top rows, or their
    items when every top row is blank there; else why no level can be read."""
    heads = [g.head for g in groups]
    if filled(heads, col):
        return heads
    items = [i for g in groups for i in g.items]
    if blank(heads, col) and all(g.items for g in groups) and filled(items, col):
        return items
    return "有分项未填数字"


def hidden_subtotal(rows: list[Row], col: int) -> Row | None:
    """A row of a flat list that equals the sum of two or more rows right under it (a subtotal
    the labels do not mark), None when there is none."""
    for i, row in enumerate(rows):
        c = cell(row, col)
        if c is None or c.number is None or not c.number:
            continue
        running = Decimal(0)
        for k, below in enumerate(rows[i + 1:], start=1):
            b = cell(below, col)
            if b is None or b.number is None:
                break
            running += b.number
            if k >= 2 and running == c.number:
                return row
            if running > c.number:
                break
    return None
