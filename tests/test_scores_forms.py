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


def test_bare_items_summed_by_a_total_right_after_them():
    got = brief("■ 结论\n投入类14.5分，实施类22分，产出类30分，效益类20.5分，合计87分，评为良。")
    assert got == [("总分", 87, None), ("投入类", Decimal("14.5"), None), ("实施类", 22, None),
                   ("产出类", 30, None), ("效益类", Decimal("20.5"), None)]


def test_bare_maxima_summed_to_the_scale_are_no_scores():
    assert brief("指标体系由四部分组成：投入类15分，实施类25分，产出类35分，效益类25分，合计100分。") == []
    assert brief("各类设定如下：投入类15分，实施类25分，合计40分，权重按上年执行。") == []


def test_bare_items_after_a_colon_summed_by_a_labelled_total_right_after_them():
    got = brief("专家组从立项、管理、成效三个维度评分：立项16.5分，管理27分，成效41分，总得分84.5分，等次为良。")
    assert got == [("总分", Decimal("84.5"), None), ("立项", Decimal("16.5"), None), ("管理", 27, None),
                   ("成效", 41, None)]
    assert brief("满分100分，立项20分，管理30分，总得分96分。") == [("总分", 96, None)]
