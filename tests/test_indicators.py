"""extractors.facts.indicators: prose targets and actuals, the indicator table, the gold files of
the samples, the own reports and the two standard forms."""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import snippet_view

from extractors.facts.indicators import parse_value, similarity, view_to_indicators
from extractors.facts.view import Table

GOLD = Path(__file__).parent.parent / "data" / "gold"
OWN = Path(__file__).parent / "reports"
FORMS = Path(__file__).parent / "fixtures" / "forms"


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
    # units the mention readers do not know, read as written
    ("时效指标：热线工单平均响应时长不超过30分钟，实际平均响应22分钟。", [("<=", 30, 22, "分钟", True)]),
    ("（二）绩效目标\n故障修复时间不超过8小时。\n四、完成情况\n全年故障平均修复时间5.5小时。",
     [("<=", 8, Decimal("5.5"), "小时", True)]),
    # in a targets section, 达到 states a target even without a direction
    ("三、年度绩效目标\n入户检测覆盖率达到100%；\n四、目标完成情况\n入户检测覆盖率100%。",
     [("=", 100, 100, "%", True)]),
    # a target restated with the results refers to the stated one and brings the figure before it
    ("（二）绩效目标\n质量指标：管网漏损率不高于10%。\n四、绩效分析\n管网漏损率8.6%，低于不高于10%的目标值。",
     [("<=", 10, Decimal("8.6"), "%", True)]),
    ("（二）绩效目标\n年度目标：改造老旧小区不少于35个。\n四、绩效分析\n全年改造老旧小区38个，目标值为不少于35个。",
     [(">=", 35, 38, "个", True)]),
    ("（二）绩效目标\n群众满意度不低于90%。\n四、绩效分析\n群众满意度为87%，未达到不低于90%的目标。",
     [(">=", 90, 87, "%", False)]),
    # two targets of one value: the reference goes to the one its figure is named like
    ("（二）绩效目标\n群众满意度不低于90%；\n入户覆盖率不低于90%。\n四、绩效分析\n"
     "入户覆盖率95%，高于90%的目标；\n群众满意度92%，高于90%的目标。",
     [(">=", 90, 92, "%", True), (">=", 90, 95, "%", True)]),
    # a target stated only where it is reported on is a target of its own
    ("四、绩效分析\n门诊预约率76%，达到不低于70%的预期目标。", [(">=", 70, 76, "%", True)]),
    ("四、绩效分析\n满意度指标：受访群众满意度93%，高于88%的目标值。", [("=", 88, 93, "%", True)]),
    # a figure that a target word governs only through another figure is not the target (108%)
    ("（二）绩效目标\n新建充电桩不少于500个。\n四、绩效分析\n新建充电桩540个，完成目标值500个的108%。",
     [(">=", 500, 540, "个", True)]),
    # a scope sentence (建设内容) repeating a target is not a second indicator
    ("一、项目概况\n主要建设内容：新建充电桩不少于500个，配套建设监控平台。\n"
     "（二）绩效目标\n产出指标：建成公共充电桩不少于500个。", [(">=", 500, None, "个", None)]),
    # a later figure of the same unit is not the actual unless it reads as a result
    ("成本指标：项目总成本控制在500万元以内，其中设备购置费300万元。", [("<=", 500, None, "万元", None)]),
    # a later figure with a different name is not the actual (资金支付完成率 vs 整改完成率)
    ("（二）项目绩效目标\n一是问题整改完成率达到95%以上。\n二、资金情况\n资金支付完成率100%。",
     [(">=", 95, None, "%", None)]),
    # a restated target merges with the first statement and brings its actual
    ("2.绩效指标\n产出指标：覆盖乡镇数量达到12个以上；\n四、项目绩效\n产出指标：要求覆盖乡镇数量达到12个以上，实际覆盖乡镇数量15个。",
     [(">=", 12, 15, "个", True)]),
    # the result named by the bare ending of the target's name (满意度 for 参训学员满意度)
    ("参训学员满意度目标为不低于85%，培训中心发放问卷后统计，满意度为91.4%，较上年提高1.6个百分点。",
     [(">=", 85, D("91.4"), "%", True)]),
    # persons counted 名 in the target and 人 in the result are one indicator
    ("按协议须为不少于300名残疾人提供康复训练，经核对台账，实际训练326人。", [(">=", 300, 326, "人", True)]),
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
    # 下达 is not 达到: money handed down in a targets section is no target
    "（二）项目绩效目标\n年初市财政下达预算资金600万元。",
    "二、绩效目标\n项目建设周期为18个月，每日巡检时长约2小时。",
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
    ("3000元", ("=", 3000, "元")),
    ("≤185元/吨", ("<=", 185, "元/吨")),
    ("≥12万人", (">=", 12, "万人")),
    ("≤3.90万元", ("<=", Decimal("3.90"), "万元")),
    ("≥60000单", (">=", 60000, "单")),
    ("不低于90 %", (">=", 90, "%")),
    ("12", ("=", 12, None)),
    # Chinese numerals before a measure word; a magnitude stays in the unit, as written
    ("三十七所", ("=", 37, "所")),
    ("≥3,250户", (">=", 3250, "户")),
    ("不少于十二项", (">=", 12, "项")),
    ("四十五万人次", ("=", 45, "万人次")),
    ("二级指标", None),
    ("万元", None),
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


