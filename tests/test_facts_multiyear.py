"""Money facts in the wording of works paid over several years and told 总—分 (r32 families): the
payee's 累计收到工程款, a contract said 已全额支付 later. Sentences of our own."""
from __future__ import annotations

from extractors.document import text_to_view
from extractors.facts.money import view_to_facts


def brief(text: str, *keys: str) -> list[tuple]:
    return [(r["kind"], format(r["value_wan"].normalize(), "f"), *(r[k] for k in keys))
            for r in view_to_facts(text_to_view("t" * 64, text), {})[0]]


def test_what_the_payee_received_in_all_is_a_total_paid_not_a_second_contract_figure():
    got = brief("承建单位某某路桥工程有限公司：合同价款2,310.00万元，到2023年底已收取工程款2,205.50万元，"
                "余款104.50万元待审计后支付。")
    assert [k for k, *_ in got] == ["contract", "paid_total", "balance"]


def test_a_contract_paid_in_parts_and_then_said_paid_in_full_is_no_one_payment():
    got = brief("设计单位某某勘测设计院：2021年3月9日签订设计合同，合同金额64.00万元，分两期支付，截至2022年底已全额支付。")
    assert [k for k, *_ in got] == ["contract"]
    got = brief("2021年3月9日签订设计合同，合同金额64.00万元，已于2021年12月2日全额支付。", "date_iso")
    assert got[-1] == ("payment", "64", "2021-12-02")


def test_a_role_word_glued_before_the_company_is_not_part_of_its_name():
    got = brief("设计单位某某规划勘测有限公司：合同金额58.00万元。施工单位某某市政工程有限公司：合同金额906.00万元。", "party")
    assert got == [("contract", "58", "某某规划勘测有限公司"), ("contract", "906", "某某市政工程有限公司")]


def test_money_of_the_same_year_counts_in_the_year_of_the_paragraph_before_it():
    got = brief("2019年为建设期。6月2日，项目完成招标。当年完成支出512.30万元。", "year")
    assert got == [("paid_total", "512.3", 2019)]


def test_the_other_costs_closing_a_list_of_payments_are_a_total_paid_not_a_payment():
    got = brief("2020年9月3日支付设计费12.00万元，以及评审、公告等其他费用3.45万元。", "year")
    assert got == [("payment", "12", 2020), ("paid_total", "3.45", 2020)]


def test_a_years_spending_done_is_the_projects_not_the_company_named_before():
    got = brief("2020年9月3日向某某水务工程有限公司支付进度款300.00万元。2021年为续建年，完成支出520.00万元。", "party")
    assert got == [("payment", "300", "某某水务工程有限公司"), ("paid_total", "520", None)]


def test_a_fee_paid_before_its_company_is_introduced_by_its_role_word_goes_to_that_company():
    got = brief("2021年为续建年，完成支出410.00万元，包括：8月2日支付设计费35.00万元。"
                "设计单位某某规划勘测有限公司：2020年6月1日签订设计合同，合同金额70.00万元。", "party")
    assert got == [("paid_total", "410", None), ("payment", "35", "某某规划勘测有限公司"),
                   ("contract", "70", "某某规划勘测有限公司")]
    got = brief("2021年3月2日与某某建工有限公司签订施工合同，合同金额900.00万元。\n"
                "2022年为主体施工期，完成支出410.00万元。", "party")
    assert got == [("contract", "900", "某某建工有限公司"), ("paid_total", "410", None)]
