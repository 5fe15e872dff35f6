"""The year an indicator's target is set for, where the report says it: a year before the target
in its sentence (2024年新增服务站不少于30个), the heading above it (（二）2025年度绩效目标), or a
year column or cell of the indicator table. A year that a comparison names (较2023年提高) or a
finer date (截至2024年12月31日) sets no target's year; with none, the year stays empty."""
from __future__ import annotations

from functools import cache

import regex

from ..rules import load
from .view import DocView

YEAR_RE = regex.compile(r"((?:19|20)\d{2})\s*年度?")


@cache
def _rules() -> dict:
    r = load("indicators")["years"]
    return {"compare": regex.compile(r["comparison_before_pattern"] + r"\s*$"),
            "heading": regex.compile(r["heading_pattern"])}


def prose_year(view: DocView, sentence: int, start: int) -> int | None:
    """The target year stated before text position `start` in its sentence, else by a heading."""
    s = view.sentences[sentence]
    years = [d for d in view.dates if d["sentence_id"] == sentence and d["char_end"] <= start
             and d["precision"] == "year" and d["kind"] == "point"
             and not _rules()["compare"].search(view.text[s.start:d["char_start"]])]
    if years:
        return years[-1]["date_start"].year
    for heading in reversed(s.section.split(" > ") if s.section else []):
        m = _rules()["heading"].search(heading)
        if m:
            return int(m.group(1))
    return None


def cell_year(*cells: str | None) -> int | None:
    """The year a table cell names (2024年 / 2024年度 / 2024), the first cell naming one."""
    for cell in cells:
        text = regex.sub(r"\s+", "", cell or "")
        m = YEAR_RE.match(text) or regex.fullmatch(r"((?:19|20)\d{2})", text)
        if m:
            return int(m.group(1))
    return None
