"""extractors.facts.scores: prose score-sheet items, the total, score tables, the samples' gold."""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pytest

from extractors.document import mention_rows
from extractors.facts.scores import find_total, view_to_scores
from extractors.facts.view import DocView, Table
from extractors.sentences import SentenceIndex, text_to_sentences

GOLD = Path(__file__).parent / "fixtures" / "gold"


def snippet_view(text: str, tables: tuple[Table, ...] = ()) -> DocView:
    """A DocView over already-normalised text, on one page, through the project's own mentions."""
    sentences = text_to_sentences(text)
    rows = mention_rows("t", SimpleNamespace(text=text, page_of=lambda pos: 1), SentenceIndex(sentences))
    return DocView("t", text, sentences, lambda pos: 1, rows["amounts"], rows["dates"],
                   rows["percentages"], rows["counts"], list(tables))


def brief(rows) -> list[tuple]:
    return [(r["name"], r["score"], r["max_score"]) for r in rows]


def D(x):
    return None if x is None else Decimal(str(x))


@pytest.mark.parametrize("text, name, score, max_score", [
    ("（一）项目决策：20分", "项目决策", 20, None),
    ("（1）目标内容：4分。", "目标内容", 4, None),
    ("1.项目目标：满分4分，得3分。", "项目目标", 3, 4),
    ("（2）决策程序：分值5分 得分4.5分", "决策程序", 4.5, 5),
    ("二、项目管理：得分22分", "项目管理", 22, None),
    ("（3）产出时效（满分10分）：8分", "产出时效", 8, 10),
    ("1.项目目标（4分）：得3分", "项目目标", 3, 4),
    ("3、资金到位率：得分为5分，资金全部到位。", "资金到位率", 5, None),
    ("（4）服务对象满意度得分9分。", "服务对象满意度", 9, None),
])
def test_prose_items(text, name, score, max_score):
    assert brief(view_to_scores(snippet_view(text))) == [(name, D(score), D(max_score))]


@pytest.mark.parametrize("text", [
    "（1）服务期3年，按年支付服务费用。",
    "评分标准：满分10分，每少1项扣2分。",
    "1.评分标准：满分10分，得分8分。",
    "3.项目建设周期：12个月。",
    "（2）培训人数：120人次。",
    "1.项目目标（4分）",
    "根据评价得分（得分取整分），将评价等级设定为优秀（90-100分）、良好（80-89分）。",
    "评价指标体系总分100分，其中项目决策20分。",
    "会议时长控制在30分钟以内。",
    "项目决策：20分",                     # no numbering: not a score-sheet line
])
def test_not_scores(text):
    assert view_to_scores(snippet_view(text)) == []


@pytest.mark.parametrize("text, total", [
    ("2022年项目建设情况好，综合得分98分，总体评价为优。", 98),
    ("经评价，得分为91.5分，等级为优秀。", 91.5),
    ("本项目绩效评价总分为86分。", 86),
    ("该项目自评得分：79分，评价等级为中。", 79),
    ("满分100分，本项目评价得分为88分。", 88),
])
def test_total(text, total):
    rows = view_to_scores(snippet_view(text))
    assert [(r["name"], r["score"], r["level"], r["parent"]) for r in rows] == [("总分", D(total), 0, None)]
    assert find_total(snippet_view(text))[0] == D(total)


def test_levels_and_parents():
    text = ("综合得分90分。\n（一）项目决策：18分\n1.项目目标：4分\n（1）目标内容：4分。\n"
            "2.决策过程：6分\n（二）项目绩效：72分\n1.项目产出：30分")
    rows = view_to_scores(snippet_view(text))
    assert [(r["name"], r["level"], r["parent"]) for r in rows] == [
        ("总分", 0, None), ("项目决策", 1, None), ("项目目标", 2, "项目决策"), ("目标内容", 3, "项目目标"),
        ("决策过程", 2, "项目决策"), ("项目绩效", 1, None), ("项目产出", 2, "项目绩效")]
    assert [r["score_id"] for r in rows] == list(range(1, 8))
    assert {r["source"] for r in rows} == {"prose"} and rows[3]["quote"] == "（1）目标内容：4分。"


def test_score_table():
    table = Table(page=7, index=0, rows=[
        ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
        ["产出指标", "数量指标", "培训人数", "≥820个", "1000个", "10", "10"],
        [None, None, "覆盖率", "≥95%", "93%", "10", "8.5"],
        [None, "质量指标", "验收合格率", "=100%", "100%", "10", "10分"],
        ["满意度指标", "", "群众满意度", "≥90%", "好评", "10", "9"],
        ["总分", None, None, None, None, "100", "87.5"],
    ])
    rows = view_to_scores(snippet_view("一、附表", (table,)))
    assert [(r["name"], r["score"], r["max_score"], r["level"], r["parent"]) for r in rows] == [
        ("培训人数", 10, 10, 3, "数量指标"), ("覆盖率", D(8.5), 10, 3, "数量指标"),
        ("验收合格率", 10, 10, 3, "质量指标"), ("群众满意度", 9, 10, 3, "满意度指标"),
        ("总分", D(87.5), 100, 0, None)]
    assert {r["source"] for r in rows} == {"table"} and rows[0]["page"] == 7


def test_simple_score_table():
    table = Table(page=3, index=0, rows=[
        ["评价指标", "分值", "得分"], ["项目决策", "20", "18"], ["项目过程", "20", "19"], ["合计", "100", "91"]])
    rows = view_to_scores(snippet_view("附表", (table,)))
    assert [(r["name"], r["score"], r["level"]) for r in rows] == [
        ("项目决策", 18, None), ("项目过程", 19, None), ("总分", 91, 0)]


def _gold(stem: str) -> dict:
    return json.loads((GOLD / f"{stem}.gold.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("stem", ["001_0eae385221b322f5", "002_ed56922f022e386f",
                                  "003_7b98f24135c041f8", "004_bde0c0f62c0d9a40"])
def test_samples_match_gold(sample_views, stem):
    rows = view_to_scores(sample_views[stem])
    assert sorted((r["name"], r["score"]) for r in rows) == sorted(
        (g["name"], D(g["score"])) for g in _gold(stem)["scores"])


def test_sample_003_structure(sample_views):
    rows = {r["name"]: r for r in view_to_scores(sample_views["003_7b98f24135c041f8"])}
    assert rows["总分"]["level"] == 0 and rows["项目决策"]["level"] == 1
    assert rows["到位率"]["parent"] == "资金到位" and rows["资金到位"]["parent"] == "项目管理"
    assert rows["服务对象满意度"]["level"] == 3 and rows["服务对象满意度"]["page"] == 9
