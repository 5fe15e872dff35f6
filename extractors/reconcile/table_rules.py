"""Checks inside ruled tables, where the table itself states the relation (so a mismatch is an
`error`): a 合计 row against the rows it closes, a 合计 column against the columns beside it,
合同金额 − 累计支付 = 未支付 in each row, 执行数 ÷ 预算数 = 执行率 and the 得分 it earns.

Preconditions: the parts are the rows (columns) the table lists between its header and the total,
of ONE level (table_levels.py: subtotal rows above their items are added, not their items too; a
level the labels do not show makes the check unverifiable), with no row nested under another
(其中…); every part cell holds a number (a dash is nothing); money columns only (rates, counts and
score sheets are read elsewhere)."""
from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from .findings import compare, fmt, make, unverifiable
from .inputs import DocumentFacts
from .table_levels import Group, filled, hidden_subtotal, level_rows, outline, total as total_of
from .tables import Row, Section, _words, squash

NESTED = "其中"


def _ev(row: Row, side: str) -> dict:
    return {"page": row.page, "quote": row.text, "side": side}


def _money_columns(s: Section) -> list[int]:
    w = _words()
    numeric = {i for row in s.rows for i, c in enumerate(row.cells) if c.number is not None}
    return [i for i, label in enumerate(s.columns) if i in numeric
            and label and not any(x in label for x in w["not_money"]) and not any(x in label for x in w["total_rows"])]


def _wan(s: Section, value: Decimal, col: int) -> Decimal:
    return s.to_wan(value, col) if s.column_unit(col) else value


def table_checks(r: DocumentFacts) -> list[dict]:
    out = []
    for t in r.tables:
        for s in t.sections:
            if not s.is_score_sheet:
                out += _total_rows(r, s) + _total_columns(r, s) + _row_balances(r, s) + _total_above(r, s)
            out += _rates(r, s)
    return out + period_rows(r)


def _groups(s: Section) -> list[tuple[Row, list[Row] | str]]:
    """Each total row with the rows it closes (above it) or opens (a total on the first line); a
    合计 over 小计 rows adds the 小计 rows (rows after the last 小计 make it unclear: a reason)."""
    out: list[tuple[Row, list[Row] | str]] = []
    current: list[Row] = []
    subtotals: list[Row] = []
    rows = s.rows
    for i, row in enumerate(rows):
        if not s.is_total(row):
            current.append(row)
            continue
        if i == 0:
            parts = []
            for nxt in rows[1:]:
                if s.is_total(nxt):
                    break
                parts.append(nxt)
            out.append((row, parts))
        elif _subtotal(row):
            out.append((row, current))
            subtotals.append(row)
        elif subtotals:
            out.append((row, subtotals if not current else "小计之后还有未归入小计的行"))
            subtotals = []
        else:
            out.append((row, current))
        current = []
    return out


def _subtotal(row: Row) -> bool:
    return squash(row.title).startswith(_words()["subtotal"])


def _total_rows(r: DocumentFacts, s: Section) -> list[dict]:
    out = []
    for total, parts in _groups(s):
        if isinstance(parts, str):
            out.append(unverifiable(r.doc_id, "table_total_row", "sum_mismatch", f"表中“{squash(total.title)}”行", parts,
                                    [], [_ev(total, "total")]))
            continue
        if len(parts) < 2:
            continue
        groups = outline(parts)
        for col in _money_columns(s):
            if col >= len(total.cells) or total.cells[col].number is None:
                continue
            out += _total_row(r, s, total, parts, groups, col)
            out += _subtotal_rows(r, s, groups, col)
    return out


def _total_row(r: DocumentFacts, s: Section, total: Row, parts: list[Row], groups: list[Group], col: int) -> list[dict]:
    """The total against the rows of one level above it (the subtotals, or the items)."""
    word = s.columns[col]
    stated = total.cells[col].number
    msg = f"表中“{squash(total.title)}”行{word}{_show(s, stated, col)}"
    evidence = [_ev(total, "total"), *[_ev(p, "part") for p in parts]]
    nested = [p for p in parts[1:] if squash(p.label).startswith(NESTED)]
    rows = level_rows(groups, col) if not nested else parts
    if isinstance(rows, str) or (nested and not filled(parts, col)):
        return [unverifiable(r.doc_id, "table_total_row", "sum_mismatch", msg, rows if isinstance(rows, str)
                             else "有分项未填数字", [_wan(s, stated, col)], evidence)]
    implied = total_of(rows, col)
    stated_wan, implied_wan = _wan(s, stated, col), _wan(s, implied, col)
    if implied != stated:
        why = ("分项中有“其中”行，层级不明" if nested else
               f"“{squash(hidden.title)}”等于其下各行之和，是未标明的小计行，层级不明"
               if len(groups) == len(parts) and (hidden := hidden_subtotal(rows, col)) else None)
        if why:
            return [unverifiable(r.doc_id, "table_total_row", "sum_mismatch", msg, why, [stated_wan, implied_wan],
                                 evidence)]
    level = "" if len(rows) == len(parts) else "同一层级"
    msg += f"，上列{level}{len(rows)}行之和为{_show(s, implied, col)}"
    return [compare(r.doc_id, "table_total_row", "sum_mismatch", stated_wan, implied_wan, msg, evidence)]


