"""Every rule states what it needs to be sure. Each precondition is tested with sentences of our own
(invented names and figures): where it fails the check is stored as `unverifiable` with the reason
and there is no finding; where it holds, a planted mismatch is found with the severity its
certainty allows and cites every figure's page."""
from __future__ import annotations

from decimal import Decimal

import pytest

from extractors.document import layer_to_rows, text_to_rows
from extractors.reconcile import reconcile
from extractors.reconcile.inputs import DocumentFacts
from extractors.reconcile.target_rules import targets
from extractors.textlayer import PageText, TextLayer

DOC = "p" * 64


def run(text: str) -> list[dict]:
    return reconcile(DOC, text_to_rows(DOC, text))


def run_pages(*pages: tuple[str, list]) -> list[dict]:
    layer = TextLayer(pages=[PageText(i + 1, text, tables=tables) for i, (text, tables) in enumerate(pages)])
    return reconcile(DOC, layer_to_rows(DOC, layer)[0])


def found(out: list[dict], kind: str | None = None) -> list[dict]:
    return [f for f in out if f["outcome"] == "mismatch" and f["severity"] != "info" and kind in (None, f["kind"])]


def unverifiable(out: list[dict], rule: str) -> list[dict]:
    return [f for f in out if f["outcome"] == "unverifiable" and f["rule"] == rule]


# --- parts known complete ----------------------------------------------------------------------

PARTIAL = ("与甲山科技有限公司签订服务合同，合同金额300万元，约定分三期支付。2022年5月8日向甲山科技有限公司支付第一笔"
           "款项90万元。截至2022年底，已累计支付甲山科技有限公司{total}万元。")
COMPLETE = ("与甲山科技有限公司签订服务合同，合同金额300万元，约定分三期支付。2022年5月8日向甲山科技有限公司支付第一笔"
            "款项90万元，2022年9月8日支付第二笔款项100万元，2022年12月8日支付尾款100万元。截至2022年底，已累计支付"
            "甲山科技有限公司{total}万元。")


def test_a_partial_payment_list_is_no_finding_but_an_unverifiable_check():
    out = run(PARTIAL.format(total=200))
    assert found(out) == []
    [check] = unverifiable(out, "party_payments_vs_paid_total")
    assert "共3笔，只列出1笔" in check["message"] and check["severity"] == "info"


def test_a_complete_payment_list_through_the_final_payment_contradicts_its_total():
    assert found(run(COMPLETE.format(total=290)), "sum_mismatch") == []
    [f] = found(run(COMPLETE.format(total=280)), "sum_mismatch")
    assert sorted(f["values"]) == [280.0, 290.0] and f["severity"] == "warning"


OTHER_CONTRACT = ("2023年5月8日与乙河数据服务有限公司签订运维合同，合同金额200万元，约定分三期支付。2023年6月2日支付首期款"
                  "60万元，2023年10月9日支付第二期款80万元。另外，2023年3月1日支付乙河数据服务有限公司{what}25万元。"
                  "截至2023年底，已累计支付乙河数据服务有限公司150万元。")


@pytest.mark.parametrize("what, why", [("2022年度维保合同尾款", "2022年度维保合同"), ("维保费尾款", "早于合同签订日")])
def test_a_payment_under_another_contract_is_not_summed_with_this_contracts_payments(what, why):
    out = run(OTHER_CONTRACT.format(what=what))
    assert found(out) == []
    [check] = unverifiable(out, "party_payments_vs_paid_total")
    assert why in check["message"] and "只列出2笔" in check["message"]


def test_a_final_payment_dated_before_the_installments_does_not_close_their_list():
    text = ("2023年1月8日与丙林网络有限公司签订运维合同，合同金额200万元。2023年6月2日支付首期款60万元，2023年10月9日"
            "支付第二期款80万元，2023年3月1日支付丙林网络有限公司尾款25万元。截至2023年底，已累计支付丙林网络有限公司"
            "150万元。")
    out = run(text)
    assert found(out) == []
    [check] = unverifiable(out, "party_payments_vs_paid_total")
    assert "不是同一合同依次支付的款项" in check["message"]


def test_yearly_totals_that_miss_a_year_are_not_compared_with_the_cumulative_total():
    out = run("2021年度实际支付300万元，2023年度实际支付250万元。截至2023年底，项目累计支付900万元。")
    assert found(out) == []
    [check] = unverifiable(out, "years_vs_cumulative")
    assert "2022年的支付未列出" in check["message"]


def test_a_list_after_qizhong_is_complete_by_construction_and_stated():
    [f] = found(run("本年度到位资金合计860万元，其中：省级补助资金520万元、县级配套资金330万元。"))
    assert (f["kind"], f["severity"], sorted(f["values"])) == ("sum_mismatch", "error", [850.0, 860.0])
    assert found(run("本年度到位资金合计850万元，其中：省级补助资金520万元、县级配套资金330万元。")) == []


def test_a_list_ends_where_another_relation_begins():
    text = "合同金额合计500万元，其中：设备款320万元，安装款180万元，剩余尾款50万元待验收后支付。"
    assert found(run(text)) == []


# --- same scope ------------------------------------------------------------------------------------

