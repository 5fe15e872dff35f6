"""Indicator lines `（N）name：目标值≥X%，实际Y%` (r31 family): 目标值 right after the name's colon is
that name's own target, not a reference to one stated before (two lines with equal targets stay
two indicators); incidents counted in 起. Sentences of our own."""
from __future__ import annotations

from decimal import Decimal

from conftest import snippet_view
from extractors.facts.indicators import view_to_indicators


def brief(text: str) -> list[tuple]:
    return [(r["name"], r["target"], r["actual"], r["unit"]) for r in view_to_indicators(snippet_view(text))]


def test_target_value_after_the_label_is_its_own_target():
    got = brief("（一）留存率：目标值≥80%，实际留存率83.1%（按月统计）。\n"
                "（二）读者满意度：目标值≥80%，实际88.6%（抽样调查）。")
    assert got == [("留存率", Decimal("80"), Decimal("83.1"), "%"),
                   ("读者满意度", Decimal("80"), Decimal("88.6"), "%")]


def test_incidents_counted_in_qi():
    assert brief("（五）有效投诉：目标不超过4起，实际1起。") == [("有效投诉", Decimal("4"), Decimal("1"), "起")]
    assert brief("（六）火灾事故：目标0起，实际0起（均无人员伤亡）。") == [("火灾事故", Decimal("0"), Decimal("0"), "起")]
