"""Award and subsidy programmes paid 以奖代补 (r30 family): money approved for the recipients
(核定…资金), money paid out too much and taken back (多拨付…已追回: no ledger fact), and the
兑现率 as paid ÷ approved. Sentences of our own."""
from __future__ import annotations

from decimal import Decimal

from extractors.document import layer_to_rows, text_to_view
from extractors.facts.money import view_to_facts
from extractors.reconcile import reconcile
from extractors.textlayer import PageText, TextLayer


def kinds(text: str) -> list[tuple]:
    return [(r["kind"], r["value_wan"].normalize()) for r in view_to_facts(text_to_view("a" * 64, text), {})[0]]


def test_money_approved_for_the_recipients_is_planned_money():
    assert kinds("经联合审核，核定补助合作社14家、补助资金386.4万元。") == [("budget", Decimal("386.4"))]
    assert kinds("批准的奖励资金共计92.0万元。") == [("budget", Decimal("92"))]


def test_money_paid_out_too_much_and_taken_back_is_no_fact_of_the_ledger():
    assert kinds("审计抽查发现，有3户多领取种粮补贴0.42万元，已全部追回。") == [("other", Decimal("0.42"))]
    assert kinds("经复核，一家合作社虚报养殖规模，骗取补助资金6.5万元，已责令退回。") == [("other", Decimal("6.5"))]
    assert kinds("违规拨付的补助资金9.8万元已被收回。") == [("other", Decimal("9.8"))]


def _rates(text: str) -> list[tuple]:
    rows, _ = layer_to_rows("a" * 64, TextLayer(pages=[PageText(1, text, tables=[])]))
    return [(f["values"], f["outcome"]) for f in reconcile("a" * 64, rows) if f["kind"] == "rate_mismatch"
            or f["rule"].startswith("rate")]


TEXT = ("一、资金情况\n经评审，核定奖励企业6家、奖励资金820.0万元。截至年底，已兑现奖励资金779.0万元，兑现率{r}%。\n")


def test_the_redemption_rate_is_paid_out_over_approved():
    assert [o for _, o in _rates(TEXT.format(r="95.00"))] == ["holds"]
    assert _rates(TEXT.format(r="97.50"))[0][1] == "mismatch"


def _risks(text: str) -> list[str]:
    rows, _ = layer_to_rows("a" * 64, TextLayer(pages=[PageText(1, text, tables=[])]))
    return [f["kind"] for f in reconcile("a" * 64, rows) if f["kind"] == "risk_statement"]


def test_a_subsidy_claimed_twice_or_inflated_is_an_irregularity_and_denied_it_is_none():
    assert _risks("区审计局抽查时，发现2家合作社重复申报同一批农机，已责令整改。\n") == ["risk_statement"]
    assert _risks("复核中发现1户虚增种植面积12亩，多发放补贴0.14万元。\n") == ["risk_statement"]
    assert _risks("经逐户核对，未发现重复申报、虚增面积等问题。下一步将杜绝重复申报。\n") == []
