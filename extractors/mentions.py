"""Normalised text -> mentions of every kind, with overlaps between kinds resolved."""
from __future__ import annotations

from .amounts import text_to_amounts
from .counts import text_to_counts
from .dates import text_to_dates
from .percentages import text_to_percentages
from .spans import Spans

# Earlier kinds win where two kinds claim the same characters (13.5万 is money, not a count).
EXTRACTORS = (
    ("amount", text_to_amounts),
    ("percentage", text_to_percentages),
    ("date", text_to_dates),
    ("count", text_to_counts),
)


def text_to_mentions(text: str) -> dict[str, list[dict]]:
    """kind -> matches (each with start, end, raw and the kind's own fields), in text order."""
    taken = Spans()
    out: dict[str, list[dict]] = {}
    for kind, extract in EXTRACTORS:
        kept = [m for m in extract(text) if not taken.overlaps(m["start"], m["end"])]
        taken.update((m["start"], m["end"]) for m in kept)
        out[kind] = kept
    return out
