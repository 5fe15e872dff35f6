"""extractors.facts.scores: prose score-sheet items, the items listed after them, the total, score
tables, the gold files of the samples, the own reports and the two standard forms."""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import own_gold_path, snippet_view

from extractors.facts.scores import find_total, total_score, view_to_scores
from extractors.facts.view import Table

GOLD = Path(__file__).parent.parent / "data" / "gold"
OWN = Path(__file__).parent / "reports"
FORMS = Path(__file__).parent / "fixtures" / "forms"


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
    ("（二）过程管理（25分），得分22分。", "过程管理", 22, 25),
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


@pytest.mark.parametrize("text, expected", [
    # items listed after a numbered item, with deductions and notes between them
    ("（一）资金管理：17分（满分20分）。其中预算执行8分；资金使用6分，个别凭证不全，扣2分；财务制度3分。",
     [("资金管理", 17, 20, 1, None), ("预算执行", 8, None, 2, "资金管理"),
      ("资金使用", 6, None, 2, "资金管理"), ("财务制度", 3, None, 2, "资金管理")]),
    # the list may open the next sentence, and give each item's maximum
    ("（二）项目效益：26分。其中：经济效益8分（满分10分），社会效益9分（满分10分）、满意度得分9分。",
     [("项目效益", 26, None, 1, None), ("经济效益", 8, 10, 2, "项目效益"),
      ("社会效益", 9, 10, 2, "项目效益"), ("满意度", 9, None, 2, "项目效益")]),
    # items listed after the total are the first level
    ("经综合评价，项目综合得分88分，等级为良好。其中：决策15分（满分20分），过程17分（满分20分）。",
     [("总分", 88, None, 0, None), ("决策", 15, 20, 1, None), ("过程", 17, 20, 1, None)]),
    # the list may follow a sentence without points (the grade), and be named before it opens
    ("经综合评定，该项目自评总分为91.5分。评定等次为良好。其中投入18分，实施17.5分。",
     [("总分", 91.5, None, 0, None), ("投入", 18, None, 1, None), ("实施", 17.5, None, 1, None)]),
    ("经评价，项目综合得分85分，等次为“良”。三个维度的得分分别是：管理25分，产出40分，效益20分。",
     [("总分", 85, None, 0, None), ("管理", 25, None, 1, None), ("产出", 40, None, 1, None),
      ("效益", 20, None, 1, None)]),
    # a bracket right after the total may hold the list, without an opener
    ("经单位自评，综合得分89.5分（投入16分、实施18.5分、产出33分、成效22分），评定为良好。",
     [("总分", 89.5, None, 0, None), ("投入", 16, None, 1, None), ("实施", 18.5, None, 1, None),
      ("产出", 33, None, 1, None), ("成效", 22, None, 1, None)]),
    # a list ends with its paragraph
    ("（一）项目决策：18分。其中立项规范6分。\n项目管理方面，档案管理8分的标准未全部达到。",
     [("项目决策", 18, None, 1, None), ("立项规范", 6, None, 2, "项目决策")]),
])
def test_listed_items(text, expected):
    rows = view_to_scores(snippet_view(text))
    assert [(r["name"], r["score"], r["max_score"], r["level"], r["parent"]) for r in rows] == [
        (n, D(sc), D(mx), lv, pa) for n, sc, mx, lv, pa in expected]


@pytest.mark.parametrize("text", [
    "评价指标体系总分100分，其中项目决策20分、项目过程20分。",          # a scale, not a result
    "（一）项目决策：18分。该项扣2分，其中立项程序扣1分、绩效目标扣1分。",  # deductions
    "（一）项目决策：18分。其中：合计扣分2分。",
])
def test_listed_negatives(text):
    assert [r["name"] for r in view_to_scores(snippet_view(text))] in ([], ["项目决策"])


@pytest.mark.parametrize("text", [
    "综合得分85分。各指标分值分别为：管理30分，产出40分，效益30分。",    # maxima, named so
    "综合得分85分。资金使用扣3分。其中：管理25分，产出40分。",            # points between: not its list
    "综合得分86分（90分及以上为优、80分至89分为良）。",                 # a grade scale in the bracket
    "综合得分86分（满分100分）。过程20分的标准未全部达到。",              # one bracket, no list
])
def test_no_list_after_the_total(text):
    assert [r["name"] for r in view_to_scores(snippet_view(text))] == ["总分"]


