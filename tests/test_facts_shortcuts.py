"""Shortcuts of the fact and reconciliation stages give the answers of the long way round.

Each test runs a shortcut and the plain computation it stands for on sentences of our own and
compares them, so that a rule file edited later cannot make a shortcut wrong unnoticed."""
from __future__ import annotations

import pytest

from extractors.facts import sources

SOURCE_TEXTS = [
    "", "下达资金", "中央财政补助资金", "中央下达", "省级配套资金", "我省补助资金", "本市配套", "市财政局",
    "县财政安排工作经费", "区配套资金", "乡镇自筹资金", "单位自筹", "新增专项债券资金", "银行贷款",
    "中央和省级资金", "市县配套资金", "其他资金及社会资本", "自有资金与政府债券", "州补助", "全省补助资金",
    "镇级财政投入", "该社区配套", "实际支出", "拨付至乡镇", "社会资金投入两处养老站",
]


@pytest.mark.parametrize("text", SOURCE_TEXTS)
def test_source_gate_finds_what_some_source_pattern_finds(text):
    rules = sources._rules()
    some = any(p.search(text) for p in rules["sources"].values())
    assert (rules["any_source"].search(text) is not None) == some


@pytest.mark.parametrize("text", SOURCE_TEXTS)
def test_source_of_as_without_the_gate(text, monkeypatch):
    fast = sources.source_of(text)
    rules = dict(sources._rules())
    rules["any_source"] = type("Always", (), {"search": staticmethod(lambda t: True)})()
    monkeypatch.setattr(sources, "_rules", lambda: rules)
    assert sources.source_of(text) == fast