def test_region_table_headed_by_full_year_actual_values():
    """The regional form heads its results 全年实际完成值 (年度指标值 beside it)."""
    table = Table(page=7, index=0, rows=[
        ["一级指标", "二级指标", "三级指标", "年度指标值", "全年实际完成值"],
        ["产出指标", "数量指标", "改造农贸市场个数", "≥35个", "38个"],
        [None, "时效指标", "当年开工项目完工率", "≥85%", "79.2%"],
    ])
    rows = view_to_indicators(snippet_view("附件", (table,)))
    assert brief(rows) == [(">=", 35, 38, "个", True), (">=", 85, Decimal("79.2"), "%", False)]


def test_short_table_headed_by_a_bare_indicator_column():
    """指标 | 目标值 | 完成值 | 评价: a short table of its own, not the standard form."""
    table = Table(page=3, index=0, rows=[
        ["指标", "目标值", "完成值", "评价"],
        ["新增公共充电桩", "120个", "131个", "完成"],
        ["充电故障平均响应时长", "≤2小时", "1.5小时", "完成"],
        ["用户投诉办结率", "≥95%", "97.3%", "完成"],
    ])
    rows = view_to_indicators(snippet_view("三、目标完成", (table,)))
    assert [r["name"] for r in rows] == ["新增公共充电桩", "充电故障平均响应时长", "用户投诉办结率"]
    assert brief(rows) == [("=", 120, 131, "个", True), ("<=", 2, Decimal("1.5"), "小时", True),
                           (">=", 95, Decimal("97.3"), "%", True)]


def test_target_and_actual_in_one_cell_split_by_a_slash():
    """目标值/实际值 | …: one column holds both, split by a slash; thousands commas are read."""
    table = Table(page=4, index=0, rows=[
        ["分类", "指标", "目标值/实际值", "结论"],
        ["产出", "接种服务人次", "≥12,000人次/12,845人次", "达成"],
        ["效益", "垃圾清运单价", "≤185元/吨/179元/吨", "达成"],
        ["满意度", "居民满意度", "≥88%/86.5%", "未达成"],
    ])
    rows = view_to_indicators(snippet_view("四、指标情况", (table,)))
    assert [r["name"] for r in rows] == ["接种服务人次", "垃圾清运单价", "居民满意度"]
    assert brief(rows) == [(">=", 12000, 12845, "人次", True), ("<=", 185, 179, "元/吨", True),
                           (">=", 88, Decimal("86.5"), "%", False)]