def _subtotal_rows(r: DocumentFacts, s: Section, groups: list[Group], col: int) -> list[dict]:
    """Each top-level row printed above its items against the sum of those items."""
    out = []
    for g in groups:
        head = g.head.cells[col] if col < len(g.head.cells) else None
        if len(g.items) < 2 or head is None or head.number is None or not filled(g.items, col):
            continue
        implied = total_of(g.items, col)
        msg = (f"表中“{squash(g.head.title)}”行{s.columns[col]}{_show(s, head.number, col)}，"
               f"其下{len(g.items)}行之和为{_show(s, implied, col)}")
        out.append(compare(r.doc_id, "table_subtotal_row", "sum_mismatch", _wan(s, head.number, col),
                           _wan(s, implied, col), msg, [_ev(g.head, "total"), *[_ev(i, "part") for i in g.items]]))
    return out


def _show(s: Section, value: Decimal, col: int | None) -> str:
    """A table figure in 万元 where the table names its unit, else as printed."""
    if s.column_unit(col):
        return f"{fmt(s.to_wan(value, col))}万元"
    return fmt(value)


def _total_columns(r: DocumentFacts, s: Section) -> list[dict]:
    out = []
    totals = [i for i, label in enumerate(s.columns) if i > 0 and any(w in label for w in _words()["total_rows"])]
    if len(totals) != 1:
        return out
    col = totals[0]
    parts = [i for i in _money_columns(s) if i != col]
    if len(parts) < 2:
        return out
    for row in s.rows:
        if col >= len(row.cells) or row.cells[col].number is None:
            continue
        cells = [row.cells[i] for i in parts if i < len(row.cells)]
        if len(cells) != len(parts) or any(c.number is None and not c.dash for c in cells):
            continue
        implied = sum((c.number or Decimal(0) for c in cells), Decimal(0))
        msg = (f"表中“{squash(row.title)}”行合计{_show(s, row.cells[col].number, col)}，"
               f"{'、'.join(s.columns[i] for i in parts)}之和为{_show(s, implied, col)}")
        out.append(compare(r.doc_id, "table_total_column", "sum_mismatch", _wan(s, row.cells[col].number, col),
                           _wan(s, implied, col), msg, [_ev(row, "row")]))
    return out


def _role(s: Section, role: str, avoid: tuple[str, ...] = ()) -> int | None:
    """The column of a role, trying its words in order of preference."""
    for word in _words()[role]:
        col = s.column(word, avoid=avoid)
        if col is not None:
            return col
    return None


def _row_balances(r: DocumentFacts, s: Section) -> list[dict]:
    w = _words()
    contract, paid = _role(s, "contract"), _role(s, "paid", avoid=tuple(w["paid_avoid"]))
    remaining = _role(s, "remaining")
    if None in (contract, paid, remaining) or len({contract, paid, remaining}) < 3:
        return []
    out = []
    for row in s.rows:
        cells = [row.cells[i] if i < len(row.cells) else None for i in (contract, paid, remaining)]
        if any(c is None or c.number is None for c in cells):
            continue
        c_, p_, b_ = (_wan(s, c.number, i) for c, i in zip(cells, (contract, paid, remaining)))
        msg = (f"表中“{squash(row.title)}”合同金额{_show(s, cells[0].number, contract)}，"
               f"累计支付{_show(s, cells[1].number, paid)}，应余{_show(s, cells[0].number - cells[1].number, contract)}，"
               f"表列未支付{_show(s, cells[2].number, remaining)}")
        out.append(compare(r.doc_id, "table_row_balance", "balance_mismatch", b_, c_ - p_, msg, [_ev(row, "row")]))
    return out


