"""What a table's 合计 / 小计 cells total, as the table prints it: the sum of the cells they total,
so that the reconciliation can check a total row or column against its parts.

A total row totals the rows above it up to the previous total row (a breakdown below a total
that opens its section, 年度资金总额 then 其中：…, is totalled downwards instead); rows that
detail the row above them (其中：…) are left out of a total below them. A total column totals
the money columns on its left up to the previous total column. A cell left empty (—) counts
as zero; a part that is not a number, or of no known unit, leaves the total unchecked.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass
class Line:
    """A data row of a money table: its cells in 万元 (None: empty; "?": no number or no unit)."""
    index: int
    total: bool                 # a 合计 / 小计 row
    detail: bool                # a 其中：… row, detailing the row above it
    wan: dict[int, Decimal | None | str]


def _sum(cells: list[Decimal | None | str]) -> Decimal | None:
    if not cells or any(c == "?" for c in cells) or all(c is None for c in cells):
        return None
    return sum((c for c in cells if c is not None), Decimal(0))


def column_parts(lines: list[Line], at: int, col: int) -> Decimal | None:
    """The sum of the cells that the total row lines[at] totals in column `col`."""
    above = []
    for line in reversed(lines[:at]):
        if line.total:
            break
        above.append(line)
    if above:
        parts = [line for line in above if not line.detail] if not all(line.detail for line in above) else above
    else:
        parts = []
        for line in lines[at + 1:]:
            if line.total:
                break
            parts.append(line)
    return _sum([line.wan.get(col) for line in parts])


def row_parts(line: Line, col: int, money: list[int], totals: set[int]) -> Decimal | None:
    """The sum of the cells of `line` that its total column `col` totals."""
    left = [j for j in money if j < col]
    start = max((j for j in left if j in totals), default=-1)
    return _sum([line.wan.get(j) for j in left if j > start])
