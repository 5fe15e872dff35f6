"""Reconciliation: every finding kind planted in sentences of our own, clean twins give none;
the samples give exactly their gold findings; ids are stable."""
from __future__ import annotations

import json

import pytest

from conftest import ROOT, SAMPLE_IDS
from extractors.document import text_to_rows
from extractors.reconcile import reconcile
from pipeline.evaluate import finding_matches, one_to_one


def findings_of(text: str) -> list[dict]:
    doc_id = "r" * 64
    return reconcile(doc_id, text_to_rows(doc_id, text))


def problems(text: str) -> list[tuple[str, list[float]]]:
    return sorted((f["kind"], f["values"]) for f in findings_of(text)
                  if f["outcome"] == "mismatch" and f["severity"] != "info")


@pytest.mark.parametrize("planted, clean, kind, values", [
    ("截至2023年底累计支付资金980万元，其中：甲科技有限公司600万元，乙科技有限公司400万元。",
     "截至2023年底累计支付资金1000万元，其中：甲科技有限公司600万元，乙科技有限公司400万元。",
     "sum_mismatch", [980, 1000]),
    ("与丙建设有限公司签订合同，合同金额500万元。已向丙建设有限公司累计支付420万元，尚欠90万元。",
     "与丙建设有限公司签订合同，合同金额500万元。已向丙建设有限公司累计支付420万元，尚欠80万元。",
     "balance_mismatch", [90, 80]),
    ("与丁信息有限公司签订合同，合同金额200万元。向丁信息有限公司累计支付230万元。",
     "与丁信息有限公司签订合同，合同金额200万元。向丁信息有限公司累计支付190万元。",
     "over_limit", [230, 200]),
    ("2022年度预算800万元，当年实际支出720万元，预算执行率95%。",
     "2022年度预算800万元，当年实际支出720万元，预算执行率90%。",
     "rate_mismatch", [95, 90]),
    ("2021年接待120场，2022年达150场，同比增长30%。",
     "2021年接待120场，2022年达150场，同比增长25%。",
     "rate_mismatch", [30, 25]),
    ("2021年3月1日，支付第一笔合同款60万元。2021年4月1日，支付第一笔合同款60万元。",
     "2021年3月1日，支付第一笔合同款60万元。2021年4月1日，支付第二笔合同款60万元。",
     "conflict", [60]),
    ("与戊工程有限公司签订合同，合同金额75万元（大写：柒拾捌万元整）。",
     "与戊工程有限公司签订合同，合同金额75万元（大写：柒拾伍万元整）。",
     "conflict", [78, 75]),
    ("审计部门在检查中发现该项目存在挪用资金的情况。",
     "经检查，该项目不存在截留、挤占、挪用项目资金的情况。",
     "risk_statement", []),
    ("2022年5月6日支付第二笔合同款319.44万元。从年度看，2021年实际支付第二笔合同款319.44万元。",
     "2022年5月6日支付第二笔合同款319.44万元。从年度看，2022年实际支付第二笔合同款319.44万元。",
     "period_mismatch", [319.44]),
])
def test_each_planted_mismatch_is_found_and_its_clean_twin_is_not(planted, clean, kind, values):
    found = problems(planted)
    assert [k for k, _ in found] == [kind], found
    assert sorted(found[0][1]) == sorted(float(v) for v in values)
    assert problems(clean) == []


def test_a_rounding_difference_is_only_info():
    out = findings_of("累计支付资金12883.27万元，其中：甲公司有限公司5331.7万元，乙科技有限公司7551.6万元。")
    sums = [f for f in out if f["kind"] == "sum_mismatch"]
    assert sums and all(f["severity"] == "info" for f in sums)


def test_checks_that_hold_are_recorded():
    out = findings_of("截至2023年底累计支付资金1000万元，其中：甲科技有限公司600万元，乙科技有限公司400万元。")
    assert [(f["kind"], f["outcome"]) for f in out] == [("sum_mismatch", "holds")]


def test_findings_carry_evidence_and_stable_ids():
    text = "截至2023年底累计支付资金980万元，其中：甲科技有限公司600万元，乙科技有限公司400万元。"
    first, again = findings_of(text), findings_of(text)
    assert [f["finding_id"] for f in first] == [f["finding_id"] for f in again]
    assert all(e["quote"] and e["page"] == 1 for f in first for e in f["evidence"])


@pytest.mark.parametrize("stem", SAMPLE_IDS)
def test_sample_findings_are_exactly_the_gold_ones(stem, sample_rows):
    rows, _ = sample_rows[stem]
    gold = json.loads((ROOT / "data" / "gold" / f"{stem}.gold.json").read_text(encoding="utf-8"))["findings"]
    out = reconcile(stem, rows)
    scored = [f for f in out if f["outcome"] == "mismatch" and f["severity"] != "info"]
    score = one_to_one(gold, scored, finding_matches)
    assert score.precision == 1.0 and score.recall == 1.0, (score.misses, score.false_hits)



@pytest.mark.parametrize("text, expected", [
    # funds for next year issued in December: the stated budget year comes after the date
    ("2024年12月6日，省财政厅提前下达2025年省级补助资金320万元。", []),
    # a payment stated for a later year than its date is still a mismatch
    ("2023年11月2日支付第三笔工程款88.6万元。从年度看，2024年实际支付第三笔工程款88.6万元。",
     [("period_mismatch", [88.6])]),
])
def test_funds_issued_in_advance_are_no_period_mismatch(text, expected):
    assert problems(text) == expected


@pytest.mark.parametrize("text, expected", [
    # a payment dated in the next year, listed in a year's spending
    ("2020年为建设期，完成支出640.00万元，包括：3月9日支付施工单位进度款400.00万元，2021年2月3日支付设备款90.00万元，"
     "以及其他费用150.00万元。", [("period_mismatch", [90, 640])]),
    # the same list with every payment in its year
    ("2020年为建设期，完成支出640.00万元，包括：3月9日支付施工单位进度款400.00万元，2020年12月3日支付设备款90.00万元，"
     "以及其他费用150.00万元。", []),
])
def test_a_payment_listed_in_a_years_spending_but_dated_in_another_year(text, expected):
    assert problems(text) == expected
