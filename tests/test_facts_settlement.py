"""Money facts in the wording of works paid by progress and settled by audit, and of a department's
final accounts (r23/r24 families): 进度款 拨付 to a builder, 合计 of payments, 审定 / 送审 / 审减,
已全部到位, 全年向某公司支付, money left 待…后结清, 比上年减少, 细分来看 and a 其中： on its own.
Sentences of our own."""
from __future__ import annotations

from extractors.document import text_to_view
from extractors.facts.money import view_to_facts


def brief(text: str, *keys: str) -> list[tuple]:
    return [(r["kind"], format(r["value_wan"].normalize(), "f"), *(r[k] for k in keys))
            for r in view_to_facts(text_to_view("t" * 64, text), {})[0]]


def test_progress_payments_handed_over_by_the_owner_are_payments_and_their_sum_a_total_paid():
    got = brief("2021年度，业主共向承建单位支付进度款两期：第一期进度款75.00万元于4月2日拨付，"
                "第二期进度款64.50万元于10月9日拨付，两期合计139.50万元。", "date_iso", "installment")
    assert got == [("payment", "75", "2021-04-02", "1"), ("payment", "64.5", "2021-10-09", "2"),
                   ("paid_total", "139.5", None, None)]


def test_money_said_to_arrive_stays_an_appropriation():
    assert brief("2022年5月8日，省级补助资金40.00万元拨付到位。") == [("appropriation", "40")]
    assert brief("截至年底，三级资金合计210.00万元已全部到位。") == [("appropriation", "210")]


def test_a_settlement_audit_gives_the_settled_contract_and_the_cut_not_the_claim():
    got = brief("经造价咨询机构审核，送审金额412.60万元，审定金额398.00万元，审减金额14.60万元。")
    assert got == [("other", "412.6"), ("contract", "398"), ("savings", "14.6")]


def test_a_contract_named_by_its_signing():
    got = brief("2022年7月3日，本所与某某保安服务有限公司签订安保服务合同，金额36.80万元。", "date_iso", "party")
    assert got == [("contract", "36.8", "2022-07-03", "某某保安服务有限公司")]


def test_the_years_payments_to_a_company_are_a_total_and_money_awaiting_a_condition_a_balance():
    got = brief("全年向某某绿化养护有限公司支付养护费52.20万元，第四季度养护费6.40万元须待年终考核后支付。", "party")
    assert got == [("paid_total", "52.2", "某某绿化养护有限公司"), ("balance", "6.4", "某某绿化养护有限公司")]


def test_a_change_against_the_year_before_is_no_fact_and_the_items_after_xifen_break_down_the_total():
    got = brief("会议费预算6.00万元，实际支出4.80万元，比上年减少0.90万元，下降15.79%。"
                "细分来看：市内会议费3.10万元；培训会议费1.70万元。")
    assert got == [("budget", "6"), ("paid_total", "4.8"), ("other", "0.9"), ("paid_total", "3.1"),
                   ("paid_total", "1.7")]


def test_items_after_a_qizhong_sentence_of_its_own_take_the_kind_of_the_total_before_it():
    got = brief("一、支出情况\n1. 商品和服务支出96.30万元。其中：\n（1）办公费41.20万元，用于日常办公；\n"
                "（2）维修费55.10万元，用于设备维修。")
    assert got == [("paid_total", "96.3"), ("paid_total", "41.2"), ("paid_total", "55.1")]


def test_the_settled_total_amends_the_builders_contract_not_one_with_the_auditor():
    rows = view_to_facts(text_to_view("t" * 64, "2022年3月1日，建设单位与甲乙建筑工程有限公司签订施工合同，合同金额500.00万元。"
                                      "区财政局委托丙丁造价咨询有限公司开展结算审计，审定金额488.00万元。"), {})[0]
    settled = [r for r in rows if r["kind"] == "contract" and r["value_wan"] == 488]
    assert len(settled) == 1 and settled[0]["party"] == "甲乙建筑工程有限公司" and settled[0]["is_amendment"]


def test_a_fee_said_in_the_next_clause_to_be_paid_off_at_once_is_one_full_payment():
    got = brief("工程检测委托甲乙检测技术有限公司承担，检测费8.00万元，已于2023年9月1日一次性付清。",
                "date_iso", "party", "installment")
    assert got == [("payment", "8", "2023-09-01", "甲乙检测技术有限公司", "full")]
    # a contract paid off so stays a contract, with its payment beside it
    got = brief("2023年5月与丙丁咨询有限公司签订合同，合同金额4.50万元，已于2023年8月1日一次性付清。", "installment")
    assert got == [("contract", "4.5", None), ("payment", "4.5", "full")]


def test_a_part_listed_in_brackets_after_a_total_restates_the_figure_stated_before():
    got = brief("检测委托甲乙检测技术有限公司承担，检测费8.00万元，已于2023年9月1日一次性付清。截至2023年12月31日，"
                "项目累计支出530.40万元（施工522.40万元、检测8.00万元）。", "date_iso")
    assert got == [("payment", "8", "2023-09-01"), ("paid_total", "530.4", "2023-12-31"),
                   ("paid_total", "522.4", "2023-12-31")]


def test_a_top_up_followed_by_the_budget_it_makes_is_planned_money():
    got = brief("2023年年初预算为820.00万元；年内区财政追加预算64.50万元，调整后的全年预算为884.50万元。")
    assert got == [("budget", "820"), ("budget", "64.5"), ("budget", "884.5")]
    assert brief("2023年8月，区财政追加拨付64.50万元。") == [("appropriation", "64.5")]
    assert brief("问题：年中追加预算64.50万元，占年初预算的7.87%。") == [("budget", "64.5")]


def test_installments_paid_out_with_bopay_before_the_amount_are_payments_batches_stay_appropriations():
    got = brief("2023年共拨付工程进度款两期，第一期于5月6日拨付220.00万元，第二期于9月3日拨付180.00万元。",
                "date_iso", "installment")
    assert got == [("payment", "220", "2023-05-06", "1"), ("payment", "180", "2023-09-03", "2")]
    assert brief("2023年5月6日，第一批资金拨付220.00万元。") == [("appropriation", "220")]


def test_the_settled_total_in_other_words():
    got = brief("经县审计局审计，工程结算送审价612.00万元，审定的工程结算金额为588.40万元，核减23.60万元。")
    assert got == [("other", "612"), ("contract", "588.4"), ("savings", "23.6")]


def test_a_change_against_a_named_earlier_year_is_no_fact_either():
    assert brief("2024年会议费实际支出4.80万元，较2023年减少0.90万元。") == [("paid_total", "4.8"), ("other", "0.9")]
