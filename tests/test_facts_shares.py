"""Money shared between levels and handed out per head (extractors/facts/roles.py, sources.py,
money_tables.py), on sentences and tables of our own."""
from __future__ import annotations

from conftest import snippet_view
from extractors.document import text_to_view
from extractors.facts.money import view_to_facts
from extractors.facts.view import Table


def facts(text: str, *tables: Table) -> list[dict]:
    view = snippet_view(text, tables) if tables else text_to_view("h" * 64, text)
    return view_to_facts(view, {})[0]


def brief(rows: list[dict], *keys: str) -> list[tuple]:
    return [(r["kind"], format(r["value_wan"].normalize(), "f"), *(r[k] for k in keys)) for r in rows]


def test_each_level_bears_its_share_of_a_planned_cost():
    text = "所需经费由中央、市按6:4分担，中央承担180万元，市级承担120万元，两级合计300万元。"
    assert brief(facts(text), "source") == [("budget", "180", "central"), ("budget", "120", "municipal"),
                                            ("budget", "300", None)]


def test_a_standard_per_head_and_its_share_per_term_are_no_figures():
    text = "奖学金标准为每人每学年3600元，上下两个学期各发放1800元，全年共发放奖学金54万元。"
    assert brief(facts(text)) == [("other", "0.36"), ("other", "0.18"), ("paid_total", "54")]
    # 各 alone, without a standard per head before it, splits nothing: both districts got money
    assert brief(facts("甲、乙两区各拨付补助资金25万元。")) == [("appropriation", "25")]


def test_a_clause_announcing_batches_names_their_source():
    text = "省级资金分三批拨付，2024年3月拨付40万元，6月拨付30万元，9月再拨付30万元。"
    assert brief(facts(text), "source") == [("appropriation", "40", "provincial"),
                                            ("appropriation", "30", "provincial"),
                                            ("appropriation", "30", "provincial")]


def test_a_column_of_money_handed_out_is_money_spent_and_a_column_of_head_counts_is_none():
    table = Table(page=1, index=0, rows=[
        ["乡镇", "上半年补贴人次", "上半年发放金额", "下半年补贴人次", "下半年发放金额"],
        ["青石镇", "120", "36,000.00", "118", "35,400.00"],
        ["白沙乡", "80", "24,000.00", "85", "25,500.00"],
        ["合计", "200", "60,000.00", "203", "60,900.00"],
    ])
    rows = facts("附表 各乡镇补贴发放情况（单位：元）\n乡镇 上半年补贴人次 上半年发放金额", table)
    assert sorted(brief(rows)) == [("paid_total", "2.4"), ("paid_total", "2.55"), ("paid_total", "3.54"),
                                   ("paid_total", "3.6"), ("paid_total", "6"), ("paid_total", "6.09")]


def test_money_handed_out_on_a_day_told_before_it_is_one_payment_of_that_day():
    text = ("上半年，2023年6月20日发放，补贴312人次，发放金额93,600.00元。下半年，2023年12月15日发放，"
            "发放金额90,000.00元。全年共发放183,600.00元。")
    assert brief(facts(text), "date_iso") == [("payment", "9.36", "2023-06-20"), ("payment", "9", "2023-12-15"),
                                              ("paid_total", "18.36", None)]
    # a cumulative figure stays a total paid, whatever day its sentence names
    assert brief(facts("2023年12月15日发放，累计发放金额183,600.00元。"), "date_iso")[0][0] == "paid_total"


def test_money_made_available_late_is_dated_by_the_clause_that_says_when_it_came():
    text = "到位方面：省级资金30万元于2024年4月2日下达；县级资金20万元已列入县本级年初预算，但迟至2024年9月6日才拨入专户。"
    assert brief(facts(text), "date_iso", "source") == [("appropriation", "30", "2024-04-02", "provincial"),
                                                        ("appropriation", "20", "2024-09-06", "county")]
