"""A payment scaled by the coefficient of a performance score against the full-score base times it
(coefficient_limit.py), on text of our own."""
from __future__ import annotations

from extractors.document import layer_to_rows
from extractors.reconcile import reconcile
from extractors.textlayer import PageText, TextLayer


def _findings(text: str) -> list[tuple]:
    rows, _ = layer_to_rows("k" * 64, TextLayer(pages=[PageText(1, text, tables=[])]))
    return [(f["values"], f["outcome"]) for f in reconcile("k" * 64, rows) if f["rule"] == "paid_within_coefficient"]


TEXT = ("一、付费安排\n区财政2023年预算安排特许经营补贴支出5,000.00万元，具体为：建设补贴3,800.00万元；"
        "运营服务费1,200.00万元，即考核满分对应的运营服务费付费基数。\n"
        "二、支付情况\n年度考核得分88分，按付费系数0.88，区财政于2024年1月18日向某某环保运营有限公司支付{x}万元。\n")


def test_a_payment_within_the_base_times_its_coefficient_holds_and_above_it_is_over():
    assert _findings(TEXT.format(x="1,056.00")) == [([1056.0, 1056.0], "holds")]
    assert _findings(TEXT.format(x="1,096.00")) == [([1096.0, 1056.0], "mismatch")]


def test_without_a_base_there_is_no_check():
    assert _findings(TEXT.replace("，即考核满分对应的运营服务费付费基数", "").format(x="1,096.00")) == []
