"""One payment of a contract's schedule stated twice with two values (支付中期款480,000.00元 … 7月15日
支付的中期款45.00万元): the same name of the payment (roles.toml [payment_names]), the same company
and the same day. Both statements stay facts; both are marked as one conflict."""
from __future__ import annotations

from functools import cache

import regex

from ..rules import load

CLAUSE_ENDS = "，,；;。：:\n"


@cache
def _pattern() -> regex.Pattern:
    return regex.compile(load("roles")["payment_names"]["pattern"])


def payment_name(text: str, start: int) -> str | None:
    """The last payment name in the clause that ends at `start` (the amount's position)."""
    i = start
    while i > 0 and text[i - 1] not in CLAUSE_ENDS:
        i -= 1
    names = _pattern().findall(text, i, start)
    return names[-1] if names else None


def mark_restated_payments(text: str, facts: list) -> None:
    """Mark payment facts (FactGroups) of one name, company and day that differ in value."""
    groups: dict[tuple, list] = {}
    for f in facts:
        date, party, mention = f.date, f.value_of("party"), f.first.mention
        if f.first.kind != "payment" or f.conflict or not date or len(date["iso"]) < 10 or not party \
                or mention["char_start"] is None:
            continue
        name = payment_name(text, mention["char_start"])
        if name:
            groups.setdefault((name, party, date["iso"]), []).append(f)
    for (name, party, day), group in groups.items():
        values = sorted({f.first.wan for f in group})
        if len(values) > 1:
            said = " and ".join(format(v, "f") for v in values)
            for f in group:
                f.conflict = f"the {name} paid to {party} on {day} is stated as {said} 万元"
