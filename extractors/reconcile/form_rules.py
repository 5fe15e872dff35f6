"""The funds table of a self-evaluation form: rows add up, 执行率 = 执行数 ÷ 预算数, 得分 = min(执行率, 1) × 分值
(the 执行率 the form states: a wrong rate is reported once, by the rate check). The form states
every relation, so a mismatch is an `error`."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from .findings import compare, fmt, make
from .inputs import DocumentFacts

COLUMNS = {"initial_wan": "年初预算数", "full_wan": "全年预算数", "executed_wan": "全年执行数"}


def _ev(row: dict, side: str) -> dict:
    return {"page": row["page"], "quote": row["quote"], "side": side}


def fund_rows(r: DocumentFacts) -> list[dict]:
    out = []
    totals = [row for row in r.form_funds if row["source"] == "total"]
    parts = [row for row in r.form_funds if row["source"] != "total"]
    for total in totals[:1]:
        for column, word in COLUMNS.items():
            values = [p[column] for p in parts if p[column] is not None]
            if total[column] is None or len(values) < 2:
                continue
            implied = sum(values, Decimal(0))
            msg = f"{total['label']}{word}{fmt(total[column])}万元，分项之和为{fmt(implied)}万元"
            out.append(compare(r.doc_id, f"form_{column}_rows", "sum_mismatch", total[column], implied, msg,
                               [_ev(total, "total"), *[_ev(p, "parts") for p in parts if p[column] is not None]]))
    for row in r.form_funds:
        if row["executed_wan"] is None or not row["full_wan"]:
            continue
        rate = row["executed_wan"] / row["full_wan"] * 100
        if row["rate"] is not None:
            holds = abs(row["rate"] - rate.quantize(Decimal("0.01"), ROUND_HALF_UP)) <= Decimal("0.01")
            out.append(make(r.doc_id, "form_execution_rate", "rate_mismatch",
                            f"{row['label']}执行率填报{fmt(row['rate'])}%，{fmt(row['executed_wan'])}÷{fmt(row['full_wan'])}"
                            f"={rate:.2f}%", [row["rate"], rate], holds=holds, expected=rate, actual=row["rate"],
                            evidence_rows=[_ev(row, "row")]))
        if row["points"] is not None and row["score"] is not None:
            # the score follows the rate the form states: a wrong rate is one error, not two
            used = row["rate"] if row["rate"] is not None else rate
            implied = (min(used, Decimal(100)) / 100 * row["points"]).quantize(Decimal("0.01"), ROUND_HALF_UP)
            holds = abs(row["score"] - implied) <= Decimal("0.01")
            out.append(make(r.doc_id, "form_execution_score", "score_mismatch",
                            f"{row['label']}执行率{used:.2f}%（{fmt(row['executed_wan'])}/{fmt(row['full_wan'])}），"
                            f"分值{fmt(row['points'])}，应得{fmt(implied)}分，表中填报{fmt(row['score'])}分",
                            [row["score"], implied], holds=holds, expected=implied, actual=row["score"],
                            evidence_rows=[_ev(row, "row")]))
    return out
