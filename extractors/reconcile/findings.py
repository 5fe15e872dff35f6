"""One finding (or a check that holds, or one that cannot be made): its stable id, kind, severity,
figures and evidence.

Severity follows certainty: `error` where the report itself states the relation (a total and its
listed parts, a table's 合计 row, one installment with two dates), `warning` where the relation
is inferred (figures of one scope read from different places), `info` for a rounding difference
and for every check that holds or cannot be made. A check whose preconditions fail (figures of
different scopes, parts not known to be complete, levels of a score sheet mixed) is stored with
`outcome = 'unverifiable'` and the reason, never as a finding."""
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


def finding_id(doc_id: str, rule: str, numbers: list[float], dates: list, key: str = "") -> str:
    """Same report, rule and figures (as `_number` gives them) -> same id, run after run."""
    key = "|".join([doc_id, rule, *(f"{n:.4f}" for n in numbers), *sorted(dates), key])
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def evidence(page: int | None, quote: str | None, side: str) -> dict:
    return {"page": page or 0, "quote": quote or "", "side": side}


def cited(rows: list[dict]) -> list[dict]:
    """Evidence rows without repeats (one figure per page and sentence and side)."""
    out, seen = [], set()
    for e in rows:
        key = (e["page"], e["quote"], e["side"])
        if key not in seen:
            seen.add(key)
            out.append(e)
    return out


def make(doc_id: str, rule: str, kind: str, message: str, values: list, *, holds: bool = False,
         severity: str = "error", dates: list | None = None, expected=None, actual=None,
         evidence_rows: list[dict] | None = None, key: str = "", unverifiable: str | None = None,
         id_values: list | None = None) -> FindingRow:
    expected = Decimal(str(expected)) if expected is not None else None
    actual = Decimal(str(actual)) if actual is not None else None
    difference = actual - expected if expected is not None and actual is not None else None
    outcome = "unverifiable" if unverifiable else "holds" if holds else "mismatch"
    if unverifiable:
        message = f"{message}：无法核对，{unverifiable}"
    numbers = [_number(v) for v in values]
    id_numbers = numbers if id_values is None else [_number(v) for v in id_values]
    return FindingRow(
        doc_id=doc_id, finding_id=finding_id(doc_id, rule, id_numbers, dates or [], key), rule=rule, kind=kind,
        outcome=outcome, severity="info" if outcome != "mismatch" else severity, message=message,
        values=numbers, dates=sorted(dates or []), expected=expected, actual=actual,
        difference=difference, evidence=cited(evidence_rows or []))


def unverifiable(doc_id: str, rule: str, kind: str, message: str, reason: str, values: list,
                 evidence_rows: list[dict], key: str = "") -> FindingRow:
    """A check that its preconditions do not allow: stored with the reason, never a finding."""
    return make(doc_id, rule, kind, message, values, evidence_rows=evidence_rows, key=key, unverifiable=reason)


def compare(doc_id: str, rule: str, kind: str, stated, implied, message: str, evidence_rows: list[dict],
            values: list | None = None, severity: str = "error") -> FindingRow:
    """A stated money figure against the one its parts imply: holds when equal, info when the
    difference is rounding (at most 0.05 万元), `severity` otherwise."""
    stated, implied = Decimal(str(stated)), Decimal(str(implied))
    diff = abs(stated - implied)
    holds = diff < Decimal("0.0005")
    if not holds and diff <= rounding():
        severity = "info"
        message += f"（相差{_fmt(diff)}万元，属四舍五入）"
    elif not holds:
        message += f"，相差{_fmt(stated - implied)}万元"
    return make(doc_id, rule, kind, message, values or [stated, implied], holds=holds, severity=severity,
                expected=implied, actual=stated, evidence_rows=evidence_rows)


def _fmt(value) -> str:
    d = Decimal(str(value)).normalize()
    return format(d, ",f")


fmt = _fmt
