"""Dates in normalised report text -> DateMatch dicts (schemas/rows.py). Pure, no I/O.

Word lists live in rules/dates.toml; the choices made for each form:

points    2019年11月8日 / 2019 年 11 月 8 日 / 2019年06月18日 / 12月4号 -> day;
          2023.3.15 / 2023-03-15 / 2023/3/15 -> day; 2023.3 / 2023-03 -> month, unless a unit
          follows (2023.5万元, 2023.5%); 二〇二三年三月 / 二○二三年 / 2023年元月 (January);
          2020年4月(份) -> month; 2020年(度) -> year.
parts     2020年初 -> month precision, January, qualifier 年初; 2022年底 / 2022年末 -> December;
          2021年中 -> June (qualifier 年中; only before 前/后/时/左右 or punctuation, so that
          2019年中央… stays a year); 2019年12月底 / 初 / 末 / 上旬 / 中旬 / 下旬 -> the whole
          month, qualifier the word (底); 2023年上半年 -> half, iso 2023-H1; 2022年第三季度 ->
          quarter, iso 2022-Q3, qualifier 第三季度; 2022年前三季度 -> kind range, precision
          quarter, 2022-01-01..2022-09-30, iso 2022-Q1/2022-Q3, qualifier 前三季度.
periods   <date> 至|到|-|—|~ <date>: 2021年10月1日至2022年9月30日; the end borrows the year
          (and month) it leaves out: 2022年12月6日至8日, 2020年1月至3月; 2019年至2020年; bare
          year ranges 2019~2020, 2019-2020年, 2020-2022年度 (a bare year is never a date on its
          own). kind range, precision the coarser end, iso "<start>/<end>" with each end in
          its own style; a period whose end is not after its start falls back to its start.
cut-off   截至|截止|截止到 <date> [止|为止] and 到 <date> 为止: is_cutoff, words in the span.
no year   12月4日 takes the year of the nearest preceding match with an explicit year (its
          last year: 2022 after 2021年10月1日至2022年9月30日), year_inferred; nothing when no
          year precedes or when the month follows 年/每 (上一年10月1日, 每年10月1日).
An impossible date (2023年13月, 2023年2月30日) or a year outside year_min..year_max drops the
whole phrase. Not handled: lunar months, weekdays, relative dates (去年, 次年), 截至目前.
"""
from __future__ import annotations

import calendar
import datetime as dt
from typing import NamedTuple

import regex

from schemas.rows import DateMatch

from .numerals import CN_DIGITS, CN_MAGNITUDES, parse_chinese
from .patterns import alternation
from .rules import load

R = load("dates")
_RANK = ("day", "month", "quarter", "half", "year")



def _guarded(word: str, not_before=(), only_before=()) -> str:
    """`word`, not followed by any of not_before / followed by only_before or a non-Han char."""
    pat = regex.escape(word)
    if not_before:
        pat += f"(?!{alternation(not_before)})"
    if only_before:
        pat += rf"(?=(?:{alternation(only_before)})|\P{{Han}}|$)"
    return pat


_Q = R["quarters"]
_QUARTER = (rf"(?:(?P<cum>{regex.escape(_Q['cumulative'])})|{regex.escape(_Q['ordinal'])})?"
            rf"(?P<n>{alternation(_Q['numbers'])}){regex.escape(_Q['word'])}")
_QUARTER_RE = regex.compile(_QUARTER)
_YEAR_PART = "|".join([alternation(R["halves"]), _QUARTER.replace("?P<cum>", "").replace("?P<n>", ""),
                       *(_guarded(w, r.get("not_before", ()), r.get("only_before", ()))
                         for w, r in R["year_points"].items()), alternation(R["year_suffixes"])])
_MONTH_PART = "|".join(_guarded(w, R["month_points"]["not_before"])
                       for w in sorted(R["month_points"]["words"], key=len, reverse=True))

_CN = CN_DIGITS + CN_MAGNITUDES
_YEAR = rf"(?<!\d)\d{{4}}(?!\d)|(?<![{_CN}])[〇○零一二三四五六七八九]{{4}}(?![{_CN}])"
_MONTH = rf"\d{{1,2}}(?!\d)|{alternation(R['month_names'])}|十[一二]?|[一二三四五六七八九]"
_DAY = r"\d{1,2}(?!\d)|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九]"
_MSUF, _DAYW, _SEP = alternation(R["month_suffixes"]), alternation(R["day_words"]), alternation(R["range_separators"])
_NOT_NUMBER = rf"(?!\d|\.\d|\s*(?:{alternation(R['numeric_blocking_units'])}))"


def _atom(s: str, head: bool) -> str:
    """One end of a date (s = 'a' start, 'b' end). Groups y/m/d/q + s; q = word after 年 or 月."""
    month = (rf"(?P<m{s}>{_MONTH})\s*月(?:{_MSUF})?"
             rf"(?:\s*(?P<d{s}>{_DAY})\s*(?:{_DAYW})|(?P<q{s}>{_MONTH_PART}))?")
    chinese = rf"(?P<y{s}>{_YEAR})\s*年(?:\s*{month}|(?P<q{s}>{_YEAR_PART}))?"
    numeric = "|".join(rf"(?<![\d.])(?P<y{s}>\d{{4}}){c}(?P<m{s}>\d{{1,2}})(?:{c}(?P<d{s}>\d{{1,2}}))?"
                       for c in (r"\.", "-", "/"))
    if head:   # no year: month and day, year inferred
        no_year = (rf"(?<![\d.]|(?:{alternation(R['no_year_inference_after'])})\s*)"
                   rf"(?P<m{s}>\d{{1,2}})\s*月\s*(?P<d{s}>{_DAY})\s*(?:{_DAYW})"
                   rf"|(?<=(?:{alternation(R['dotted_month_day_after'])})\s*)(?P<m{s}>\d{{1,2}})\.(?P<d{s}>\d{{1,2}}){_NOT_NUMBER}")
    else:      # end of a period: may leave out the year, or year and month
        no_year = rf"{month}|(?P<d{s}>{_DAY})\s*(?:{_DAYW})"
    return rf"{chinese}|(?:{numeric}){_NOT_NUMBER}|{no_year}"


