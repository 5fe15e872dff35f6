"""Money facts in the wording of government payments under a concession (PPP) and of other
annual payment plans (r27 families): a company with two short names, 共计向X支付, a budget
安排…支出 broken down after 具体为： into ；-items, and a change stated after the earlier
year's own figure. Sentences of our own."""
from __future__ import annotations

from extractors.document import text_to_view
from extractors.facts.money import view_to_facts


def brief(text: str, *keys: str) -> list[tuple]:
    return [(r["kind"], format(r["value_wan"].normalize(), "f"), *(r[k] for k in keys))
            for r in view_to_facts(text_to_view("p" * 64, text), {})[0]]


def test_a_company_with_two_short_names_is_named_by_either():
    got = brief("双方出资设立某某环保运营有限公司（以下简称“运营公司”或“项目方”），负责设施运营。"
                "2023年6月30日向运营公司支付上半年服务费1,105.00万元；2023年12月28日向项目方支付下半年服务费"
                "1,098.40万元。", "date_iso", "party")
    assert got == [("payment", "1105", "2023-06-30", "某某环保运营有限公司"),
                   ("payment", "1098.4", "2023-12-28", "某某环保运营有限公司")]


def test_paid_to_a_company_in_all_is_a_total_and_the_earlier_years_figure_is_its_counterpart():
    got = brief("2023年度区财政合计向某某环保运营有限公司支付补贴2,203.40万元，较2022年度的2,150.10万元增加53.30万元。",
                "year")
    assert got == [("paid_total", "2203.4", 2023), ("paid_total", "2150.1", 2022), ("other", "53.3", 2022)]


def test_spending_planned_in_a_budget_and_its_items_after_a_colon():
    got = brief("区财政在2023年预算中安排特许经营补贴支出3,600.00万元，具体为：建设补贴2,450.00万元；"
                "运营补贴1,150.00万元，按考核结果拨付。", "year")
    assert got == [("budget", "3600", 2023), ("budget", "2450", 2023), ("budget", "1150", 2023)]


def test_a_company_named_with_a_place_in_brackets_before_its_suffix():
    got = brief("仪器经公开招标采购，中标供应商为某某光电（苏州）有限公司。学校与该公司签订采购合同，合同金额86.0万元。",
                "party")
    assert got == [("contract", "86", "某某光电（苏州）有限公司")]


def test_money_moved_between_categories_is_no_budget_and_money_paid_in_is_an_appropriation():
    got = brief("经课题负责人申请，将差旅费调减6.0万元，调增劳务费4.0万元、出版费2.0万元，总额不变。")
    assert got == [("other", "6"), ("other", "4"), ("other", "2")]
    # a top-up alone, and an amended total, stay what they were
    assert brief("年中调增预算12万元，全年预算调整为212万元。") == [("budget", "12"), ("budget", "212")]
    got = brief("市级经费分两次拨入课题专户：2023年4月2日拨入60万元，2023年9月9日拨入25万元。", "date_iso", "source")
    assert got == [("appropriation", "60", "2023-04-02", "municipal"),
                   ("appropriation", "25", "2023-09-09", "municipal")]


def test_a_source_stated_after_the_amount_for_all_of_it():
    got = brief("课题经费总预算260万元，全部为市级财政资金；另有总投资500万元，均由中央和省级财政承担。", "source")
    assert got == [("budget", "260", "municipal"), ("budget", "500", None)]
