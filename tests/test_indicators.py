"""extractors.facts.indicators: prose targets and actuals, the indicator table, the samples' gold."""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest

from extractors.document import mention_rows
from extractors.facts.indicators import parse_value, similarity, view_to_indicators
from extractors.facts.view import DocView, Table
from extractors.sentences import SentenceIndex, text_to_sentences

GOLD = Path(__file__).parent / "fixtures" / "gold"


def snippet_view(text: str, tables: tuple[Table, ...] = ()) -> DocView:
    """A DocView over already-normalised text, on one page, through the project's own mentions."""
    sentences = text_to_sentences(text)
    rows = mention_rows("t", SimpleNamespace(text=text, page_of=lambda pos: 1), SentenceIndex(sentences))
    return DocView("t", text, sentences, lambda pos: 1, rows["amounts"], rows["dates"],
                   rows["percentages"], rows["counts"], list(tables))


def brief(rows) -> list[tuple]:
    return [(r["target_comparator"], r["target"], r["actual"], r["unit"], r["met"]) for r in rows]


def D(x):
    return None if x is None else Decimal(str(x))


@pytest.mark.parametrize("text, expected", [
    ("产出指标：培训基层干部人数不少于500人，实际培训620人。", [(">=", 500, 620, "人", True)]),
    ("质量指标：设备验收合格率≥95%。", [(">=", 95, None, "%", None)]),
    ("成本指标：项目总成本控制在500万元以内，实际支出468.5万元。", [("<=", 500, 468.5, "万元", True)]),
    ("效益指标：群众满意度不低于90%，调查显示满意度为86.5%。", [(">=", 90, 86.5, "%", False)]),
    ("时效指标：项目验收及时率100%。", [("=", 100, None, "%", None)]),
    # target in the goals section, the actual in a later sentence about the same indicator
    ("二、绩效目标\n数量指标：新建村级便民服务站≥30个；\n三、完成情况\n截至年底，共新建村级便民服务站32个。",
     [(">=", 30, 32, "个", True)]),
    ("（二）项目绩效目标\n1.行政村通宽带比例达到98%以上。\n四、绩效分析\n截至2023年末，全县行政村通宽带比例达到99.2%。",
     [(">=", 98, 99.2, "%", True)]),
    # money in 元 is converted to 万元
    ("成本指标：单位运维成本不超过1,200,000元。", [("<=", 120, None, "万元", None)]),
    # a later figure of the same unit is not the actual unless it reads as a result
    ("成本指标：项目总成本控制在500万元以内，其中设备购置费300万元。", [("<=", 500, None, "万元", None)]),
    # a later figure with a different name is not the actual (资金支付完成率 vs 整改完成率)
    ("（二）项目绩效目标\n一是问题整改完成率达到95%以上。\n二、资金情况\n资金支付完成率100%。",
     [(">=", 95, None, "%", None)]),
    # a restated target merges with the first statement and brings its actual
    ("2.绩效指标\n产出指标：覆盖乡镇数量达到12个以上；\n四、项目绩效\n产出指标：要求覆盖乡镇数量达到12个以上，实际覆盖乡镇数量15个。",
     [(">=", 12, 15, "个", True)]),
])
def test_prose_indicators(text, expected):
    assert brief(view_to_indicators(snippet_view(text))) == [
        (c, D(t), D(a), u, m) for c, t, a, u, m in expected]


@pytest.mark.parametrize("text", [
    "2023年度共开展四轮资源降配工作，对使用率低于20%的云资源进行降配。",
    "项目服务期3年，合同金额不超过预算。",
    "全年共计下达财政资金13283.26万元。",
    "年无故障支持时间率高于99.96%以上。",
    "全省政务服务“好差评”系统共收到评价超过1649万次，群众总体满意度99.99%。",
    "2020年仅省级层面召开视频会议共计约680场，同比增长约10.9%。",
    "（一）项目绩效目标完成情况\n对CPU和内存的使用率低于20%的云资源进行动态降配调整。",
])
def test_prose_negatives(text):
    assert view_to_indicators(snippet_view(text)) == []


def test_prose_row_fields():
    text = "产出指标：支持的应用系统数量达到820个以上，截至2023年底，实际支持的应用系统数量超过1000个；"
    [row] = view_to_indicators(snippet_view(text))
    assert row["name"] == "应用系统数量" and row["category"] == "产出指标" and row["source"] == "prose"
    assert row["target_quote"] == row["actual_quote"] == text and row["target_page"] == 1
    assert row["indicator_id"] == 1 and row["deviation_reason"] is None


