"""Score sentences in wordings of research and concession reports (r27/r28 families): names that
carry their maximum in brackets before 分别得…, names holding 与, and scores written with their
maximum after a slash (14/15分). Sentences of our own."""
from __future__ import annotations

from decimal import Decimal

from extractors.document import text_to_view
from extractors.facts.scores import view_to_scores


def brief(text: str) -> list[tuple]:
    return [(r["name"], r["score"], r.get("max_score")) for r in view_to_scores(text_to_view("c" * 64, text))]


def test_names_with_their_maxima_in_brackets_scored_in_order_after_a_clause():
    got = brief("课题组按照验收办法，从任务完成（满分60分）、资金使用与管理（满分25分）、团队建设与保障（满分15分）"
                "三个方面逐项评分，分别得55分、22分、14分，综合得分91分。")
    assert got == [("总分", 91, None), ("任务完成", 55, None), ("资金使用与管理", 22, None),
                   ("团队建设与保障", 14, None)]


def test_scores_with_their_maxima_after_a_slash():
    got = brief("评价组汇总后，各维度得分为：前期决策17/20分，实施管理26.5/30分，产出效益44/50分。总得分87.5分。")
    assert got[1:] == [("前期决策", 17, 20), ("实施管理", Decimal("26.5"), 30), ("产出效益", 44, 50)]
