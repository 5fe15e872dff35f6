"""Normalised text -> money amounts: exact value, unit as written, value in 万元, qualifier, ranges.

Forms: 6868.2万元, 1,234,567.89元 (also 1,2345.6万元 and 12,34,567元), 1.2亿元, 13.5万； (bare 万 only before punctuation), 450余万元,
约300万元, 300—500万元 (a range), 三百六十万元 / 叁佰贰拾万元整 (cn2an), ￥1,200.00, and a unit
given by a label: 计划投资额(万元) 360. Numbers with other units (12万人次, 535TB, 15万台) and
numbers without a unit (文号, phone numbers, postcodes) are not money.
"""
from __future__ import annotations

from decimal import Decimal
from functools import cache

import regex

from schemas.rows import AmountMatch

from .numerals import ARABIC_LOOSE as ARABIC, CN_DIGITS, CN_MAGNITUDES, CN_NUMERAL_CHARS, parse_arabic, parse_chinese, atomic
from .patterns import alternation
from .rules import load
from .spans import Spans




@cache
def _compiled() -> tuple[regex.Pattern, regex.Pattern, dict]:
    r = load("amounts")
    q, p = r["qualifiers"], r["patterns"]
    followers = regex.escape(p["bare_unit_followers"])
    tail = f"\\s*(?:{alternation(q['inside'])}|左右)?\\s*(?:[{followers}]|$)"
    yuan_units = [u for u in r["units"] if u.endswith("元")]
    unit = (f"(?P<unit>(?:{alternation(yuan_units)})(?!{alternation(p['not_money_after_yuan'])})"
            f"|(?:万|亿)(?={tail}))")
    sep = alternation(p["range_separators"])
    arabic = f"(?<![\\d.,A-Za-z])(?P<num>{atomic(ARABIC)})(?:\\s*(?:{sep})\\s*(?P<num2>{atomic(ARABIC)}))?"
    # a Chinese numeral starts where its run starts (else a long run is re-read from every character)
    chinese = f"(?<![{CN_NUMERAL_CHARS}])(?P<cn>[{CN_DIGITS}{CN_MAGNITUDES}][{CN_NUMERAL_CHARS}]*)"
    inline = regex.compile(
        f"(?:(?P<pre>{alternation(q['before'], q['not_after'])})\\s*)?"
        f"(?:{arabic}|{chinese})"
        f"\\s*(?P<mid>{alternation(q['inside'])})?\\s*{unit}"
        f"(?:\\s*(?P<post>{alternation(q['after'])}))?"
    )
    label = regex.compile(
        f"(?:{p['label_unit']}(?P<lnum>{ARABIC})|[{regex.escape(p['currency_signs'])}]\\s*(?P<snum>{ARABIC}))"
        f"(?!\\s*[%\\d]|\\s*(?:{alternation(r['units'])}))"
    )
    return inline, label, r


def _plain(value: Decimal) -> Decimal:
    """360.0000 -> 360, 3.5000 -> 3.5 (no exponent form)."""
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def _chinese_value(cn: str, unit: str) -> tuple[Decimal, str]:
    """三百六十万 + 元 -> 360 万元 (not 3600000 元); 壹亿贰仟万 + 元 -> 12000 万元; 三点五万 + 元 -> 3.5 万元."""
    if not (cn[-1] in "万亿" and len(cn) > 1 and unit == "元"):
        return parse_chinese(cn), unit
    try:
        whole = parse_chinese(cn)
    except ValueError:
        return parse_chinese(cn[:-1]), cn[-1] + "元"
    return _plain(whole.scaleb(-4 if cn[-1] == "万" else -8)), cn[-1] + "元"


def _qualifier(m: regex.Match) -> str | None:
    words = [w for w in (m.group("pre"), m.group("mid"), m.group("post")) if w]
    return "".join(words) or None


def _wan(value: Decimal, unit: str) -> Decimal:
    return value * Decimal(_compiled()[2]["units"][unit])


def _match(m: regex.Match, value: Decimal, high: Decimal | None, unit: str, qualifier: str | None,
           numeral: str, unit_source: str) -> AmountMatch:
    return AmountMatch(
        start=m.start(), end=m.end(), raw=m.group(), value=value, value_high=high, unit=unit,
        value_wan=_wan(value, unit), value_wan_high=_wan(high, unit) if high is not None else None,
        qualifier=qualifier, numeral=numeral, unit_source=unit_source,
    )


def _inline(text: str) -> list[AmountMatch]:
    inline, _, rules = _compiled()
    blocked = rules["patterns"]["chinese_blocked_before"]
    out = []
    for m in inline.finditer(text):
        unit = m.group("unit")
        if m.group("cn"):
            cn = m.group("cn")
            if (m.start("cn") > 0 and text[m.start("cn") - 1] in blocked) or (len(cn) < 2 and unit == "元"):
                continue
            try:
                value, unit = _chinese_value(cn, unit)
            except ValueError:
                continue
            out.append(_match(m, value, None, unit, _qualifier(m), "chinese", "inline"))
            continue
        value = parse_arabic(m.group("num"))
        high = parse_arabic(m.group("num2")) if m.group("num2") else None
        if high is not None and high <= value:
            continue                                # 2020-2022: not a range of money
        out.append(_match(m, value, high, unit, _qualifier(m), "arabic", "inline"))
    return out


def _labelled(text: str, taken: Spans) -> list[AmountMatch]:
    _, label, _ = _compiled()
    out = []
    for m in label.finditer(text):
        if taken.overlaps(m.start(), m.end()):
            continue
        num = m.group("lnum") or m.group("snum")
        unit = m.group("lunit") or "元"
        out.append(_match(m, parse_arabic(num), None, unit, None, "arabic", "label"))
    return out


def text_to_amounts(text: str) -> list[AmountMatch]:
    """Every money amount in `text`, in order."""
    found = _inline(text)
    found += _labelled(text, Spans((a["start"], a["end"]) for a in found))
    return sorted(found, key=lambda a: a["start"])