def test_a_year_over_its_budget_is_covered_by_what_earlier_years_carried_over():
    covered = run("2021年度预算500万元，当年实际支出420万元。2022年度预算300万元，当年实际支出360万元。")
    assert found(covered) == []
    assert any("以前年度结转80万元" in f["message"] for f in covered if f["outcome"] == "holds")
    first_year = run("2021年度预算300万元，当年实际支出360万元。2022年度预算500万元，当年实际支出420万元。")
    [f] = found(first_year, "over_limit")
    assert sorted(f["values"]) == [300.0, 360.0] and f["severity"] == "warning"


def test_an_earlier_year_not_stated_makes_the_over_limit_unverifiable():
    out = run("2022年度预算300万元，当年实际支出360万元。2021年度当年实际支出410万元。")
    assert found(out, "over_limit") == []


def test_a_share_of_the_contract_is_not_a_contract():
    out = run("2023年3月6日与丁石建设有限公司签订施工合同，合同金额450万元。2023年5月10日向丁石建设有限公司支付第一笔"
              "工程款（为合同金额的40%）180万元，2023年9月10日支付第二笔工程款250万元。截至2023年底，已累计支付丁石"
              "建设有限公司430万元。")
    assert found(out) == []
    assert any(f["rule"] == "paid_within_contract" and f["outcome"] == "holds" for f in out)


def test_the_contract_in_force_after_two_amendments_bounds_the_payments():
    text = ("与戊川科技有限公司签订合同，合同金额500万元。2022年6月1日签订第一份补充协议，合同金额调整为560万元。"
            "2023年2月1日签订第二份补充协议，合同金额调整为600万元。截至2023年底，已累计支付戊川科技有限公司{}万元。")
    assert found(run(text.format(590))) == []
    [f] = found(run(text.format(620)), "over_limit")
    assert sorted(f["values"]) == [600.0, 620.0] and f["severity"] == "error"


def test_a_remainder_of_one_source_is_not_compared_with_the_whole_projects_funds():
    out = run("项目到位资金1,000万元，累计支出900万元。省级资金结余30万元。")
    assert found(out) == []
    [check] = unverifiable(out, "funds_minus_paid")
    assert "省级资金" in check["message"]


YEAR_END = ("本工程建设期为2021年至2023年，累计到位资金3,000万元，累计支出2,900万元。2021年度到位资金1,200万元，当年"
            "支出1,000万元，2021年末结余资金{}万元。2022年度到位资金1,000万元，当年支出1,100万元。")


def test_a_remainder_at_an_earlier_years_end_is_that_years_not_the_projects():
    assert found(run(YEAR_END.format(200))) == []
    [f] = found(run(YEAR_END.format(150)), "balance_mismatch")
    assert sorted(f["values"]) == [150.0, 200.0] and "2021年度资金1,200万元" in f["message"]
    out = run("本工程建设期为2021年至2023年，累计到位资金3,000万元，累计支出2,900万元。2022年度当年支出1,100万元，"
              "2021年末结余资金150万元。")
    assert found(out) == []
    [check] = unverifiable(out, "funds_minus_paid")
    assert "项目累计数不是2021年末的" in check["message"]


def test_a_figure_restated_with_the_same_value_is_no_conflict():
    rows = text_to_rows(DOC, "2023年5月6日，第二批补助资金3.00亿元拨付到位。2023年补助资金到位3.00亿元。")
    for f in rows.tables["facts"]:
        f["conflict"] = "stated as 30000 万元 and restated as 30000 万元"
    assert found(reconcile(DOC, rows), "conflict") == []


def test_carried_over_funds_are_money_brought_in_not_a_remainder():
    out = run("2023年项目资金总额为300万元，其中当年财政拨款260万元、上年结转资金40万元。截至年底累计支出280万元。")
    assert found(out, "balance_mismatch") == []


# --- rates and growth ------------------------------------------------------------------------------

def test_a_threshold_of_a_scoring_rule_is_not_a_stated_rate():
    assert [f for f in run("按评分标准，预算执行率在80%（含）至90%之间得3分。") if f["kind"] == "rate_mismatch"] == []


def test_the_base_of_a_growth_rate_is_the_figure_after_jiao():
    assert found(run("2023年受理54万件，较2022年的48万件增长12.5%。")) == []
    [f] = found(run("2023年受理54万件，较2022年的48万件增长10%。"))
    assert sorted(f["values"]) == [10.0, 12.5]


def test_a_growth_rate_without_a_known_base_is_unverifiable():
    out = run("甲类业务受理40万件，乙类业务受理50万件，增长25%。")
    assert found(out) == []
    assert unverifiable(out, "rate_growth")


def _rates(out: list[dict]) -> list[dict]:
    return [f for f in out if f["kind"] == "rate_mismatch"]


@pytest.mark.parametrize("text", [
    "青禾村农户人均可支配收入：2025年8,800元，2024年8,000元，较上年增长{}%。",   # 元 per person, new year first
    "2024年蓝湾镇农户户均收入8,000元，2025年为8,800元，增长{}%。",               # old year first
    "2024年、2025年农户户均收入分别为8,000元、8,800元，增长{}%。",               # years listed before 分别
    "示范园区接待研学学生：2025年4,400人次，2024年4,000人次，同比增长{}%。",      # a count, not money
])
def test_a_growth_rate_of_two_years_figures_of_one_thing_is_checked(text):
    out = run(text.format("10.0"))
    assert found(out) == [] and [f["outcome"] for f in _rates(out)] == ["holds"]
    [f] = found(run(text.format("12.5")))
    assert f["rule"] == "rate_growth" and f["severity"] == "error" and sorted(f["values"]) == [10.0, 12.5]