def test_table_of_cells_each_stating_an_indicator():
    """A grid without a header: every cell is one indicator, written out with its target and result."""
    table = Table(page=2, index=0, rows=[
        ["修缮村道：计划12公里，完成12.5公里", "其中硬化路面：计划8公里，完成8公里"],
        ["群众满意度：目标≥85%，实际93.1%", "工期：目标90天，实际88天"],
        ["备注：资金由镇财政统筹", None],
    ])
    rows = view_to_indicators(snippet_view("三、指标完成", (table,)))
    assert [r["name"] for r in rows] == ["修缮村道", "硬化路面", "群众满意度", "工期"]
    assert brief(rows) == [("=", 12, Decimal("12.5"), "公里", True), ("=", 8, 8, "公里", True),
                           (">=", 85, Decimal("93.1"), "%", True), ("=", 90, 88, "天", False)]


def test_cells_that_do_not_state_an_indicator_are_none():
    table = Table(page=2, index=0, rows=[
        ["合同：计划3月签订，实际4月签订", "资金：预算50万元，完成40万元"],
        ["联系人：王某", "培训：计划20人次，完成3场"],
    ])
    assert view_to_indicators(snippet_view("三、情况", (table,))) == []


@pytest.mark.parametrize("text, expected", [
    # the plan stated after the result it is compared with, a thousands comma in the figures
    ("三、完成情况\n东湾片区铺设雨污管网2.8公里，年初计划2.5公里；新增绿化面积3,420平方米，计划数为3,000平方米。",
     [("=", Decimal("2.5"), Decimal("2.8"), "公里", True), ("=", 3000, 3420, "平方米", True)]),
    # the plan in the sentence after a ；, its result the figure of the closest name before
    ("二、成效\n开办夜校12期，培训学员468人，其中女性学员203人；原计划培训学员不少于400人。",
     [(">=", 400, 468, "人", True)]),
    # this year's figure, not last year's, is the result of a target stated after both
    ("二、成效\n◆ 签约农户：2023年3,615户，2022年3,402户，目标为不少于3,500户。",
     [(">=", 3500, 3615, "户", True)]),
    # a figure stated equal to its target
    ("三、完成情况\n全部标段于9月底前交付，按期交付率100%，与年度目标一致。", [("=", 100, 100, "%", True)]),
])
def test_plans_stated_after_their_results(text, expected):
    assert brief(view_to_indicators(snippet_view(text))) == expected


@pytest.mark.parametrize("text, expected", [
    # a list of indicators, each with its result in the same clause group: a target word right
    # before the figure, or a direction, then the result after 实际 / 完成 / 年底 / 调查
    ("四、年度工作成效\n本年度整体目标完成情况：新植行道树目标3200株，完成3350株；"
     "农村污水处理率目标70%，实际74.5%；空气质量优良天数比例保持在85%以上，年底为88.1%；"
     "噪声投诉办结率不低于95%，抽查结果为98%。",
     [("=", 3200, 3350, "株", True), ("=", 70, Decimal("74.5"), "%", True),
      (">=", 85, Decimal("88.1"), "%", True), (">=", 95, 98, "%", True)]),
    ("三、成效\n全年人工造林任务2.4万亩，实际完成2.55万亩；新增护林员计划40名，实际聘用38名。",
     [("=", Decimal("2.4"), Decimal("2.55"), "万亩", True), ("=", 40, 38, "名", False)]),
    # per mille, and its actual after a clause break
    ("二、成效\n安全生产事故死亡率控制在0.5‰以内，实际为0.21‰。", [("<=", Decimal("0.5"), Decimal("0.21"), "‰", True)]),
    # each target with its result in brackets
    ("五、绩效情况\n改造供水管道12.5公里（实际完成13.2公里）；新建泵房2座（实际2座）；"
     "水质检测合格率100%（实际完成99.6%）。",
     [("=", Decimal("12.5"), Decimal("13.2"), "公里", True), ("=", 2, 2, "座", True),
      ("=", 100, Decimal("99.6"), "%", False)]),
    # a target word with its verb before the figure (计划购置), the result in the next clause
    ("三、目标完成\n（一）数量。全年计划购置救护车6辆，实际购置6辆；村级卫生室年度目标新建15所，实际建成14所。",
     [("=", 6, 6, "辆", True), ("=", 15, 14, "所", False)]),
    # money in brackets is a payment, not an indicator; a bare figure with no result is none
    ("二、资金\n监理合同金额45万元（实际支付40.5万元）；建设内容包括敷设光缆30公里。", []),
    # a bracket that names no figure does not take a figure after it
    ("二、成效\n培训农户300人次（完成全年计划），其中女性学员120人次。", []),
])
def test_targets_stated_with_their_results(text, expected):
    assert brief(view_to_indicators(snippet_view(text))) == [
        (c, D(t), D(a), u, m) for c, t, a, u, m in expected]


