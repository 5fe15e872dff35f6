"""Mentions -> facts, indicators, scores and the report header (pure functions over a DocView)."""
from __future__ import annotations

from .funds import fund_rows_table, view_to_fund_rows
from .header import view_to_header
from .parties import party_rows, text_to_parties
from .indicators import view_to_indicators
from .scores import view_to_scores
from .view import DocView

HEADER_FIELDS = ("project_name", "unit", "period_start", "period_end", "total_score", "grade")


def view_to_tables(view: DocView) -> tuple[dict[str, list[dict]], dict]:
    """(rows per table, the header columns for `documents`)."""
    from .money import view_to_facts

    header, fields = view_to_header(view)
    parties = text_to_parties(view.text)
    facts, evidence = view_to_facts(view, header, parties)
    tables = {"report_fields": fields, "facts": facts, "fact_evidence": evidence,
              "parties": party_rows(view.doc_id, parties),
              "indicators": view_to_indicators(view), "scores": view_to_scores(view),
              "form_funds": fund_rows_table(view.doc_id, view_to_fund_rows(view))}
    return tables, {k: header.get(k) for k in HEADER_FIELDS}