@pytest.mark.parametrize("text", [
    "办公费支出3.20万元，较上年的4.00万元下降{}%，主要是压减会议数量。",          # 较上年的Y: the base after 较
    "2025年印刷费合计支出3.20万元，2024年为4.00万元，总体下降{}%。",              # years, either order
    "差旅费由2024年的4.00万元减少到2025年的3.20万元，减少{}%。",                  # 由Y减少到X
])
def test_a_fall_is_compared_with_the_fall_from_its_base(text):
    out = run(text.format("20.00"))
    assert found(out) == [] and [f["outcome"] for f in _rates(out)] == ["holds"]
    [f] = found(run(text.format("25.00")))
    assert f["rule"] == "rate_decline" and sorted(f["values"]) == [20.0, 25.0]
    assert "由4.00万元到3.20万元" in f["message"]


@pytest.mark.parametrize("text, why", [
    # the rate is of another quantity than the two figures
    ("2025年接待游客5,500人次，2024年5,000人次，旅游收入增长30%。", "旅游收入"),
    # the second figure is of another quantity
    ("2025年下达资金110万元，2024年支付资金100万元，增长30%。", "支付资金"),
    # an average annual rate is no ratio of two figures
    ("2021年产值100万元，2025年产值146万元，年均增长10%。", "年均"),
    # more than two figures of that kind: which two is not said
    ("2025年人均收入6,600元，其中务工收入3,000元，2024年6,000元，增长12%。", "同类"),
    # the second figure is the increment, not the other year's figure
    ("2025年户均收入6,600元，比2024年增加600元，增长10%。", "增减的数额"),
    # the base is not said
    ("东片区受理40件，西片区受理46件，增长10%。", "基数"),
])
def test_a_change_the_clause_does_not_tie_to_two_figures_of_one_thing_is_unverifiable(text, why):
    out = run(text)
    assert found(out, "rate_mismatch") == []
    [check] = [f for f in _rates(out) if f["outcome"] == "unverifiable"]
    assert why in check["message"] and check["severity"] == "info"


CHAIN = "{y0}年全市举办科普讲座520场，{y1}年达572场，同比增长10%，{y2}年达715场，同比增长{v}%，成效明显。"


def test_a_year_on_year_rate_in_a_chain_takes_the_figure_of_the_year_before():
    assert found(run(CHAIN.format(y0=2021, y1=2022, y2=2023, v=25))) == []
    [f] = found(run(CHAIN.format(y0=2021, y1=2022, y2=2023, v=30)))
    assert sorted(f["values"]) == [25.0, 30.0]
    # 2022 -> 2024 is no year on year: nothing to check for the second rate
    out = run(CHAIN.format(y0=2021, y1=2022, y2=2024, v=30))
    assert found(out) == [] and [f["outcome"] for f in _rates(out)] == ["holds"]


def test_approximate_figures_confirm_a_rate_but_never_contradict_it():
    text = "2024年全镇接待游客约5,000人次，2025年约5,500人次，同比增长{}%。"
    assert [f["outcome"] for f in _rates(run(text.format(10)))] == ["holds"]
    out = run(text.format(15))
    assert found(out) == [] and "约数" in unverifiable(out, "rate_growth")[0]["message"]


def test_a_target_or_a_rate_of_something_else_after_a_checked_change_is_left_alone():
    out = run("2025年户均收入9,900元，2024年9,000元，较上年增长10%，增幅目标为8%，培训合格率95%。")
    assert found(out) == [] and [f["outcome"] for f in _rates(out)] == ["holds"]
    # figures of different things (people, money) give no change to check
    assert _rates(run("全年培训农民1,200人，发放补贴36万元，较上年增长20%。")) == []


def test_rate_operands_are_read_by_the_words_of_their_own_clauses():
    text = "基本支出调整预算{}万元，决算数1,940万元，执行率97%。"
    assert found(run(text.format(2000))) == []
    [f] = found(run(text.format(2100)))
    assert f["kind"] == "rate_mismatch" and f["severity"] == "error" and sorted(f["values"]) == [92.38, 97.0]


# --- conflicts ---------------------------------------------------------------------------------------

def test_a_years_execution_rate_is_not_taken_over_a_multi_year_total_investment():
    text = ("经批复，本工程总投资8,000万元，分三年建设，资金由县级财政分年度安排。2024年度，县财政在部门预算中安排本工程"
            "资金2500万元。截至2024年底，本工程全年累计支付资金2000万元，预算执行率80%。")
    out = run(text)
    assert found(out, "rate_mismatch") == []
    [check] = unverifiable(out, "rate_execution")
    assert "多年的总额" in check["message"]


YEAR_RATES = ("本平台建设期两年，总投资1,300万元。2021年度安排预算600万元，2022年度安排预算550万元。截至2022年12月31日，"
              "项目累计支付资金1,010.50万元。2021年度预算执行率为85.00%，2022年度预算执行率为{}%。")


def test_each_years_rate_in_one_sentence_is_that_years_and_never_the_cumulative_figures():
    table = [["年度", "预算（万元）", "实际支付（万元）"], ["2021年", "600.00", "510.00"], ["2022年", "550.00", "500.50"]]
    assert found(run_pages((YEAR_RATES.format("91.00"), [table]))) == []
    [f] = found(run_pages((YEAR_RATES.format("93.00"), [table])), "rate_mismatch")
    assert sorted(f["values"]) == [91.0, 93.0]
    out = run(YEAR_RATES.format("93.00"))
    assert found(out, "rate_mismatch") == [] and len(unverifiable(out, "rate_execution")) == 2


