"""The words around an amount that money.py reads beside its role: a part listed in brackets after
a total, a fee paid off in the clause after it, a 其中： sentence of its own opening a list."""
from __future__ import annotations

from functools import cache

import regex

from ..rules import load
from .roles import Role, installment, opens_breakdown
from .view import DocView

MERGE_DATE_PRECISIONS = ("day", "month")


@cache
def _bracket_parts() -> regex.Pattern:
    return regex.compile(load("roles")["context"]["bracket_parts"])


def bracket_after_amount(text: str, pos: int) -> regex.Match | None:
    """The bracket opened right after an amount and still open at `pos` (累计支出X（施工A、…), if any."""
    return _bracket_parts().search(text, 0, pos)


def bracket_part(text: str, pos: int, triggers: list, kinds: list[tuple[int, str]]) -> bool:
    """The amount at `pos` is listed in a bracket opened right after an amount (累计支出X（施工A、监理B）)
    with no role word of its own inside the bracket."""
    m = bracket_after_amount(text, pos)
    return bool(m and kinds) and not any(m.start() <= t.start and t.end <= pos for t in triggers)


def paid_off_after(role: Role) -> str | None:
    """'full' when the words after the amount say it was paid off at once (…，已于…一次性付清)."""
    return installment(role.trigger) if role.trigger and role.trigger[:1] in "，," else None


def paid_at(view: DocView, a: dict, role: Role) -> dict | None:
    """The day in the clause after an amount that says it was paid off then (its role's trigger)."""
    if role.kind != "payment" or not role.trigger or role.trigger[:1] not in "，,":
        return None
    days = [d for d in view.in_span(view.dates, a["char_end"], a["char_end"] + len(role.trigger) + 1)
            if d["kind"] == "point" and d["precision"] in MERGE_DATE_PRECISIONS]
    return days[-1] if days else None


def opens_list(view: DocView, sid: int) -> bool:
    """The sentence is only a word that breaks down the total before it, and a colon (其中：)."""
    if sid < 0:
        return False
    text = view.sentences[sid].text.strip()
    return text[-1:] in "：:" and opens_breakdown(text) and len(text) <= 8
