"""What the nightly report shows, read from the database."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import duckdb

from ...errors import StoreError
from ...store import dict_rows

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
MONEY_KEYS = ("budget_wan", "contract_wan", "paid_wan")


@dataclass
class NightlyData:
    day: dt.date
    documents: list[dict]
    ledger: list[dict]                         # readable reports (ok, partial)
    findings: list[dict]                       # mismatches, each with `new`; new and most severe first
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
        for s in ("error", "warning"):
            out[f"new_{s}"] = sum(1 for f in self.findings if f["new"] and f["severity"] == s)
        out["unreadable"] = len(self.unreadable)
        out["missing"] = len(self.missing)
        out["quality_failed"] = sum(not q["success"] for q in self.quality)
        return out

    @property
    def unreadable(self) -> list[dict]:
        return [d for d in self.documents if d["status"] == "failed"]

    @property
    def missing(self) -> list[dict]:
        return [d for d in self.documents if d["status"] == "missing"]


def money_size(row: dict) -> float:
    """How much money a report is about: its largest of budget, contract and paid."""
    return max(float(row[k] or 0) for k in MONEY_KEYS)


def triage_order(findings: list[dict]) -> None:
    """New first, then error, warning, info, then the most recently read report (in place)."""
    findings.sort(key=lambda f: (not f["new"], SEVERITY_ORDER[f["severity"]], -f["ingested_at"].timestamp(),
                                 f["file_name"], f["kind"], f["finding_id"]))


def read_nightly(con: duckdb.DuckDBPyConnection, day: dt.date) -> NightlyData:
    """What the report shows; `new`, `has_previous` and `resolved` are filled from the history."""
    documents = dict_rows(con, "SELECT doc_id, file_name, path, status, error, pages, project_name, unit, total_score, "
                               "grade, ingested_at FROM documents ORDER BY file_name")
    ledger = dict_rows(con, "SELECT * FROM ledger WHERE status IN ('ok', 'partial') ORDER BY file_name")
    findings = dict_rows(con, "SELECT f.*, d.file_name, d.ingested_at FROM findings f JOIN documents d USING (doc_id) "
                              "WHERE outcome = 'mismatch' AND d.status <> 'missing' "
                              "ORDER BY d.file_name, f.severity, f.kind, f.finding_id")
    for f in findings:
        f["new"] = False
    triage_order(findings)
    checks = dict(con.execute("SELECT doc_id, count(*) FROM findings WHERE outcome = 'holds' GROUP BY doc_id")
                  .fetchall())
    unverifiable = dict(con.execute("SELECT doc_id, count(*) FROM findings WHERE outcome = 'unverifiable' "
                                    "GROUP BY doc_id").fetchall())
    run = con.execute("SELECT run_id FROM quality ORDER BY checked_at DESC LIMIT 1").fetchone()
    quality = dict_rows(con, "SELECT * FROM quality WHERE run_id = ? ORDER BY success, table_name, expectation",
                        [run[0]]) if run else []
    errors = dict_rows(con, "SELECT d.file_name, d.status, e.stage, e.page, e.code, e.reason, e.fatal "
                            "FROM ingest_errors e JOIN documents d USING (doc_id) "
                            "ORDER BY d.file_name, e.page NULLS FIRST")
    data = NightlyData(day, documents, ledger, findings, checks, quality, errors, False, unverifiable=unverifiable)
    for f in findings:
        data.by_doc.setdefault(f["doc_id"], []).append(f)
        f["crops"] = crops_of(con, f)
    return data


MAX_CROPS = 4       # page crops shown per finding (every page is still cited in words)


def crops_of(con: duckdb.DuckDBPyConnection, finding: dict) -> list[dict]:
    """The page crops of a finding, figures boxed: {page, png (base64), path}; none for a file that
    is no longer where it was read, or a page that cannot be rendered."""
    import base64

    from ..evidence import crop_png, finding_figures

    out = []
    for fig in finding_figures(con, finding)[:MAX_CROPS]:
        try:
            png, _ = crop_png(fig)
        except (StoreError, OSError, ValueError) as exc:        # file gone or unreadable: the quote remains
            out.append({"page": fig.page, "png": None, "path": fig.path, "why": str(exc)})
            continue
        out.append({"page": fig.page, "png": base64.b64encode(png).decode(), "path": fig.path, "why": None})
    return out
