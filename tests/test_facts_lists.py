"""Money facts in lists and in sentences that pair or qualify their figures (issue 11): spending
items under a heading, 其中 after the sentence of its total, 分别于 date lists, paid-out batches,
one-off full payments, irregular amounts, 签约服务 names. Sentences of our own."""
from __future__ import annotations

from extractors.document import text_to_view
from extractors.facts.money import view_to_facts


def facts_of(text: str) -> list[dict]:
    return view_to_facts(text_to_view("t" * 64, text), {})[0]


def brief(text: str, *keys: str) -> list[tuple]:
    return [(r["kind"], format(r["value_wan"].normalize(), "f"), *(r[k] for k in keys)) for r in facts_of(text)]


def test_items_of_a_spending_list_separated_by_semicolons_are_money_spent():
    got = brief("支出明细：设备购置费30.20万元；差旅及会议费2.15万元；印刷费1.05万元。")
    assert got == [("paid_total", "30.2"), ("paid_total", "2.15"), ("paid_total", "1.05")]


def test_a_list_head_without_role_word_makes_no_kind():
    assert {k for k, _ in brief("费用构成：设备购置费30.20万元；差旅及会议费2.15万元。")} == {"other"}


def test_a_service_named_by_signing_is_no_contract():
    got = brief("另有支出：乡村医生签约服务包15.00万元，设备维护3.20万元。")
    assert got == [("paid_total", "15"), ("paid_total", "3.2")]


def test_a_breakdown_opening_the_next_sentence_keeps_the_kind_of_its_total():
    got = brief("工程预算86.50万元。其中省级补助60.00万元，乡镇配套26.50万元。2023.5.6，省级补助60.00万元到账。", "source")
    assert ("budget", "60", "provincial") in got and ("budget", "26.5", "township") in got
    assert ("appropriation", "60", "provincial") in got


def test_dates_listed_after_fenbie_pair_with_the_amounts_in_order():
    got = brief("管理处分别于2023年3月2日、2023年8月9日向甲乙科技有限公司支付首期款40.00万元和第二期款60.00万元，"
                "合计100.00万元。", "date_iso", "installment")
    assert ("payment", "40", "2023-03-02", "1") in got
    assert ("payment", "60", "2023-08-09", "2") in got
    assert ("paid_total", "100") == got[-1][:2]


def test_each_batch_paid_out_is_one_payment():
    got = brief("2023.6.1兑付第一批补贴12.30万元。2023-10-8兑付第二批补贴8.70万元。累计发放21.00万元。", "date_iso")
    assert got[:2] == [("payment", "12.3", "2023-06-01"), ("payment", "8.7", "2023-10-08")]
    assert got[2][:2] == ("paid_total", "21")


def test_a_contract_paid_off_at_once_is_a_full_payment():
    got = brief("2023年5月与丙丁咨询有限公司签订合同，合同金额4.50万元。2023.8.1验收后一次付清4.50万元。",
                "date_iso", "party", "installment")
    assert ("payment", "4.5", "2023-08-01", "丙丁咨询有限公司", "full") in got
    assert got[0][:2] == ("contract", "4.5")


def test_money_a_sentence_calls_irregular_is_no_fact_unless_negated():
    got = brief("审计组抽查了支出凭证，发现其中8.6万元被用于办公楼装修，属于挪用项目资金。全年支出90万元，未发现挪用。")
    assert got == [("other", "8.6"), ("paid_total", "90")]


def test_an_item_with_no_role_word_under_a_spending_heading_is_money_spent():
    text = "三、资金使用\n2.经费支出\n（1）向甲乙设计有限公司支付设计费12万元。\n（2）零星维修及耗材费用合计3.5万元，据实列支。"
    assert brief(text) == [("payment", "12"), ("paid_total", "3.5")]
    # under another heading the same item names no kind
    assert brief("三、资金使用\n2.其他事项\n（1）零星维修及耗材费用合计3.5万元，据实列支。") == [("other", "3.5")]