def test_targets_set_year_by_year_in_numbered_items():
    text = ("7. 2022年度绩效目标完成情况。\n疏浚河道8.0公里（实际完成8.6公里）。\n"
            "8. 2023年度绩效目标完成情况。\n疏浚河道9.5公里（实际完成9.1公里）；培训护河员不少于60人（实际72人）。")
    rows = view_to_indicators(snippet_view(text))
    assert [(r["name"], r["year"], r["target"], r["actual"]) for r in rows] == [
        ("疏浚河道", 2022, 8, Decimal("8.6")), ("疏浚河道", 2023, Decimal("9.5"), Decimal("9.1")),
        ("培训护河员", 2023, 60, 72)]


def test_table_with_comparator_and_unit_columns():
    table = Table(page=1, index=0, rows=[
        ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "实际完成值", "权重", "得分"],
        ["产出指标", "数量指标", "疏浚河道长度", "≥", "18", "公里", "19.5", "10", "10"],
        [None, "时效指标", "汛前完工时间", "≤", "30", "天", "28", "10", "10"],
        [None, "质量指标", "工程合格率", "=", "100", "%", "100", "10", "10"],
    ])
    rows = view_to_indicators(snippet_view("一、附表", (table,)))
    assert brief(rows) == [(">=", 18, Decimal("19.5"), "公里", True), ("<=", 30, 28, "天", True),
                           ("=", 100, 100, "%", True)]


def test_table_continued_on_next_page_with_fewer_columns():
    """pdfplumber's grid on the first page holds merged columns (None) that the next page lacks."""
    first = Table(page=1, index=0, rows=[
        ["一级指标", "二级指标", "三级指标", None, "年度指标值", "实际完成值", "分值", None, "得分", "偏差原因"],
        ["产出指标", "数量指标", "新增停车泊位", None, "≥800个", "856个", "10", None, "10", ""],
    ])
    second = Table(page=2, index=0, rows=[
        ["", "质量指标", "泊位验收合格率", "≥98%", "99.4%", "10", "10", ""],
        ["满意度指标", "服务对象满意度指标", "车主满意度", "≥85%", "83%", "10", "9", "高峰时段排队较长"],
    ])
    rows = view_to_indicators(snippet_view("一、附表", (first, second)))
    assert [(r["name"], r["target"], r["actual"], r["unit"]) for r in rows] == [
        ("新增停车泊位", 800, 856, "个"), ("泊位验收合格率", 98, Decimal("99.4"), "%"), ("车主满意度", 85, 83, "%")]
    assert rows[1]["category"] == "产出指标 > 质量指标" and rows[1]["target_page"] == 2
    assert rows[2]["deviation_reason"] == "高峰时段排队较长"


def test_text_inside_a_table_is_left_to_the_table():
    text = "一、自评表\n年度总体目标 新增停车泊位不少于800个，车主满意度不低于85%。\n≥800个 856个"
    table = Table(page=1, index=0, rows=[
        ["年度总体目标", "新增停车泊位不少于800个，车主满意度不低于85%。"],
        ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值"],
        ["产出指标", "数量指标", "新增停车泊位", "≥800个", "856个"],
    ])
    rows = view_to_indicators(snippet_view(text, (table,)))
    assert [(r["source"], r["target"], r["actual"]) for r in rows] == [("table", 800, 856)]


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


