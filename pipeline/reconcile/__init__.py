"""Reconciliation: the rules, kept together and readable as a list, run over one report's rows.

Each rule takes a `Report` and returns findings: mismatches (error, warning, or info for a
rounding difference) and the checks that hold, so a report can say what was verified.
"""
from __future__ import annotations

from .form_rules import fund_rows
from .money_rules import balances, conflicts, enumerations, limits, payments_vs_totals, periods, table_totals
from .rate_rules import rates
from .report import Report
from .score_rules import risks, scores, targets

RULES = (
    enumerations,         # sum_mismatch: a total and its parts in one sentence (其中… / …共计)
    payments_vs_totals,   # sum_mismatch: payments against stated paid totals (per party, cumulative, per year)
    fund_rows,            # sum/rate/score_mismatch: a form's funds table rows, 执行率 and its 得分
    table_totals,         # sum_mismatch: a table's 合计 / 小计 row or column against the cells it totals
    balances,             # balance_mismatch: contract (or funds) minus paid against the stated remainder
    limits,               # over_limit: paid above the contract, the appropriation, the budget
    conflicts,            # conflict: one fact stated with two values or two dates
    rates,                # rate_mismatch: 执行率, 到位率, 支付完成率, growth against their figures
    scores,               # score_mismatch: items against subtotals and total, maxima, grade bands
    periods,              # period_mismatch: a figure put in a year its dated events contradict
    targets,              # target_missed: an indicator's actual short of its target
    risks,                # risk_statement: an affirmed (not negated) irregularity
)


def reconcile(doc_id: str, tables: dict[str, list[dict]], header: dict) -> list[dict]:
    """Every finding and held check of one report, one per problem (the same figures found by
    two rules are one finding with the first rule's wording)."""
    report = Report.from_tables(doc_id, tables, header)
    out, seen_ids, seen_problems = [], set(), set()
    for rule in RULES:
        for f in rule(report):
            problem = (f["kind"], f["outcome"], tuple(sorted(round(v, 3) for v in f["values"])), tuple(f["dates"]))
            if f["finding_id"] in seen_ids or (f["outcome"] == "mismatch" and f["values"] and problem in seen_problems):
                continue
            seen_ids.add(f["finding_id"])
            seen_problems.add(problem)
            out.append(f)
    return out
