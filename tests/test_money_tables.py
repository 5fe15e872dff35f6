"""Money tables read by header (extractors/facts/money_tables.py) and the funding source and
sub-project of facts (extractors/facts/sources.py), on tables and sentences of our own."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from conftest import snippet_view
from extractors.document import text_to_view
from extractors.facts.money import view_to_facts
from extractors.facts.money_tables import table_figures
from extractors.facts.sources import source_of
from extractors.facts.view import Table

YEAR = {"period_start": dt.date(2024, 1, 1), "period_end": dt.date(2024, 12, 31)}


def facts(text: str, *tables: Table, header: dict | None = None) -> list[dict]:
    view = snippet_view(text, tables) if tables else text_to_view("s" * 64, text)
    return view_to_facts(view, header or {})[0]


def brief(rows: list[dict], *keys: str) -> list[tuple]:
    return [(r["kind"], format(r["value_wan"].normalize(), "f"), *(r[k] for k in keys)) for r in rows]


FINAL_ACCOUNTS = Table(page=1, index=0, rows=[
    ["分类", "科目", "年初预算数", "调整预算数", "决算数"],
    ["收入", "财政拨款收入", "5,120,000.00", "5,480,000.00", "5,463,217.58"],
    ["", "事业收入", "300,000.00", "300,000.00", "287,400.00"],
    ["", "合计", "5,420,000.00", "5,780,000.00", "5,750,617.58"],
    ["支出", "基本支出", "3,900,000.00", "4,010,000.00", "3,987,654.32"],
    ["", "项目支出", "1,520,000.00", "1,770,000.00", "1,691,002.10"],
    ["", "合计", "5,420,000.00", "5,780,000.00", "5,678,656.42"],
])


def test_final_accounts_table_in_yuan_with_the_unit_in_its_caption():
    text = "二、收支情况\n表3 本单位2024年收支决算表（单位：元）\n分类 科目 年初预算数 调整预算数 决算数"
    rows = facts(text, FINAL_ACCOUNTS, header=YEAR)
    got = {(r["kind"], r["value_wan"].normalize(), r["item"], r["is_total"]) for r in rows}
    assert ("budget", Decimal("512"), "财政拨款收入", False) in got
    # money received from the finance department is an appropriation; other income is no ledger fact
    assert ("appropriation", Decimal("546.321758"), "财政拨款收入", False) in got
    assert not any(r["value_wan"] == Decimal("28.74") for r in rows)
    assert not any(r["value_wan"] == Decimal("575.061758") for r in rows)
    # expenditure: budgets and money spent, exact to the 元
    assert ("paid_total", Decimal("398.765432"), "基本支出", False) in got
    assert ("paid_total", Decimal("567.865642"), None, True) in got
    # the two 合计 rows state the same budgets: one fact each, marked as totals
    assert [(r["kind"], r["value_wan"].normalize(), r["mentions"]) for r in rows if r["is_total"] and
            r["kind"] == "budget"] == [("budget", Decimal("542"), 2), ("budget", Decimal("578"), 2)]
    assert all(r["year"] == 2024 for r in rows)


SPECIAL_FUND = Table(page=1, index=0, rows=[
    ["子项目", "中央补助资金", "省级资金", "县级配套", "合计"],
    ["灌溉渠道改造", "120.00", "40.00", "20.00", "180.00"],
    ["田间道路硬化", "80.00", "40.00", "—", "120.00"],
    ["合计", "200.00", "80.00", "20.00", "300.00"],
])


SPECIAL_TEXT = "三、资金下达情况\n各级资金下达情况如下（金额单位：万元）：\n子项目 中央补助资金 省级资金 县级配套 合计"


def test_special_fund_table_with_a_column_per_source_and_totals():
    rows = facts(SPECIAL_TEXT, SPECIAL_FUND)
    got = brief(rows, "source", "item", "is_total")
    assert ("appropriation", "120", "central", "灌溉渠道改造", False) in got
    assert ("appropriation", "40", "provincial", "灌溉渠道改造", False) in got
    # the same 40 of the same source for another sub-project is another fact
    assert ("appropriation", "40", "provincial", "田间道路硬化", False) in got
    assert ("appropriation", "180", None, "灌溉渠道改造", True) in got
    assert ("appropriation", "200", "central", None, True) in got
    assert ("appropriation", "300", None, None, True) in got
    # the county total is sub-project one's 20: one figure, stated twice
    assert len(rows) == 10


def test_two_header_rows_a_merged_kind_over_its_sources():
    table = Table(page=1, index=0, rows=[
        ["资金来源", "预算数（万元）", None, "执行数（万元）", None],
        [None, "年初", "调整后", "本年", "累计"],
        ["市级资金", "60.00", "75.00", "70.50", "70.50"],
        ["单位自筹", "15.00", "15.00", "12.00", "12.00"],
    ])
    got = brief(facts("附表 资金情况", table), "source")
    assert ("budget", "60", "municipal") in got and ("budget", "75", "municipal") in got
    assert ("paid_total", "70.5", "municipal") in got and ("paid_total", "12", "self") in got


def test_vendor_table_across_a_page_break_under_a_repeated_header():
    header = ["序号", "服务商名称", "签订日期", "合同金额（万元）", "本年支付（万元）", "未支付（万元）"]
    first = Table(page=3, index=0, rows=[header, ["1", "甲木信息技术有限公司", "2024年2月6日", "96.00", "60.00", "36.00"]])
    second = Table(page=4, index=0, rows=[header, ["2", "乙水数据服务有限公司", "2024年5月", "48.50", "48.50", "—"]])
    rows = facts("附表 合同执行情况", first, second, header=YEAR)
    got = brief(rows, "party", "date_iso")
    assert got == [("contract", "96", "甲木信息技术有限公司", "2024-02-06"),
                   ("paid_total", "60", "甲木信息技术有限公司", None), ("balance", "36", "甲木信息技术有限公司", None),
                   ("contract", "48.5", "乙水数据服务有限公司", "2024-05"),
                   ("paid_total", "48.5", "乙水数据服务有限公司", None)]


def test_year_rows_give_the_year_and_the_total_row_spans_years():
    table = Table(page=1, index=0, rows=[
        ["年份", "批复预算", "到位资金", "实际支出"],
        ["2022年度", "300.00", "280.00", "265.40"],
        ["2023年度", "320.00", "320.00", "301.10"],
        ["合计", "620.00", "600.00", "566.50"],
    ])
    rows = facts("分年度资金情况（单位：万元）\n年份 批复预算 到位资金 实际支出", table)
    years = {(r["kind"], format(r["value_wan"].normalize(), "f")): r["year"] for r in rows}
    assert years[("budget", "300")] == 2022 and years[("paid_total", "301.1")] == 2023
    assert years[("budget", "620")] is None and years[("paid_total", "566.5")] is None


def test_a_table_whose_unit_nothing_states_is_not_read():
    table = Table(page=1, index=0, rows=[["项目", "预算数", "执行数"], ["设备购置", "35.00", "33.20"]])
    assert table_figures(snippet_view("附表", (table,))) == []


def test_a_table_without_a_money_header_is_not_read():
    table = Table(page=1, index=0, rows=[["一级指标", "分值", "得分"], ["决策", "20", "18"], ["合计", "100", "91"]])
    assert table_figures(snippet_view("评分表（单位：万元）", (table,))) == []


def test_prose_reading_of_the_table_text_is_left_to_the_table():
    table = Table(page=1, index=0, rows=[["供应商", "合同金额", "已支付"], ["丙火科技有限公司", "72万元", "50万元"]])
    text = "五、合同情况\n供应商 合同金额 已支付\n丙火科技有限公司 72万元 50万元\n"
    assert brief(facts(text, table), "party") == [("contract", "72", "丙火科技有限公司"),
                                                 ("paid_total", "50", "丙火科技有限公司")]


def test_prose_rounding_a_table_figure_is_the_same_fact():
    table = Table(page=1, index=0, rows=[["科目", "预算数（元）", "决算数（元）"], ["项目支出", "2,000,000.00", "1,876,543.21"]])
    text = "项目支出决算数187.65万元。\n科目 预算数（元） 决算数（元）"
    rows = [r for r in facts(text, table) if r["kind"] == "paid_total"]
    assert [(r["value_wan"].normalize(), r["mentions"]) for r in rows] == [(Decimal("187.65"), 2)]


@pytest.mark.parametrize("text, expected", [
    ("中央财政补助资金", "central"), ("省级配套", "provincial"), ("州级资金", "municipal"), ("区级配套资金", "county"),
    ("乡镇配套", "township"), ("单位自筹资金", "self"), ("地方政府专项债券", "bond"), ("其他资金", "other"),
    ("中央和省级资金", None), ("市县配套资金", None), ("我省补助资金", None), ("下达资金", None),
])
def test_source_words(text, expected):
    assert source_of(text) == expected


def test_money_split_by_source_in_prose_is_several_facts():
    rows = facts("该项目共投入资金86万元，其中中央资金43万元、县级配套43万元。")
    assert brief(rows, "source") == [("other", "86", None), ("other", "43", "central"), ("other", "43", "county")]
    rows = facts("下达专项资金86万元，其中中央资金43万元、县级配套43万元。")
    assert brief(rows, "source") == [("appropriation", "86", None), ("appropriation", "43", "central"),
                                     ("appropriation", "43", "county")]


def test_parts_of_a_breakdown_keep_the_kind_of_their_total():
    rows = facts("本年度项目年初预算数为300万元，其中当年财政拨款240万元、上年结转资金45万元、其他资金15万元。")
    assert brief(rows, "source") == [("budget", "300", None), ("budget", "240", None), ("budget", "45", None),
                                     ("budget", "15", "other")]
    rows = facts("全年支出预算820万元，其中基本支出500万元，项目支出320万元。")
    assert [r["kind"] for r in rows] == ["budget", "budget", "budget"]


def test_a_fund_channel_label_is_no_role_word():
    rows = facts("年中调整后，本年财政拨款调整为210万元。", header=YEAR)
    assert [r["kind"] for r in rows] == ["other"]


def test_a_list_of_payments_with_their_dates_and_its_total():
    table = Table(page=1, index=0, rows=[
        ["付款日期", "收款单位", "金额（万元）", "备注"],
        ["2024年3月8日", "丁土工程咨询有限公司", "12.60", "首付款"],
        ["2024年9月20日", "丁土工程咨询有限公司", "8.40", "进度款"],
        ["合计", None, "21.00", ""],
    ])
    got = brief(facts("附表 付款明细", table, header=YEAR), "party", "date_iso", "is_total")
    assert got == [("payment", "12.6", "丁土工程咨询有限公司", "2024-03-08", False),
                   ("payment", "8.4", "丁土工程咨询有限公司", "2024-09-20", False), ("paid_total", "21", None, None, True)]


def test_row_labels_give_the_kind_under_a_plain_amount_column():
    table = Table(page=1, index=0, rows=[["项目", "金额（万元）"], ["批复预算", "150.00"], ["到位资金", "140.00"],
                                         ["实际支出", "138.25"]])
    assert brief(facts("附表", table)) == [("budget", "150"), ("appropriation", "140"), ("paid_total", "138.25")]


def test_totals_carry_the_sum_of_what_they_total():
    planted = Table(page=1, index=0, rows=[
        ["支出科目", "预算数", "决算数"],
        ["人员经费", "210.00", "205.40"],
        ["其中：绩效工资", "60.00", "58.00"],
        ["公用经费", "90.00", "86.10"],
        ["合计", "300.00", "219.50"],
    ])
    figures = table_figures(snippet_view("支出决算表（单位：万元）", (planted,)))
    totals = [(f.kind, f.value_wan, f.parts_wan) for f in figures if f.is_total]
    # a 其中 row details the row above it and is not added again
    assert totals == [("budget", Decimal("300.00"), Decimal("300.00")), ("paid_total", Decimal("219.50"), Decimal("291.50"))]
    row_totals = [(f.value_wan, f.parts_wan) for f in table_figures(snippet_view(SPECIAL_TEXT, (SPECIAL_FUND,)))
                  if f.is_total and f.label != "合计"]
    assert row_totals == [(Decimal("180.00"), Decimal("180.00")), (Decimal("120.00"), Decimal("120.00"))]


def test_a_total_that_opens_its_breakdown_totals_the_rows_below_it():
    table = Table(page=1, index=0, rows=[
        ["资金来源", "全年预算数", "全年执行数"],
        ["资金总额", "95.00", "90.00"],
        ["其中：市级资金", "80.00", "78.00"],
        ["单位自筹", "15.00", "14.00"],
    ])
    figures = table_figures(snippet_view("单位：万元", (table,)))
    assert [(f.value_wan, f.parts_wan) for f in figures if f.is_total] == [
        (Decimal("95.00"), Decimal("95.00")), (Decimal("90.00"), Decimal("92.00"))]


def _findings(text: str, rows: list[list[str]]) -> list[dict]:
    """Findings of one page with one ruled table, through the chain (table cells and all)."""
    from extractors.document import layer_to_rows
    from extractors.reconcile import reconcile
    from extractors.textlayer import PageText, TextLayer

    doc_rows, _ = layer_to_rows("t" * 64, TextLayer(pages=[PageText(1, text, tables=[rows])]))
    return reconcile("t" * 64, doc_rows)


def test_a_table_total_that_its_rows_do_not_make_is_a_sum_mismatch():
    rows = [["项目", "预算数", "执行数"], ["设备购置", "40.00", "38.00"], ["系统运维", "25.00", "24.50"],
            ["合计", "65.00", "63.00"]]
    text = "附表 资金情况（单位：万元）\n" + "\n".join(" ".join(r) for r in rows) + "\n"
    found = [(f["kind"], f["values"], f["outcome"]) for f in _findings(text, rows) if f["kind"] == "sum_mismatch"]
    assert found == [("sum_mismatch", [65.0, 65.0], "holds"), ("sum_mismatch", [63.0, 62.5], "mismatch")]


def test_a_rate_of_one_source_is_computed_against_that_sources_budget():
    rows = [["资金来源", "全年预算数", "全年执行数"], ["资金总额", "500.00", "450.00"],
            ["其中：中央资金", "400.00", "372.00"], ["县级配套", "100.00", "78.00"]]
    text = ("资金来源 全年预算数 全年执行数\n资金总额 500.00 450.00\n其中：中央资金 400.00 372.00\n县级配套 100.00 78.00\n"
            "（单位：万元）\n截至年底，中央资金执行372万元，执行率为95%。")
    rates = [f for f in _findings(text, rows) if f["kind"] == "rate_mismatch"]
    assert [(f["values"], f["outcome"]) for f in rates] == [([95.0, 93.0], "mismatch")]


def test_rows_naming_kinds_under_columns_naming_sources():
    table = Table(page=1, index=0, rows=[
        ["资金来源", "合计", "中央资金", "市级资金", "单位自筹"],
        ["计划投资", "90.00", "50.00", "30.00", "10.00"],
        ["到位资金", "88.00", "50.00", "30.00", "8.00"],
        ["实际支出", "80.50", "46.00", "27.50", "7.00"],
    ])
    text = "表2 2024年度资金来源及使用情况表\n单位：万元\n资金来源 合计 中央资金 市级资金 单位自筹"
    got = brief(facts(text, table), "source", "year", "is_total")
    assert ("budget", "50", "central", 2024, False) in got and ("appropriation", "8", "self", 2024, False) in got
    assert ("paid_total", "80.5", None, 2024, True) in got and len(got) == 12


def test_the_year_of_a_caption_is_read_from_its_title_not_from_the_prose_above():
    table = Table(page=1, index=0, rows=[["供应商", "合同金额（万元）", "累计支付（万元）"], ["庚金设备有限公司", "66.00", "60.00"]])
    text = "部分设备于2022年到货。各供应商合同及支付情况见下表。\n供应商 合同金额（万元） 累计支付（万元）"
    assert {r["year"] for r in facts(text, table, header=YEAR)} == {2024}


def test_columns_of_spending_categories_and_a_table_of_sources_only():
    table = Table(page=1, index=0, rows=[
        ["资金来源", "全年预算数", "全年执行数", "基本支出", "项目支出"],
        ["财政拨款", "400.00", "390.00", "300.00", "90.00"],
        ["事业收入", "50.00", "45.00", "20.00", "25.00"],
    ])
    got = brief(facts("（单位：万元）\n资金来源 全年预算数 全年执行数 基本支出 项目支出", table), "item")
    # a table of sources only: what 事业收入 spent is money spent, not income
    assert ("paid_total", "45", "事业收入") in got
    assert ("paid_total", "300", "财政拨款/基本支出") in got and ("paid_total", "25", "事业收入/项目支出") in got


def test_an_indicator_table_with_year_columns_is_no_money_table():
    table = Table(page=1, index=0, rows=[
        ["指标名称", "2024年", None, "2025年", None], [None, "目标", "完成", "目标", "完成"],
        ["新建泵站数量（座）", "3", "3", "4", "4"]])
    assert table_figures(snippet_view("表3 分年度指标（金额单位：万元）", (table,))) == []


def test_a_source_named_once_holds_for_the_sentence_until_a_sum():
    rows = facts("县级财政安排核查工作经费8.00万元，实际支出7.42万元，两项合计15.42万元。")
    assert [(format(r["value_wan"].normalize(), "f"), r["source"]) for r in rows] == [
        ("8", "county"), ("7.42", "county"), ("15.42", None)]
    rows = facts("2024年3月2日，上级下达我县中央财政农机购置补贴资金560.00万元。")
    assert brief(rows, "source") == [("appropriation", "560", "central")]


def test_a_source_row_named_by_a_channel_keeps_the_columns_kind():
    table = Table(page=1, index=0, rows=[["资金来源", "全年执行数", "基本支出", "项目支出"],
                                         ["上年结转结余", "30.00", "5.00", "25.00"]])
    got = brief(facts("（单位：万元）\n资金来源 全年执行数 基本支出 项目支出", table))
    assert got == [("paid_total", "30"), ("paid_total", "5"), ("paid_total", "25")]


def test_a_table_allocating_money_per_item_and_source_across_a_page_break_is_of_budgets():
    header = ["实施内容", "中央资金", "省级资金", "县级资金", "合计"]
    first = Table(page=1, index=0, rows=[header, ["河道清淤", "1,000,000.00", "500,000.00", "60,000.00", "1,560,000.00"]])
    second = Table(page=2, index=0, rows=[header, ["护岸加固", "200,000.00", "300,000.00", "125,000.00", "625,000.00"],
                                          ["合计", "1,200,000.00", "800,000.00", "185,000.00", "2,185,000.00"]])
    text = "各子项目的资金分配见下表。\n表4　子项目资金分配表　单位：元\n实施内容 中央资金 省级资金 县级资金 合计"
    got = brief(facts(text, first, second), "source", "item", "is_total")
    assert ("budget", "100", "central", "河道清淤", False) in got
    assert ("budget", "12.5", "county", "护岸加固", False) in got
    assert ("budget", "62.5", None, "护岸加固", True) in got
    assert ("budget", "80", "provincial", None, True) in got
    assert ("budget", "218.5", None, None, True) in got
    assert len(got) == 12
    assert {k for k, *_ in got} == {"budget"}


CARRY_OVER = Table(page=1, index=0, rows=[
    ["支出类别", "上年结转", "本年收入", "本年支出", "年末结转"],
    ["基本支出", "5.10", "1,204.00", "1,199.30", "9.80"],
    ["项目支出", "33.00", "410.50", "402.25", "41.25"],
    ["合计", "38.10", "1,614.50", "1,601.55", "51.05"],
])


def test_a_final_accounts_table_with_carry_over_and_income_columns():
    text = "三、经费收支\n附表 某馆2023年度收支决算情况表\n单位：万元\n支出类别 上年结转 本年收入 本年支出 年末结转"
    rows = facts(text, CARRY_OVER, header=YEAR)
    got = {(r["kind"], format(r["value_wan"].normalize(), "f")) for r in rows}
    # money carried in and carried out is a balance; the year's income is money received
    assert {("balance", "5.1"), ("balance", "33"), ("balance", "38.1"), ("balance", "9.8"),
            ("balance", "41.25"), ("balance", "51.05")} <= got
    assert {("appropriation", "1204"), ("appropriation", "410.5"), ("appropriation", "1614.5")} <= got
    assert {("paid_total", "1199.3"), ("paid_total", "402.25"), ("paid_total", "1601.55")} <= got


def test_a_source_named_before_a_colon_holds_for_the_list_after_it():
    text = ("二、资金到位\n本年资金共500.00万元，其中市级320.00万元、区级180.00万元。"
            "市级资金分三次拨付：2023年3月1日拨付100.00万元，2023年6月2日拨付150.00万元，"
            "2023年9月9日拨付70.00万元。区级资金已全部到位。\n")
    rows = facts(text)
    got = {(format(r["value_wan"].normalize(), "f"), r["source"]) for r in rows if r["kind"] == "appropriation"}
    assert {("100", "municipal"), ("150", "municipal"), ("70", "municipal")} <= got
    # a colon with no source before it gives none
    plain = facts("二、资金到位\n资金分两次拨付：2023年3月1日拨付40.00万元，2023年6月2日拨付60.00万元。\n")
    assert all(r["source"] is None for r in plain)


def _two_pages(text: str, split: int, *tables: Table):
    """A view over `text` whose page 2 starts at text[split:]."""
    from types import SimpleNamespace

    from extractors.document import mention_rows
    from extractors.facts.view import DocView
    from extractors.sentences import SentenceIndex, text_to_sentences

    page_of = lambda pos: 1 if pos < split else 2          # noqa: E731
    sentences = text_to_sentences(text)
    rows = mention_rows("t", SimpleNamespace(text=text, page_of=page_of, locate=lambda pos: (page_of(pos), pos)),
                        SentenceIndex(sentences))
    return DocView("t", text, sentences, page_of, rows["amounts"], rows["dates"], rows["percentages"],
                   rows["counts"], list(tables))


def test_a_tables_title_at_the_foot_of_the_page_before_names_its_source():
    page1 = "二、资金使用\n各年度资金到位及结存情况见下表。\n附表2 政府债券资金分年度使用情况\n"
    page2 = "单位：万元\n年份 债券资金到位 债券资金支出 年末结存\n"
    table = Table(page=2, index=0, rows=[
        ["年份", "债券资金到位", "债券资金支出", "年末结存"],
        ["2022年", "800.00", "650.00", "150.00"],
        ["2023年", "500.00", "640.00", "10.00"],
    ])
    view = _two_pages(page1 + page2, len(page1), table)
    got = {(f.kind, format(f.value_wan.normalize(), "f"), f.source, f.year) for f in table_figures(view)}
    assert {("balance", "150", "bond", 2022), ("balance", "10", "bond", 2023),
            ("appropriation", "800", "bond", 2022), ("paid_total", "640", "bond", 2023)} <= got


def test_a_table_in_thousand_yuan_by_its_caption_is_read_and_checked_in_wan():
    """单位：千元 (research and enterprise accounts): cells in thousands of yuan, facts and the
    reconciliation's figures in 万元; a 调剂后预算 column is a budget like 调整后预算."""
    rows = [["支出科目", "批复预算", "调剂后预算", "实际支出"], ["一、直接费用", "900.0", "900.0", "870.0"],
            ["1.仪器购置费", "500.0", "460.0", "455.5"], ["2.实验耗材费", "400.0", "440.0", "404.5"],
            ["二、管理费", "100.0", "100.0", "100.0"], ["合计", "1,000.0", "1,000.0", "970.0"]]
    text = "附表2 课题经费收支明细（单位：千元）\n" + "\n".join(" ".join(r) for r in rows) + "\n"
    figures = table_figures(snippet_view(text, (Table(page=1, index=0, rows=rows),)))
    got = {(f.kind, f.value_wan.normalize()) for f in figures}
    assert {("budget", Decimal("90")), ("budget", Decimal("46")), ("budget", Decimal("44")),
            ("paid_total", Decimal("45.55")), ("paid_total", Decimal("97"))} <= got
    found = [(f["values"], f["outcome"]) for f in _findings(text, rows) if f["kind"] == "sum_mismatch"
             and f["outcome"] == "mismatch"]
    assert found == [([87.0, 86.0], "mismatch")]


