"""Money facts of issue 11, families 3 and 4, on sentences of our own (invented names, numbers and
wording): carry-over and available funds, cumulative totals that include an installment, dates
in the amount's own clause, bond tranches, the company named once and then pointed back to, and
sources that a total or a kind of fund ties down."""
from __future__ import annotations

import pytest

from extractors.document import text_to_view
from extractors.facts.money import view_to_facts


def facts_of(text: str) -> list[dict]:
    rows, _ = view_to_facts(text_to_view("c" * 64, text), {})
    return rows


def brief(text: str, *keys: str) -> list[tuple]:
    return [(r["kind"], format(r["value_wan"].normalize(), "f"), *(r[k] for k in keys)) for r in facts_of(text)]


@pytest.mark.parametrize("text, expected", [
    # money left unspent and carried on is a balance; the money available in the year is made available
    ("上一年度拨付后尚未使用的培训经费18.40万元结转本年度继续使用，年度可用资金共计138.40万元。",
     [("balance", "18.4"), ("appropriation", "138.4")]),
    ("截至去年底未支出的维修资金7.25万元，今年可支配资金为97.25万元。",
     [("balance", "7.25"), ("appropriation", "97.25")]),
    # a cumulative figure that includes an installment is a total paid, not that installment
    ("截至年底，累计向甲乙丙丁数据服务有限公司付款162.00万元（含第二笔验收款），尚欠18.00万元。",
     [("paid_total", "162"), ("balance", "18")]),
    ("累计支付工程款75万元（包括首期预付款）。", [("paid_total", "75")]),
    # money stated as already spent on something
    ("中央补助资金45.00万元已全部用于购置救生设备。", [("paid_total", "45")]),
    # what is left of a contract (余款) is a balance; paying it is a payment
    ("合同价款60万元，已付54万元，余款6万元待验收后支付。", [("contract", "60"), ("paid_total", "54"), ("balance", "6")]),
    ("2023年8月1日支付余款6万元。", [("payment", "6")]),
    # bond tranches transferred down and money in place are made available
    ("首批一般债券资金0.60亿元转贷到位；第二批一般债券资金0.35亿元已于当年拨付到位。",
     [("appropriation", "6000"), ("appropriation", "3500")]),
])
def test_kinds_of_carry_over_available_and_cumulative_money(text, expected):
    assert brief(text) == expected


def test_a_date_after_the_amount_in_its_own_clause_is_its_date():
    text = ("县级配套资金45.00万元于2022年6月8日拨付到位，州级补助资金90.00万元于2022年7月19日拨付到位。")
    assert brief(text, "date_iso", "source") == [
        ("appropriation", "45", "2022-06-08", "county"), ("appropriation", "90", "2022-07-19", "municipal")]
    # a date before the amount in its own clause stays its date
    text = "2022年5月3日支付首笔款12万元（合同签订后）。"
    assert brief(text, "date_iso") == [("payment", "12", "2022-05-03")]


def test_the_company_pointed_back_to_carries_to_contract_amendment_and_payments():
    text = ("3.设备安装。\n安装工程由远舟机电工程有限公司承建。2022年6月2日，我局与该公司签订安装合同，合同金额420万元；"
            "2022年12月1日双方签订补充协议，合同金额调整为455万元。我局先后向其支付：2022年7月1日预付款84万元，"
            "2023年1月9日进度款200万元。")
    rows = {format(r["value_wan"].normalize(), "f"): r["party"] for r in facts_of(text)}
    assert rows["420"] == rows["455"] == rows["84"] == rows["200"] == "远舟机电工程有限公司"


def test_a_pointer_with_two_companies_before_it_names_none():
    text = ("监理由甲山工程监理有限公司承担，设计由乙水规划设计有限公司承担。我局与该公司签订施工合同，合同金额50万元。")
    (row,) = facts_of(text)
    assert row["party"] is None


def test_a_total_of_tranches_of_one_source_takes_that_source():
    text = ("第一批省级补助资金300万元下达；第二批省级补助资金200万元下达，两批合计下达500万元。")
    assert brief(text, "source") == [("appropriation", "300", "provincial"), ("appropriation", "200", "provincial"),
                                     ("appropriation", "500", "provincial")]
    # parts of several sources: the total has none
    text = "中央补助资金300万元下达；省级补助资金200万元下达，两批合计下达500万元。"
    assert brief(text, "source")[-1] == ("appropriation", "500", None)


def test_a_kind_of_fund_tied_to_one_source_keeps_it():
    text = ("县级财政安排项目资本金1,200万元。县财政局2022年拨付资本金700万元，2023年拨付资本金500万元。")
    assert brief(text, "source") == [("budget", "1200", "county"), ("appropriation", "700", "county"),
                                     ("appropriation", "500", "county")]
    # tied to two sources in the report: left empty
    text = "中央补助资金80万元，省级补助资金40万元。当年下达补助资金60万元。"
    assert brief(text, "source")[-1] == ("appropriation", "60", None)


@pytest.mark.parametrize("text, expected", [
    # money paid out to households, paid to a company over time, paid in the year: totals paid
    ("截至9月底，通过惠农卡发放生猪调出大县奖励资金312.40万元。", [("paid_total", "312.4")]),
    ("工程款已按进度兑付到户，共兑付86万元。", [("paid_total", "86")]),
    ("截至年末，累计向该企业拨付设备款540.00万元。", [("paid_total", "540")]),
    ("当年共支付运维费用27.5万元。", [("paid_total", "27.5")]),
])
def test_totals_paid_in_other_words(text, expected):
    assert brief(text) == expected


def test_the_parts_of_a_total_of_one_source_take_that_source():
    text = ("2024年4月2日，下达第一批水利补助资金120万元；2024年8月9日，追加下达45万元，全年中央财政共下达165万元。")
    assert brief(text, "source") == [("appropriation", "120", "central"), ("appropriation", "45", "central"),
                                     ("appropriation", "165", "central")]


def test_funds_issued_in_advance_keep_the_date_of_the_sentence():
    text = "2023年12月8日，省财政厅提前下达我县2024年衔接推进乡村振兴补助资金620.00万元。"
    assert brief(text, "date_iso", "year") == [("appropriation", "620", "2023-12-08", 2024)]


def test_a_paragraph_opening_with_a_source_label_gives_its_amounts_that_source():
    text = ("（二）资金来源\n①省级资金。省财政厅于2023年4月下达首批奖补资金0.42亿元；2023年9月1日，再下达1800万元。\n"
            "②县级资金。县财政安排750万元，其中市级补助资金120万元。\n"
            "③其他。社会捐赠38万元。")
    assert brief(text, "source") == [("appropriation", "4200", "provincial"), ("appropriation", "1800", "provincial"),
                                     ("budget", "750", "county"), ("budget", "120", "municipal"),
                                     ("other", "38", None)]


def test_a_sum_with_no_role_word_of_its_own_takes_the_kind_of_what_it_sums():
    text = ("省财政厅于2023年5月下达第一批奖补资金260万元；2023年10月9日，又下达第二批140万元。两批合计400万元，"
            "已全部分配到县。全年另有培训经费共计15万元。")
    assert brief(text, "source") == [("appropriation", "260", None), ("appropriation", "140", None),
                                     ("appropriation", "400", None), ("other", "15", None)]
