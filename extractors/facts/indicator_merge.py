"""One indicator stated twice: a target set in the prose (绩效目标：…不少于40个) and the row of the
indicator table that reports on it (接入部门数量 | ≥40个 | 46个) are one indicator, the table's.

A prose indicator restates a table row when their targets are equal once both are in one unit
(100万件 = 1000000件, 3万元 = 30000元), their years do not differ, and either their names are
close (indicator_names.similarity), or their actuals are equal too, or the prose row has neither
a name of three characters nor an actual to tell it apart. The table row keeps its own
values and takes the prose actual only when it has none."""
from __future__ import annotations

from decimal import Decimal
from functools import cache

from schemas.rows import IndicatorRow

from ..rules import load
from .indicator_names import similarity
from .indicator_tables import met


@cache
def _rules() -> dict:
    r = load("indicators")
    return {"money": {u: Decimal(f) for u, f in r["table"]["money"].items()},
            "prefixes": {p: Decimal(f) for p, f in r["unit_prefixes"].items()},
            "min_similarity": r["min_similarity"]}


def base(value: Decimal | None, unit: str | None) -> tuple[Decimal | None, str | None]:
    """A value in its unit's base: money in 万元, 万件 -> 件, 亿人次 -> 人次, others as written."""
    r = _rules()
    if value is None or not unit:
        return value, unit
    if unit in r["money"]:
        return value * r["money"][unit] / r["money"]["万元"], "万元"
    prefix = next((p for p in r["prefixes"] if unit.startswith(p) and len(unit) > len(p)), None)
    if prefix:
        return value * r["prefixes"][prefix], unit[len(prefix):]
    return value, unit


def _restates(p: IndicatorRow, t: IndicatorRow) -> float | None:
    """How close a prose row is to a table row it restates (None: it does not)."""
    target = base(p["target"], p["unit"])
    if target[0] is None or target != base(t["target"], t["unit"]):
        return None
    if p["year"] is not None and t["year"] is not None and p["year"] != t["year"]:
        return None
    close = similarity(p["name"], t["name"])
    same_actual = p["actual"] is not None and base(p["actual"], p["unit"]) == base(t["actual"], t["unit"])
    unnamed = len(p["name"]) < 3 and p["actual"] is None     # 支持8个县…: nothing tells it apart
    return close if close >= _rules()["min_similarity"] or same_actual or unnamed else None


def merge_restated(prose: list[IndicatorRow], table: list[IndicatorRow]) -> list[IndicatorRow]:
    """The prose rows that no table row reports on; a table row without an actual takes the
    actual of the prose row that restates it."""
    kept = []
    for p in prose:
        scored = [(s, i) for i, t in enumerate(table) if (s := _restates(p, t)) is not None]
        if not scored:
            kept.append(p)
            continue
        t = table[max(scored)[1]]
        if t["actual"] is None and p["actual"] is not None:
            (value, unit), (one, t_unit) = base(p["actual"], p["unit"]), base(Decimal(1), t["unit"])
            actual = value / one if unit == t_unit and one else p["actual"]
            t.update(actual=actual, met=met(t["target_comparator"], t["target"], actual),
                     actual_page=p["actual_page"], actual_quote=p["actual_quote"])
    return kept
