"""The standard indicator table -> IndicatorRow (一级/二级/三级指标, 年度指标值, 实际完成值, 偏差原因).

Values are read as written: `≥186个` -> (>=, 186, 个), `≤185元/吨` -> (<=, 185, 元/吨), `≥12万人` ->
(>=, 12, 万人). Layouts that print the comparator (指标性质: ≥ / ≤ / =) and the unit (度量单位) in
columns of their own are read the same way. Tables cut by a page break are read whole.
"""
from __future__ import annotations

import re
from decimal import Decimal
from functools import cache

from schemas.rows import IndicatorRow

from ..patterns import alternation
from ..numerals import CN_DIGITS, CN_NUMERAL_CHARS, parse_chinese
from ..rules import load
from .indicator_names import clean_name
from .indicator_years import cell_year, yearly_table_indicators
from .tables import blocks, records, squash
from .view import DocView

# A number in Chinese numerals: it opens with a digit or 十 (万元 alone is a unit, not a number).
CN_NUMBER_RE = re.compile(f"[{CN_DIGITS}十][{CN_NUMERAL_CHARS}]*")


@cache
def indicator_rules() -> dict:
    """indicators.toml with the comparator words of percentages.toml (shared with indicators.py)."""
    r = dict(load("indicators"))
    pct = load("percentages")
    r["before"] = {w: c for c, words in pct["before"].items() for w in words}
    r["after"] = {w: c for c, words in pct["after"].items() for w in words}
    r["value_re"] = re.compile(r["table"]["value_pattern"])
    r["thousands_re"] = re.compile(r["table"]["thousands_pattern"])
    item = r["table"]["cell_item"]
    target_w, actual_w = alternation(item["target_words"]), alternation(item["actual_words"])
    r["cell_item_re"] = re.compile(
        rf"^(?P<name>{item['name_pattern']})[：:]\s*(?:{target_w})\s*[为:：]?\s*(?P<target>[^，,；;]+?)\s*[，,；;]"
        rf"\s*(?:{actual_w})\s*[为:：]?\s*(?P<actual>[^，,；;。]+?)\s*[。；;]?$")
    counts = load("counts")
    r["measures"] = set(counts["measures"] + counts["units"] + r["units"] + ["%", "％"])
    return r


def met(comparator: str | None, target: Decimal | None, actual: Decimal | None) -> bool | None:
    """Whether the actual satisfies the target ("=" reads as "at least")."""
    if target is None or actual is None:
        return None
    return {"<=": actual <= target, "<": actual < target, ">": actual > target}.get(comparator or "=", actual >= target)


def _arabic(text: str) -> str:
    """The first number written in Chinese numerals in digits: 不少于二十个 -> 不少于20个."""
    m = CN_NUMBER_RE.search(text)
    number = m.group().rstrip("万亿萬億") if m else ""     # 二十万人次 stays 20万人次, as written
    if not number:
        return text
    try:
        value = parse_chinese(number)
    except ValueError:
        return text
    return text[:m.start()] + format(value.normalize(), "f") + text[m.start() + len(number):]


def parse_value(cell: str | None) -> tuple[str, Decimal, str | None] | None:
    """`≥95%` -> ('>=', 95, '%'); `≤185元/吨` -> ('<=', 185, '元/吨'); `二十三个` -> ('=', 23, '个');
    words -> None."""
    r = indicator_rules()
    text = r["thousands_re"].sub("", squash(cell))      # ≥2,400人 -> ≥2400人
    m = r["value_re"].match(text)
    if not m:           # in Chinese numerals, only before a measure word (二十三个, not 一级指标)
        m = r["value_re"].match(_arabic(text))
        if m and m.group("unit").lstrip("万亿") not in r["measures"]:
            return None
    if not m:
        return None
    comparator = r["before"].get(m.group("cmp") or "", "=")
    if comparator == "=" and m.group("after"):
        comparator = r["after"].get(m.group("after"), "=")
    return comparator, Decimal(m.group("num")), m.group("unit").replace("％", "%") or None


