"""Row types of the curated store, one per table in ddl.sql (kept equal by tests/test_schema.py).

Extractors return `*Match` dicts: the kind-specific fields plus a span in the document's
normalised text. The pipeline turns a match into a `*Row` by adding the document, page and
sentence it sits in.
"""
from __future__ import annotations

import datetime as dt
import typing
from decimal import Decimal
from typing import Literal, TypedDict

from .mention_rows import Comparator, DateKind, Numeral, Precision, Unit, UnitSource  # noqa: F401

DocStatus = Literal["ok", "partial", "failed", "missing"]
TextSource = Literal["pdf", "ocr", "mixed", "none"]
PageStatus = Literal["ok", "no_text", "garbled", "damaged", "failed"]
MentionKind = Literal["amount", "date", "percentage", "count"]


class MetaRow(TypedDict):
    key: str
    value: str


class RunRow(TypedDict):
    run_id: str
    started_at: dt.datetime
    finished_at: dt.datetime | None
    root: str
    pipeline_version: str
    files_seen: int
    files_new: int
    files_changed: int
    files_unchanged: int
    files_failed: int
    files_missing: int
    pages: int
    mentions: int
    seconds: float


class DocumentRow(TypedDict):
    doc_id: str
    path: str
    file_name: str
    size_bytes: int
    mtime_ns: int | None
    pages: int
    pages_no_text: int
    pages_failed: int
    status: DocStatus
    error: str | None
    text_source: TextSource
    encrypted: bool
    repaired: bool
    pipeline_version: str
    run_id: str
    ingested_at: dt.datetime
    project_name: str | None
    unit: str | None
    period_start: dt.date | None
    period_end: dt.date | None
    total_score: Decimal | None
    grade: str | None


class DocumentPathRow(TypedDict):
    path: str
    doc_id: str
    file_name: str
    present: bool
    first_seen: dt.datetime
    last_seen: dt.datetime
    run_id: str


class IngestErrorRow(TypedDict):
    doc_id: str
    run_id: str
    path: str
    stage: str
    page: int | None
    code: str
    reason: str
    fatal: bool


class PageRow(TypedDict):
    doc_id: str
    page: int
    text: str
    char_start: int
    char_end: int
    raw_chars: int
    text_source: Literal["pdf", "ocr", "none"]
    has_tables: bool
    status: PageStatus
    ocr_confidence: float | None


class SentenceRow(TypedDict):
    doc_id: str
    sentence_id: int
    page: int
    char_start: int
    char_end: int
    text: str
    is_heading: bool
    heading_level: int | None
    section: str


class TableCellRow(TypedDict):
    doc_id: str
    page: int
    table_index: int
    row_index: int
    col_index: int
    text: str | None


from .mention_rows import (  # noqa: F401  (re-exported: one module to import row types from)
    Span, MentionContext, AmountValue, DateValue, PercentageValue, CountValue, AmountMatch, DateMatch, PercentageMatch, CountMatch, AmountRow, DateRow, PercentageRow, CountRow,
)


# --- facts, indicators, scores ---------------------------------------------------------------

FactKind = Literal["budget", "appropriation", "contract", "payment", "paid_total", "balance", "savings", "other"]
FACT_KINDS: tuple[str, ...] = typing.get_args(FactKind)
FactSource = Literal["central", "provincial", "municipal", "county", "township", "self", "bond", "other"]


class ReportFieldRow(TypedDict):
    doc_id: str
    field: str
    value: str
    page: int
    quote: str


class FactRow(TypedDict):
    doc_id: str
    fact_id: int
    kind: FactKind
    value: Decimal
    unit: str
    value_wan: Decimal
    date_iso: str | None
    date_start: dt.date | None
    date_end: dt.date | None
    precision: Precision | None
    year: int | None
    year_source: Literal["stated", "date", "report"] | None
    party: str | None
    source: FactSource | None
    item: str | None
    is_total: bool
    parts_wan: Decimal | None
    installment: str | None
    qualifier: str | None
    is_amendment: bool
    conflict: str | None
    confidence: float
    trigger: str | None
    mentions: int
    page: int
    sentence: str


class FactEvidenceRow(TypedDict):
    doc_id: str
    fact_id: int
    mention_id: str
    page: int
    char_start: int | None
    char_end: int | None
    sentence: str
    date_iso: str | None
    year: int | None