def _rates(r: DocumentFacts, s: Section) -> list[dict]:
    budget, executed = _role(s, "budget"), _role(s, "executed", avoid=("率",))
    rate, points, score = _role(s, "rate"), _role(s, "points"), _role(s, "score")
    if budget is None or executed is None or rate is None or budget == executed:
        return []
    out = []
    for row in s.rows:
        get = lambda i: row.cells[i] if i is not None and i < len(row.cells) else None  # noqa: E731
        b, e, p = get(budget), get(executed), get(rate)
        if b is None or e is None or b.number is None or e.number is None or not b.number:
            continue
        implied = e.number / b.number * 100
        if p is not None and p.percent is not None:
            holds = abs(p.percent - implied.quantize(Decimal("0.01"), ROUND_HALF_UP)) <= Decimal("0.01")
            out.append(make(r.doc_id, "table_execution_rate", "rate_mismatch",
                            f"表中“{squash(row.title)}”执行率{p.text}，{fmt(e.number)}÷{fmt(b.number)}={implied:.2f}%",
                            [p.percent, implied], holds=holds, expected=implied, actual=p.percent,
                            evidence_rows=[_ev(row, "row")]))
        pts, sc = get(points), get(score)
        if pts is not None and sc is not None and pts.number is not None and sc.number is not None:
            used = p.percent if p is not None and p.percent is not None else implied
            earned = (min(used, Decimal(100)) / 100 * pts.number).quantize(Decimal("0.01"), ROUND_HALF_UP)
            out.append(make(r.doc_id, "table_execution_score", "score_mismatch",
                            f"表中“{squash(row.title)}”执行率{used:.2f}%，分值{fmt(pts.number)}，应得{fmt(earned)}分，"
                            f"表中填报{fmt(sc.number)}分", [sc.number, earned],
                            holds=abs(sc.number - earned) <= Decimal("0.01"), expected=earned, actual=sc.number,
                            evidence_rows=[_ev(row, "row")]))
    return out


def period_rows(r: DocumentFacts) -> list[dict]:
    """Rows that are all four quarters of a year (第一季度 … 第四季度), against the year's total
    stated just before or after them: the quarters are all the parts."""
    from .scope import position, scope_of
    from .tables import line_tables
    from ..rules import load

    spec = load("reconcile")["periods"]
    out = []
    for header, s in line_tables(r.sentences):
        quarters = {}
        for row in s.rows:
            name = squash(row.title)
            q = next((k for k, (a, b) in enumerate(zip(spec["quarters"], spec["quarter_aliases"]))
                      if name.startswith(a) or name.startswith(b)), None)
            value = row.cells[-1].number
            if q is not None and value is not None:
                quarters.setdefault(q, []).append((value, row))
        if sorted(quarters) != [0, 1, 2, 3] or any(len(v) != 1 for v in quarters.values()):
            continue
        first, last = header["sentence_id"], header["sentence_id"] + len(s.rows)
        near = []
        for f in r.of_kind("payment", "paid_total"):
            at = position(r, f.first_start)
            if at is None:
                continue
            sid = at[0]["sentence_id"]
            if (last < sid <= last + spec["reach"] or first - spec["reach"] <= sid < first) and \
                    any(w in scope_of(r, f).label for w in spec["year_total_words"]) and not scope_of(r, f).part:
                near.append(f)
        if len({f.wan for f in near}) != 1 or s.unit is None:
            continue
        rows = [quarters[k][0][1] for k in range(4)]
        implied = s.to_wan(sum((quarters[k][0][0] for k in range(4)), Decimal(0)))
        total = near[0]
        msg = f"全年支付{fmt(total.wan)}万元，表列四个季度之和为{fmt(implied)}万元"
        out.append(compare(r.doc_id, "quarters_vs_year", "sum_mismatch", total.wan, implied, msg,
                           [total.quote("stated"), *[_ev(row, "quarter") for row in rows]], severity="warning"))
    return out


def _total_above(r: DocumentFacts, s: Section) -> list[dict]:
    """A table with no total row, led into by `…如下：` right above it, against the one total of its
    column's kind that the text above states (实际支出X元。按支出事项列示如下：| 支出事项 | 支出金额 |)."""
    w = _words()
    if len(s.rows) < 2 or any(s.is_total(row) for row in s.rows):
        return []
    text = r.pages.get(s.page, "")
    labels = [squash(c) for c in s.columns if len(c) >= 2]
    lines = text.split("\n")
    at = next((i for i, line in enumerate(lines) if labels and all(x in squash(line) for x in labels)), None)
    lead = "\n".join(lines[:at]).rstrip() if at else ""      # the text above the header line
    pos = len(lead)
    if not re.search(w["lead_pattern"], lead):
        return []                       # the line above the table's header leads into it
    above = text[max(0, pos - w["lead_lookback"]):pos]
    for kind, words in w["lead_kinds"].items():
        cols = [c for c in _money_columns(s) if any(x in s.columns[c] for x in words)]
        stated = [f for f in r.facts if f.kind == kind and f.page == s.page and f.sentence
                  and squash(f.sentence)[:20] in squash(above)]
        if len(cols) != 1 or len(stated) != 1 or not filled(s.rows, cols[0]):
            continue
        col, total = cols[0], stated[0]
        implied = _wan(s, total_of(s.rows, col), col)
        msg = (f"“{squash(total.sentence)[:30]}…”所述{fmt(total.wan)}万元，下表{s.columns[col]}"
               f"{len(s.rows)}行之和为{fmt(implied)}万元")
        evidence = [{"page": total.page, "quote": total.sentence, "side": "total"},
                    *[_ev(row, "part") for row in s.rows]]
        return [compare(r.doc_id, "table_total_above", "sum_mismatch", total.wan, implied, msg, evidence)]
    return []
