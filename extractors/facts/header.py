"""The report header: project name, unit, evaluation period, total score and grade.

Sources, in order: labelled cells of a form table (项目名称 | X, 实施单位 | Y, 自评等级 | 优: a
cell holds the whole value even when the PDF wraps it), labelled lines (项目名称：X, 项目单位 X,
评价时间：…至…, 考评等次：优), the title on the first page (… 项目支出绩效评价报告). The unit is
a whole organisation name taken where the report names itself: a labelled line or cell, the
body a title starts with, the body that signs the report, the body given a short name (X局
（以下简称“市X局”）); only then the government body the text names most often. A title keeps 项目 with the project name, on
two lines (…建设项目 / 支出绩效评价报告) or one (…服务项目支出绩效评价报告 -> …服务项目), except in
the document kind 财政支出项目绩效评价报告. A form titled for one year (（2024年度）)
evaluates that whole year. The total score comes from the score sheet (scores.total_score).
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from functools import cache

from schemas.rows import ReportFieldRow

from ..patterns import alternation
from ..rules import load
from ..sentences import Sentence
from .roles import ends_sentence
from .scores import total_score
from .tables import labelled_cells, squash
from .view import DocView

CJK = "\u4e00-\u9fff"
Found = tuple  # (value, page, quote)


@cache
def _rules() -> dict:
    r = dict(load("header"))
    stops = alternation(r["value_stops"])
    # 项目名称：X anywhere in a line; 项目名称 X at its start or after a space (a form row)
    r["labels"] = {key: [(label, re.compile(rf"(?:{re.escape(label)}\s*[：:]\s*|(?:^|(?<=\s)){re.escape(label)}\s+)"
                                            rf"(?P<v>.*?)\s*(?=(?:{stops})|$)")) for label in r[key]]
                   for key in ("project_labels", "unit_labels")}
    r["grade_re"] = re.compile(
        rf"(?:{alternation(r['grade_labels'])}){r['grade_connector_pattern']}"
        rf"(?P<g>{alternation(r['grade_words'])})(?=$|[^{CJK}、/]|[{r['grade_followers']}])"
        rf"(?!{r['grade_scale_pattern']})")
    r["period_re"] = re.compile(alternation(r["period_labels"]))
    r["label_in_title_re"] = re.compile(rf"(?:{alternation(r['unit_labels'] + r['period_labels'])})\s*[:：]")
    suffixes = alternation(r["title_suffixes"])
    author = (rf"(?:(?:{alternation(r['provinces'])})[省市]?|[{CJK}]{{2,4}}?[{r['region_chars']}])"
              rf"[{CJK}]{{0,{r['unit_max_chars']}}}?(?:{alternation(r['unit_endings'])})")
    r["suffix_re"] = re.compile(rf"(?:{r['title_year_pattern']})?(?P<kind>{suffixes})(?:{author})?$")
    r["suffix_line_re"] = re.compile(rf"^(?:{r['title_prefix_pattern']})?(?:{r['title_year_pattern']})?(?:{suffixes})$")
    r["year_re"] = re.compile(r["period_title_pattern"])
    r["act_re"] = re.compile(r["period_act_pattern"])
    char = rf"[^\s{r['body_stop_chars']}\W\d]"
    region = rf"(?:(?:{alternation(r['provinces'])})[省市]?|{char}{{2}}[市县区州]|[{r['region_chars']}])"
    r["body_re"] = re.compile(rf"{region}{char}{{1,{r['body_max_core']}}}?(?:{alternation(r['body_endings'])})")
    full_region = (rf"(?:(?:{alternation(r['provinces'])})[省市]?|[{CJK}]{{2,4}}?[{r['region_chars']}]"
                   rf"|{r['township_region_pattern']})")
    named = rf"[{CJK}（）()]{{2,{r['unit_max_chars']}}}?(?:{alternation(r['unit_endings'])})"
    r["full_body_re"] = re.compile(rf"{full_region}[{CJK}（）()]{{0,{r['unit_max_chars']}}}?"
                                   rf"(?:{alternation(r['unit_endings'])})")
    r["title_unit_re"] = re.compile(rf"(?P<body>{named})(?=(?:{r['title_unit_followers']}))")
    r["signature_re"] = re.compile(rf"(?P<body>{named})(?:{r['signature_tail_pattern']})?")
    r["column_head_re"] = re.compile(r["column_head_pattern"])
    r["institution_re"] = re.compile(r["institution_pattern"])
    r["aside_re"] = re.compile(r["not_unit_spans_pattern"], re.M)
    r["unit_boundary_re"] = re.compile(rf"(?:{r['unit_boundary_pattern']})$")
    r["alias_re"] = re.compile(rf"(?<=[{r['unit_ending_chars']}])\s*{r['alias_pattern']}")
    return r


def _at(view: DocView, value, s: Sentence) -> Found:
    return value, view.page_of(s.start), s.text


def _valid(value: str) -> bool:
    return len(re.findall(f"[{CJK}]", value)) >= _rules()["min_value_chars"]


def _column_head(value: str) -> bool:
    """A value that reads like the heads of a table's columns (全年预算数 全年执行数 执行率)."""
    return any(_rules()["column_head_re"].search(part) for part in value.split())


