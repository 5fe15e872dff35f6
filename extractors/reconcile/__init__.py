"""Reconciliation: the rules, kept together and readable as a list, run over one document's rows.

Each rule takes a `DocumentFacts` and returns findings: mismatches (an error where the report
states the relation, a warning where it is inferred, info for a rounding difference), the checks
that hold (so the nightly report can say what was verified) and the checks whose preconditions
fail (`outcome = 'unverifiable'`, with the reason: figures of different scopes, parts not known to
be complete, levels of a score sheet mixed). Thresholds and vocabularies are in `reconcile.toml`,
beside this file.
"""
from __future__ import annotations

from decimal import Decimal

from schemas.rows import FindingRow

from ..document import DocumentRows
from .coefficient_limit import coefficient_limits
from .conflict_rules import conflicts
from .form_rules import fund_rows
from .inputs import DocumentFacts
from .limit_rules import limits
from .money_rules import balances, enumerations, payments_vs_totals
from .numbered_parts import numbered_parts
from .paid_then_summed import paid_then_summed
from .period_rules import periods
from .rate_rules import rates
from .score_rules import scores
from .table_rules import table_checks
from .target_rules import risks, targets

RULES = (
    enumerations,         # sum_mismatch: a total and the parts its sentence lists (其中… / …共计)
    numbered_parts,       # sum_mismatch: a total and the numbered items below it (合计X。…：1.A … 2.B …)
    table_checks,         # sum/balance/rate/score: a table's 合计 rows and columns, per-row balances, 执行率
    payments_vs_totals,   # sum_mismatch: complete payments against paid totals (per party, cumulative, per year)
    paid_then_summed,     # sum_mismatch: a party's payments listed one by one, then summed (…；…。共计向X支付)
    fund_rows,            # sum/rate/score_mismatch: a form's funds table rows, 执行率 and its 得分
    balances,             # balance_mismatch: contract (or funds) minus paid against the stated remainder
    limits,               # over_limit: paid above the contract in force, the appropriation, the budget, a year's funds
    coefficient_limits,   # over_limit: a payment scaled by a score's coefficient above the base times it
    conflicts,            # conflict: one fact with two values or dates, capitals against digits
    rates,                # rate_mismatch: 执行率, 到位率, 支付完成率, growth against their figures
    scores,               # score_mismatch: one level's items against their total, maxima, grade bands
    periods,              # period_mismatch: a figure put in a year its dated events contradict
    targets,              # target_missed: an indicator's actual short of its target, in its direction
    risks,                # risk_statement: an affirmed (not negated) irregularity, with its amount
)

OUTCOME_ORDER = {"mismatch": 0, "holds": 1, "unverifiable": 2}


def _problem(f: FindingRow) -> tuple:
    values = tuple(sorted(float(Decimal(str(v)).quantize(Decimal("0.01"))) for v in f["values"]))
    return f["kind"], f["outcome"], values, tuple(f["dates"])


def reconcile(doc_id: str, rows: DocumentRows) -> list[FindingRow]:
    """Every finding, held check and unverifiable check of one document, one per problem (the same
    figures found by two rules are one finding with the first rule's wording)."""
    facts = DocumentFacts.from_rows(doc_id, rows)
    out, problems, seen_ids, seen_problems = [], [], set(), set()
    for rule in RULES:
        for f in rule(facts):
            problem = _problem(f)
            if f["finding_id"] in seen_ids or (f["values"] and problem in seen_problems):
                continue
            seen_ids.add(f["finding_id"])
            seen_problems.add(problem)
            out.append(f)
            problems.append(problem)
    mismatched = {p[:1] + p[2:] for p in problems if p[1] == "mismatch"}
    return [f for f, p in zip(out, problems) if f["outcome"] != "unverifiable" or p[:1] + p[2:] not in mismatched]
