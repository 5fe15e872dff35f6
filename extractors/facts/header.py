"""The report header: project name, unit, evaluation period, total score and grade.

Sources, in order: labelled lines (项目名称：X, 项目单位 X, 评价时间：…至…, 考评等次：优), the
title on the first page (… 项目支出绩效评价报告), and for the unit the government body the
text names most often. The total score comes from the score sheet (scores.find_total).
"""
from __future__ import annotations

import re
from collections import Counter
from functools import cache

from schemas.rows import ReportFieldRow

from ..patterns import alternation
from ..rules import load
from ..sentences import Sentence
from .scores import find_total
from .view import DocView

CJK = "\u4e00-\u9fff"


@cache
def _rules() -> dict:
    r = dict(load("header"))
    stops = alternation(r["value_stops"])
    r["labels"] = {key: [re.compile(rf"^\s*{re.escape(label)}(?:\s*[：:]\s*|\s+)(?P<v>.*?)\s*(?=(?:{stops})|$)")
                         for label in r[key]] for key in ("project_labels", "unit_labels")}
    r["grade_re"] = re.compile(
        rf"(?:{alternation(r['grade_labels'])}){r['grade_connector_pattern']}"
        rf"(?P<g>{alternation(r['grade_words'])})(?=$|[^{CJK}、/]|[{r['grade_followers']}])"
        rf"(?!{r['grade_scale_pattern']})")
    r["period_re"] = re.compile(alternation(r["period_labels"]))
    r["suffix_re"] = re.compile(rf"(?:{alternation(r['title_suffixes'])})$")
    char = rf"[^\s{r['body_stop_chars']}\W\d]"
    region = rf"(?:(?:{alternation(r['provinces'])})[省市]?|{char}{{2}}[市县区州]|[{r['region_chars']}])"
    r["body_re"] = re.compile(rf"{region}{char}{{1,{r['body_max_core']}}}?(?:{alternation(r['body_endings'])})")
    return r


def _field(view: DocView, field: str, value: str, s: Sentence) -> ReportFieldRow:
    return ReportFieldRow(doc_id=view.doc_id, field=field, value=value, page=view.page_of(s.start), quote=s.text)


def _valid(value: str) -> bool:
    return len(re.findall(f"[{CJK}]", value)) >= _rules()["min_value_chars"]


def labelled(view: DocView, key: str) -> tuple[str, Sentence] | None:
    """The first value of a labelled line (项目名称：X); labels earlier in the list win."""
    for pattern in _rules()["labels"][key]:
        for s in view.sentences:
            m = pattern.match(s.text)
            if m and _valid(m.group("v")):
                return m.group("v").rstrip("。；;"), s
    return None


def title_project(view: DocView) -> tuple[str, Sentence] | None:
    """The title lines before the first heading, less the report-kind suffix."""
    r = _rules()
    lines: list[Sentence] = []
    for s in view.sentences[: r["title_max_lines"]]:
        if s.heading_level is not None or len(s.text) > r["title_max_chars"]:
            break
        lines.append(s)
        title = re.sub(r"\s+", "", "".join(x.text for x in lines))
        if r["suffix_re"].search(title):
            name = re.sub(r["title_prefix_pattern"], "", r["suffix_re"].sub("", title))
            return (name, lines[0]) if _valid(name) and len(name) >= r["title_min_chars"] else None
    return None


def frequent_body(view: DocView) -> tuple[str, Sentence] | None:
    """The government body named most often; of its spellings, the longest (海南省大数据管理局)."""
    r = _rules()
    spellings = Counter(m.group() for m in r["body_re"].finditer(view.text)
                        if not any(m.group().endswith(x) for x in r["not_units"]))
    if not spellings:
        return None
    shortest = sorted(spellings, key=len)
    groups: Counter[str] = Counter()
    for name in spellings:
        base = next(b for b in shortest if name.endswith(b))
        groups[base] += spellings[name]
    base = groups.most_common(1)[0][0]
    best = max((n for n in spellings if n.endswith(base)), key=len)
    pos = view.text.find(best)
    return best, view.sentence_at(pos) or view.sentences[0]


def period(view: DocView) -> tuple[tuple, Sentence] | None:
    """A date range (or whole year) in a line holding a period label, or just below such a heading."""
    r = _rules()
    for i, s in enumerate(view.sentences):
        below = i and view.sentences[i - 1].heading_level is not None and s.heading_level is None
        if not (r["period_re"].search(s.text) or (below and r["period_re"].search(view.sentences[i - 1].text))):
            continue
        for d in view.in_span(view.dates, s.start, s.end):
            if d["kind"] == "range" or d["precision"] == "year":
                return (d["date_start"], d["date_end"]), s
    return None


def grade(view: DocView) -> tuple[str, Sentence] | None:
    for s in view.sentences:
        m = _rules()["grade_re"].search(s.text)
        if m:
            return m.group("g"), s
    return None


def view_to_header(view: DocView) -> tuple[dict, list[ReportFieldRow]]:
    header = dict.fromkeys(("project_name", "unit", "period_start", "period_end", "total_score", "grade"))
    fields: list[ReportFieldRow] = []
    if view.sentences:
        found = labelled(view, "project_labels") or title_project(view)
        if found:
            header["project_name"] = found[0]
            fields.append(_field(view, "project_name", found[0], found[1]))
        found = labelled(view, "unit_labels") or frequent_body(view)
        if found:
            header["unit"] = found[0]
            fields.append(_field(view, "unit", found[0], found[1]))
        span = period(view)
        if span:
            (start, end), s = span
            header["period_start"], header["period_end"] = start, end
            fields.append(_field(view, "period", f"{start.isoformat()}/{end.isoformat()}", s))
        found = grade(view)
        if found:
            header["grade"] = found[0]
            fields.append(_field(view, "grade", found[0], found[1]))
    total = find_total(view)
    if total:
        header["total_score"] = total[0]
        fields.append(_field(view, "total_score", str(total[0]), total[1]))
    return header, fields
