"""Events funded partly by the budget and partly by income of their own (r31 family): 赞助收入 /
报名费收入 and their sum are no ledger fact, a rounded restatement of such income is no second
figure (no conflict), and money paid on a day said right after the amount is a payment.
Sentences of our own."""
from __future__ import annotations

from decimal import Decimal

from extractors.document import text_to_view
from extractors.facts.money import view_to_facts


def kinds(text: str) -> list[tuple]:
    rows = view_to_facts(text_to_view("b" * 64, text), {})[0]
    return [(r["kind"], r["value_wan"].normalize(), r["conflict"]) for r in rows]


def test_income_of_the_event_itself_is_no_fact_of_the_ledger():
    got = kinds("县财政安排经费500,000元；另获企业冠名收入120,000元（由冠名单位直接支付给协会）和门票收入"
                "86,500元，两项合计206,500元（约20.7万元）。")
    assert got[0][:2] == ("budget", Decimal("50"))
    assert [g[0] for g in got[1:]] == ["other", "other", "other"]
    assert all(g[2] is None for g in got)


def test_money_paid_on_a_day_said_right_after_the_amount_is_a_payment():
    got = kinds("验收款62,000.00元于2023年11月3日（终验通过后）支付。")
    assert got == [("payment", Decimal("6.2"), None)]


def test_a_fee_paid_off_on_a_day_said_right_after_the_amount_is_a_payment():
    got = kinds("委托某救护服务公司驻场保障，保障费57,300.00元于2023年9月8日一次性付清。")
    assert got == [("payment", Decimal("5.73"), None)]