_BARE_RANGE = (rf"(?<![\d.])(?P<a>(?P<ya>\d{{4}}))\s*(?:{_SEP})\s*"
               rf"(?P<b>(?P<yb>\d{{4}})(?:\s*年(?P<qb>{alternation(R['year_suffixes'])})?(?!\s*\d)|{_NOT_NUMBER}))")
_DATE = regex.compile(
    rf"(?:(?P<cut>{alternation(R['cutoff_words'] + R['cutoff_openers'])})\s*)?"
    rf"(?P<body>(?P<bare>{_BARE_RANGE})"
    rf"|(?P<a>{_atom('a', True)})(?:\s*(?:{_SEP})\s*(?P<b>{_atom('b', False)}))?)"
    rf"(?:\s*(?P<until>{alternation(R['cutoff_closers'])}))?")


class _Period(NamedTuple):
    start: dt.date
    end: dt.date
    precision: str
    iso: str
    qualifier: str | None = None
    kind: str = "point"


def _num(s: str) -> int:
    return int(s) if s.isdigit() else R["month_names"].get(s) or int(parse_chinese(s))


def _year(s: str) -> int | None:
    y = _num(s)
    return y if R["year_min"] <= y <= R["year_max"] else None


def _month_end(y: int, m: int) -> dt.date:
    return dt.date(y, m, calendar.monthrange(y, m)[1])


def _period(y: int, m: int | None = None, d: int | None = None, q: str | None = None) -> _Period | None:
    """The period a year [+ month [+ day]] [+ sub-period word q] covers; None when impossible."""
    try:
        if d is not None:
            day = dt.date(y, m, d)
            return _Period(day, day, "day", day.isoformat())
        if m is not None:
            return _Period(dt.date(y, m, 1), _month_end(y, m), "month", f"{y}-{m:02d}", q)
    except ValueError:
        return None
    if q in R["halves"]:
        h = R["halves"][q]
        return _Period(dt.date(y, 6 * h - 5, 1), _month_end(y, 6 * h), "half", f"{y}-H{h}", q)
    if q in R["year_points"]:
        return _period(y, R["year_points"][q]["month"], q="年" + q)
    if q and (qm := _QUARTER_RE.fullmatch(q)):
        n = _Q["numbers"][qm["n"]]
        first = 1 if qm["cum"] else n
        iso = f"{y}-Q{first}/{y}-Q{n}" if qm["cum"] else f"{y}-Q{n}"
        return _Period(dt.date(y, 3 * first - 2, 1), _month_end(y, 3 * n), "quarter", iso, q,
                       "range" if qm["cum"] else "point")
    return _Period(dt.date(y, 1, 1), dt.date(y, 12, 31), "year", str(y))


def _side(m: regex.Match, s: str, year: int | None, month: int | None) -> _Period | None:
    """Period of one end; a missing year / month (with a day) comes from `year` / `month`."""
    ys, ms, ds = m[f"y{s}"], m[f"m{s}"], m[f"d{s}"]
    y = _year(ys) if ys else year
    mo = _num(ms) if ms else (month if ds else None)
    if y is None or (ds and mo is None):
        return None
    return _period(y, mo, _num(ds) if ds else None, m[f"q{s}"])


def _join(a: _Period, b: _Period) -> _Period:
    precision = max(a.precision, b.precision, key=_RANK.index)
    qualifier = "/".join(q for q in (a.qualifier, b.qualifier) if q) or None
    iso = f"{a.iso.split('/')[0]}/{b.iso.split('/')[-1]}"
    return _Period(a.start, b.end, precision, iso, qualifier, "range")


def _match(m: regex.Match, last_year: int | None) -> tuple[DateMatch | None, int]:
    """The DateMatch for one regex match (None when not a real date) and where to search on."""
    a = _side(m, "a", last_year, None)
    if a is None:
        return None, m.end()
    end = m.end("a")
    if m["b"] is not None:
        b = None
        if m["yb"] or a.precision in ("day", "month"):
            b = _side(m, "b", a.start.year, a.start.month if a.precision == "day" else None)
        if b is not None and b.start > a.start and b.end >= a.end:
            a, end = _join(a, b), m.end("b")
        elif m["bare"]:
            return None, m.end()
    closed = bool(m["until"]) and end == m.end("body")
    is_cutoff = bool(m["cut"]) and (m["cut"] not in R["cutoff_openers"] or closed)
    start = m.start("cut") if is_cutoff else m.start("a")
    if is_cutoff and closed:
        end = m.end("until")
    return DateMatch(start=start, end=end, raw=m.string[start:end], kind=a.kind,
                     precision=a.precision, date_start=a.start, date_end=a.end, iso=a.iso,
                     qualifier=a.qualifier, is_cutoff=is_cutoff,
                     year_inferred=m["ya"] is None), end


def text_to_dates(text: str) -> list[DateMatch]:
    """Every date and period in `text`, sorted by start, non-overlapping."""
    found: list[DateMatch] = []
    pos, last_year = 0, None
    while m := _DATE.search(text, pos):
        date, pos = _match(m, last_year)
        if date:
            found.append(date)
            if not date["year_inferred"]:
                last_year = date["date_end"].year
    return found