@pytest.mark.parametrize("a, b, same", [
    ("乡镇垂直终端覆盖率", "乡镇政府终端覆盖率", True),
    ("视频会议通信链路可用性", "视频会议平台及通信链路可用性", True),
    ("海南省政务服务一体化完成率", "资金支付完成率", False),
    ("对接完成率", "差评整改率", False),
    ("无故障时间", "中标折扣", False),
])
def test_name_similarity(a, b, same):
    assert (similarity(a, b) >= 0.34) is same


@pytest.mark.parametrize("cell, expected", [
    ("≥95%", (">=", 95, "%")),
    ("≤5%", ("<=", 5, "%")),
    ("=100%", ("=", 100, "%")),
    ("100%", ("=", 100, "%")),
    ("≥820个", (">=", 820, "个")),
    ("95%以上", (">=", 95, "%")),
    ("≤500万元", ("<=", 500, "万元")),
    ("3000元", ("=", Decimal("0.3"), "万元")),
    ("不低于90 %", (">=", 90, "%")),
    ("12", ("=", 12, None)),
    ("有效提升", None),
    ("", None),
    (None, None),
])
def test_parse_table_value(cell, expected):
    got = parse_value(cell)
    assert got == (None if expected is None else (expected[0], Decimal(expected[1]), expected[2]))


INDICATOR_TABLE = Table(page=5, index=0, rows=[
    ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"],
    ["产出指标", "数量指标", "培训人数", "≥820个", "1000个", "10", "10", ""],
    [None, None, "覆盖率", "≥95%", "93%", "10", "8", "部分偏远乡镇网络未通"],
    [None, "质量指标", "验收合格率", "=100%", "100%", "10", "10", None],
    ["成本指标", "经济成本指标", "项目成本", "≤500万元", "468.5万元", "10", "10", ""],
    ["满意度指标", "服务对象满意度指标", "群众满意度", "≥90%", "好评", "10", "9", ""],
    ["效益指标", "社会效益指标", "服务水平", "有效提升", "显著提升", "10", "10", ""],
    ["总分", None, None, None, None, "100", "94", None],
])


def test_indicator_table():
    rows = view_to_indicators(snippet_view("一、附表", (INDICATOR_TABLE,)))
    assert [(r["name"], r["category"]) for r in rows] == [
        ("培训人数", "产出指标 > 数量指标"), ("覆盖率", "产出指标 > 数量指标"),
        ("验收合格率", "产出指标 > 质量指标"), ("项目成本", "成本指标 > 经济成本指标"),
        ("群众满意度", "满意度指标 > 服务对象满意度指标")]
    assert brief(rows) == [(">=", 820, 1000, "个", True), (">=", 95, 93, "%", False),
                           ("=", 100, 100, "%", True), ("<=", 500, Decimal("468.5"), "万元", True),
                           (">=", 90, None, "%", None)]
    assert rows[1]["deviation_reason"] == "部分偏远乡镇网络未通"
    assert {r["source"] for r in rows} == {"table"} and rows[0]["target_page"] == 5
    assert [r["indicator_id"] for r in rows] == [1, 2, 3, 4, 5]


def test_table_with_two_header_rows():
    table = Table(page=2, index=1, rows=[
        ["绩效指标", None, None, "年度指标值", "实际完成值"],
        ["一级指标", "二级指标", "三级指标", None, None],
        ["产出指标", "时效指标", "按时完工率", "≥90%", "100%"],
    ])
    assert brief(view_to_indicators(snippet_view("一、附表", (table,)))) == [(">=", 90, 100, "%", True)]


def test_table_without_indicator_header_is_ignored():
    table = Table(page=2, index=0, rows=[["项目负责人", "张三", "联系电话", "5369112"],
                                         ["项目起止时间", "2019~2020", "", ""]])
    assert view_to_indicators(snippet_view("一、附表", (table,))) == []


def _gold(stem: str) -> dict:
    return json.loads((GOLD / f"{stem}.gold.json").read_text(encoding="utf-8"))


def _key(target, actual, unit) -> tuple:
    return (D(target), D(actual), unit)


@pytest.mark.parametrize("stem", ["001_0eae385221b322f5", "002_ed56922f022e386f",
                                  "003_7b98f24135c041f8", "004_bde0c0f62c0d9a40"])
def test_samples_match_gold(sample_views, stem):
    rows = view_to_indicators(sample_views[stem])
    got = sorted(_key(r["target"], r["actual"], r["unit"]) for r in rows)
    want = sorted(_key(g["target"], g["actual"], g["unit"]) for g in _gold(stem)["indicators"])
    assert got == want
    for r in rows:
        assert r["target_quote"] and r["target_page"] >= 1
        assert (r["actual"] is None) == (r["actual_quote"] is None)
