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
