"""The funds table of a self-evaluation form -> its rows per source of funds (`form_funds`, for the
reconciliation of the form; the money facts of every table come from money_tables.py).

年初预算数 and 全年预算数 (调整后预算数) are budgets, 全年执行数 (预算执行数) is money spent; the
unit comes from the table (项目资金（万元）) or its page (金额单位：元).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache

import regex

from ..rules import load
from .view import DocView, Row, stitch_tables

WAN = {"万元": Decimal(1), "千元": Decimal("0.1"), "元": Decimal("0.0001")}
_LABEL_NOISE = regex.compile(r"\s+|^其中[:：]")


@cache
def _rules() -> dict:
    r = load("funds")
    return {"columns": {k: regex.compile(v) for k, v in r["columns"].items()},
            "sources": {k: regex.compile(v) for k, v in r["sources"].items()},
            "unit_cell": regex.compile(r["unit_in_cell"]),
            "unit_page": regex.compile(r["unit_on_page"]), "default": r["default_unit"],
            "empty": set(r["empty_cells"])}


def _columns(row: Row) -> dict[int, tuple[str, str]]:
    found = {}
    for i, cell in enumerate(row.cells):
        for name, pattern in _rules()["columns"].items():
            if cell and pattern.search(cell):
                found[i] = (name, cell)
                break
    return found


def _heads_funds(columns: dict[int, tuple[str, str]]) -> bool:
    """Columns of a funds table's header: money spent, and a budget (initial or full)."""
    names = {n for n, _ in columns.values()}
    return "executed" in names and bool({"initial", "full"} & names)


def _number(cell: str | None) -> Decimal | None:
    if cell is None or cell.strip() in _rules()["empty"]:
        return None
    try:
        return Decimal(cell.replace(",", "").replace("，", "").strip())
    except InvalidOperation:
        return None


def _label(cells: list[str | None], first_value: int) -> str:
    texts = [c for c in cells[:first_value] if c]
    return _LABEL_NOISE.sub("", texts[-1]) if texts else ""


def _unit(rows: list[Row], header_at: int, page_text: str) -> str:
    rules = _rules()
    for row in rows[: header_at + 1]:
        for cell in row.cells:
            m = rules["unit_cell"].search(cell or "")
            if m:
                return m.group(1)
    m = rules["unit_page"].search(page_text)
    return m.group(1) if m else rules["default"]


def _page_text(view: DocView, page: int) -> str:
    return " ".join(s.text for s in view.on_page(page))


@dataclass(frozen=True)
class FundRow:
    """One row of a funds table: its source of funds and the figures of every column."""
    row: Row
    source: str
    label: str
    unit: str
    values: dict[str, Decimal | None]      # column -> value (rate in percent)
    headers: dict[str, tuple[int, str]]    # column -> (cell index, header as printed)


def _value(cell: str | None, column: str) -> Decimal | None:
    if column == "rate" and cell and cell.strip().endswith("%"):
        return _number(cell.strip()[:-1])
    return _number(cell)


def view_to_fund_rows(view: DocView) -> list[FundRow]:
    rules = _rules()
    out: list[FundRow] = []
    for rows in stitch_tables(view.tables):
        header_at = next((i for i, r in enumerate(rows) if _heads_funds(_columns(r))), None)
        if header_at is None:
            continue
        columns = _columns(rows[header_at])
        headers = {name: (col, header) for col, (name, header) in columns.items()}
        unit = _unit(rows, header_at, _page_text(view, rows[header_at].page))
        first_value = min(columns)
        found = 0
        for row in rows[header_at + 1:]:
            label = _label(row.cells, first_value)
            source = next((s for s, p in rules["sources"].items() if p.search(label)), None)
            if source is None:
                if found and label:
                    break                       # the funds block has ended
                continue
            values = {name: _value(row.cells[col] if col < len(row.cells) else None, name)
                      for name, (col, _) in headers.items()}
            out.append(FundRow(row, source, label, unit, values, headers))
            found += 1
    return out


def fund_rows_table(doc_id: str, rows: list[FundRow]) -> list[dict]:
    """Rows for the `form_funds` table (amounts in 万元)."""
    out = []
    for i, r in enumerate(rows):
        wan = {k: (r.values.get(k) * WAN[r.unit] if r.values.get(k) is not None else None)
               for k in ("initial", "full", "executed")}
        out.append({"doc_id": doc_id, "row_id": i, "source": r.source, "label": r.label, "unit": r.unit,
                    "initial_wan": wan["initial"], "full_wan": wan["full"], "executed_wan": wan["executed"],
                    "points": r.values.get("points"), "rate": r.values.get("rate"), "score": r.values.get("score"),
                    "page": r.row.page, "quote": r.row.text})
    return out
