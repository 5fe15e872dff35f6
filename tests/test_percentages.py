"""extractors.percentages.text_to_percentages: forms, comparators, negatives, seed reports."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from conftest import drop_cjk_spaces
from extractors.percentages import text_to_percentages
from extractors.rules import load

SEEDS = Path(__file__).parent / "fixtures" / "seeds"


def seed(prefix: str) -> str:
    return drop_cjk_spaces(next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8"))


def brief(text: str) -> list[tuple[str, Decimal, Decimal | None, str, str]]:
    return [(p["raw"], p["value"], p["value_high"], p["comparator"], p["numeral"])
            for p in text_to_percentages(text)]


@pytest.mark.parametrize("text, raw, value, high, comparator, numeral", [
    ("资金支付完成率100%。", "100%", "100", None, "=", "arabic"),
    ("占比12.5%，", "12.5%", "12.5", None, "=", "arabic"),
    ("占比12.5％，", "12.5％", "12.5", None, "=", "arabic"),
    ("覆盖率达到90%以上。", "达到90%以上", "90", None, ">=", "arabic"),
    ("覆盖率90%以上。", "90%以上", "90", None, ">=", "arabic"),
    ("覆盖率90%及以上。", "90%及以上", "90", None, ">=", "arabic"),
    ("满意度不低于95%", "不低于95%", "95", None, ">=", "arabic"),
    ("满意度不少于95%", "不少于95%", "95", None, ">=", "arabic"),
    ("满意度至少95%", "至少95%", "95", None, ">=", "arabic"),
    ("满意度≥95%", "≥95%", "95", None, ">=", "arabic"),
    ("满意度>=95%", ">=95%", "95", None, ">=", "arabic"),
    ("误差不高于5%", "不高于5%", "5", None, "<=", "arabic"),
    ("误差不超过5%", "不超过5%", "5", None, "<=", "arabic"),
    ("误差不大于5%", "不大于5%", "5", None, "<=", "arabic"),
    ("误差≤5%", "≤5%", "5", None, "<=", "arabic"),
    ("误差<=5%", "<=5%", "5", None, "<=", "arabic"),
    ("误差控制在5%以内", "控制在5%以内", "5", None, "<=", "arabic"),
    ("误差5%以下", "5%以下", "5", None, "<=", "arabic"),
    ("增长超过50%", "超过50%", "50", None, ">", "arabic"),
    ("增长高于50%", "高于50%", "50", None, ">", "arabic"),
    ("增长大于50%", "大于50%", "50", None, ">", "arabic"),
    ("增长>50%", ">50%", "50", None, ">", "arabic"),
    ("使用率低于20%的", "低于20%", "20", None, "<", "arabic"),
    ("使用率小于20%的", "小于20%", "20", None, "<", "arabic"),
    ("使用率<20%的", "<20%", "20", None, "<", "arabic"),
    ("时间率高于 99.96% 以上", "高于 99.96% 以上", "99.96", None, ">", "arabic"),
    ("同比增长约10.9%，", "约10.9%", "10.9", None, "=", "arabic"),
    ("区间90%-95%之间", "90%-95%", "90", "95", "=", "arabic"),
    ("区间90%～95%之间", "90%～95%", "90", "95", "=", "arabic"),
    ("区间90%至95%之间", "90%至95%", "90", "95", "=", "arabic"),
    ("区间90-95%之间", "90-95%", "90", "95", "=", "arabic"),
    ("覆盖率百分之九十。", "百分之九十", "90", None, "=", "chinese"),
    ("覆盖率百分之九十五以上。", "百分之九十五以上", "95", None, ">=", "chinese"),
    ("覆盖率达到百分之百。", "达到百分之百", "100", None, "=", "chinese"),
    ("覆盖率百分之一百。", "百分之一百", "100", None, "=", "chinese"),
    ("增长百分之三点五。", "百分之三点五", "3.5", None, "=", "chinese"),
    ("区间百分之九十至百分之九十五", "百分之九十至百分之九十五", "90", "95", "=", "chinese"),
])
def test_one_percentage(text, raw, value, high, comparator, numeral):
    [p] = text_to_percentages(text)
    assert (p["raw"], p["value"], p["value_high"], p["comparator"], p["numeral"]) == (
        raw, Decimal(value), Decimal(high) if high else None, comparator, numeral)
    assert text[p["start"]:p["end"]] == p["raw"]


@pytest.mark.parametrize("text", [
    "增长3个百分点",
    "提高了5个百分点以上",
    "覆盖90以上",
    "%",
    "百分之",
    "（海南省人民政府令第284号）",
    "2019-2020年",
    "评价等级设定为优秀（90-100分）",
])
def test_not_a_percentage(text):
    assert text_to_percentages(text) == []


def test_several_in_one_sentence_sorted_and_spanned():
    text = "覆盖率达到100%，可用性达到99.9%，满意度85%以上。"
    found = text_to_percentages(text)
    assert [(p["raw"], p["comparator"]) for p in found] == [
        ("达到100%", "="), ("达到99.9%", "="), ("85%以上", ">=")]
    assert all(text[p["start"]:p["end"]] == p["raw"] for p in found)


def test_comparator_words_come_from_rules_file():
    rules = load("percentages")
    assert set(rules["before"]) <= {"=", ">=", "<=", ">", "<"}
    assert set(rules["after"]) <= {"=", ">=", "<=", ">", "<"}
    for comparator, words in rules["before"].items():
        if comparator != "=":
            assert text_to_percentages(f"{words[0]}42%")[0]["comparator"] == comparator
    for comparator, words in rules["after"].items():
        assert text_to_percentages(f"42%{words[0]}")[0]["comparator"] == comparator


def test_drop_cjk_spaces_helper_joins_broken_lines():
    assert drop_cjk_spaces("达到\n\n90%以\n\n上。 Some text") == "达到90%以上。 Some text"


# --- seed reports -----------------------------------------------------------------------------

def test_seed_001():
    found = brief(seed("001"))
    targets = [f for f in found if f[0] == "达到90%以上"]
    assert targets == [("达到90%以上", Decimal(90), None, ">=", "arabic")] * 4
    assert [f[0] for f in found].count("100%") == 2     # 资金支付完成率 100%, 差评整改率 100%
    assert {f[1] for f in found} >= {Decimal("99.99"), Decimal(60), Decimal("88.84"),
                                     Decimal("70.53")}
    assert len(found) == 10


def test_seed_002():
    found = brief(seed("002"))
    assert found.count(("达到99.9%以上", Decimal("99.9"), None, ">=", "arabic")) == 2
    assert ("达到99.96%", Decimal("99.96"), None, "=", "arabic") in found
    assert ("55%", Decimal(55), None, "=", "arabic") in found          # 中标折扣为 55%
    assert ("低于20%", Decimal(20), None, "<", "arabic") in found       # 使用率低于 20%
    assert found.count(("高于99.96%以上", Decimal("99.96"), None, ">", "arabic")) == 2
    assert len(found) == 7


def test_seed_003():
    found = brief(seed("003"))
    assert found.count(("达到90%以上", Decimal(90), None, ">=", "arabic")) == 2
    assert ("达到85%以上", Decimal(85), None, ">=", "arabic") in found
    assert ("达到100%", Decimal(100), None, "=", "arabic") in found
    assert ("达到99.9%", Decimal("99.9"), None, "=", "arabic") in found
    assert found.count(("约10.9%", Decimal("10.9"), None, "=", "arabic")) == 3
    assert found.count(("约97.6%", Decimal("97.6"), None, "=", "arabic")) == 3
    assert not any("90-100" in f[0] for f in found)                   # a score range, no %


def test_seed_004():
    found = brief(seed("004"))
    assert found == [("60%", Decimal(60), None, "=", "arabic"),        # 已支付项目总额的60%
                     ("40%", Decimal(40), None, "=", "arabic")]


@pytest.mark.parametrize("prefix", ["001", "002", "003", "004"])
def test_seed_spans_sorted_disjoint_exact(prefix):
    text = seed(prefix)
    found = text_to_percentages(text)
    assert all(text[p["start"]:p["end"]] == p["raw"] for p in found)
    assert all(a["end"] <= b["start"] for a, b in zip(found, found[1:]))
