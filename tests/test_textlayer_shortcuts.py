"""Shortcuts of the text layer give what the full tests give: page_status scans a page once for
both of its measures, and mark_wide_gaps passes over a line with a single run of characters."""
from __future__ import annotations

import pytest

from extractors.normalize import is_letter_spaced, single_runs
from extractors.rules import load
from extractors.textlayer import RULES, _INNER_GAP, page_status, printable_chars, unreadable_share

TEXTS = [
    "", " ", "\x1c\x1d\x85", "- 7 -", "第二章  资金使用", "甲 乙 丙 丁 戊 己", "1 2 3 4",
    "示例单位年度资金共计 845.20 万元。", "\ue010\ue011\ufffd示例\x02", "\x03\x04\x05 预 算 66",
    "合\u3000计\xa0\xa01 9 . 5", "如 下 。", "9 0 %。", "\t\t", "单行无空格的文字" * 3,
]


def _status_from_both_measures(text: str) -> str:
    if unreadable_share(text) > RULES["garbled_share"]:
        return "garbled"
    return "ok" if printable_chars(text) >= RULES["min_page_chars"] else "no_text"


@pytest.mark.parametrize("text", TEXTS + ["\n".join(TEXTS), "".join(TEXTS) * 4])
def test_page_status_is_both_measures(text):
    assert page_status(text) == _status_from_both_measures(text)


def test_a_letter_spaced_line_has_several_runs():
    assert load("normalize")["letter_spacing"]["min_runs"] >= 2


@pytest.mark.parametrize("text", TEXTS + ["甲\x1c乙\x1d丙\x85丁 戊", "\u2003甲\u2003乙\u2003丙\u2003丁"])
def test_a_line_without_an_inner_gap_is_neither_spaced_nor_single_runs(text):
    two_runs = len(text.split()) >= 2
    assert (_INNER_GAP.search(text) is not None) == two_runs
    if not two_runs:
        assert not is_letter_spaced(text) and not single_runs(text)