def _gold_file(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


OWN_GOLD = {p.name.removesuffix(".gold.json"): p for p in
            sorted((OWN / "gold").glob("*.gold.json")) + sorted(FORMS.glob("*.gold.json"))}


@pytest.mark.parametrize("stem", [
    "r1_prose_yuan", "r2_yi_mismatch", "r3_scores_dates", "r4_table_form", "form_mof_wanyuan",
    "form_sichuan_yuan"])
def test_own_reports_match_gold(own_views, stem):
    rows = view_to_indicators(own_views[stem])
    got = sorted(_key(r["target"], r["actual"], r["unit"]) for r in rows)
    want = sorted(_key(g["target"], g["actual"], g["unit"]) for g in _gold_file(OWN_GOLD[stem])["indicators"])
    assert got == want
    for r in rows:
        assert r["name"] and r["target_quote"] and r["target_page"] >= 1


def test_own_report_names(own_views):
    """Names are noun phrases, never a target word or a verb (目标值 / 达到 / 未达到)."""
    names = {r["name"] for stem in ("r1_prose_yuan", "r3_scores_dates") for r in view_to_indicators(own_views[stem])}
    assert {"预警信息平均发布时长", "公众满意度", "设备故障响应时间", "师生满意度"} <= names
    assert not any(w in n for n in names for w in ("目标值", "达到"))


def test_targets_set_year_by_year_carry_their_year():
    text = ("三、分年度绩效目标\n2025年新建村级服务站不少于30个，2026年新建村级服务站不少于30个。"
            "服务对象满意度较2024年提升至不低于92%。")
    rows = view_to_indicators(snippet_view(text))
    assert [(r["target"], r["unit"], r["year"]) for r in rows] == [(30, "个", 2025), (30, "个", 2026), (92, "%", None)]


def test_a_heading_names_the_year_of_its_targets():
    text = "（二）2027年度绩效目标\n产出指标：完成河道清淤不少于12公里。"
    assert [r["year"] for r in view_to_indicators(snippet_view(text))] == [2027]


def test_indicator_table_with_a_year_column():
    table = Table(page=1, index=0, rows=[
        ["年度", "一级指标", "三级指标", "目标值", "实际完成值"],
        ["2025年", "产出指标", "改造供水管网", "≥20公里", "21公里"],
        [None, "效益指标", "供水保证率", "≥95%", "97%"],
        ["2026年", "产出指标", "改造供水管网", "≥20公里", "20公里"],
    ])
    rows = view_to_indicators(snippet_view("附表", (table,)))
    assert [(r["name"], r["year"]) for r in rows] == [("改造供水管网", 2025), ("供水保证率", 2025), ("改造供水管网", 2026)]


def test_a_labelled_list_continues_after_a_semicolon_and_a_survey_gives_the_result():
    text = "质量指标：路面压实度不低于96%，实测97.2%；桥梁荷载试验合格率100%，实际100%；沿线群众满意度不低于85%，抽样调查满意度为88.1%。"
    rows = view_to_indicators(snippet_view(text))
    assert [(r["target"], r["actual"]) for r in rows] == [(96, Decimal("97.2")), (100, 100), (85, Decimal("88.1"))]


def test_a_table_of_targets_set_year_by_year():
    table = Table(page=2, index=0, rows=[
        ["指标名称", "2025年", None, "2026年", None],
        [None, "目标", "完成", "目标", "完成"],
        ["新建污水管网（公里）", "4.5", "4.8", "6", "5.2"],
        ["新增监测点位（个）", "≥10", "12", "≥15", "15"],
    ])
    rows = view_to_indicators(snippet_view("附表", (table,)))
    assert [(r["name"], r["year"], r["target"], r["actual"], r["unit"]) for r in rows] == [
        ("新建污水管网", 2025, Decimal("4.5"), Decimal("4.8"), "公里"), ("新建污水管网", 2026, 6, Decimal("5.2"), "公里"),
        ("新增监测点位", 2025, 10, 12, "个"), ("新增监测点位", 2026, 15, 15, "个")]
    assert rows[3]["target_comparator"] == ">=" and rows[1]["met"] is False


def test_a_target_set_in_prose_and_reported_in_the_table_is_one_indicator():
    """The prose target (绩效目标) restated by a row of the indicator table is the table's row: its
    unit may carry a magnitude (50万人次 = 500000人次); one without an actual in the table takes the
    prose one; a prose target that no row reports on stays."""
    text = ("（二）绩效目标\n主要指标为：修缮文物点位不少于16处，年接待游客不少于50万人次，"
            "讲解服务覆盖率不低于80%，游客满意度不低于88%。\n四、绩效分析\n游客满意度为91.5%，高于88%的目标值。")
    table = Table(page=3, index=0, rows=[
        ["指标名称", "目标值", "实际完成值"],
        ["修缮文物点位数量", "≥16处", "17处"],
        ["年接待游客量", "≥50万人次", "58.2万人次"],
        ["游客满意度", "≥88%", None],
    ])
    rows = view_to_indicators(snippet_view(text, (table,)))
    assert sorted((r["source"], r["target"], r["actual"], r["unit"]) for r in rows) == [
        ("prose", 80, None, "%"), ("table", 16, 17, "处"), ("table", 50, Decimal("58.2"), "万人次"),
        ("table", 88, Decimal("91.5"), "%")]
    assert next(r for r in rows if r["target"] == 88)["met"] is True


def test_a_table_naming_its_indicators_under_a_plain_heading():
    """绩效指标 heads the column of names when no 三级指标 column is printed."""
    table = Table(page=2, index=0, rows=[
        ["绩效指标", "年度目标值", "实际完成值"],
        ["轮作休耕面积", "≥6万亩", "6.3万亩"],
        ["补助资金发放到户率", "100%", "100%"],
    ])
    rows = view_to_indicators(snippet_view("三、绩效目标完成情况", (table,)))
    assert [(r["name"], r["target"], r["actual"], r["unit"]) for r in rows] == [
        ("轮作休耕面积", 6, Decimal("6.3"), "万亩"), ("补助资金发放到户率", 100, 100, "%")]
    form = Table(page=2, index=0, rows=[        # beside a 三级指标 column it is a group label
        ["绩效指标", "一级指标", "三级指标", "年度指标值", "实际完成值"],
        [None, "产出指标", "轮作休耕面积", "≥6万亩", "6.3万亩"],
    ])
    assert [r["name"] for r in view_to_indicators(snippet_view("附表", (form,)))] == ["轮作休耕面积"]


@pytest.mark.parametrize("text, expected", [
    # a label after a few words, ending in a list word: every clause states an indicator
    ("（三）绩效目标\n本年度绩效指标包括：改建乡村公厕15座，粪污处理达标率不低于90%，公厕验收合格率100%。\n"
     "五、绩效分析\n全年改建乡村公厕15座。抽检粪污样本20份，达标19份，达标率95%。公厕全部通过验收，合格率100%。",
     [("=", 15, 15, "座", True), (">=", 90, 95, "%", True), ("=", 100, 100, "%", True)]),
    ("项目年度绩效目标为：新建篮球场4个，培训社会体育指导员80人次。", [("=", 4, None, "个", None),
                                                      ("=", 80, None, "人次", None)]),
    # a part of the figure before, or the result of the indicator before, is no item of the list
    ("产出指标：新建篮球场4个，其中灯光球场2个。", [("=", 4, None, "个", None)]),
    ("效益指标：游客满意度不低于85%，回访显示游客满意度为88%。", [(">=", 85, 88, "%", True)]),
])
def test_a_labelled_list_states_one_indicator_per_clause(text, expected):
    assert brief(view_to_indicators(snippet_view(text))) == [(c, D(t), D(a), u, m) for c, t, a, u, m in expected]


def test_a_rate_named_in_full_in_the_targets_is_reported_by_its_bare_ending():
    text = ("（二）绩效目标\n管网巡查问题整改率不低于95%。\n四、绩效分析\n"
            "巡查发现问题40个，已全部整改，整改率100%。")
    rows = view_to_indicators(snippet_view(text))
    assert [(r["name"], r["target"], r["actual"]) for r in rows] == [("管网巡查问题整改率", 95, 100)]


def test_a_count_with_a_magnitude_keeps_its_unit_as_written():
    """1.45万人次 stays (1.45, 万人次), as indicator tables print it; so do units that only the
    indicator reader knows (12.5万画幅)."""
    text = ("四、绩效分析\n全年开展线上培训1.45万人次，年度目标为1.3万人次以上；"
            "扫描民国报刊12.5万画幅，年度目标为不少于10万画幅。")
    rows = view_to_indicators(snippet_view(text))
    assert [(r["target"], r["actual"], r["unit"]) for r in rows] == [
        (Decimal("1.3"), Decimal("1.45"), "万人次"), (10, Decimal("12.5"), "万画幅")]


def test_a_sentence_of_the_targets_section_with_a_directed_target_lists_targets():
    """In 绩效目标, a sentence stating a target's direction lists targets clause by clause; a figure
    that counts indicators (共3个质量指标) is none; the later figure with the closest name is the
    result, not an earlier one of the same unit (验收合格后付至80%)."""
    text = ("（二）绩效目标。共3个质量指标，计划更换路灯灯具260套，灯具验收合格率100%，亮灯率不低于98%。\n"
            "二、资金使用\n合同约定灯具验收合格后付至合同金额的80%。\n三、完成情况\n"
            "全年更换路灯灯具265套，灯具验收合格率100%，亮灯率99.2%。")
    rows = view_to_indicators(snippet_view(text))
    assert [(r["target"], r["actual"], r["unit"]) for r in rows] == [
        (260, 265, "套"), (100, 100, "%"), (98, Decimal("99.2"), "%")]


def test_a_prose_target_without_a_name_restating_a_table_row_is_that_row():
    text = "（二）绩效目标\n产出指标：扶持5个村发展特色种植，带动农户增收不低于8%。"
    table = Table(page=4, index=0, rows=[
        ["三级指标", "指标值", "实际完成值"],
        ["特色种植示范村数量", "5个", "5个"],
    ])
    rows = view_to_indicators(snippet_view(text, (table,)))
    assert sorted((r["source"], r["target"], r["unit"]) for r in rows) == [("prose", 8, "%"), ("table", 5, "个")]


def test_a_figure_named_after_it_or_by_the_clause_before():
    """全年不少于4次 / 全年共4次 name nothing: the clause before names them (开展应急演练); 9个驿站
    全部… is named by the words after the figure."""
    text = ("（二）绩效目标\n每季度开展一次应急演练、全年不少于4次，建成户外劳动者驿站不少于9个。\n"
            "四、完成情况\n按季度开展应急演练，全年共4次；9个驿站已全部投入使用。")
    rows = view_to_indicators(snippet_view(text))
    assert [(r["target"], r["actual"], r["unit"]) for r in rows] == [(4, 4, "次"), (9, 9, "个")]
    assert rows[0]["name"] == "每季度开展一次应急演练"


def test_dash_items_named_before_a_colon_with_a_result_in_words():
    text = ("对照年初设定的绩效目标，完成情况逐条如下：\n——硬化里程：计划8.0公里，实际完成8.3公里；\n"
            "——路基宽度：设计不低于6.5米，实测平均6.6米；\n——群众满意度：目标不低于90%，抽样问卷结果为百分之九十二点五。")
    rows = view_to_indicators(snippet_view(text))
    assert [(r["name"], r["target"], r["actual"], r["unit"]) for r in rows] == [
        ("硬化里程", D(8), D("8.3"), "公里"), ("路基宽度", D("6.5"), D("6.6"), "米"), ("群众满意度", D(90), D("92.5"), "%")]
