"""When a money amount happened and which year it counts in, from the dates of its sentence.

`amount_date`: the date before the amount in its sentence (`_when`), or one right after it in its
own clause (50万元于2023年5月6日拨付到位) when the date before belongs to another clause.
"""
from __future__ import annotations

from functools import cache

import regex

from ..rules import load
from .roles import same_clause
from .view import DocView

_TITLE = regex.compile(r"《[^《》]*》")


@cache
def _rules() -> dict:
    """roles.toml's [date_after], its patterns compiled once."""
    r = load("roles")["date_after"]
    return {**r, **{k: regex.compile(r[k]) for k in ("between", "year_of_object", "prior_year", "respective",
                                                       "separators", "next_clause", "handout", "handout_not",
                                                       "late_clause", "same_year")}}


def _is_point(date: dict) -> bool:
    return date["kind"] == "point" and date["precision"] != "year"


def _when(view: DocView, span_start: int, pos: int, report_year: int | None
          ) -> tuple[dict | None, int | None, str | None]:
    """(event date, year, where the year came from) of an amount at `pos`, its sentence (or
    the sentence it continues) starting at `span_start`.

    The event date is the last point date (finer than a year) before the amount in its sentence;
    one in an earlier clause with a year of its own between is not its date, unless that year
    names the money a verb acts on (2022年11月1日，省财政提前下达2023年补助资金: date 2022-11-01, year 2023);
    a year, a year range or a period nearer to the amount than that date names the year it
    counts in (2022年1月20日…批复本项目2022年度预算860万元: date 2022-01-20, year 2022). A date
    of another year in an earlier clause is not the amount's; one in its own clause is, and the
    year between names something else (2023年2月17日支付2022年度运维合同尾款: date and year 2023). Dates inside a document's title
    (《关于下达2023年…的通知》) are not the amount's. Without either, the evaluation year of a
    report that covers one year.
    """
    titles = [(m.start(), m.end()) for m in _TITLE.finditer(view.text, span_start, pos)]
    before = [d for d in view.dates if span_start <= d["char_start"] and d["char_end"] <= pos
              and not any(a <= d["char_start"] < b for a, b in titles)]
    point = next((d for d in reversed(before) if _is_point(d)), None)
    yearish = next((d for d in reversed(before) if not _is_point(d)), None)
    if yearish and (point is None or yearish["char_start"] > point["char_start"]):
        start, end = yearish["date_start"], yearish["date_end"]
        if start.year == end.year:      # a date of another year before it belongs to an earlier clause
            if point is not None and point["date_start"].year != start.year \
                    and same_clause(view.text[point["char_end"]:pos]):
                return point, point["date_start"].year, "date"    # …支付2022年度运维合同尾款: of the contract
            same = point is not None and (point["date_start"].year == start.year or _year_of_object(view, yearish))
            return (point if same else None), start.year, "stated"
    if point:
        return point, point["date_start"].year, "date"
    if yearish is None and _rules()["same_year"].match(view.text, span_start):
        para = view.text.rfind("\n", 0, span_start)
        earlier = [d for d in view.dates if para < d["char_start"] and d["char_end"] <= span_start]
        if earlier:
            return None, earlier[-1]["date_start"].year, "stated"
    return None, report_year, "report" if report_year else None


def _year_of_object(view: DocView, yearish: dict) -> bool:
    """The year names the money that a verb before it in its clause acts on (提前下达2023年补助资金):
    the date before that clause is still the event's."""
    rules = _rules()
    i = yearish["char_start"]
    while i > 0 and view.text[i - 1] not in rules["clause_ends"]:
        i -= 1
    return rules["year_of_object"].search(view.text[i:yearish["char_start"]]) is not None


