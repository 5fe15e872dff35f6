"""Counts in normalised text -> CountMatch dicts.

A count is a number followed by a measure word or unit: 1820个 / 共 4 个 / 15000多台 /
12万人次 / 535TB / 2县6区 / 四个 / 两千余个. Money (1957万元, 13.5万), dates and durations
(2019年, 3个月), ordinals (第1笔), percentages and document numbers (〔2019〕12号) are not
counts: their words are simply not measure words. The vocabulary lives in rules/counts.toml.
"""
from __future__ import annotations

from decimal import Decimal

import regex

from schemas.rows import CountMatch

from .numerals import ARABIC, CN_DIGITS, CN_MAGNITUDES, CN_NUMERAL_CHARS, parse_number, atomic
from .patterns import alternation
from .rules import load

SP = r"[ \t\u3000\xa0]*"   # spaces tolerated between the parts (never a line break)



_RULES = load("counts")
_QUAL = _RULES["qualifiers"]
_MAGNITUDES = {k: Decimal(v) for k, v in _RULES["magnitudes"].items()}

_MEASURE = (rf"(?!{alternation(_RULES['not_measures'])})"
            rf"(?P<measure>{alternation(_RULES['measures'] + _RULES['units'])})(?![A-Za-z])")
_INNER = alternation(_QUAL["inner"])
# A number is not a count after 第 (第1笔, 第 2 批, 第三季度).
_NOT_ORDINAL = rf"(?<!(?:{alternation(_RULES['ordinal_before'])}){SP})"
# Each numeral branch opens with a lookahead for its first character (implied by what follows): the
# lookbehinds after it are then tried only where a numeral starts, not at every character.
_ARABIC_NUM = rf"(?=\d){_NOT_ORDINAL}(?<![\d.,A-Za-z])(?P<num>{atomic(ARABIC)})"

# Chinese: two or more numeral characters, or a single one before 个/家/项… (四个, 两家);
# never inside a word (统一, 唯一, 每一) nor a vague amount (数十, 几百).
_CN_START = f"[{CN_DIGITS}{CN_MAGNITUDES}]"
_GLUED = "|".join(f"(?<={regex.escape(w[:-1])}){regex.escape(w[-1])}" for w in _RULES["glued_words"])
_SINGLE_OK = rf"(?=(?:{_INNER})?{SP}(?:{alternation(_RULES['single_char_measures'])}))"
_CHINESE_NUM = (
    rf"(?={_CN_START}){_NOT_ORDINAL}(?<![{CN_NUMERAL_CHARS}\d])(?<!{alternation(_RULES['vague_before'])})"
    rf"(?!{_GLUED})(?:(?P<cn>{_CN_START}[{CN_NUMERAL_CHARS}]+)|(?P<cn>{_CN_START}){_SINGLE_OK})"
)

COUNT_RE = regex.compile(
    rf"(?:(?P<before>{alternation(_QUAL['before'])}){SP})?"
    rf"(?:{_ARABIC_NUM}|{_CHINESE_NUM})"
    rf"{SP}(?:(?P<inner>{_INNER}){SP})?(?P<mag>{alternation(list(_MAGNITUDES))})?"
    rf"(?P<inner2>{_INNER})?{SP}{_MEASURE}"
    rf"(?:{SP}(?P<after>{alternation(_QUAL['after'])}))?"
)


def _value(numeral: str, magnitude: str | None) -> Decimal:
    """The numeral times the magnitude written after it (12万 -> 120000); ValueError if unreadable."""
    if numeral[0] in "百千":       # 百余个, 千余家: a bare magnitude reads as one of it
        numeral = "一" + numeral
    value, _ = parse_number(numeral)
    return value * _MAGNITUDES[magnitude] if magnitude else value


def _is_digit_string(numeral: str) -> bool:
    """三四个 / 五六家 are vague (three or four), not 34: Chinese digits without magnitudes."""
    return len(numeral) > 1 and all(ch in CN_DIGITS for ch in numeral)


def _match(m: regex.Match) -> CountMatch | None:
    chinese = m.group("cn") is not None
    numeral = m.group("cn") if chinese else m.group("num")
    if chinese and _is_digit_string(numeral):
        return None
    try:
        value = _value(numeral, m.group("mag"))
    except ValueError:
        return None
    qualifier = next((q for q in m.group("before", "inner", "inner2", "after") if q), None)
    return CountMatch(
        start=m.start(), end=m.end(), raw=m.group(0), value=value,
        measure=m.group("measure"), qualifier=qualifier,
        numeral="chinese" if chinese else "arabic",
    )


def text_to_counts(text: str) -> list[CountMatch]:
    """Every count in `text`, sorted by start, non-overlapping; raw == text[start:end]."""
    found = (_match(m) for m in COUNT_RE.finditer(text))
    return [c for c in found if c is not None]