def _header_row(cells: list) -> bool:
    """A row whose cells read like the heads of a table's columns (项目名称 | 实施村 | 中央资金 | 合计):
    a label in it heads a column, the cell beside it is another head, not its value."""
    heads = [squash(c) for c in cells if squash(c)]
    return len(heads) >= 4 and any(_rules()["column_head_re"].search(h) for h in heads)


def labelled(view: DocView, key: str) -> Found | None:
    """The value of the first label (earlier labels win) in a form cell or a labelled line. A
    label heading a column (项目名称 | 全年预算数 | 全年执行数) has no value beside it."""
    for label, pattern in _rules()["labels"][key]:
        for name, value, row in labelled_cells(view, [label]):
            if _valid(value) and not _column_head(value) and not _header_row(row.cells):
                return squash(value), row.page, " | ".join(c for c in row.cells if c)
        for s in view.sentences:
            m = pattern.search(s.text) if label in s.text else None     # the pattern needs the label
            if m and _valid(m.group("v")) and not _column_head(m.group("v")):
                return _at(view, m.group("v").rstrip("。；;"), s)
    return None


def _title_lines(view: DocView) -> list[Sentence]:
    r, lines = _rules(), []
    for s in view.sentences[: r["title_max_lines"]]:
        if s.heading_level is not None or len(s.text) > r["title_max_chars"]:
            break
        lines.append(s)
    return lines


def _before_label(text: str) -> str:
    """A title line up to a label line run on after it (…自评报告填报单位:X): the label is no title."""
    m = _rules()["label_in_title_re"].search(text, 1)
    return text[:m.start()] if m else text


def title_project(view: DocView) -> Found | None:
    """The title lines before the first heading, less the report-kind suffix."""
    r = _rules()
    lines = _title_lines(view)
    texts = [_before_label(x.text) for x in lines]
    for k in range(1, len(lines) + 1):
        title = squash("".join(texts[:k]))
        if k > 1 and r["suffix_line_re"].match(squash(texts[k - 1])):
            name = squash("".join(texts[:k - 1]))     # the line break ends the name
        elif r["suffix_re"].search(title):
            m = r["suffix_re"].search(title)
            kept = r["title_kept_word"] if m.group("kind").startswith(r["title_kept_word"]) else ""
            name = title[:m.start()] + kept
        else:
            continue
        tied = re.match(r["title_trailing_pattern"], name)
        name = re.sub(r["title_prefix_pattern"], "", tied.group("name") if tied else name)
        return _at(view, name, lines[0]) if _valid(name) and len(name) >= r["title_min_chars"] else None
    return None