def split_pair(cell: str | None) -> tuple[tuple | None, tuple | None]:
    """A cell holding the target and the actual split by a slash (`≥2,400人/2,463人` under
    目标值/实际值): the split whose two sides both read as values, of one unit if one exists
    (`≤185元/吨/180元/吨` splits after 吨)."""
    text = squash(cell)
    pairs = [(parse_value(text[:i]), parse_value(text[i + 1:])) for i, ch in enumerate(text)
             if ch in indicator_rules()["table"]["pair_separators"]]
    pairs = [(t, a) for t, a in pairs if t and a]
    same = [(t, a) for t, a in pairs if t[2] == a[2] or not t[2] or not a[2]]
    return (same or pairs or [(None, None)])[0]


def _comparator_cell(cell: str | None) -> str | None:
    """A column of its own for the comparator (指标性质): ≥ / ≤ / = / 不低于 …"""
    text = squash(cell)
    return "=" if text in ("=", "＝") else indicator_rules()["before"].get(text) if text else None


def _in_unit(value: tuple[str, Decimal, str | None] | None, unit: str | None) -> Decimal | None:
    """A value in the row's unit: money written in another money unit is converted."""
    if value is None:
        return None
    money = indicator_rules()["table"]["money"]
    if value[2] and unit and value[2] != unit and value[2] in money and unit in money:
        return value[1] * Decimal(money[value[2]]) / Decimal(money[unit])
    return value[1]


def table_indicators(view: DocView) -> list[IndicatorRow]:
    r = indicator_rules()
    out = []
    for rows in blocks(view):
        for rec in records(rows, r["table"]["columns"], carry=("year", "level1", "level2")):
            name = rec.own.get("level3") if "level3" in rec.header.values() else rec.own.get("name")
            cells = rec.cells
            if not name or any(t in squash(c) for c in rec.row.cells for t in r["table"]["total_rows"]):
                continue
            target, actual = parse_value(cells.get("target")), parse_value(cells.get("actual"))
            if not target and not actual and cells.get("target_actual"):
                target, actual = split_pair(cells["target_actual"])
            if not target and not actual:
                continue
            comparator = _comparator_cell(cells.get("comparator")) or (target[0] if target else None)
            unit = (target and target[2]) or (actual and actual[2]) or squash(cells.get("unit")) or None
            t_val, a_val = _in_unit(target, unit), _in_unit(actual, unit)
            category = " > ".join(c for c in (cells.get("level1"), cells.get("level2")) if c) or None
            page = rec.row.page
            out.append(IndicatorRow(
                doc_id=view.doc_id, indicator_id=0, category=category, name=squash(name),
                target_comparator=comparator, target=t_val, actual=a_val, unit=unit,
                year=cell_year(cells.get("year"), cells.get("level1"), cells.get("level2")),
                met=met(comparator, t_val, a_val), deviation_reason=cells.get("reason"), source="table",
                target_page=page if target else None, target_quote=rec.quote if target else None,
                actual_page=page if actual else None, actual_quote=rec.quote if actual else None))
    return out + yearly_table_indicators(view, parse_value, met) + cell_items(view)


def cell_items(view: DocView) -> list[IndicatorRow]:
    """Cells that each state one indicator, its target and its result (a grid of two indicators
    a row: 培训农技人员：计划40人次，完成46人次 | 验收合格率：目标≥98%，实际100%)."""
    r, out = indicator_rules(), []
    for rows in blocks(view):
        for row in rows:
            for cell in row.cells:
                m = r["cell_item_re"].match(squash(cell))
                target = parse_value(m.group("target")) if m else None
                actual = parse_value(m.group("actual")) if m else None
                name = clean_name(m.group("name")) if m else ""
                units = {target[2], actual[2]} - {None} if target and actual else {""}
                if not name or len(units) > 1 or any(u.lstrip("万亿") not in r["measures"] for u in units):
                    continue        # 计划3月签订: no value of a measure
                quote = " | ".join(c for c in row.cells if c)
                out.append(IndicatorRow(
                    doc_id=view.doc_id, indicator_id=0, category=None, name=name, target_comparator=target[0],
                    target=target[1], actual=actual[1], unit=target[2] or actual[2], year=None,
                    met=met(target[0], target[1], actual[1]), deviation_reason=None, source="table",
                    target_page=row.page, target_quote=quote, actual_page=row.page, actual_quote=quote))
    return out
