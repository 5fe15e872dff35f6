"""Reconciliation: the rules, kept together and readable as a list, run over one document's rows.

Each rule takes a `DocumentFacts` and returns findings: mismatches (error, warning, or info for a
rounding difference) and the checks that hold, so the nightly report can say what was verified.
Thresholds and vocabularies are in `reconcile.toml`, beside this file.
"""
from __future__ import annotations

from schemas.rows import FindingRow

from ..document import DocumentRows
from .form_rules import fund_rows
from .inputs import DocumentFacts
from .money_rules import balances, conflicts, enumerations, limits, payments_vs_totals, periods
from .rate_rules import rates
from .score_rules import risks, scores, targets

RULES = (
    enumerations,         # sum_mismatch: a total and its parts in one sentence (其中… / …共计)
    payments_vs_totals,   # sum_mismatch: payments against stated paid totals (per party, cumulative, per year)
    fund_rows,            # sum/rate/score_mismatch: a form's funds table rows, 执行率 and its 得分
    balances,             # balance_mismatch: contract (or funds) minus paid against the stated remainder
    limits,               # over_limit: paid above the contract, the appropriation, the budget
    conflicts,            # conflict: one fact stated with two values or two dates
    rates,                # rate_mismatch: 执行率, 到位率, 支付完成率, growth against their figures
    scores,               # score_mismatch: items against subtotals and total, maxima, grade bands
    periods,              # period_mismatch: a figure put in a year its dated events contradict
    targets,              # target_missed: an indicator's actual short of its target
    risks,                # risk_statement: an affirmed (not negated) irregularity
)


def reconcile(doc_id: str, rows: DocumentRows) -> list[FindingRow]:
    """Every finding and held check of one document, one per problem (the same figures found by
    two rules are one finding with the first rule's wording)."""
    facts = DocumentFacts.from_rows(doc_id, rows)
    out, seen_ids, seen_problems = [], set(), set()
    for rule in RULES:
        for f in rule(facts):
            problem = (f["kind"], f["outcome"], tuple(sorted(round(v, 3) for v in f["values"])), tuple(f["dates"]))
            if f["finding_id"] in seen_ids or (f["outcome"] == "mismatch" and f["values"] and problem in seen_problems):
                continue
            seen_ids.add(f["finding_id"])
            seen_problems.add(problem)
            out.append(f)
    return out
