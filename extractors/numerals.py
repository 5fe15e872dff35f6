"""Numbers as written in reports -> exact Decimals: 1,234.5 / 1234.5 / 三百六十 / 叁佰贰拾 / 二〇二三."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

import cn2an

# Character classes for regexes (no brackets: callers put them inside [...]).
CN_DIGITS = "零〇○一二三四五六七八九两壹贰叁肆伍陆柒捌玖貳參陸"
CN_MAGNITUDES = "十百千万亿拾佰仟萬億"
CN_NUMERAL_CHARS = CN_DIGITS + CN_MAGNITUDES + "点"
# An arabic number: 1,234,567.89 or 1234.5 (no sign; signs are not written in reports)
ARABIC = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
# ... and with thousand separators in the wrong place, as amounts are sometimes printed:
# 1,2345.6 (grouped by 万), 12,34,567; the last group has 3 or 4 digits (12,15,20 is a list)
ARABIC_LOOSE = r"\d{1,4}(?:,\d{2,4})*,\d{3,4}(?:\.\d+)?|\d+(?:\.\d+)?"
CHINESE = f"[{CN_DIGITS}{CN_MAGNITUDES}][{CN_NUMERAL_CHARS}]*"


def atomic(number: str) -> str:
    """An arabic number pattern read whole (an atomic group): once matched, a shorter reading of
    it is never tried. Only for a number whose continuation cannot start with a digit, '.' or ','
    (a unit, a measure word, a percent sign, a range separator), where a shorter reading could
    never match and trying it only costs time."""
    return f"(?>{number})"

_ZERO_GLYPHS = str.maketrans({"〇": "零", "○": "零", "貳": "贰", "參": "叁", "陸": "陆", "萬": "万", "億": "亿"})
_PLAIN_DIGITS = dict(zip("零一二三四五六七八九", "0123456789"))


def parse_arabic(text: str) -> Decimal:
    """'1,234,567.89' -> Decimal('1234567.89'). ValueError when it is not a number."""
    try:
        return Decimal(text.replace(",", "").strip())
    except InvalidOperation as exc:
        raise ValueError(f"not a number: {text!r}") from exc


def parse_chinese(text: str) -> Decimal:
    """'三百六十' -> 360, '叁佰贰拾' -> 320, '二〇二三' -> 2023 (digit by digit), '三点五' -> 3.5.

    ValueError when cn2an cannot read it.
    """
    s = text.translate(_ZERO_GLYPHS)
    if s and all(ch in _PLAIN_DIGITS for ch in s) and len(s) > 1:
        return Decimal("".join(_PLAIN_DIGITS[ch] for ch in s))   # 二零二三 style, digit by digit
    try:
        value = cn2an.cn2an(s, "smart")
    except (ValueError, KeyError, IndexError) as exc:
        raise ValueError(f"not a Chinese numeral: {text!r}") from exc
    return Decimal(str(value))


def parse_number(text: str) -> tuple[Decimal, str]:
    """Either kind of number -> (value, 'arabic' | 'chinese')."""
    t = text.strip()
    if t and (t[0].isdigit()):
        return parse_arabic(t), "arabic"
    return parse_chinese(t), "chinese"
