"""Row types of the mention tables (amounts, dates, percentages, counts) and the matches the
extractors return before a match is placed in its document (see schemas/rows.py)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal, TypedDict

Unit = Literal["元", "千元", "万元", "万", "亿元", "亿"]
Numeral = Literal["arabic", "chinese"]
UnitSource = Literal["inline", "label"]
DateKind = Literal["point", "range"]
Precision = Literal["day", "month", "quarter", "half", "year"]
Comparator = Literal["=", ">=", "<=", ">", "<"]


# --- mentions -------------------------------------------------------------------------------

class Span(TypedDict):
    """Where a match sits in the normalised document text (end exclusive)."""
    start: int
    end: int
    raw: str


class MentionContext(TypedDict):
    doc_id: str
    mention_id: str
    page: int
    char_start: int
    char_end: int
    raw: str
    sentence_id: int
    sentence: str
    page_char_start: int | None
    page_char_end: int | None
    x0: float | None
    y0: float | None
    x1: float | None
    y1: float | None


class AmountValue(TypedDict):
    value: Decimal
    value_high: Decimal | None
    unit: Unit
    value_wan: Decimal
    value_wan_high: Decimal | None
    qualifier: str | None
    numeral: Numeral
    unit_source: UnitSource


class DateValue(TypedDict):
    kind: DateKind
    precision: Precision
    date_start: dt.date
    date_end: dt.date
    iso: str
    qualifier: str | None
    is_cutoff: bool
    year_inferred: bool


class PercentageValue(TypedDict):
    value: Decimal
    value_high: Decimal | None
    comparator: Comparator
    numeral: Numeral


class CountValue(TypedDict):
    value: Decimal
    measure: str
    qualifier: str | None
    numeral: Numeral


class AmountMatch(Span, AmountValue): ...
class DateMatch(Span, DateValue): ...
class PercentageMatch(Span, PercentageValue): ...
class CountMatch(Span, CountValue): ...

class AmountRow(MentionContext, AmountValue): ...
class DateRow(MentionContext, DateValue): ...
class PercentageRow(MentionContext, PercentageValue): ...
class CountRow(MentionContext, CountValue): ...
