"""Money facts of a purchased service settled period by period, on sentences of our own (invented
names, numbers and wording): a period's fee with the day it was paid in the next clause, month-only
dates (上旬 / 中旬 / 下旬), settlements and what is left unsettled, the provider named once and then by
a short name defined after it or by the word for the provider of a purchased service (承接主体)."""
from __future__ import annotations

from extractors.document import text_to_view
from extractors.facts.money import view_to_facts


def facts_of(text: str) -> list[dict]:
    rows, _ = view_to_facts(text_to_view("d" * 64, text), {})
    return rows


def brief(text: str, *keys: str) -> list[tuple]:
    return [(r["kind"], format(r["value_wan"].normalize(), "f"), *(r[k] for k in keys)) for r in facts_of(text)]


def test_a_periods_fee_paid_on_a_day_told_in_the_next_clause():
    text = ("上半年托管费236500元，于2023年7月上旬支付；下半年托管费241800元，于2024年1月5日支付。"
            "另有培训费19000元，于次年使用。")
    assert brief(text, "date_iso") == [("payment", "23.65", "2023-07"), ("payment", "24.18", "2024-01-05"),
                                       ("other", "1.9", None)]


def test_money_handed_over_by_a_named_agent_on_a_month_only_date():
    text = "县级配套资金820000元由县财政局于2023年9月下旬一次性拨付至项目单位。"
    assert brief(text, "date_iso", "source") == [("appropriation", "82", "2023-09", "county")]


def test_settlements_a_total_settled_and_what_is_left_unsettled():
    text = ("三季度结束后，中心于2023年10月20日先行预结算服务费150000元。前三个季度累计结算服务费"
            "512600元，尚有87400元未结算。")
    assert brief(text) == [("payment", "15"), ("paid_total", "51.26"), ("balance", "8.74")]


def test_the_provider_named_once_then_by_a_short_name_defined_after_it():
    text = ("（二）采购情况\n经竞争性磋商，成交供应商为青梧市安禾社区照护服务有限公司，成交金额960000元。"
            "下文将该成交供应商简称为“照护方”。\n（三）结算情况\n照护方每月报送服务台账。第一季度服务费"
            "228000元，于2023年4月12日支付；第二季度服务费235000元，于2023年7月上旬支付。\n"
            "上述两个季度合计向承接主体结算463000元，尚有497000元未结算。\n"
            "青梧市衡正会计师事务所有限公司")
    rows = facts_of(text)
    assert [(r["kind"], r["party"]) for r in rows] == [
        ("contract", "青梧市安禾社区照护服务有限公司"), ("payment", "青梧市安禾社区照护服务有限公司"),
        ("payment", "青梧市安禾社区照护服务有限公司"), ("paid_total", "青梧市安禾社区照护服务有限公司"),
        ("balance", "青梧市安禾社区照护服务有限公司")]


def test_a_short_name_stands_for_nobody_before_it_is_defined():
    text = ("评价组走访了三家服务机构。中标单位为青梧市禾康养老服务有限公司，合同金额500000元。"
            "以下将该中标单位称为“服务机构”。服务机构已收到首期款150000元。")
    rows = facts_of(text)
    assert [r["party"] for r in rows] == ["青梧市禾康养老服务有限公司"] * 2


def test_the_provider_word_names_the_company_that_won_the_bid():
    """承接主体 is the company introduced as 中标单位, even where another company is named as often."""
    text = ("受委托，青梧市明衡会计师事务所有限公司开展评价。中标单位为青梧市康泰助老服务有限公司，合同金额600000元。\n"
            "全年向承接主体结算420000元，尚有180000元未结算。\n青梧市明衡会计师事务所有限公司")
    assert [(r["kind"], r["party"]) for r in facts_of(text)] == [
        ("contract", "青梧市康泰助老服务有限公司"), ("paid_total", "青梧市康泰助老服务有限公司"),
        ("balance", "青梧市康泰助老服务有限公司")]


def test_a_bracketed_short_name_of_an_office_is_no_short_name_of_the_company_before_it():
    text = ("青梧市明衡会计师事务所有限公司受青梧市民政局（以下简称“市民政局”）委托开展评价。"
            "市民政局与青梧市康泰助老服务有限公司签订合同，合同金额600000元。")
    assert [(r["kind"], r["party"]) for r in facts_of(text)] == [("contract", "青梧市康泰助老服务有限公司")]


def test_a_contract_paid_on_a_day_told_in_the_next_clause_stays_a_contract_of_its_signing_day():
    text = ("检测服务由青梧市衡泰检测技术有限公司承担，双方于2023年3月6日签订合同，合同金额9.80万元，"
            "于2023年12月20日一次性支付。")
    rows = facts_of(text)
    assert [(r["kind"], format(r["value_wan"].normalize(), "f"), r["date_iso"]) for r in rows][:1] == [
        ("contract", "9.8", "2023-03-06")]
    assert ("payment", "2023-12-20") in [(r["kind"], r["date_iso"]) for r in rows]


def test_money_planned_and_handed_down_whole_on_a_day_is_made_available_that_day():
    text = "市财政在年初预算中安排奖补资金640万元，于2023年4月17日全额拨付。另安排工作经费20万元，于年底前下达。"
    assert brief(text, "date_iso") == [("budget", "640", None), ("appropriation", "640", "2023-04-17"),
                                       ("budget", "20", None)]
