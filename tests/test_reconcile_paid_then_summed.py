"""A party's payments listed one by one and summed in a later sentence (paid_then_summed.py), on
text of our own: the sum checked against the payments, one of them paid after the year ends; the
earlier year's figure beside the sum is not a second total."""
from __future__ import annotations

from extractors.document import layer_to_rows
from extractors.reconcile import reconcile
from extractors.textlayer import PageText, TextLayer


def _findings(text: str) -> list[tuple]:
    rows, _ = layer_to_rows("q" * 64, TextLayer(pages=[PageText(1, text, tables=[])]))
    return [(f["values"], f["outcome"]) for f in reconcile("q" * 64, rows) if f["rule"] == "paid_then_summed"]


TEXT = ("一、补贴支付情况\n双方组建某某环保运营有限公司（以下简称“运营公司”）负责运营。\n"
        "⑴ 2023年6月30日向运营公司支付上半年服务费1,105.00万元，2023年12月28日向运营公司支付下半年服务费1,105.00万元。\n"
        "⑵ 2024年1月25日向运营公司支付考核服务费{c}万元。\n"
        "⑶ 2023年度区财政共计向运营公司支付补贴3,010.40万元，较2022年度的2,950.10万元增加60.30万元。\n")


def test_payments_then_their_sum_in_a_later_sentence():
    assert _findings(TEXT.format(c="800.40")) == [([3010.4, 3010.4], "holds")]
    assert _findings(TEXT.format(c="790.40")) == [([3010.4, 3000.4], "mismatch")]