@pytest.mark.parametrize("text, expected", [
    # names first, then their scores in the same order
    ("经综合评议，本项目总分85.5分。投入、实施、产出及效果四个方面依次得分16分、17.5分、33分和19分。",
     [("总分", 85.5), ("投入", 16), ("实施", 17.5), ("产出", 33), ("效果", 19)]),
    ("项目管理与资金管理分别得到14分、12.5分，均高于上年。", [("项目管理", 14), ("资金管理", 12.5)]),
    ("其中立项、绩效目标和资金投入分别为5分、4.5分、6分。", [("立项", 5), ("绩效目标", 4.5), ("资金投入", 6)]),
    ("产出数量、产出质量、产出时效依次得分9、8.5、10分。", [("产出数量", 9), ("产出质量", 8.5), ("产出时效", 10)]),
    # maxima listed in order are no scores, and a count that does not match pairs nothing
    ("投入、过程、产出、效益的分值分别为20分、20分、40分、20分。", []),
    ("决策、过程、产出三项依次得分18分、17分。", []),
])
def test_scores_given_in_order(text, expected):
    rows = view_to_scores(snippet_view(text))
    assert [(r["name"], r["score"]) for r in rows] == [(n, D(sc)) for n, sc in expected]


def test_score_table_laid_across():
    """Items across the columns, 分值 and 得分 in rows, the total in the last column."""
    table = Table(page=4, index=1, rows=[
        ["评价维度", "决策", "管理", "产出", "效益", "总分"],
        ["权重", "15", "25", "35", "25", "100"],
        ["得分", "14", "21.5", "33", "22", "90.5"],
    ])
    view = snippet_view("五、评价结果", (table,))
    rows = view_to_scores(view)
    assert [(r["name"], r["score"], r["max_score"]) for r in rows] == [
        ("决策", 14, 15), ("管理", D(21.5), 25), ("产出", 33, 35), ("效益", 22, 25), ("总分", D(90.5), 100)]
    assert rows[0]["page"] == 4 and total_score(view)[0] == D(90.5)


def test_table_of_amounts_laid_across_has_no_scores():
    table = Table(page=2, index=0, rows=[
        ["项目", "中央", "省级", "合计"], ["预算数", "120", "80", "200"], ["执行数", "110", "75", "185"]])
    assert view_to_scores(snippet_view("二、资金", (table,))) == []


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


@pytest.mark.parametrize("text, expected", [
    # items scored before the sum that closes their sentence
    ("按照评分细则，决策方面得16.5分，管理方面得24分，绩效类指标得分45分，三类合计85.5分。",
     [("总分", 85.5), ("决策", 16.5), ("管理", 24), ("绩效", 45)]),
    ("经打分，五个方面共计得分88分。", [("总分", 88)]),
    # one item before a sum is no list; a sum of deductions is no total
    ("资金管理得9分，三项合计扣3分。", []),
])
def test_items_before_the_total_of_their_sentence(text, expected):
    rows = view_to_scores(snippet_view(text))
    assert [(r["name"], r["score"]) for r in rows] == [(n, D(sc)) for n, sc in expected]


@pytest.mark.parametrize("text, expected", [
    # each item states its maximum first, then the points it got
    ("按评分办法，项目管理类30分，评得26.5分；项目绩效类70分，实得61分。综合得分87.5分。",
     [("总分", 87.5), ("项目管理类", 26.5), ("项目绩效类", 61)]),
    # the maximum in brackets, the score after a dash
    ("打分结果如下：管理（30分）——26.5分；绩效（70分）——61分。综合得分87.5分。",
     [("总分", 87.5), ("管理", 26.5), ("绩效", 61)]),
    # one such clause alone describes a method, not a sheet
    ("例如资金到位率10分，得8分的情形。", []),
    ("例如资金到位率（10分）——8分的情形。", []),
])
def test_items_stating_their_maximum_before_their_score(text, expected):
    rows = view_to_scores(snippet_view(text))
    assert [(r["name"], r["score"]) for r in rows] == [(n, D(sc)) for n, sc in expected]
    if rows:
        assert [r["max_score"] for r in rows[1:]] == [D(30), D(70)]


def test_two_column_score_table_with_its_total_row():
    """评价维度 | 自评得分, the total in a 自评总分 row: no maximum column."""
    table = Table(page=2, index=0, rows=[
        ["评价维度", "自评得分"], ["资金使用", "26"], ["服务成效", "41.5"], ["自评总分", "67.5"]])
    view = snippet_view("三、得分", (table,))
    assert [(r["name"], r["score"], r["level"]) for r in view_to_scores(view)] == [
        ("资金使用", 26, None), ("服务成效", D("41.5"), None), ("总分", D("67.5"), 0)]
    assert total_score(view)[0] == D("67.5")


