"""Yearly contracts under a framework agreement, a payment schedule typed with half-width
punctuation, and a budget split into parts (extractors/facts, extractors/reconcile), on sentences
of our own."""
from __future__ import annotations

from extractors.document import text_to_rows, text_to_view
from extractors.facts.money import view_to_facts
from extractors.reconcile import reconcile


def facts(text: str) -> list[dict]:
    return view_to_facts(text_to_view("f" * 64, text), {})[0]


def brief(rows: list[dict], *keys: str) -> list[tuple]:
    return [(r["kind"], format(r["value_wan"].normalize(), "f"), *(r[k] for k in keys)) for r in rows]


def problems(text: str) -> list[tuple[str, list[float]]]:
    doc_id = "g" * 64
    return sorted((f["kind"], sorted(f["values"])) for f in reconcile(doc_id, text_to_rows(doc_id, text))
                  if f["outcome"] == "mismatch" and f["severity"] != "info")


FRAMEWORK = ('我局于2022年5月6日与青衡网络科技有限公司(下称"青衡公司")签订《政务云平台运维服务框架协议》,期限三年.'
             '2022年度运维合同金额为50万元,已于当年结清.\n'
             '2023年1月10日,双方签订2023年度运维合同,合同金额为60万元.\n')


def test_the_company_of_a_framework_agreement_is_the_party_of_its_yearly_contracts():
    rows = [r for r in facts(FRAMEWORK) if r["kind"] == "contract"]
    assert brief(rows, "party") == [("contract", "50", "青衡网络科技有限公司"), ("contract", "60", "青衡网络科技有限公司")]
    # two years' contracts with one company are two contracts, not one stated twice
    assert problems(FRAMEWORK) == []


def test_two_payments_of_one_amount_under_different_names_are_two_payments():
    text = "1) 2023年2月1日,支付预付款18万元;\n2) 2023年6月30日,支付中期款24万元;\n3) 2023年12月8日,支付验收款18万元.\n三期合计60万元."
    rows = facts(text)
    assert brief(rows, "date_iso") == [("payment", "18", "2023-02-01"), ("payment", "24", "2023-06-30"),
                                       ("payment", "18", "2023-12-08"), ("paid_total", "60", None)]
    assert problems(text) == []


def test_one_named_payment_stated_twice_with_two_values_is_a_conflict():
    text = FRAMEWORK + "2023年6月30日,向青衡公司支付中期款24万元.\n四、自评得分\n扣分原因:6月30日支付的中期款26万元晚于约定时间."
    assert ("conflict", [24, 26]) in problems(text)
    clean = FRAMEWORK + "2023年6月30日,向青衡公司支付中期款24万元.\n四、自评得分\n扣分原因:6月30日支付的中期款24万元晚于约定时间."
    assert not [p for p in problems(clean) if p[0] == "conflict"]


def test_a_budget_split_into_parts_after_a_colon_and_its_one_source():
    text = "本项目2023年度预算为80万元,全部为县本级财政资金,分为两块:运维服务费60万元;安全测评费20万元."
    assert brief(facts(text), "source") == [("budget", "80", "county"), ("budget", "60", "county"),
                                            ("budget", "20", None)]


def test_the_execution_rate_of_a_project_funded_by_one_source_is_checked():
    text = ("本项目2023年度预算为80万元,全部为县本级财政资金,分为两块:运维服务费60万元;安全测评费20万元.\n"
            "截至2023年12月31日,本项目实际支出76万元,预算执行率为97%.\n"
            "成本指标 年度运维成本控制数 <=80万元 76万元\n")
    assert ("rate_mismatch", [95, 97]) in problems(text)
    assert not [p for p in problems(text.replace("97%", "95%")) if p[0] == "rate_mismatch"]


def test_a_remainder_said_to_be_all_payables_is_still_of_its_source():
    text = "本年到位资金500万元，累计支出480万元。分渠道结余情况为：中央资金结余12万元，自筹资金结余8万元，均为已完工未结算工程的应付款项。"
    assert not [p for p in problems(text) if p[0] == "balance_mismatch"]


def test_a_budget_handed_down_in_a_sentence_of_its_own_is_made_available_that_day():
    text = ("经县财政局批复，本项目2023年度预算为80万元，分为两块：运维服务费60万元；安全测评费20万元。"
            "预算资金于2023年3月6日由县财政局批复下达。")
    assert ("appropriation", "80", "2023-03-06") in brief(facts(text), "date_iso")
    # a sentence about money of no stated budget adds nothing
    assert [r for r in facts("运维服务费60万元。资金于2023年3月6日下达。") if r["kind"] == "appropriation"] == []


def test_a_half_width_stop_between_chinese_words_ends_a_sentence():
    from extractors.sentences import text_to_sentences
    text = "二.资金使用\n合同金额6,800.00元,已于2023年5月4日付清.平台租用费按月结算,全年支付3,600.00元,执行率为98.5%.结余资金12.50元."
    assert [s.text for s in text_to_sentences(text)] == [
        "二.资金使用", "合同金额6,800.00元,已于2023年5月4日付清.", "平台租用费按月结算,全年支付3,600.00元,执行率为98.5%.",
        "结余资金12.50元."]
