"""The year an indicator's target is set for, where the report says it: a year before the target
in its sentence (2024年新增服务站不少于30个), the heading above it (（二）2025年度绩效目标), a
year column or cell of the indicator table, or a table of targets set year by year (a year
over each pair of 目标 | 完成 columns). A year that a comparison names (较2023年提高) or a
finer date (截至2024年12月31日) sets no target's year; with none, the year stays empty."""
from __future__ import annotations

from functools import cache

import regex

from schemas.rows import IndicatorRow

from ..rules import load
from .tables import blocks, squash
from .view import DocView, Row

YEAR_RE = regex.compile(r"((?:19|20)\d{2})\s*年度?")
_BARE_YEAR = regex.compile(r"((?:19|20)\d{2})")
_SPACES = regex.compile(r"\s+")


@cache
def _rules() -> dict:
    r = load("indicators")["years"]
    return {"compare": regex.compile(r["comparison_before_pattern"] + r"\s*$"),
            "heading": regex.compile(r["heading_pattern"]), "target": r["target_words"], "actual": r["actual_words"],
            "names": load("indicators")["table"]["columns"]["level3"]}


def prose_year(view: DocView, sentence: int, start: int) -> int | None:
    """The target year stated before text position `start` in its sentence, else by a heading."""
    s = view.sentences[sentence]
    years = [d for d in view.dates if d["sentence_id"] == sentence and d["char_end"] <= start
             and d["precision"] == "year" and d["kind"] == "point"
             and not _rules()["compare"].search(view.text[s.start:d["char_start"]])]
    if years:
        return years[-1]["date_start"].year
    for heading in reversed(s.section.split(" > ") if s.section else []):
        m = _rules()["heading"].search(heading)
        if m:
            return int(m.group(1))
    return None


def cell_year(*cells: str | None) -> int | None:
    """The year a table cell names (2024年 / 2024年度 / 2024), the first cell naming one."""
    for cell in cells:
        text = _SPACES.sub("", cell or "")
        m = YEAR_RE.match(text) or _BARE_YEAR.fullmatch(text)
        if m:
            return int(m.group(1))
    return None


def _year_columns(upper: Row, lower: Row) -> dict[int, tuple[int, str]]:
    """Column -> (year, 'target' | 'actual') of a two-row header: years over 目标 | 完成."""
    out = {}
    for j, cell in enumerate(lower.cells):
        above = upper.cells[j] if j < len(upper.cells) else None
        if above is None:
            above = next((c for c in reversed(upper.cells[:j]) if c), "")
        year = YEAR_RE.search(squash(above) + squash(cell))
        side = squash(cell)
        kind = "target" if any(w in side for w in _rules()["target"]) else \
            "actual" if any(w in side for w in _rules()["actual"]) else None
        if year and kind:
            out[j] = (int(year.group(1)), kind)
    return out


def yearly_table_indicators(view: DocView, parse_value, met) -> list[IndicatorRow]:
    """Indicators of tables that set their targets year by year, one per row and year."""
    out = []
    for rows in blocks(view):
        for i in range(len(rows) - 1):
            cols = _year_columns(rows[i], rows[i + 1])
            name_col = next((j for j, c in enumerate(rows[i].cells) if squash(c) in _rules()["names"]), None)
            if name_col is None or len({y for y, _ in cols.values()}) < 2:
                continue
            for row in rows[i + 2:]:
                out.extend(_row_indicators(view.doc_id, row, name_col, cols, parse_value, met))
    return out


def _row_indicators(doc_id: str, row: Row, name_col: int, cols: dict, parse_value, met) -> list[IndicatorRow]:
    name = squash(row.cells[name_col] if name_col < len(row.cells) else "")
    m = regex.match(r"^(.+?)[（(]([^（()）]{1,6})[）)]$", name)
    name, unit = (m.group(1), m.group(2)) if m else (name, None)
    values: dict[int, dict[str, tuple]] = {}
    for j, (year, side) in cols.items():
        value = parse_value(row.cells[j] if j < len(row.cells) else None)
        if value:
            values.setdefault(year, {})[side] = value
    out = []
    for year, sides in sorted(values.items()):
        target, actual = sides.get("target"), sides.get("actual")
        comparator = target[0] if target else None
        t_val, a_val = target and target[1], actual and actual[1]
        u = (target and target[2]) or (actual and actual[2]) or unit
        quote = " | ".join(c for c in row.cells if c)
        out.append(IndicatorRow(
            doc_id=doc_id, indicator_id=0, category=None, name=name, target_comparator=comparator, target=t_val,
            actual=a_val, unit=u, year=year, met=met(comparator, t_val, a_val), deviation_reason=None,
            source="table", target_page=row.page if target else None, target_quote=quote if target else None,
            actual_page=row.page if actual else None, actual_quote=quote if actual else None))
    return out
