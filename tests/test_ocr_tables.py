"""Tables on pages read by OCR: rules from the rendered image, cells from the OCR boxes
(extractors/ocrtables.py), and a generated scanned table read through the whole chain."""
from __future__ import annotations

from decimal import Decimal

import math

import numpy as np
import pytest
from PIL import Image, ImageDraw

from conftest import FIXTURES
from extractors import read_document
from extractors.document import layer_to_rows
from extractors.facts.indicator_tables import parse_value
from extractors.ocr import OcrStats, ocr_pages
from extractors.ocrtables import Box, box_chars, boxes_to_tables, image_rules, page_rules, runs, skew
from extractors.pdftables import _edge
from extractors.reconcile import reconcile
from extractors.textlayer import PageText, TextLayer, pdf_to_textlayer


def grid(xs: list[float], ys: list[float]) -> list[dict]:
    """The rules of a full grid: a horizontal rule at every y, a vertical one at every x."""
    return ([_edge(xs[0], y, xs[-1], y, "h") for y in ys]
            + [_edge(x, ys[0], x, ys[-1], "v") for x in xs])


def test_runs_bridge_small_breaks_and_drop_short_strokes():
    mask = np.zeros((3, 40), dtype=bool)
    mask[0, 2:12] = mask[0, 13:30] = True          # one rule with a one-pixel break
    mask[1, 5:9] = True                             # a speck
    mask[2, 0:40] = True
    assert runs(mask, least=20, gap=1) == [(0, 2, 30), (2, 0, 40)]
    assert runs(mask, least=20, gap=0) == [(2, 0, 40)]
    assert runs(np.zeros((2, 5), dtype=bool), 1, 1) == []


def test_image_rules_find_the_grid_but_not_the_letters_inside_boxes():
    image = np.full((200, 300), 250, dtype=np.uint8)
    image[20, 20:280] = image[100, 20:280] = image[180, 20:280] = 120      # three grey rules
    image[20:181, 20] = image[20:181, 150] = image[20:181, 279] = 120
    image[40:80, 60] = image[60, 40:120] = 10       # a long stroke of a letter, inside its box
    boxes = [Box(15, 16, 65, 44, "十")]             # scale 2: the box is 30..130 x 32..88 px
    edges = image_rules(image, 2.0, boxes)
    horizontal = sorted({round(e["top"]) for e in edges if e["orientation"] == "h"})
    vertical = sorted({round(e["x0"]) for e in edges if e["orientation"] == "v"})
    assert horizontal == [10, 50, 90] and vertical == [10, 75, 140]


def test_a_box_is_cut_into_characters_cjk_twice_as_wide_as_digits():
    chars = box_chars(Box(0, 0, 30, 10, "合计 12"))
    assert [c["text"] for c in chars] == ["合", "计", "1", "2"]
    assert chars[0]["x1"] - chars[0]["x0"] == pytest.approx(2 * (chars[2]["x1"] - chars[2]["x0"]), rel=0.2)
    assert chars[-1]["x1"] == pytest.approx(30)


def test_boxes_inside_ruled_cells_become_rows_of_cells():
    """Header, a cell whose name wraps onto two lines, a box that the OCR read across a rule,
    and a 合计 row whose label spans two columns."""
    rules = grid([50, 200, 300, 400], [100, 120, 150, 170])
    rules = [e for e in rules if not (e["orientation"] == "v" and e["x0"] == 200)] + [_edge(200, 100, 200, 150, "v")]
    boxes = [Box(60, 104, 110, 116, "项目名称"), Box(210, 104, 250, 116, "分值"), Box(310, 104, 350, 116, "得分"),
             Box(60, 123, 150, 134, "河畔步道养护"), Box(60, 136, 100, 147, "面积"),
             Box(230, 130, 372, 142, "25 24.5"),                 # one box over the 分值 | 得分 rule
             Box(60, 154, 90, 166, "合计"), Box(310, 154, 340, 166, "92")]
    tables = boxes_to_tables(boxes, rules, 595, 842)
    assert tables == [[["项目名称", "分值", "得分"],
                       ["河畔步道养护\n面积", "25", "24.5"],
                       ["合计", None, "92"]]]


