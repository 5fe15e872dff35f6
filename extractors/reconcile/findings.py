"""One finding (or a check that holds): its stable id, kind, severity, figures and evidence."""
from __future__ import annotations

import hashlib
from decimal import Decimal
from functools import cache

from ..rules import load
from schemas.rows import FindingRow


@cache
def rounding() -> Decimal:
    return Decimal(load("reconcile")["rounding_wan"])


def _number(value) -> float:
    return float(Decimal(str(value)).quantize(Decimal("0.0001")))


def finding_id(doc_id: str, rule: str, values: list, dates: list, key: str = "") -> str:
    """Same report, rule and figures -> same id, run after run."""
    key = "|".join([doc_id, rule, *(f"{_number(v):.4f}" for v in values), *sorted(dates), key])
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def evidence(page: int | None, quote: str | None, side: str) -> dict:
    return {"page": page or 0, "quote": quote or "", "side": side}


def make(doc_id: str, rule: str, kind: str, message: str, values: list, *, holds: bool = False,
         severity: str = "error", dates: list | None = None, expected=None, actual=None,
         evidence_rows: list[dict] | None = None, key: str = "") -> FindingRow:
    expected = Decimal(str(expected)) if expected is not None else None
    actual = Decimal(str(actual)) if actual is not None else None
    difference = actual - expected if expected is not None and actual is not None else None
    return FindingRow(
        doc_id=doc_id, finding_id=finding_id(doc_id, rule, values, dates or [], key), rule=rule, kind=kind,
        outcome="holds" if holds else "mismatch", severity="info" if holds else severity, message=message,
        values=[_number(v) for v in values], dates=sorted(dates or []), expected=expected, actual=actual,
        difference=difference, evidence=evidence_rows or [])


def compare(doc_id: str, rule: str, kind: str, stated, implied, message: str, evidence_rows: list[dict],
            values: list | None = None) -> FindingRow:
    """A stated money figure against the one its parts imply: holds when equal, info when the
    difference is rounding (at most 0.05 万元), an error otherwise."""
    stated, implied = Decimal(str(stated)), Decimal(str(implied))
    diff = abs(stated - implied)
    holds = diff < Decimal("0.0005")
    severity = "info" if diff <= rounding() else "error"
    if not holds and severity == "info":
        message += f"（相差{_fmt(diff)}万元，属四舍五入）"
    return make(doc_id, rule, kind, message, values or [stated, implied], holds=holds, severity=severity,
                expected=implied, actual=stated, evidence_rows=evidence_rows)


def _fmt(value) -> str:
    d = Decimal(str(value)).normalize()
    return format(d, ",f")


fmt = _fmt