class IndicatorRow(TypedDict):
    doc_id: str
    indicator_id: int
    category: str | None
    name: str
    target_comparator: Comparator | None
    target: Decimal | None
    actual: Decimal | None
    unit: str | None
    year: int | None
    met: bool | None
    deviation_reason: str | None
    source: Literal["prose", "table"]
    target_page: int | None
    target_quote: str | None
    actual_page: int | None
    actual_quote: str | None


class ScoreRow(TypedDict):
    doc_id: str
    score_id: int
    name: str
    score: Decimal
    max_score: Decimal | None
    level: int | None
    parent: str | None
    source: Literal["prose", "table"]
    page: int
    quote: str


class PartyRow(TypedDict):
    doc_id: str
    name: str
    short_names: str | None
    roles: str | None
    mentions: int
    is_main: bool
    parent: str | None


class FormFundsRow(TypedDict):
    doc_id: str
    row_id: int
    source: str
    label: str
    unit: str
    initial_wan: Decimal | None
    full_wan: Decimal | None
    executed_wan: Decimal | None
    points: Decimal | None
    rate: Decimal | None
    score: Decimal | None
    page: int
    quote: str


FindingKind = Literal["sum_mismatch", "balance_mismatch", "over_limit", "conflict", "rate_mismatch",
                      "score_mismatch", "period_mismatch", "target_missed", "risk_statement"]
FINDING_KINDS: tuple[str, ...] = typing.get_args(FindingKind)
Severity = Literal["error", "warning", "info"]
# holds: the check was made and holds; mismatch: a finding; unverifiable: the check could not be
# made (figures of different scopes, parts not known to be complete …), with the reason
FindingOutcome = Literal["mismatch", "holds", "unverifiable"]


class Evidence(TypedDict):
    page: int
    quote: str
    side: str          # which figure it supports: stated | parts | bound | ...


class FindingRow(TypedDict):
    doc_id: str
    finding_id: str
    rule: str
    kind: FindingKind
    outcome: FindingOutcome
    severity: Severity
    message: str
    values: list[float]
    dates: list[str]
    expected: Decimal | None
    actual: Decimal | None
    difference: Decimal | None
    evidence: list[Evidence]


class FindingHistoryRow(TypedDict):
    finding_id: str
    doc_id: str
    file_name: str
    kind: FindingKind
    severity: Severity
    message: str
    first_seen: dt.date
    last_seen: dt.date
    resolved_on: dt.date | None


class ReportRunRow(TypedDict):
    run_at: dt.datetime
    day: dt.date
    open_findings: int
    new_findings: int
    resolved_findings: int
    unverifiable_checks: int


class QualityRow(TypedDict):
    run_id: str
    table_name: str
    expectation: str
    column: str | None
    success: bool
    unexpected_count: int | None
    unexpected_sample: str | None
    rows_checked: int
    checked_at: dt.datetime


# table name -> row type: the list the schema test and the store iterate over
TABLES: dict[str, type] = {
    "meta": MetaRow,
    "runs": RunRow,
    "documents": DocumentRow,
    "document_paths": DocumentPathRow,
    "ingest_errors": IngestErrorRow,
    "pages": PageRow,
    "sentences": SentenceRow,
    "table_cells": TableCellRow,
    "amounts": AmountRow,
    "dates": DateRow,
    "percentages": PercentageRow,
    "counts": CountRow,
    "report_fields": ReportFieldRow,
    "facts": FactRow,
    "fact_evidence": FactEvidenceRow,
    "indicators": IndicatorRow,
    "scores": ScoreRow,
    "findings": FindingRow,
    "form_funds": FormFundsRow,
    "parties": PartyRow,
    "quality": QualityRow,
    "finding_history": FindingHistoryRow,
    "report_runs": ReportRunRow,
}

# tables the nightly report writes and keeps: not derived from the PDFs, so never dropped when the
# schema of the derived tables changes
PERSISTENT_TABLES: tuple[str, ...] = ("finding_history", "report_runs")

# mention kind -> (table, id letter)
MENTION_TABLES: dict[MentionKind, tuple[str, str]] = {
    "amount": ("amounts", "a"),
    "date": ("dates", "d"),
    "percentage": ("percentages", "p"),
    "count": ("counts", "c"),
}

# tables holding one document's rows: replaced together in one transaction
DOCUMENT_TABLES: tuple[str, ...] = (
    "ingest_errors", "pages", "sentences", "table_cells",
    "amounts", "dates", "percentages", "counts", "report_fields", "facts", "fact_evidence",
    "indicators", "scores", "findings", "form_funds", "parties", "documents",
)
