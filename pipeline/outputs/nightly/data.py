"""What the nightly report shows, read from the database."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import duckdb

from ...store import dict_rows

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}



@dataclass
class NightlyData:
    day: dt.date
    documents: list[dict]
    ledger: list[dict]
    findings: list[dict]                       # mismatches, each with `new`
    checks: dict[str, int]                     # doc_id -> checks that hold
    quality: list[dict]
    ingest_errors: list[dict]
    has_previous: bool
    by_doc: dict[str, list[dict]] = field(default_factory=dict)
    unverifiable: dict[str, int] = field(default_factory=dict)   # doc_id -> checks that could not be made
    resolved: list[dict] = field(default_factory=list)           # findings the previous report listed, gone now
    previous_day: dt.date | None = None

    @property
    def counts(self) -> dict[str, int]:
        out = {s: 0 for s in SEVERITY_ORDER}
        for f in self.findings:
            out[f["severity"]] += 1
        out["new"] = sum(1 for f in self.findings if f["new"] and f["severity"] != "info")
        return out


def read_nightly(con: duckdb.DuckDBPyConnection, day: dt.date) -> NightlyData:
    """What the report shows; `new`, `has_previous` and `resolved` are filled from the history."""
    documents = dict_rows(con, "SELECT doc_id, file_name, path, status, error, pages, project_name, unit, total_score, "
                           "grade FROM documents ORDER BY file_name")
    ledger = dict_rows(con, "SELECT * FROM ledger WHERE status <> 'failed' ORDER BY file_name")
    findings = dict_rows(con, "SELECT f.*, d.file_name FROM findings f JOIN documents d USING (doc_id) "
                          "WHERE outcome = 'mismatch' ORDER BY d.file_name, f.severity, f.kind, f.finding_id")
    for f in findings:
        f["new"] = False
    findings.sort(key=lambda f: (f["file_name"], SEVERITY_ORDER[f["severity"]], f["kind"]))
    checks = dict(con.execute("SELECT doc_id, count(*) FROM findings WHERE outcome = 'holds' GROUP BY doc_id")
                  .fetchall())
    unverifiable = dict(con.execute("SELECT doc_id, count(*) FROM findings WHERE outcome = 'unverifiable' "
                                    "GROUP BY doc_id").fetchall())
    run = con.execute("SELECT run_id FROM quality ORDER BY checked_at DESC LIMIT 1").fetchone()
    quality = dict_rows(con, "SELECT * FROM quality WHERE run_id = ? ORDER BY success, table_name, expectation",
                    [run[0]]) if run else []
    errors = dict_rows(con, "SELECT d.file_name, e.stage, e.page, e.code, e.reason, e.fatal FROM ingest_errors e "
                        "JOIN documents d USING (doc_id) ORDER BY d.file_name, e.page NULLS FIRST")
    data = NightlyData(day, documents, ledger, findings, checks, quality, errors, False, unverifiable=unverifiable)
    for f in findings:
        data.by_doc.setdefault(f["doc_id"], []).append(f)
    return data
