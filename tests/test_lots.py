"""A purchase bought in lots (包), on text and tables of our own: the supplier column after the money
columns gives each row's party; a company named in a table row read as text neither takes the
digits of the figure glued before it nor carries into the prose after the table; a 节约率 is
checked against the saving and the sum bought for; a remainder stated beside a party's one payment
is checked against its contract."""
from __future__ import annotations

from conftest import snippet_view
from extractors.document import layer_to_rows
from extractors.facts.money import view_to_facts
from extractors.facts.parties import carried_parties, text_to_parties
from extractors.facts.view import Table
from extractors.reconcile import reconcile
from extractors.textlayer import PageText, TextLayer

LOTS = Table(page=1, index=0, rows=[
    ["标段", "采购内容", "预算（万元）", "成交金额（万元）", "成交供应商"],
    ["A标段", "移动护理终端", "96.00", "88.80", "青杉智联科技有限公司"],
    ["B标段", "输液监控系统", "54.00", "50.40", "白桦云医信息有限公司"],
    ["合计", "—", "150.00", "139.20", "—"],
])


def test_supplier_column_after_the_money_columns_is_each_rows_party():
    view = snippet_view("附表 分标段成交情况", [LOTS])
    got = [(f["kind"], str(f["value_wan"].normalize()), f.get("party")) for f in view_to_facts(view, {})[0]
           if f["kind"] == "contract"]
    assert ("contract", "88.8", "青杉智联科技有限公司") in got
    assert ("contract", "50.4", "白桦云医信息有限公司") in got
    assert ("contract", "139.2", None) in got


ROWS_AS_TEXT = ("A标段 移动护理终端 96.00 88.80青杉智联科技有限公司\n"
                "B标段 输液监控系统 54.00 50.40白桦云医信息有限公司\n"
                "说明：A标段成交金额88.80万元。\n")


def test_a_company_in_a_table_row_read_as_text():
    view = snippet_view(ROWS_AS_TEXT)
    parties = text_to_parties(view.text)
    assert [c.name for c in parties.mentions] == ["青杉智联科技有限公司", "白桦云医信息有限公司"]
    assert carried_parties(view.text, view.sentences, parties)[-1] is None


def _findings(text: str, rule: str) -> list[tuple]:
    rows, _ = layer_to_rows("l" * 64, TextLayer(pages=[PageText(1, text, tables=[])]))
    return [(f["values"], f["outcome"]) for f in reconcile("l" * 64, rows) if f["rule"] == rule]


def test_savings_rate_against_the_saving_and_the_sum_bought_for():
    text = "二、采购情况\n经竞争性磋商，A标段成交金额88.80万元，节约资金7.20万元，节约率{r}。\n"
    assert _findings(text.format(r="7.50%"), "rate_savings") == [([7.5, 7.5], "holds")]
    assert _findings(text.format(r="8.11%"), "rate_savings") == [([8.11, 7.5], "mismatch")]


def test_remainder_beside_a_partys_one_payment():
    text = ("二、支付情况\n经公开招标，青杉智联科技有限公司中标，合同金额88.80万元。\n"
            "2024年5月6日向青杉智联科技有限公司支付79.92万元，未付质保金{b}万元。\n")
    assert _findings(text.format(b="8.88"), "contract_minus_paid") == [([8.88, 8.88], "holds")]
    assert _findings(text.format(b="9.88"), "contract_minus_paid") == [([9.88, 8.88], "mismatch")]


def test_the_projects_total_after_a_table_row_glued_to_the_prose_has_no_party():
    text = ("B标段 输液监控系统 54.00 50.40白桦云医信息有限公司截至2024年12月31日，该项目累计支出139.20万元。\n")
    view = snippet_view(text)
    got = [(f["kind"], f.get("party")) for f in view_to_facts(view, {})[0] if str(f["value_wan"].normalize()) == "139.2"]
    assert got == [("paid_total", None)]
