"""Percentages in normalised text -> PercentageMatch dicts.

Forms: 100% / 12.5% / 90%-95% / 90-95% / 百分之九十 / 百分之百, with the comparator words
around them (达到90%以上, 不低于95%, ≤5%, 控制在5%以内). The vocabulary lives in
rules/percentages.toml. "个百分点" and bare numbers (90以上) are not percentages.
"""
from __future__ import annotations

from decimal import Decimal

import regex

from schemas.rows import Comparator, PercentageMatch

from .numerals import ARABIC, CHINESE, parse_number, atomic
from .patterns import alternation
from .rules import load

SP = r"[ \t\u3000\xa0]*"   # spaces tolerated between the parts (never a line break)



def _word_table(by_comparator: dict[str, list[str]]) -> dict[str, str]:
    """{comparator: [words]} -> {word: comparator}."""
    return {word: comp for comp, words in by_comparator.items() for word in words}


_RULES = load("percentages")
_BEFORE = _word_table(_RULES["before"])
_AFTER = _word_table(_RULES["after"])
_SIGN = "[" + "".join(regex.escape(s) for s in _RULES["signs"]) + "]"
_SEP = f"(?:{alternation(_RULES['range_separators'])})"
_CN = regex.escape(_RULES["chinese_prefix"])

# 90% / 90%-95% / 90-95%: the first sign is optional only when a range follows.
_ARABIC_PCT = (rf"(?<![\d.,A-Za-z])(?P<lo>{atomic(ARABIC)}){SP}(?:{_SIGN}{SP})?"
               rf"(?:{_SEP}{SP}(?P<hi>{atomic(ARABIC)}){SP})?{_SIGN}")
# 百分之九十 / 百分之九十至百分之九十五 / 百分之九十至九十五
_CHINESE_PCT = rf"{_CN}(?P<clo>{CHINESE})(?:{SP}{_SEP}{SP}(?:{_CN})?(?P<chi>{CHINESE}))?"

PERCENT_RE = regex.compile(
    rf"(?:(?P<before>{alternation(list(_BEFORE))}){SP})?"
    rf"(?:{_ARABIC_PCT}|{_CHINESE_PCT})"
    rf"(?:{SP}(?P<after>{alternation(list(_AFTER))}))?"
)


def _number(text: str | None) -> Decimal | None:
    """Either kind of numeral; a bare magnitude (百分之百) reads as one of it."""
    if text is None:
        return None
    if text[0] in "百千":
        text = "一" + text
    return parse_number(text)[0]


def _comparator(before: str | None, after: str | None) -> Comparator:
    """A directional word before the number wins; else the word after it; else "="."""
    first = _BEFORE.get(before or "", "=")
    if first != "=":
        return first  # type: ignore[return-value]
    return _AFTER.get(after or "", "=")  # type: ignore[return-value]


def _match(m: regex.Match) -> PercentageMatch | None:
    chinese = m.group("clo") is not None
    try:
        low = _number(m.group("clo") if chinese else m.group("lo"))
        high = _number(m.group("chi") if chinese else m.group("hi"))
    except ValueError:
        return None
    return PercentageMatch(
        start=m.start(), end=m.end(), raw=m.group(0),
        value=low, value_high=high,
        comparator=_comparator(m.group("before"), m.group("after")),
        numeral="chinese" if chinese else "arabic",
    )


def text_to_percentages(text: str) -> list[PercentageMatch]:
    """Every percentage in `text`, sorted by start, non-overlapping; raw == text[start:end]."""
    found = (_match(m) for m in PERCENT_RE.finditer(text))
    return [p for p in found if p is not None]