def _full_body(name: str) -> bool:
    """A whole organisation name: a region (a province, or a place of two or more characters
    with 省/市/县/区/州), a core, and an ending of a body (not a company, not a funder)."""
    r = _rules()
    return ((r["full_body_re"].fullmatch(name) is not None or r["institution_re"].fullmatch(name) is not None)
            and not any(name.endswith(x) for x in r["not_units"] + r["company_endings"]))


def title_unit(view: DocView) -> Found | None:
    """The body a title starts with (松原县数据服务中心2023年度部门整体支出绩效自评报告)."""
    lines = _title_lines(view)
    if not lines:
        return None
    m = _rules()["title_unit_re"].match(squash("".join(x.text for x in lines)))
    return _at(view, m.group("body"), lines[0]) if m and _full_body(m.group("body")) else None


def cover_unit(view: DocView) -> Found | None:
    """The body named on a line of its own on the cover, before the first heading (a title, then
    澄江县某某镇人民政府 / 某市水务局 2025年1月): the author of the report."""
    r = _rules()
    for s in view.sentences[: r["cover_max_lines"]]:
        if s.heading_level is not None:
            break
        m = r["signature_re"].fullmatch(squash(s.text))
        if m and _full_body(m.group("body")):
            return _at(view, m.group("body"), s)
    return None


def signature_unit(view: DocView) -> Found | None:
    """The body that signs the report: a line of its own among the last ones, alone or with
    the date (柳河市气象台2024年3月20日 / 柳河市人力资源和社会保障局 + a date line)."""
    r = _rules()
    for s in reversed(view.sentences[-r["signature_lines"]:]):
        m = r["signature_re"].fullmatch(squash(s.text))
        if m and _full_body(m.group("body")):
            return _at(view, m.group("body"), s)
    return None


def _body_before(text: str, end: int) -> str | None:
    """The whole body name ending at `end`: of the starts after a word boundary (punctuation,
    由, 对, 通过…), the nearest one that leaves a whole name (由江州市经济和信息化局: not 济和…)."""
    r = _rules()
    lo = max(0, end - r["unit_max_chars"] - 8)
    for start in range(end - 2, lo - 1, -1):
        if (start == 0 or r["unit_boundary_re"].search(text, lo, start)) and _full_body(text[start:end]):
            return text[start:end]
    return None


def alias_unit(view: DocView) -> Found | None:
    """The body the report gives a short name to (X局（以下简称“市X局”）) and then uses most."""
    r = _rules()
    named: Counter[str] = Counter()
    where: dict[str, Sentence] = {}
    for m in r["alias_re"].finditer(view.text):
        body = _body_before(view.text, m.start())
        if body is None:
            continue
        named[body] += view.text.count(m.group("alias")) + view.text.count(body)
        where.setdefault(body, view.sentence_at(m.start()) or view.sentences[0])
    if not named:
        return None
    best = named.most_common(1)[0][0]
    return _at(view, best, where[best])


def frequent_body(view: DocView) -> Found | None:
    """The government body named most often; of its spellings, the longest (某省数据管理局).
    A body in a document's title (《X局关于…的通知》) issued a document; one on a line of its own
    ending with a colon (X局：) is the addressee: neither counts."""
    r = _rules()
    aside = [m.span() for m in r["aside_re"].finditer(view.text)]
    spellings = Counter(m.group() for m in r["body_re"].finditer(view.text)
                        if not any(m.group().endswith(x) for x in r["not_units"])
                        and not any(a <= m.start() < b for a, b in aside))
    if not spellings:
        return None
    shortest = sorted(spellings, key=len)
    groups: Counter[str] = Counter()
    for name in spellings:
        base = next(b for b in shortest if name.endswith(b))
        groups[base] += spellings[name]
    base = groups.most_common(1)[0][0]
    best = max((n for n in spellings if n.endswith(base)), key=len)
    return _at(view, best, view.sentence_at(view.text.find(best)) or view.sentences[0])