def test_capital_numerals_that_disagree_with_their_digits_are_a_conflict():
    assert found(run("第二批资金2.50亿元（大写：贰亿伍仟万元整）已拨付到位。")) == []
    [f] = found(run("第二批资金2.50亿元（大写：贰亿元整）已拨付到位。"))
    assert (f["kind"], f["severity"], sorted(f["values"])) == ("conflict", "error", [20000.0, 25000.0])


def test_one_source_stated_twice_with_two_values_is_a_conflict():
    text = "项目资金由中央补助资金和县级配套资金组成，中央补助资金500万元。经核实，中央补助资金{}万元已全部拨付到位。"
    assert found(run(text.format(500))) == []
    [f] = found(run(text.format(550)))
    assert f["kind"] == "conflict" and sorted(f["values"]) == [500.0, 550.0]


@pytest.mark.parametrize("text", [
    # a part of the whole unit's budget and a part of one works' funds
    "2024年度单位预算总额5,200万元，其中：财政拨款4,700万元，社会资本500万元。"
    "该工程2024年度资金来源合计860万元，其中：财政拨款780万元，社会资本80万元。",
    # the year's first budget and its final accounts, each with its own total
    "2024年，本中心年初预算收入2,100万元，其中财政拨款收入1,900万元，经营收入150万元，社会资本50万元；"
    "2024年度决算收入2,260万元，其中财政拨款收入2,020万元，经营收入170万元，社会资本70万元。",
])
def test_one_sources_figures_of_different_scopes_are_no_conflict(text):
    out = run(text)
    assert found(out, "conflict") == []
    checks = unverifiable(out, "same_source_two_values")
    assert checks and all("口径不同" in c["message"] for c in checks)


CONTRACT_PART = ("2024年3月5日与丁谷建设工程有限公司签订施工合同，合同金额600万元，其中材料费400万元。2024年4月1日向丁谷"
                 "建设工程有限公司支付预付款180万元，2024年9月1日支付第二笔进度款240万元，累计支付420万元，剩余{}万元待竣工"
                 "验收后支付。")


def test_a_part_listed_after_a_contract_is_neither_the_contract_nor_a_second_value_of_it():
    out = run(CONTRACT_PART.format(180))
    assert found(out) == []
    [check] = unverifiable(out, "same_fact_two_values")
    assert "所列的分项" in check["message"]
    [f] = found(run(CONTRACT_PART.format(150)), "balance_mismatch")
    assert sorted(f["values"]) == [150.0, 180.0]


def test_a_contract_signed_on_two_days_is_a_conflict():
    text = ("2023年4月3日，管理处与庚辰智能科技有限公司签订系统集成合同，合同金额880万元。项目进度如下："
            "（1）2023年{}日，管理处与庚辰智能科技有限公司签订系统集成合同；（2）2023年6月1日完成部署。")
    assert found(run(text.format("4月3"))) == []
    [f] = found(run(text.format("4月13")))
    assert f["kind"] == "conflict" and f["dates"] == ["2023-04-03", "2023-04-13"] and f["values"] == [880.0]


# --- a risk statement carries its amount -------------------------------------------------------------

def test_a_risk_statement_carries_the_amount_it_names():
    [f] = found(run("抽查发现部分支出未取得合规票据，涉及金额8.8万元。"))
    assert f["kind"] == "risk_statement" and f["values"] == [8.8]
    assert found(run("经检查，不存在未取得合规票据的情况。")) == []


# --- targets have a direction ------------------------------------------------------------------------

def _indicator(name, comparator, target, actual, target_quote="", actual_quote="") -> dict:
    return {"doc_id": DOC, "indicator_id": 1, "category": None, "name": name, "target_comparator": comparator,
            "target": Decimal(target), "actual": Decimal(actual), "unit": None, "met": None,
            "deviation_reason": None, "source": "prose", "target_page": 1, "target_quote": target_quote,
            "actual_page": 1, "actual_quote": actual_quote}


def _targets(*indicators) -> list[dict]:
    r = DocumentFacts.from_rows(DOC, text_to_rows(DOC, "。"))
    r.indicators = list(indicators)
    return targets(r)


def test_a_target_at_most_is_met_below_it():
    [f] = _targets(_indicator("平均办结时长", "<=", 5, 3.5))
    assert f["outcome"] == "holds"
    [f] = _targets(_indicator("平均办结时长", "<=", 5, 6))
    assert f["outcome"] == "mismatch" and f["severity"] == "warning"


def test_a_reduction_target_without_a_comparator_is_unverifiable():
    [f] = _targets(_indicator("能耗", "=", 10, 8, target_quote="单位能耗降低10%"))
    assert f["outcome"] == "unverifiable" and "降低" in f["message"]


def test_a_baseline_is_not_an_actual():
    [f] = _targets(_indicator("线上办理率", ">=", 60, 41.5, actual_quote="线上办理率由41.5%提高到66.2%"))
    assert f["outcome"] == "unverifiable" and "起点" in f["message"]


# --- score sheets: one level at a time ---------------------------------------------------------------