def _date_after(view: DocView, end: int, stop: int, next_clause: str | None = None) -> dict | None:
    """A point date that follows an amount ending at `end` in its own clause, with nothing but
    于 / 在 / a bracket between (50万元于2023年5月6日拨付到位), before `stop` (the next amount); with
    `next_clause` (the name of the roles.toml [date_after] pattern that may stand before it), one in
    the next clause too: "next_clause" (…服务费44.82万元，于2024年4月中旬支付), "late_clause"
    (…49万元已列入预算，但迟至2024年8月30日才拨入)."""
    rules = _rules()
    i = end
    while i < stop and view.text[i] not in rules["clause_ends"]:
        i += 1
    first = next((d for d in view.in_span(view.dates, end, i)), None)
    if first is None and next_clause and i < stop:      # …，于2024年4月中旬支付；: the next clause's
        j = i + 1
        while j < stop and view.text[j] not in rules["clause_ends"]:
            j += 1
        nxt = next((d for d in view.in_span(view.dates, i, j)), None)
        between = rules[next_clause]
        if nxt is not None and j <= stop and _is_point(nxt) and between.match(view.text[i:nxt["char_start"]]):
            return nxt
        return None
    if first is None or not _is_point(first) or not rules["between"].match(view.text[end:first["char_start"]]):
        return None
    return first


def _respective(view: DocView, span_start: int, amount: dict) -> dict | None:
    """The date of `amount` from a list after 分别于 before it (分别于A、B支付X和Y: X on A, Y on B):
    the k-th listed date for the k-th amount after the list; None past the list's end."""
    cues = list(_rules()["respective"].finditer(view.text, pos=span_start, endpos=amount["char_start"]))
    if not cues:
        return None
    listed, at = [], cues[-1].end()
    for d in view.in_span(view.dates, at, amount["char_start"]):
        if not _is_point(d) or not _rules()["separators"].match(view.text[at:d["char_start"]]):
            break
        listed.append(d)
        at = d["char_end"]
    if len(listed) < 2:
        return None
    k = len(view.in_span(view.amounts, at, amount["char_start"]))
    return listed[k] if k < len(listed) else None


def amount_date(view: DocView, span_start: int, amount: dict, stop: int, report_year: int | None,
                next_clause: str | None = None) -> tuple[dict | None, int | None, str | None]:
    """(date, year, where the year came from) of `amount`, its sentence starting at `span_start`;
    `stop` is where the next amount of the sentence (or the sentence) starts; `next_clause`: how a
    date in the clause after it may be told (`_date_after`), for money that clause dates."""
    listed = _respective(view, span_start, amount)
    if listed is not None:
        return listed, listed["date_start"].year, "date"
    date, year, year_from = _when(view, span_start, amount["char_start"], report_year)
    later = _date_after(view, amount["char_end"], stop, next_clause)
    if later and (date is None or not same_clause(view.text[date["char_end"]:amount["char_start"]])):
        date = later
        if year_from != "stated":
            year, year_from = later["date_start"].year, "date"
    return date, year, year_from


def handed_out_on(view: DocView, date: dict | None, amount: dict) -> bool:
    """The amount was handed out on `date`, told in an earlier clause (X日发放，…，发放金额Y元)."""
    if date is None or date["precision"] != "day" or date["char_end"] > amount["char_start"]:
        return False
    clause = view.text[max(view.text.rfind(c, 0, amount["char_start"]) for c in "，,；;：:") + 1:amount["char_start"]]
    return bool(_rules()["handout"].match(view.text, date["char_end"])) and not _rules()["handout_not"].search(clause)


def prior_year(view: DocView, amount: dict, date: dict | None, year: int | None) -> tuple[dict | None, int | None]:
    """An amount compared with the year before (较上年的1.7万元, 上年同期为…) counts in the year
    before the one its sentence is about: (no date, that year - 1); else (date, year) unchanged."""
    before = view.text[max(0, amount["char_start"] - 16):amount["char_start"]]
    if year is None or not _rules()["prior_year"].search(before):
        return date, year
    return None, year - 1