def period(view: DocView) -> Found | None:
    """A date range (or whole year) in a line holding a period label, or just below such a
    heading; else the one year a form or report is titled for (（2024年度）)."""
    r = _rules()
    for i, s in enumerate(view.sentences):
        below = i and view.sentences[i - 1].heading_level is not None and s.heading_level is None
        if not (r["period_re"].search(s.text) or (below and r["period_re"].search(view.sentences[i - 1].text))):
            continue
        label = r["period_re"].search(s.text)
        dates = [d for d in view.in_span(view.dates, s.start, s.end) if d["kind"] == "range" or d["precision"] == "year"]
        # a range after the label is the one it names (于3月3日至3月28日对…开展评价，评价期间为…;
        # …对2023年度资金开展自评…，评价期间为2023年1月1日至2024年6月30日)
        after = [d for d in dates if label and d["char_start"] >= s.start + label.end()]
        for d in after or dates:
            return _at(view, (d["date_start"], d["date_end"]), s)
    for s in view.sentences:
        found = _evaluated_range(view, s, r["act_re"])
        if found:
            return _at(view, found, s)
    for s in _title_lines(view):
        m = r["year_re"].search(squash(s.text))
        if m:
            year = int(m.group("year") or m.group("year2"))
            return _at(view, (dt.date(year, 1, 1), dt.date(year, 12, 31)), s)
    return None


def _evaluated_range(view: DocView, s, act_re: re.Pattern) -> tuple[dt.date, dt.date] | None:
    """The one date range of a sentence that lies between 对 and the act of evaluating, all in
    one clause (对照/对比 are no 对); the act is the first one after the range (组织评价组 before it is
    no act on it)."""
    ranges = [d for d in view.in_span(view.dates, s.start, s.end) if d["kind"] == "range"]
    if len(ranges) != 1:
        return None
    d = ranges[0]
    start, end = d["char_start"] - s.start, d["char_end"] - s.start
    act = act_re.search(s.text, end)
    if not act or re.search(r"[，,；;：:]", s.text[start:act.start()]):
        return None
    clause = re.split(r"[，,；;：:]", s.text[:start])[-1]
    return (d["date_start"], d["date_end"]) if re.search(r"对(?![照比应])", clause) else None


def grade(view: DocView) -> Found | None:
    """The grade after its label, in a sentence or across the line break that splits it (…，等级
    / 为“良”。)."""
    r = _rules()
    for i, s in enumerate(view.sentences):
        m = r["grade_re"].search(s.text)
        if not m and i + 1 < len(view.sentences) and not ends_sentence(s.text):
            m = r["grade_re"].search(s.text + view.sentences[i + 1].text)
            m = m if m and m.start() < len(s.text) else None
        if m:
            return _at(view, m.group("g"), s)
    for _, value, row in labelled_cells(view, r["grade_labels"]):
        if squash(value) in r["grade_words"]:
            return squash(value), row.page, " | ".join(c for c in row.cells if c)
    return None


def view_to_header(view: DocView) -> tuple[dict, list[ReportFieldRow]]:
    header = dict.fromkeys(("project_name", "unit", "period_start", "period_end", "total_score", "grade"))
    fields: list[ReportFieldRow] = []

    def add(field: str, value: str, found: Found) -> None:
        fields.append(ReportFieldRow(doc_id=view.doc_id, field=field, value=value, page=found[1], quote=found[2]))

    if view.sentences:
        found = labelled(view, "project_labels") or title_project(view)
        if found:
            header["project_name"] = found[0]
            add("project_name", found[0], found)
        found = (labelled(view, "unit_labels") or title_unit(view) or cover_unit(view) or signature_unit(view)
                 or alias_unit(view) or frequent_body(view))
        if found:
            header["unit"] = found[0]
            add("unit", found[0], found)
        found = period(view)
        if found:
            header["period_start"], header["period_end"] = start, end = found[0]
            add("period", f"{start.isoformat()}/{end.isoformat()}", found)
        found = grade(view)
        if found:
            header["grade"] = found[0]
            add("grade", found[0], found)
    found = total_score(view)
    if found:
        header["total_score"] = found[0]
        add("total_score", str(found[0]), found)
    return header, fields
