"""Small helpers for building regexes from rule-file vocabularies."""
from __future__ import annotations

import regex


def alternation(words, not_after: dict[str, str] | None = None) -> str:
    """`a|b|c`, longest first (人次 before 人); a word listed in `not_after` must not follow
    any of the characters given for it (约 not after 节: 节约 is not a qualifier)."""
    def one(w: str) -> str:
        guard = (not_after or {}).get(w)
        return f"(?<![{regex.escape(guard)}]){regex.escape(w)}" if guard else regex.escape(w)
    return "|".join(one(w) for w in sorted(words, key=len, reverse=True))