SHEET = [["评价指标", "分值", "得分"],
         ["一、投入", "30", "{a}"], ["（一）预算编制", "15", "12"], ["（二）资金到位", "15", "14"],
         ["二、产出", "70", "61"], ["（一）数量", "40", "35"], ["（二）质量", "30", "26"],
         ["合计", "100", "{total}"]]


def _sheet(a: str, total: str) -> list:
    return [[c.format(a=a, total=total) for c in row] for row in SHEET]


def test_a_score_sheet_total_is_the_sum_of_one_level_not_of_all():
    out = run_pages(("评分表如下。", [_sheet("26", "87")]))
    assert found(out) == []
    assert any(f["rule"] == "items_vs_total" and f["outcome"] == "holds" and f["values"] == [87.0, 87.0] for f in out)


def test_an_item_against_its_own_sub_items():
    [f] = found(run_pages(("评分表如下。", [_sheet("27", "88")])))
    assert (f["rule"], sorted(f["values"]), f["severity"]) == ("items_vs_item", [26.0, 27.0], "error")


# --- tables ------------------------------------------------------------------------------------------

VENDORS = [["序号", "供应商名称", "合同金额（万元）", "累计支付（万元）", "未支付（万元）"],
           ["1", "壬午数据服务有限公司", "210.00", "189.00", "{first}"],
           ["2", "癸未网络技术有限公司", "96.50", "86.85", "9.65"],
           ["合计", "", "306.50", "275.85", "{total}"]]


def _vendors(first: str, total: str) -> list:
    return [[c.format(first=first, total=total) for c in row] for row in VENDORS]


def test_a_table_row_balance_and_its_total_row():
    assert found(run_pages(("各供应商支付情况见下表。", [_vendors("21.00", "30.65")]))) == []
    out = found(run_pages(("各供应商支付情况见下表。", [_vendors("12.00", "21.65")])))
    assert sorted((f["rule"], tuple(sorted(f["values"]))) for f in out) == [      # the vendor's row, and the
        ("table_row_balance", (12.0, 21.0)), ("table_row_balance", (21.65, 30.65))]   # 合计 row that adds it
    assert all(f["severity"] == "error" for f in out)


def test_a_total_row_against_the_rows_it_closes():
    out = found(run_pages(("各供应商支付情况见下表。", [_vendors("21.00", "31.65")])))
    assert sorted((f["rule"], sorted(f["values"])) for f in out) == [      # the column does not add up, and the
        ("table_row_balance", [30.65, 31.65]), ("table_total_row", [30.65, 31.65])]  # 合计 row's balance fails


def test_a_total_row_over_nested_rows_is_unverifiable():
    table = [["资金来源", "金额（万元）"], ["财政资金", "400"], ["其中：中央资金", "250"], ["自筹资金", "100"],
             ["合计", "500"]]
    out = run_pages(("资金来源如下。", [table]))
    assert found(out) == [] and unverifiable(out, "table_total_row")


def test_a_total_column_against_the_columns_beside_it():
    table = [["项目", "合计", "中央资金", "省级资金"], ["到位资金", "{}", "300.00", "120.00"]]
    clean = [[c.format("420.00") for c in row] for row in table]
    planted = [[c.format("430.00") for c in row] for row in table]
    assert found(run_pages(("单位：万元", [clean]))) == []
    [f] = found(run_pages(("单位：万元", [planted])))
    assert f["rule"] == "table_total_column" and sorted(f["values"]) == [420.0, 430.0]


def test_a_finding_cites_the_page_of_every_figure():
    out = run_pages(("各供应商支付情况见下表。", [_vendors("21.00", "31.65")[:3]]),
                    ("续表", [_vendors("21.00", "31.65")[3:]]))
    [f] = [f for f in found(out) if f["rule"] == "table_total_row"]
    assert {e["page"] for e in f["evidence"]} == {1, 2}


def test_a_total_over_subtotals_adds_the_subtotals_and_rows_after_the_last_one_make_it_unclear():
    grouped = [["项目", "金额（万元）"], ["设备购置", "120"], ["安装调试", "30"], ["小计", "150"],
               ["监理费", "12"], ["检测费", "8"], ["小计", "20"], ["合计", "{}"]]
    assert found(run_pages(("支出明细如下。", [[[c.format(170) for c in row] for row in grouped]]))) == []
    [f] = found(run_pages(("支出明细如下。", [[[c.format(175) for c in row] for row in grouped]])))
    assert sorted(f["values"]) == [170.0, 175.0]
    trailing = grouped[:6] + [["合计", "170"]]                   # 监理费, 检测费 after the last 小计
    out = run_pages(("支出明细如下。", [trailing]))
    assert found(out) == [] and any("小计之后" in f["message"] for f in unverifiable(out, "table_total_row"))


def test_one_payment_stated_with_two_dates_names_one_payee():
    from extractors.reconcile.conflict_rules import _payees
    from types import SimpleNamespace

    one = SimpleNamespace(evidence=[{"sentence": "5月6日向子丑物业服务中心支付第二笔8.8万元。"},
                                    {"sentence": "6月6日向子丑物业服务中心支付第二笔8.8万元。"}])
    two = SimpleNamespace(evidence=[{"sentence": "5月6日向子丑物业服务中心支付第二笔8.8万元。"},
                                    {"sentence": "6月6日向寅卯社会工作服务社支付第二笔8.8万元。"}])
    assert len(_payees(one)) == 1 and len(_payees(two)) == 2