def test_simple_score_table():
    table = Table(page=3, index=0, rows=[
        ["评价指标", "分值", "得分"], ["项目决策", "20", "18"], ["项目过程", "20", "19"], ["合计", "100", "91"]])
    rows = view_to_scores(snippet_view("附表", (table,)))
    assert [(r["name"], r["score"], r["level"]) for r in rows] == [
        ("项目决策", 18, None), ("项目过程", 19, None), ("总分", 91, 0)]


def test_two_level_score_table():
    """分值 / 得分 columns after each level column score that level."""
    table = Table(page=4, index=0, rows=[
        ["一级指标", "分值", "得分", "二级指标", "分值", "得分", "评分说明"],
        ["决策", "20", "17", "立项", "10", "9", "依据充分"],
        [None, None, None, "目标", "10", "8", "未量化"],
        ["效益", "80", "70", "社会效益", "50", "45", ""],
        [None, None, None, "满意度", "30", "25", ""],
        ["合计", "100", "87", "—", "—", "—", ""],
    ])
    rows = view_to_scores(snippet_view("附表", (table,)))
    assert [(r["name"], r["score"], r["max_score"], r["level"], r["parent"]) for r in rows] == [
        ("决策", 17, 20, 1, None), ("立项", 9, 10, 2, "决策"), ("目标", 8, 10, 2, "决策"),
        ("效益", 70, 80, 1, None), ("社会效益", 45, 50, 2, "效益"), ("满意度", 25, 30, 2, "效益"),
        ("总分", 87, 100, 0, None)]


def test_upper_level_row_scored_in_the_last_columns():
    table = Table(page=2, index=0, rows=[
        ["一级指标", "二级指标", "三级指标", "分值", "得分"],
        ["决策", "立项", "", "10", "9"],
        [None, "目标", "", "10", "10"],
        ["产出", "数量", "安装点位", "20", "18"],
    ])
    rows = view_to_scores(snippet_view("附表", (table,)))
    assert [(r["name"], r["score"], r["level"], r["parent"]) for r in rows] == [
        ("立项", 9, 2, "决策"), ("目标", 10, 2, "决策"), ("安装点位", 18, 3, "数量")]


def test_form_funds_row_and_total_across_pages():
    """A self-evaluation form: the funds block scores its total row, the indicator table
    continues on the next page with fewer columns, the 总分 row gives the total."""
    first = Table(page=1, index=0, rows=[
        ["项目资金（万元）", "", "年初预算数", None, "全年预算数", "全年执行数", "分值", None, "执行率", "得分"],
        ["", "年度资金总额", "200.00", None, "210.00", "199.50", "10", None, "95.00%", "9.5"],
        ["", "其中：当年财政拨款", "200.00", None, "210.00", "199.50", "—", None, "—", "—"],
        ["一级指标", "二级指标", "三级指标", None, "年度指标值", "实际完成值", "分值", None, "得分", "偏差原因"],
        ["产出指标", "数量指标", "新增停车泊位", None, "≥800个", "856个", "45", None, "45", ""],
    ])
    second = Table(page=2, index=0, rows=[
        ["满意度指标", "服务对象满意度指标", "车主满意度", "≥85%", "83%", "45", "43", ""],
        ["总分", "", "", "", "", "100", "97.5", ""],
    ])
    view = snippet_view("附表", (first, second))
    rows = view_to_scores(view)
    assert [(r["name"], r["score"], r["max_score"], r["level"], r["page"]) for r in rows] == [
        ("年度资金总额", D(9.5), 10, None, 1), ("新增停车泊位", 45, 45, 3, 1), ("车主满意度", 43, 45, 3, 2),
        ("总分", D(97.5), 100, 0, 2)]
    assert total_score(view)[:2] == (D(97.5), 2)


def test_scored_caption_names_the_funds_row():
    text = "预算执行情况（10分）\n资金来源 年初预算 调整后预算数 预算执行数 权重 得分\n总额 50 60 57 10 9.5"
    table = Table(page=1, index=0, rows=[
        ["资金来源", "年初预算", "调整后预算数", "预算执行数", "权重", "得分"],
        ["总额", "50", "60", "57", "10", "9.5"],
        ["财政资金", "50", "60", "57", "—", "—"],
    ])
    rows = view_to_scores(snippet_view(text, (table,)))
    assert [(r["name"], r["score"], r["max_score"]) for r in rows] == [("预算执行情况", D(9.5), 10)]


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


