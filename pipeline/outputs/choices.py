"""The outputs' settings that the command line shows in its help and choices, apart from the code
that writes the outputs: `jixiao` builds its parser from them without loading DuckDB (about
0.05 s, which `jixiao ingest` spends better with its workers already loading)."""
from __future__ import annotations

FAIL_ON = ("new", "any", "never")      # jixiao report --fail-on: new error findings, any, never
MAX_WIDTH = 40          # display columns of one cell in the printed table (--max-width; 0: no limit)
# the tables and views an analyst reads, one workbook sheet each, in this order
WORKBOOK_TABLES: tuple[str, ...] = (
    "documents", "document_paths", "ledger", "findings", "open_findings", "finding_history", "facts", "fact_sources",
    "fact_evidence", "contract_latest", "ledger_by_party", "ledger_by_year", "vendors", "vendor_ledger",
    "project_years", "units", "indicators", "scores", "form_funds", "parties", "amounts", "dates", "percentages",
    "counts", "pages", "ingest_errors", "quality",
)
