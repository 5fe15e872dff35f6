"""`jixiao export`: one JSON per report in the shape of the gold files (GOLD.md), with evidence."""
from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal
from pathlib import Path

import duckdb

from ..store import dict_rows

def _num(value):
    """Decimal -> int when whole, else float (JSON numbers as people write them)."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        value = value.normalize()
        return int(value) if value == value.to_integral_value() else float(value)
    return value



def _installment(value: str | None):
    return int(value) if value and value.isdigit() else value


def _fact(f: dict, evidence: list[dict]) -> dict:
    out = {"kind": f["kind"], "value_wan": _num(f["value_wan"])}
    if f["date_iso"]:
        out["date"] = f["date_iso"]
    if f["year"] is not None:
        out["year"] = f["year"]
    for key in ("party", "source", "item", "qualifier", "conflict"):
        if f[key]:
            out[key] = f[key]
    if f["is_total"]:
        out["total"] = True
    if f["installment"]:
        out["installment"] = _installment(f["installment"])
    out["amendment"] = f["is_amendment"]
    out["confidence"] = f["confidence"]
    out["evidence"] = [{"page": e["page"], "quote": e["sentence"], **({"date": e["date_iso"]} if e["date_iso"] else {})}
                       for e in evidence]
    return out


def _indicator(i: dict) -> dict:
    evidence = [{"page": i[f"{side}_page"], "quote": i[f"{side}_quote"]} for side in ("target", "actual")
                if i[f"{side}_page"] is not None]
    return {"name": i["name"], "category": i["category"], "comparator": i["target_comparator"],
            "target": _num(i["target"]), "actual": _num(i["actual"]), "unit": i["unit"], "year": i["year"],
            "met": i["met"],
            "deviation_reason": i["deviation_reason"], "source": i["source"], "evidence": evidence}


def _score(s: dict) -> dict:
    return {"name": s["name"], "score": _num(s["score"]), "max_score": _num(s["max_score"]),
            "parent": s["parent"], "level": s["level"], "evidence": [{"page": s["page"], "quote": s["quote"]}]}


def document_json(con: duckdb.DuckDBPyConnection, doc_id: str) -> dict:
    doc = dict_rows(con, "SELECT * FROM documents WHERE doc_id = ?", [doc_id])[0]
    fields = {r["field"]: r for r in dict_rows(con, "SELECT * FROM report_fields WHERE doc_id = ?", [doc_id])}
    period = [str(doc["period_start"]), str(doc["period_end"])] if doc["period_start"] else None
    report = {"project_name": doc["project_name"], "unit": doc["unit"], "period": period,
              "total_score": _num(doc["total_score"]), "grade": doc["grade"],
              "evidence": {k: {"page": v["page"], "quote": v["quote"]} for k, v in fields.items()}}
    evidence: dict[int, list[dict]] = {}
    for e in dict_rows(con, "SELECT * FROM fact_evidence WHERE doc_id = ? ORDER BY fact_id, char_start", [doc_id]):
        evidence.setdefault(e["fact_id"], []).append(e)
    facts = [_fact(f, evidence.get(f["fact_id"], []))
             for f in dict_rows(con, "SELECT * FROM facts WHERE doc_id = ? ORDER BY fact_id", [doc_id])]
    indicators = [_indicator(i) for i in
                  dict_rows(con, "SELECT * FROM indicators WHERE doc_id = ? ORDER BY indicator_id", [doc_id])]
    scores = [_score(s) for s in dict_rows(con, "SELECT * FROM scores WHERE doc_id = ? ORDER BY score_id", [doc_id])]
    findings = dict_rows(con, "SELECT * FROM findings WHERE doc_id = ? ORDER BY severity, kind, finding_id", [doc_id])
    return {"document": doc["file_name"], "doc_id": doc_id, "status": doc["status"], "report": report,
            "facts": facts, "indicators": indicators, "scores": scores,
            "findings": [_finding(f) for f in findings if f["outcome"] == "mismatch"],
            "checks": [_finding(f) for f in findings if f["outcome"] == "holds"],
            "unverifiable": [_finding(f) for f in findings if f["outcome"] == "unverifiable"]}


def _finding(f: dict) -> dict:
    return {"id": f["finding_id"], "kind": f["kind"], "rule": f["rule"], "severity": f["severity"],
            "message": f["message"], "values": f["values"], "dates": f["dates"], "expected": _num(f["expected"]),
            "actual": _num(f["actual"]), "difference": _num(f["difference"]),
            "evidence": [{"page": e["page"], "quote": e["quote"], "side": e["side"]} for e in f["evidence"]]}


def all_documents(con: duckdb.DuckDBPyConnection) -> list[dict]:
    ids = [r[0] for r in con.execute("SELECT doc_id FROM documents WHERE status IN ('ok', 'partial') ORDER BY file_name")
           .fetchall()]
    return [document_json(con, doc_id) for doc_id in ids]


def export(con: duckdb.DuckDBPyConnection, outdir: Path) -> list[Path]:
    """Write <file stem>.json for every readable report; returns the paths written. Reports whose
    names clash (the same name in two folders, or names differing only in case) each get
    <file stem>-<first 8 characters of doc_id>.json, so none overwrites another."""
    outdir.mkdir(parents=True, exist_ok=True)
    reports = all_documents(con)
    stems = Counter(Path(r["document"]).stem.casefold() for r in reports)
    written = []
    for report in reports:
        stem = Path(report["document"]).stem
        if stems[stem.casefold()] > 1:
            stem = f"{stem}-{report['doc_id'][:8]}"
        path = outdir / f"{stem}.json"
        path.write_text(json.dumps(report, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
        written.append(path)
    return written