def test_a_contracts_remainder_is_not_computed_from_the_projects_total_paid():
    out = run("2023年2月与辰巳环境工程有限公司签订合同，合同金额300万元。截至年底项目累计支付800万元，剩余合同款50万元待验收后支付。")
    assert found(out, "balance_mismatch") == []


def test_every_partys_total_against_the_cumulative_needs_no_other_spending():
    text = ("2022年3月与午未软件有限公司签订合同，合同金额60万元，约定分两期支付。2022年4月1日向午未软件有限公司支付第一笔"
            "款项30万元，2022年9月1日向午未软件有限公司支付第二笔款项30万元。2022年5月与申酉监理有限公司签订合同，合同"
            "金额10万元，2022年10月1日向申酉监理有限公司一次性支付全款10万元。{}截至2022年12月31日，项目累计支付资金75万元。")
    [f] = [f for f in found(run(text.format(""))) if f["kind"] == "sum_mismatch"]
    assert sorted(f["values"]) == [70.0, 75.0] and f["severity"] == "warning"
    other = run(text.format("另支付专家评审费用5万元。"))
    assert [f for f in found(other) if f["kind"] == "sum_mismatch"] == []


# --- a year's spending above its budget, with money carried in from the year before -------------

CARRY = ("2025年该项目预算安排300万元。{carry}2025年项目实际支出{paid}万元。")


@pytest.mark.parametrize("carry, paid, outcome", [
    # the carry-over is stated with its amount: the spending is within budget plus carry-over
    ("2024年未用完的资金45万元结转至本年继续使用。", "330", "holds"),
    # … and beyond both it is over the limit
    ("2024年未用完的资金45万元结转至本年继续使用。", "360", "mismatch"),
    # carry-over spoken of without its amount: it may pay the difference
    ("超出预算部分由上年结转资金安排。", "330", "unverifiable"),
    # nothing carried in is spoken of: over the budget
    ("", "330", "mismatch"),
])
def test_a_years_spending_counts_what_the_year_before_carried_in(carry, paid, outcome):
    out = [f for f in run(CARRY.format(carry=carry, paid=paid)) if f["rule"] == "year_paid_within_budget"]
    assert [f["outcome"] for f in out] == [outcome], out


# --- a table's levels ---------------------------------------------------------------------------

OUTLINE = [["支出科目", "预算数（元）", "执行数（元）"],
           ["一、日常运转", "520,000.00", "{a}"], ["1.工资福利", "400,000.00", "398,000.00"],
           ["2.办公费用", "120,000.00", "101,500.00"],
           ["二、专项业务", "300,000.00", "287,300.00"], ["1.巡查设备", "180,000.00", "176,300.00"],
           ["2.宣传培训", "120,000.00", "111,000.00"], ["合计", "820,000.00", "{t}"]]


def _outline(a: str, t: str) -> list:
    return [[c.format(a=a, t=t) for c in row] for row in OUTLINE]


def test_a_total_under_subtotals_printed_above_their_items_adds_the_subtotals_only():
    out = run_pages(("支出情况见下表。", [_outline("499,500.00", "786,800.00")]))
    assert found(out) == []
    assert any(f["rule"] == "table_total_row" and f["outcome"] == "holds" and "同一层级2行" in f["message"] for f in out)
    assert any(f["rule"] == "table_subtotal_row" and f["outcome"] == "holds" for f in out)


def test_a_total_that_is_not_the_sum_of_its_subtotals_is_found_once():
    out = found(run_pages(("支出情况见下表。", [_outline("499,500.00", "796,800.00")])))
    assert [(f["rule"], sorted(f["values"])) for f in out] == [("table_total_row", [78.68, 79.68])]
    assert out[0]["severity"] == "error"


def test_a_subtotal_that_is_not_the_sum_of_its_items_is_found():
    out = found(run_pages(("支出情况见下表。", [_outline("489,500.00", "776,800.00")])))
    assert [(f["rule"], sorted(f["values"])) for f in out] == [("table_subtotal_row", [48.95, 49.95])]


def test_subtotal_rows_the_labels_do_not_mark_make_the_total_unverifiable():
    table = [["支出科目", "执行数（万元）"], ["日常运转", "49.95"], ["工资福利", "39.80"], ["办公费用", "10.15"],
             ["专项业务", "28.73"], ["合计", "78.68"]]
    out = run_pages(("支出情况见下表。", [table]))
    assert found(out) == []
    [check] = unverifiable(out, "table_total_row")
    assert "层级不明" in check["message"]


# --- all the funds ----------------------------------------------------------------------------------

BOND = ("项目总投资6.15亿元，其中申请地方政府专项债券资金6.00亿元，县级财政安排项目资本金1,500.00万元。2022年4月6日，第一批"
        "专项债券资金4.00亿元转贷到位；2023年5月9日，第二批专项债券资金2.00亿元转贷到位，两批累计到位6.00亿元。县财政局2022年"
        "拨付资本金900.00万元，2023年拨付资本金600.00万元。项目2022年支出3.9000亿元，2023年支出21,200.00万元。截至2023年12月"
        "31日，项目累计支出{}亿元。")


