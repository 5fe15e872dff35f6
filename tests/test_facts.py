"""Money facts: roles, parties, dates, one fact per figure, conflicts; and the samples vs gold."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from conftest import ROOT, SAMPLE_IDS
from extractors.document import text_to_view
from extractors.facts.money import view_to_facts
from pipeline.evaluate import FACT_KINDS, fact_matches, one_to_one

GOLD = {stem: json.loads((ROOT / "data" / "gold" / f"{stem}.gold.json").read_text(encoding="utf-8"))
        for stem in SAMPLE_IDS}


def facts_of(text: str, header: dict | None = None) -> list[dict]:
    rows, _ = view_to_facts(text_to_view("t" * 64, text), header or {})
    return rows


def kinds(text: str) -> list[tuple[str, str]]:
    return [(r["kind"], format(r["value_wan"].normalize(), "f")) for r in facts_of(text)]


@pytest.mark.parametrize("text, expected", [
    ("项目总投资估算为6868.2万元。", [("budget", "6868.2")]),
    ("该项目年初预算数为120万元，全年预算数150万元。", [("budget", "120"), ("budget", "150")]),
    ("市财政局拨付项目资金80万元。", [("appropriation", "80")]),
    ("省财政厅下达预算资金8000万元。", [("appropriation", "8000")]),
    ("实际到位资金95万元。", [("appropriation", "95")]),
    ("经公开招标，中标价为1,180,000.00元。", [("contract", "118")]),
    ("双方签订合同金额为96万元。", [("contract", "96")]),
    ("已支付首期款项30万元，尚欠尾款12万元。", [("payment", "30"), ("balance", "12")]),
    ("截至年底累计支付资金85万元，剩余10万元结转下年。", [("paid_total", "85"), ("balance", "10")]),
    ("全年执行数为1.2亿元。", [("paid_total", "12000")]),
    ("年中调整后全年预算数为648.50万元，全年执行612.80万元。", [("budget", "648.5"), ("paid_total", "612.8")]),
    ("年度总计预算可执行金额为2100万元。", [("appropriation", "2100")]),
    ("通过集中采购节约资金15万元。", [("savings", "15")]),
    ("原合同总金额调整为6625.4万元。", [("contract", "6625.4")]),
    ("下达资金2000万元，调整后资金为3361.5万元。", [("appropriation", "2000"), ("appropriation", "3361.5")]),
    ("计划投资额(万元) 360", [("budget", "360")]),
    ("一次性投入360万元预算资金。", [("budget", "360")]),
    ("带动当地消费约2000万元。", [("other", "2000")]),
])
def test_roles_from_wording(text, expected):
    assert kinds(text) == expected


def test_installments_and_parties():
    text = ("项目通过公开招标确定由成都云图科技有限公司（以下简称“云图”）承建。2021年3月5日，向云图支付首笔款项40万元；"
            "2021年9月1日支付第二笔款项35万元；2022年1月10日支付尾款25万元。")
    rows = [r for r in facts_of(text) if r["kind"] == "payment"]
    assert [(r["installment"], r["date_iso"], r["party"]) for r in rows] == [
        ("1", "2021-03-05", "成都云图科技有限公司"), ("2", "2021-09-01", "成都云图科技有限公司"),
        ("final", "2022-01-10", "成都云图科技有限公司")]


def test_service_words_pick_the_company_introduced_for_that_service():
    text = ("确定监理单位为甲乙监理咨询有限公司。确定开发单位为丙丁软件有限公司，2020年5月支付首笔合同款100万元。"
            "2021年6月支付开发第二笔合同款80万元，监理服务首笔合同款5万元和第三方测试服务首笔合同款3万元。")
    by_value = {format(r["value_wan"].normalize(), "f"): r["party"] for r in facts_of(text)}
    assert by_value == {"100": "丙丁软件有限公司", "80": "丙丁软件有限公司", "5": "甲乙监理咨询有限公司", "3": None}


def test_a_figure_stated_three_times_is_one_fact_with_three_evidence_rows():
    text = ("项目预算为500万元。" "本项目预算500万元，由市财政安排。" "如前所述，预算500万元已全部落实。")
    rows, evidence = view_to_facts(text_to_view("x" * 64, text), {})
    assert [(r["kind"], r["mentions"]) for r in rows] == [("budget", 3)]
    assert len(evidence) == 3 and {e["fact_id"] for e in evidence} == {0}


def test_two_figures_of_the_same_value_in_one_sentence_stay_two_facts():
    rows = facts_of("2022年第一季度和第二季度分别支付500万元、500万元。")
    assert [(r["kind"], r["mentions"]) for r in rows] == [("payment", 1), ("payment", 1)]


def test_one_installment_with_two_dates_is_one_fact_marked_as_conflict():
    text = "2020年6月12日，支付第二笔合同款1361.5万元。2020年12月4日，支付第二笔合同款1361.5万元。"
    (row,) = facts_of(text)
    assert row["installment"] == "2" and row["mentions"] == 2
    assert row["conflict"] == "stated with different dates: 2020-06-12, 2020-12-04"


def test_one_contract_with_two_values_is_two_facts_both_marked():
    text = ("2019年9月，通过单一来源向安徽龙讯信息科技有限公司采购服务，合同金额359.95万元。"
            "2019年9月，向安徽龙讯信息科技有限公司采购服务，建设费用359.5万元。")
    rows = facts_of(text)
    assert [r["kind"] for r in rows] == ["contract", "contract"]
    assert all("359.5 and 359.95" in r["conflict"] for r in rows)


def test_amended_contract_totals_are_history_not_conflicts():
    text = ("2020年3月27日，与某某科技有限公司签订合同，合同金额6637万元。"
            "2020年8月14日，签订补充协议，原合同总金额调整为6625.4万元。")
    rows = facts_of(text)
    assert [(r["kind"], r["is_amendment"], r["conflict"]) for r in rows] == [
        ("contract", False, None), ("contract", True, None)]


def test_year_comes_from_the_clause_or_the_report_period():
    rows = facts_of("2021年项目预算1704.85万元，实际支付1704.85万元。项目已支出300万元。",
                    {"period_start": dt.date(2022, 1, 1), "period_end": dt.date(2022, 12, 31)})
    assert [(r["kind"], r["year"], r["year_source"]) for r in rows] == [
        ("budget", 2021, "stated"), ("paid_total", 2021, "stated"), ("paid_total", 2022, "report")]


@pytest.mark.parametrize("stem", SAMPLE_IDS)
def test_sample_facts_against_gold(stem, sample_views):
    rows, evidence = view_to_facts(sample_views[stem], _header(GOLD[stem]))
    out = [_export_like(r) for r in rows if r["kind"] in FACT_KINDS]
    score = one_to_one(GOLD[stem]["facts"], out, fact_matches)
    assert score.precision >= 0.95 and score.recall >= 0.95, (score.misses, score.false_hits)
    assert all(e["page"] >= 1 and e["sentence"] for e in evidence)


def _header(gold: dict) -> dict:
    period = gold["report"].get("period")
    return {"period_start": dt.date.fromisoformat(period[0]), "period_end": dt.date.fromisoformat(period[1])} \
        if period else {}


def _export_like(r: dict) -> dict:
    out = {"kind": r["kind"], "value_wan": r["value_wan"]}
    for key, src in (("date", "date_iso"), ("year", "year"), ("party", "party"), ("installment", "installment")):
        if r[src] is not None:
            out[key] = r[src]
    return out


@pytest.mark.parametrize("text", [
    "与某某信息有限公司签订合同，合同金额86万元（大写：捌拾陆万元整）。",
    "合同金额为人民币捌拾陆万元整（¥860,000.00）。",
    "合同价款860,000.00元，大写：捌拾陆万元整。",
    "合同价款：大写捌拾陆万元整，小写：860,000.00元。",
    "合同价款860,400.00元（约86.04万元）。",
])
def test_a_figure_restated_in_capital_numerals_is_one_fact(text):
    rows = facts_of(text)
    assert [(r["kind"], r["mentions"], r["conflict"]) for r in rows] == [("contract", 2, None)]


def test_a_restatement_that_disagrees_stays_visible():
    rows = facts_of("与某某信息有限公司签订合同，合同金额86万元（大写：陆拾捌万元整）。")
    assert [(r["kind"], format(r["value_wan"].normalize(), "f")) for r in rows] == [
        ("contract", "86"), ("contract", "68")]
    assert all(r["conflict"] == "stated as 86 万元 and restated as 68 万元" for r in rows)
    rounded = facts_of("合同价款860,400.00元（约86.1万元）。")
    assert len(rounded) == 2 and all(r["conflict"] for r in rounded)
