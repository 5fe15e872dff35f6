"""Parts of a stated total, totals paid over a year, budget top-ups and a contract's vendor
carried past a semicolon (extractors/facts/roles.py, when.py, money.py, rules/parties.toml), on
sentences of our own."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from extractors.document import text_to_view
from extractors.facts.money import view_to_facts

YEAR = {"period_start": dt.date(2023, 1, 1), "period_end": dt.date(2023, 12, 31)}


def facts(text: str, header: dict | None = None) -> list[dict]:
    return view_to_facts(text_to_view("s" * 64, text), header if header is not None else YEAR)[0]


def brief(rows: list[dict], *keys: str) -> set[tuple]:
    return {(r["kind"], format(r["value_wan"].normalize(), "f"), *(r[k] for k in keys)) for r in rows}


def test_items_of_a_breakdown_take_the_totals_kind_and_a_prior_year_comparison_its_year():
    text = ("四、公用经费\n2023年会议培训费合计支出9.60万元，2022年为11.20万元。"
            "分项看：培训费4.10万元，比上年的5.00万元减少18.00%；会议费5.50万元，较上年的6.20万元减少11.29%。\n")
    got = brief(facts(text), "year")
    assert {("paid_total", "4.1", 2023), ("paid_total", "5", 2022),
            ("paid_total", "5.5", 2023), ("paid_total", "6.2", 2022)} <= got


def test_a_total_paid_in_the_year_is_not_dated_by_the_contracts_signing():
    text = ("五、采购\n中心于2023年4月18日与青禾园林绿化有限公司签订养护合同，合同价30.00万元，"
            "按月考核付款，年内共支付21.60万元，剩余8.40万元次年支付。\n")
    rows = facts(text)
    paid = [r for r in rows if r["value_wan"] == Decimal("21.6")]
    assert [(r["kind"], r["date_iso"], r["year"]) for r in paid] == [("paid_total", None, 2023)]
    assert ("contract", "30", "2023-04-18") in brief(rows, "date_iso")


def test_a_top_up_during_the_year_beside_the_years_budget_is_a_budget():
    text = "二、收入\n本年收入820.00万元，由年初预算790.00万元和年中追加的30.00万元组成。\n"
    got = brief(facts(text))
    assert ("budget", "790") in got and ("budget", "30") in got
    # a top-up handed down is money made available
    assert ("appropriation", "15") in brief(facts("二、收入\n年中追加下达资金15.00万元。\n"))


def test_the_whole_contract_paid_after_a_semicolon_is_the_vendors():
    text = ("六、合同履行\n馆方通过竞争性磋商确定远帆影音科技有限公司为供应商，于2022年12月2日签订合同，"
            "合同价64.50万元；设备于2023年2月验收，馆方于2023年3月20日一次性付清全部合同款64.50万元。\n")
    rows = [r for r in facts(text) if r["kind"] == "payment"]
    assert [(r["party"], r["date_iso"], r["installment"]) for r in rows] == \
        [("远帆影音科技有限公司", "2023-03-20", "full")]


def test_a_payment_for_several_kinds_of_cost_lumped_together_is_a_total_paid():
    text = "三、资金使用\n勘察、造价咨询及审计等费用支付12.30万元；2023年6月1日支付第一笔工程款40.00万元。\n"
    got = brief(facts(text))
    assert ("paid_total", "12.3") in got and ("payment", "40") in got


def test_sources_listed_after_the_total_take_its_kind():
    text = ("一、概况\n项目总预算860.00万元，分两年安排：2022年360.00万元，2023年500.00万元。"
            "资金来源为省级财政补助600.00万元、单位自筹资金260.00万元。\n")
    got = brief(facts(text), "source")
    assert {("budget", "600", "provincial"), ("budget", "260", "self")} <= got


def test_without_a_period_the_year_in_the_projects_name_is_the_reports():
    text = "四、公用经费\n培训费合计支出9.60万元。分项看：会务费4.10万元，较上年的5.00万元减少18.00%。\n"
    got = brief(facts(text, {"project_name": "某县图书馆2023年度部门整体支出"}), "year")
    assert {("paid_total", "9.6", 2023), ("paid_total", "4.1", 2023), ("paid_total", "5", 2022)} <= got
    # two years in the name: none is the report's
    assert all(r["year"] is None for r in facts(text, {"project_name": "2022年度至2023年度某某项目"})
               if r["value_wan"] == Decimal("4.1"))