def _untagged_funds(text: str) -> list[dict]:
    """The rules on facts that do not carry the sources of the funds made available (as a fact stage
    that misses them would give): the sentences must still keep one source's funds from bounding all."""
    rows = text_to_rows(DOC, text)
    for f in rows.tables["facts"]:
        if f["kind"] == "appropriation":
            f["source"] = None
            if f["value_wan"] in (40000, 20000):      # the tranches, read as something else
                f["kind"], f["source"] = "other", "bond"
    return reconcile(DOC, rows)


def test_one_sources_funds_do_not_bound_the_whole_projects_spending():
    assert found(run(BOND.format("6.0200")), "over_limit") == []
    out = _untagged_funds(BOND.format("6.0200"))   # 60,200 spent: above the bonds' 60,000, within 61,500 in all
    assert found(out, "over_limit") == []
    [check] = unverifiable(out, "paid_within_appropriation")
    assert "只是债券资金" in check["message"]


def test_a_years_capital_funds_are_not_all_that_years_funds():
    out = _untagged_funds(BOND.format("6.0200"))
    assert not any(f["rule"] == "year_paid_within_funds" and f["outcome"] == "mismatch" for f in out)
    assert {f["values"][0] for f in unverifiable(out, "year_paid_within_funds")} == {39000.0, 21200.0}


def test_funds_of_all_sources_still_bound_the_spending():
    out = run("项目预算800万元，其中中央资金500万元、省级资金300万元。中央资金到位500万元，省级资金到位300万元，"
              "累计到位800万元。截至2023年底累计支出820万元。")
    [f] = found(out, "over_limit")
    assert sorted(f["values"]) == [800.0, 820.0] and f["rule"] == "paid_within_appropriation"


def test_a_first_year_above_its_budget_with_money_carried_in_is_unverifiable():
    out = run("2024年度预算300万元，当年实际支出330万元，超出部分由以前年度结转资金45万元安排。")
    assert found(out, "over_limit") == []
    [check] = unverifiable(out, "year_paid_within_budget")
    assert "以前年度结转" in check["message"]


def test_another_sources_tranche_in_the_year_is_missing_from_that_years_funds():
    from extractors.reconcile.funds import missing_in_year
    rows = text_to_rows(DOC, "2023年市级资金到位200万元。2023年3月2日，省级资金到位500万元。")
    r = DocumentFacts.from_rows(DOC, rows)
    year = [f for f in r.facts if f.wan == 200]
    assert "省级资金" in (missing_in_year(r, year, Decimal(200), 2023) or "")
    assert missing_in_year(r, year, Decimal(700), 2023) is not None


@pytest.mark.parametrize("tranche_kind, tranche_source", [("other", "bond"), ("appropriation", "bond"),
                                                          ("appropriation", None)])
def test_bond_tranches_read_either_way_leave_no_false_over_limit(tranche_kind, tranche_source):
    rows = text_to_rows(DOC, BOND.format("6.0200"))
    for f in rows.tables["facts"]:
        if f["kind"] == "other" and f["value_wan"] in (40000, 20000):
            f["kind"], f["source"] = tranche_kind, tranche_source
    assert found(reconcile(DOC, rows), "over_limit") == []


def test_a_remainder_is_not_one_sources_funds_minus_all_spending():
    text = ("项目预算500万元，其中中央资金400万元、县级配套资金100万元。第一批中央资金300万元于3月到位，第二批中央资金"
            "100万元于8月到位，两批累计到位400万元。截至年底累计支出430万元，结余资金70万元。")
    rows = text_to_rows(DOC, text)
    for f in rows.tables["facts"]:
        if f["kind"] == "appropriation":
            f["source"] = None                        # whatever the facts say, the sentence names one source
    out = reconcile(DOC, rows)
    assert found(out, "balance_mismatch") == []
    assert any("只是中央资金" in f["message"] for f in unverifiable(out, "funds_minus_paid"))


# --- a rate's operands of the rate's own scope; a contract's two values tied to one contract -------

ARRIVAL_BY_SOURCE = ("项目总预算1,200万元，由中央补助资金600万元、省级补助资金350万元和市级财政资金250万元构成。中央补助"
                     "资金600万元于2023年2月10日下达，省级补助资金350万元于2023年3月15日下达，市级财政资金250万元分三次"
                     "拨付，至2023年8月底全部到位，资金到位率{}%。")


@pytest.mark.parametrize("rate", ["100", "96"])
def test_one_sources_arrival_is_not_the_numerator_of_the_whole_projects_arrival_rate(rate):
    out = run(ARRIVAL_BY_SOURCE.format(rate))
    assert found(out, "rate_mismatch") == []
    [check] = unverifiable(out, "rate_arrival")
    assert "250万元只是一个资金来源的数" in check["message"]


def test_an_arrival_rate_of_the_whole_against_the_whole_budget_is_checked():
    text = "项目总预算1,200万元。截至2023年8月底，累计到位资金1,080万元，资金到位率{}%。"
    assert found(run(text.format(90))) == []
    [f] = found(run(text.format(95)), "rate_mismatch")
    assert sorted(f["values"]) == [90.0, 95.0] and f["severity"] == "warning"


@pytest.mark.parametrize("rate, flagged", [("85", False), ("92", True)])
def test_an_arrival_rate_against_the_matching_funds_due_in_its_sentence(rate, flagged):
    """应落实配套资金a，实际到位b，到位率c: c is b ÷ a, not b ÷ the whole budget."""
    text = ("全年资金规模8,000万元。按规定，各区应落实配套资金640万元，实际到位544万元，配套资金到位率{}%。")
    out = found(run(text.format(rate)), "rate_mismatch")
    assert [sorted(f["values"]) for f in out] == ([[85.0, 92.0]] if flagged else [])


