"""Indicators in wordings of research projects and concession contracts (r27/r28 families): a
table of the targets a 任务书 agreed (考核指标 | 任务书约定 | 实际完成), and a prose item giving its
target in brackets after the name (X（目标值≥N）实际M). Tables and sentences of our own."""
from __future__ import annotations

from decimal import Decimal

from conftest import snippet_view
from extractors.document import text_to_view
from extractors.facts.indicators import view_to_indicators
from extractors.facts.view import Table


def brief(rows) -> list[tuple]:
    return [(r["name"], r["target_comparator"], r["target"], r["actual"], r["unit"], r["met"]) for r in rows]


def test_a_table_of_the_targets_a_task_agreement_set():
    table = Table(page=2, index=0, rows=[
        ["序号", "考核指标", "任务书约定", "实际完成"],
        ["1", "出版学术专著", "≥2部", "2部"],
        ["2", "获得软件著作权", "5项", "4项"],
        ["3", "培养博士研究生", "3名", "4名"],
    ])
    rows = view_to_indicators(snippet_view("三、考核指标完成情况", (table,)))
    assert brief(rows) == [("出版学术专著", ">=", 2, 2, "部", True), ("获得软件著作权", "=", 5, 4, "项", False),
                           ("培养博士研究生", "=", 3, 4, "名", True)]


def test_a_target_in_brackets_after_the_name_and_the_result_after_the_bracket():
    text = ("各项考核目标完成如下：\n1. 垃圾日处理量（目标值≥450吨）实际468吨；\n"
            "2. 渗滤液达标排放率（目标值100%）实际100%；\n⑶ 居民投诉办结率（目标值≥95%）实际93.5%。")
    rows = view_to_indicators(text_to_view("i" * 64, text))
    assert [r["name"] for r in rows] == ["垃圾日处理量", "渗滤液达标排放率", "居民投诉办结率"]
    assert [r[1:] for r in brief(rows)] == [(">=", 450, 468, "吨", True), ("=", 100, 100, "%", True),
                                            (">=", 95, Decimal("93.5"), "%", False)]


def test_money_is_a_target_only_right_after_the_word_target():
    from extractors.document import text_to_view
    from extractors.facts.indicators import view_to_indicators

    def read(text: str) -> list[tuple]:
        return [(r["name"], r["target"], r["actual"], r["unit"]) for r in view_to_indicators(text_to_view("i" * 64, text))]
    assert read("■ 效益指标\n1. 撬动社会资本投入：目标1.5亿元，完成1.84亿元。\n2. 减少企业用能成本：目标300万元，完成356万元。") == [
        ("撬动社会资本投入", 15000, 18400, "万元"), ("减少企业用能成本", 300, 356, "万元")]
    assert read("合同金额120万元，完成支付100万元。") == []