SUBSIDY_LIST = Table(page=1, index=0, rows=[
    ["编号", "受补助单位名称", "补助项目", "申报投资", "补助资金", "发放日期"],
    ["一", "岑湾新能光伏科技有限公司", "屋顶分布式电站", "880.00", "66.00", "2023年11月3日"],
    ["二", "岑湾市北辰印务有限公司", "印刷废气治理", "420.00", "31.50", "2023年12月8日"],
    ["合计", "", "", "1,300.00", "97.50", ""],
])


def test_a_subsidy_column_dated_by_a_handout_day_is_one_payment_per_recipient():
    text = "附表 2023年度中小企业节能补助发放清单（金额单位：万元）\n编号 受补助单位名称 补助项目"
    rows = facts(text, SUBSIDY_LIST, header=YEAR)
    got = {(r["kind"], r["value_wan"].normalize(), r["party"], r["date_iso"]) for r in rows}
    assert ("payment", Decimal("66"), "岑湾新能光伏科技有限公司", "2023-11-03") in got
    assert ("payment", Decimal("31.5"), "岑湾市北辰印务有限公司", "2023-12-08") in got
    assert ("paid_total", Decimal("97.5"), None, None) in got
    # the recipients' own investment (申报投资) names no money of the project
    assert not any(r["value_wan"] in (Decimal("880"), Decimal("1300")) for r in rows)