VENDOR_CONTRACT = ("2023年3月2日，管理局与戊川信息技术有限公司签订运维合同，合同金额420万元。2023年7月5日向戊川信息技术"
                   "有限公司支付首期款126万元。{middle}{second}")


def test_a_contract_restated_with_another_value_in_contract_words_is_a_conflict():
    out = run(VENDOR_CONTRACT.format(middle="", second="根据验收报告，管理局与戊川信息技术有限公司签订的运维合同金额为402万元。"))
    [f] = found(out, "conflict")
    assert (f["severity"], sorted(f["values"])) == ("error", [402.0, 420.0])


def _as_second_contract(text: str, value: str) -> list[dict]:
    """The rule on its own: the fact stage's reading of `value` forced to a second contract value of
    the vendor (as a misread spending item would be)."""
    rows = text_to_rows(DOC, text)
    facts = rows.tables["facts"]
    mark = "the contract is stated twice"
    for f in facts:
        if f["kind"] == "contract" or Decimal(f["value_wan"]) == Decimal(value):
            f.update(kind="contract", party="戊川信息技术有限公司", conflict=mark, is_amendment=False)
    return reconcile(DOC, rows)


def test_a_spending_item_read_as_a_contract_value_is_no_conflict():
    text = VENDOR_CONTRACT.format(middle="", second="其余支出为：设备租赁费用86.50万元，宣传印刷36.20万元。")
    out = _as_second_contract(text, "86.5")
    assert found(out, "conflict") == []
    [check] = unverifiable(out, "same_fact_two_values")
    assert "未提及该单位或合同" in check["message"]


def test_two_contract_values_with_an_amendment_between_them_are_no_conflict():
    text = VENDOR_CONTRACT.format(middle="2023年9月1日双方签订补充协议，增加数据迁移服务。",
                                  second="截至年底，戊川信息技术有限公司的运维合同金额为466万元。")
    out = _as_second_contract(text, "466")
    assert found(out, "conflict") == []
    [check] = unverifiable(out, "same_fact_two_values")
    assert "补充协议" in check["message"]


def test_one_sources_two_amounts_on_two_dates_are_two_batches_not_a_conflict():
    out = run("省级补助资金分两次拨付到位：2024年4月9日拨付省级补助资金150万元，2024年9月20日拨付省级补助资金90万元。")
    assert found(out, "conflict") == []
    planted = run("项目资金来源：省级补助资金150万元，县级资金60万元。决算显示，省级补助资金180万元。")
    assert [sorted(f["values"]) for f in found(planted, "conflict")] == [[150.0, 180.0]]


PARTS_IN_BRACKETS = ("专项资金到位560.00万元。另列支设计费18.00万元、检测费2.40万元。截至2023年12月31日，项目累计支出"
                     "530.40万元（施工510.00万元、设计18.00万元、检测2.40万元），专项资金结余{}万元。")


def test_the_parts_listed_in_brackets_after_a_total_are_not_other_totals():
    assert found(run(PARTS_IN_BRACKETS.format("29.60"))) == []
    [f] = found(run(PARTS_IN_BRACKETS.format("39.60")), "balance_mismatch")
    assert sorted(f["values"]) == [29.6, 39.6]


NUMBERED = ("（二）支出决算\n2023年度支出合计{}万元，执行率95.10%。按经济分类划分：\n1.工资福利支出410.20万元。其中：\n"
            "（1）基本工资180.00万元；\n（2）津贴补贴230.20万元。\n2.商品和服务支出96.30万元，{}：\n（1）办公费41.20万元。\n"
            "（三）资产情况\n年末固定资产原值320.00万元。")


def test_a_total_over_the_numbered_items_below_it():
    assert found(run(NUMBERED.format("506.50", "用于日常运转"))) == []
    [f] = found(run(NUMBERED.format("516.50", "用于日常运转")), "sum_mismatch")
    assert sorted(f["values"]) == [506.5, 516.5] and f["rule"] == "numbered_parts"
    assert found(run(NUMBERED.format("516.50", "用于日常运转").replace("按经济分类划分", "主要支出如下"))) == []


def _led_table(total: str, lead: str = "按开支科目列示如下（单位：元）：") -> tuple[str, list]:
    rows = [["序号", "开支科目", "支出金额"], ["1", "场地租赁", "52,000.00"], ["2", "裁判劳务", "18,400.00"],
            ["3", "器材购置", "9,600.00"]]
    text = (f"截至2023年10月31日，本活动实际支出{total}元。{lead}\n"
            + "\n".join(" ".join(r) for r in rows) + "\n（二）其他说明。")
    return text, [rows]


def test_a_table_led_into_by_rumia_adds_up_to_the_total_stated_above_it():
    # (r31 family) the itemised table has no 合计 row; the spending stated above is its total
    assert found(run_pages(_led_table("80,000.00"))) == []
    [f] = found(run_pages(_led_table("82,000.00")))
    assert f["rule"] == "table_total_above" and sorted(f["values"]) == [8.0, 8.2]
    assert found(run_pages(_led_table("82,000.00", lead="部分科目见下表。"))) == []   # no lead: no total