def test_a_page_scanned_askew_is_turned_straight_before_its_rules_are_read():
    """A 3 x 2 grid with a box in every cell, drawn at 2 px per point and tilted by 2 degrees."""
    image = Image.new("L", (800, 400), 250)
    draw = ImageDraw.Draw(image)
    xs, ys = [100, 400, 700], [100, 160, 220, 280]
    for y in ys:
        draw.line([(xs[0], y), (xs[-1], y)], fill=100, width=2)
    for x in xs:
        draw.line([(x, ys[0]), (x, ys[-1])], fill=100, width=2)
    tilt = math.radians(-2)                     # PIL's rotate(-2): clockwise on the page
    cos, sin = math.cos(tilt), math.sin(tilt)

    def turned(x: float, y: float) -> list[float]:
        return [x * cos + y * sin, -x * sin + y * cos]

    texts = [["指标", "得分"], ["巡查次数", "12"], ["合计", "30"]]
    found = [([turned(x0, y0), turned(x0 + 160, y0), turned(x0 + 160, y0 + 30), turned(x0, y0 + 30)], t, 0.99)
             for r, row in enumerate(texts) for c, t in enumerate(row)
             for x0, y0 in [(xs[c] + 40, ys[r] + 15)]]
    pixels = np.asarray(image.rotate(-2, resample=Image.BILINEAR, center=(0, 0), fillcolor=250))
    assert math.degrees(skew(found)) == pytest.approx(2, abs=0.01)
    boxes, rules = page_rules(pixels, 2.0, found)
    assert boxes_to_tables(boxes, rules, 400, 200) == [texts]


def test_lone_frames_and_single_rows_are_not_tables():
    frame = grid([50, 545], [60, 780])                 # a border around the whole page
    boxes = [Box(100, 100, 300, 115, "正文一行"), Box(100, 130, 300, 145, "正文二行")]
    assert boxes_to_tables(boxes, frame, 595, 842) == []
    one_row = grid([50, 150, 250], [100, 120])
    assert boxes_to_tables([Box(60, 104, 100, 116, "甲"), Box(160, 104, 200, 116, "乙")], one_row, 595, 842) == []


def test_a_scanned_table_is_read_as_a_table():
    data = (FIXTURES / "ocr" / "scanned_table.pdf").read_bytes()
    layer = pdf_to_textlayer(data)
    ocr_pages(data, layer.pages, None, OcrStats())
    rows = layer.pages[0].tables[0]
    assert rows[0] == ["指标名称", "目标值", "实际值", "分值", "得分"]
    assert rows[2] == ["公共电子阅览\n终端在线率", "≥95%", "93.5%", "20", "18"]
    assert rows[-1] == ["合计", None, None, "100", "98"]
    result = read_document("s" * 64, data)
    scores = {s["name"]: s["score"] for s in result.rows.tables["scores"]}
    assert scores == {"总分": 98, "书屋开放天数": 20, "公共电子阅览终端在线率": 18, "图书借阅人次": 30, "读者满意度": 30}
    indicators = {i["name"]: (i["target"], i["actual"], i["unit"]) for i in result.rows.tables["indicators"]}
    assert indicators["图书借阅人次"] == (Decimal("1.5"), Decimal("1.62"), "万人次")
    assert result.rows.tables["pages"][0]["has_tables"]


def test_table_values_with_long_units():
    assert parse_value("≤38元/立方米") == ("<=", Decimal("38"), "元/立方米")
    assert parse_value("12.5千瓦时/户") == ("=", Decimal("12.5"), "千瓦时/户")


FORM = [
    ["项目名称", "林下步道维修", None, None, None, None, None, None],
    ["资金情况", "资金来源", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
    [None, "资金总额", "200.00", "200.00", "190.00", "10", "95.00%", "9.50"],
    [None, "其中：财政拨款", "200.00", "200.00", "190.00", "", "", ""],
    ["指标类型", "指标名称", "目标值", "实际值", "权重", None, "得分", None],
    ["数量", "步道维修长度", "≥3公里", "3.2公里", "50", None, "50", None],
    ["满意度", "游客满意度", "≥85%", "88%", "40", None, "38", None],
    ["总分", None, None, None, "100", None, "97.5", None],
]


def test_a_two_level_form_counts_its_funds_score_when_the_points_add_up():
    layer = TextLayer(pages=[PageText(1, "项目支出绩效自评表\r\n单位：万元\r\n", tables=[FORM])])
    findings = reconcile("f" * 64, layer_to_rows("f" * 64, layer)[0])
    total = next(f for f in findings if f["rule"] == "items_vs_total")
    assert total["outcome"] == "holds", total["message"]
    assert "3项" in total["message"]