def _own_gold(stem: str) -> dict:
    return json.loads(own_gold_path(stem).read_text(encoding="utf-8"))


@pytest.mark.parametrize("stem", [
    "r1_prose_yuan", "r2_yi_mismatch", "r3_scores_dates",
    "r4_table_form",
    "form_mof_wanyuan",
    "form_sichuan_yuan"])
def test_own_reports_match_gold(own_views, stem):
    rows = view_to_scores(own_views[stem])
    assert sorted((r["name"], r["score"]) for r in rows) == sorted(
        (g["name"], D(g["score"])) for g in _own_gold(stem)["scores"])


def test_r1_structure(own_views):
    """Items listed after 其中 hang under their item; the items add up to their parents and the total."""
    rows = view_to_scores(own_views["r1_prose_yuan"])
    by_name = {r["name"]: r for r in rows}
    assert by_name["项目决策"]["max_score"] == 20 and by_name["绩效目标"]["parent"] == "项目决策"
    assert by_name["服务对象满意度"]["level"] == 2 and by_name["服务对象满意度"]["page"] == 4
    for parent in ("项目决策", "项目过程", "项目产出", "项目效益"):
        assert sum(r["score"] for r in rows if r["parent"] == parent) == by_name[parent]["score"]
    assert sum(r["score"] for r in rows if r["level"] == 1) == by_name["总分"]["score"]


def test_r3_table_structure(own_views):
    rows = {r["name"]: r for r in view_to_scores(own_views["r3_scores_dates"])}
    assert rows["项目过程"]["level"] == 1 and rows["项目过程"]["max_score"] == 20
    assert rows["组织实施"]["parent"] == "项目过程" and rows["组织实施"]["source"] == "table"


def test_item_before_the_total_that_a_score_table_also_scores_takes_the_table_name():
    table = Table(page=2, index=0, rows=[["项目", "预算数", "执行数", "分值", "得分"],
                                         ["全年预算资金", "300.00", "270.00", "10", "9.00"]])
    text = "综上，本单位全年预算资金执行得分9分，产出指标得分45分，效益指标得分33分，自评总分87分。"
    rows = view_to_scores(snippet_view(text, (table,)))
    assert [(r["name"], r["score"], r["max_score"]) for r in rows] == [
        ("总分", 87, None), ("全年预算资金", 9, 10), ("产出", 45, None), ("效益", 33, None)]


def test_a_numbered_table_row_restating_a_prose_item_is_that_item_once():
    table = Table(page=3, index=0, rows=[["评价指标", "分值", "得分"], ["一、管理", "25", "21"],
                                         ["（一）资金管理", "15", "12"], ["1.产出数量", "10", "10"]])
    text = "经评价，本项目综合得分81分。其中，项目管理得分21分，产出得分10分。"
    rows = view_to_scores(snippet_view(text, (table,)))
    assert [(r["name"], r["score"]) for r in rows] == [
        ("总分", 81), ("项目管理", 21), ("产出", 10), ("（一）资金管理", 12), ("1.产出数量", 10)]


def test_items_scored_clause_by_clause_in_a_sentence_before_the_total():
    text = ("经逐项打分，各项得分为：绩效目标得分8.5分（满分10分），资金管理得分17分（满分20分），"
            "社会效益得分26.5分（满分30分）。三项相加，自评总分52分。")
    rows = view_to_scores(snippet_view(text))
    assert [(r["name"], r["score"], r["max_score"]) for r in rows] == [
        ("总分", D(52), None), ("绩效目标", D("8.5"), D(10)), ("资金管理", D(17), D(20)), ("社会效益", D("26.5"), D(30))]


def test_one_clause_scored_alone_is_no_sheet():
    assert [r["name"] for r in view_to_scores(snippet_view("其中，绩效目标得分8.5分，扣分原因是指标不够细化。"))] == []


@pytest.mark.parametrize("text", [
    "经逐项打分，各项得分为：绩效目标8.5分，资金管理17分，社会效益26.5分。三项相加，自评总分52分。",
    "经逐项打分，绩效目标得8.5分；资金管理得17分；社会效益得26.5分。自评总分52分。",
])
def test_items_after_a_score_lead_or_across_semicolons(text):
    rows = view_to_scores(snippet_view(text))
    assert [(r["name"], r["score"]) for r in rows] == [
        ("总分", D(52)), ("绩效目标", D("8.5")), ("资金管理", D(17)), ("社会效益", D("26.5"))]
