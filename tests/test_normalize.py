"""Normalisation: furniture, line joins, full-width forms, sentences and the offset map."""
from __future__ import annotations

import bisect
import random

import pytest

from extractors.normalize import apply_edits, normalize_pages, normalize_snippet, to_ascii
from extractors.sentences import text_to_sentences

LINE = "这是一段用于测试的正文内容，长度和正常段落的整行差不多一样长。"   # a full-width line


def para(*lines: str) -> str:
    return "\r\n".join(lines)


@pytest.mark.parametrize("lines, expected", [
    # figures cut from their clause or unit
    ((LINE + "29.5", "万元；其余款项按合同支付。"), "29.5万元；"),
    ((LINE + "2020 年 6", "月 12 日完成评估。"), "2020年6月12日完成评估。"),
    (("支付了第二笔合同款", "1361.5 万元；通过询价方式确定监理单位。"), "第二笔合同款1361.5万元；"),
    # a score or a per-mille figure cut from its unit or its clause
    ((LINE, "管理、效果两项依次得分21.5", "分、27分。"), "依次得分21.5分、27分。"),
    ((LINE, "事故率控制在1‰以内，实测为", "0.35‰；其余指标均达标。"), "实测为0.35‰；"),
    # a wrapped line inside a word
    ((LINE + "支撑服", "务。"), "支撑服务。"),
    # a list goes on after 、 and ，
    (("建设内容包括门户网站、", "移动端和小程序。"), "门户网站、移动端和小程序。"),
    # a bullet and its space open running text, not a table row
    # (a short line ends its paragraph, unless a figure cut from its clause follows and the line is no table row)
    ((LINE, "● 分配至区县的部分为", "512.0 万元，其余留作机动。"), "分配至区县的部分为512.0万元，其余留作机动。"),
    ((LINE, "▲ 经审核拟补助", "29 家。"), "经审核拟补助29家。"),
])
def test_joins(lines, expected):
    assert expected in normalize_snippet(para(*lines))


@pytest.mark.parametrize("lines, first, second", [
    (("（二）项目绩效目标", "项目以购买服务方式委托承建。"), "（二）项目绩效目标", "项目以购买服务方式委托承建。"),
    (("（1）减少基础平台重复建设，提高投资有效性。", "（2）降低运行维护费用。"),
     "（1）减少基础平台重复建设，提高投资有效性。", "（2）降低运行维护费用。"),
    ((LINE, "1.产出指标。共4个产出指标。"), LINE, "1.产出指标。共4个产出指标。"),
    (("项目名称 淮南市政府网站项目", "项目单位 淮南市人民政府办公室"), "项目名称 淮南市政府网站项目",
     "项目单位 淮南市人民政府办公室"),
])
def test_headings_items_and_rows_are_not_glued(lines, first, second):
    text = normalize_snippet(para(*lines))
    assert text.split("\n") == [first, second]


def test_page_furniture_is_removed_and_paragraphs_cross_pages():
    pages = [para("标题", LINE, LINE + "统", "- 1 -"),
             para("一电子印章。", LINE, "第 2 页 共 3 页"),
             para(LINE, "— 3 —")]
    norm = normalize_pages(pages)
    assert "- 1 -" not in norm.text and "第 2 页" not in norm.text and "3 —" not in norm.text
    assert "统一电子印章。" in norm.text


def test_running_headers_are_removed():
    bodies = ["项目资金到位情况良好。", "合同签订及时规范。", "验收工作按期完成。", "绩效目标全部实现。"]
    pages = [para("某某市财政局绩效评价报告", body + LINE, f"{i}") for i, body in enumerate(bodies, 1)]
    text = normalize_pages(pages).text
    assert "某某市财政局绩效评价报告" not in text
    assert all(body in text for body in bodies)


def test_full_width_digits_and_signs_become_ascii_one_for_one():
    assert to_ascii("２０２３年３月，完成率９５．５％") == "2023年3月，完成率95.5%"
    assert len(to_ascii("１２３")) == 3
    # Chinese punctuation stays: it is never a thousands separator
    assert normalize_snippet("支付１９５，１３６万元") == "支付195，136万元"


def test_spaces_beside_cjk_go_spaces_between_words_stay():
    assert normalize_snippet("于 2019 年 11 月 8 日获批") == "于2019年11月8日获批"
    assert normalize_snippet("采用 Windows Server 2019 系统") == "采用Windows Server 2019系统"


def test_every_character_maps_back_to_its_page_and_position():
    pages = [para("第一页的标题", LINE + "29.5", "万元。", "- 1 -"), para("第二页 正文。", LINE)]
    norm = normalize_pages(pages)
    raw_pages = [to_ascii(p) for p in pages]
    for i, ch in enumerate(norm.text):
        page, offset = norm.locate(i)
        source = raw_pages[page - 1][offset]
        assert source == ch or ch in " \n", (i, ch, source)
    spans = norm.page_spans()
    assert norm.text[spans[1][0]:].startswith("第二页")


def test_apply_edits_maps_inserted_and_copied_text():
    text, omap = apply_edits("ab  cd", [(2, 4, "-")])
    assert text == "ab-cd"
    assert [omap(i) for i in range(5)] == [0, 1, 2, 4, 5]


@pytest.mark.parametrize("seed", range(8))
def test_the_offset_map_never_goes_backwards(seed):
    """Sorted edits that do not overlap (what apply_edits is given) make an offset map that never
    goes backwards: page_of's page starts in the normalised text rest on it."""
    rnd = random.Random(seed)
    text = "".join(rnd.choice("甲乙 \n1。") for _ in range(rnd.randint(0, 60)))
    cuts = sorted(rnd.sample(range(len(text) + 1), k=min(len(text) + 1, 2 * rnd.randint(0, 8))))
    edits = [(a, b, rnd.choice(["", " ", "丙丁"])) for a, b in zip(cuts[::2], cuts[1::2])]
    new, omap = apply_edits(text, edits)
    mapped = [omap(i) for i in range(len(new) + 2)]
    assert mapped == sorted(mapped)


@pytest.mark.parametrize("pages", [
    [para("第一页的标题", LINE + "29.5", "万元。", "- 1 -"), para("第二页 正文。", LINE)],
    ["", para("封面", "  "), "", para("二、资金 使用", LINE, "支付了第二笔合同款", "13.5 万元；"), "", ""],
    [para(LINE, "- 1 -"), para(LINE, "- 2 -"), para(LINE, "- 3 -"), "   "],
    [""], ["仅一页。"],
])
def test_page_of_as_the_raw_page_of_each_position(pages):
    norm = normalize_pages(pages)
    for pos in range(-2, len(norm.text) + 3):
        assert norm.page_of(pos) == bisect.bisect_right(norm.page_starts, norm.omap(pos)), pos


def test_sentences_and_sections():
    text = normalize_snippet(para("一、项目概况", "（一）项目资金", "1.产出指标。共4个指标；一是完成率达到90%以上！",
                                  "（二）项目管理", "管理规范。"))
    sentences = text_to_sentences(text)
    assert [s.text for s in sentences] == ["一、项目概况", "（一）项目资金", "1.产出指标。", "共4个指标；",
                                           "一是完成率达到90%以上！", "（二）项目管理", "管理规范。"]
    assert [s.heading_level for s in sentences] == [1, 2, 3, None, None, 2, None]
    assert sentences[4].section == "一、项目概况 > （一）项目资金 > 1.产出指标"
    assert sentences[-1].section == "一、项目概况 > （二）项目管理"


def test_sample_pdf_text_reads_as_one_run(sample_rows):
    _, norm = sample_rows["001_0eae385221b322f5"]
    assert "支付了第二笔合同款1361.5万元" in norm.text
    assert "首笔合同款29.5万元" in norm.text
    assert "- 2 -" not in norm.text
    _, norm4 = sample_rows["004_bde0c0f62c0d9a40"]
    assert "计划投资额 (万元) 360" in norm4.text


# --- letter-spaced text layers and a space after the decimal point --------------------------------

SPACED = [  # a letter-spaced paragraph of our own, wrapped at the margin as a PDF gives it
    "桂 溪 县 农 业 农 村 局 2 0 2 2 年 度 饮 水 安 全 巩 固 提 升 资 金 绩",
    "效 自 评 报 告",
    "经 县 财 政 局 批 复 ， 本 项 目 年 度 预 算 为 4 5 6 . 7 8 万 元 ， 截 至 2 0 2 2",
    "年 1 2 月 3 1 日 累 计 支 付 3 9 8 . 1 万 元 ， 执 行 率 8 7 . 1 6 % 。",
]


def test_a_letter_spaced_paragraph_reads_as_plain_text():
    text = normalize_snippet(para(*SPACED))
    assert "本项目年度预算为456.78万元，截至2022年12月31日累计支付398.1万元，执行率87.16%。" in text
    assert "资金绩效自评报告" in text


def test_a_plain_title_over_letter_spaced_text_is_its_own_paragraph():
    text = normalize_snippet(para("某某县文化旅游局2022年度公共文化服务项目绩效自评报告", *SPACED[2:]))
    assert text.split("\n")[0] == "某某县文化旅游局2022年度公共文化服务项目绩效自评报告"
    assert text.split("\n")[1].startswith("经县财政局批复")


@pytest.mark.parametrize("line, expected", [
    ("项 目 预 算", "项目预算"),                                  # a letter-spaced heading
    ("合 计\t1 2 0 . 5\t3 0 . 2", "合计 120.5 30.2"),             # a wide gap (tab) between cells stays
    ("合 计  1 2 0 . 5  3 0 . 2", "合计 120.5 30.2"),             # ... as do two spaces
    # spaces that mean something are not letter-spacing
    ("合计 120.5 30.2 15.0", "合计120.5 30.2 15.0"),
    ("序号 1 2 3 4 5", "序号1 2 3 4 5"),
    ("采用 Windows Server 2019 系统 a b c d", "采用Windows Server 2019系统a b c d"),
    ("于 2019 年 11 月 8 日获批", "于2019年11月8日获批"),
    # a line opening with the rest of a date is plain text, not letter-spaced
    ("年 3 月 9 日本馆与某某物业服务有限公司签订合同，金额", "年3月9日本馆与某某物业服务有限公司签订合同，金额"),
])
def test_letter_spacing_is_decided_per_line(line, expected):
    assert normalize_pages([line], furniture=False).text == expected


def test_letter_spaced_text_maps_back_to_its_characters():
    pages = [para(*SPACED[:2]), para(*SPACED[2:])]
    norm = normalize_pages(pages)
    raw_pages = [to_ascii(p) for p in pages]
    for i, ch in enumerate(norm.text):
        page, offset = norm.locate(i)
        assert ch in " \n" or raw_pages[page - 1][offset] == ch, (i, ch)
    start = norm.text.index("456.78万元")
    assert norm.locate(start) == (2, pages[1].index("4 5 6"))


@pytest.mark.parametrize("cell, expected", [
    ("合 计", "合计"), ("3 3 0 . 0 0", "330.00"), ("1 2", "1 2"), ("项目 金额", "项目 金额"),
])
def test_a_letter_spaced_table_cell(cell, expected):
    assert normalize_snippet(cell) == expected


@pytest.mark.parametrize("text, expected", [
    ("本年度预算安排512. 40万元，", "本年度预算安排512.40万元，"),
    ("实际执行率为93. 5%。", "实际执行率为93.5%。"),
    ("合同价款1,062. 5 万元", "合同价款1,062.5万元"),
    # "1. " numbers a list item at the start of a line or after a clause
    ("1. 20万元用于购置设备", "1. 20万元用于购置设备"),
    ("已完成；2. 30万元用于培训", "已完成；2. 30万元用于培训"),
    ("见附件3. 2023年项目清单", "见附件3. 2023年项目清单"),
])
def test_a_space_after_the_decimal_point_goes_inside_a_figure(text, expected):
    assert normalize_snippet(text) == expected


def test_the_short_last_line_of_a_letter_spaced_paragraph_goes_on_with_it():
    text = normalize_snippet(para(
        "全 年 服 务 对 象 满 意 度 调 查 的 结 果 为 满 意 度 达 到",
        "9 6 . 5 %。",
        "我 局 将 进 一 步 加 强 项 目 的 绩 效 管 理 ， 具 体 措 施 如",
        "下 。",
    ))
    assert "满意度调查的结果为满意度达到96.5%。" in text
    assert text.endswith("\n我局将进一步加强项目的绩效管理，具体措施如下。")


def test_snippet_of_one_run_is_the_whole_chain():
    """normalize_snippet gives a text without inner spaces back converted and stripped, as the
    whole chain would."""
    from extractors.normalize import normalize_pages
    for text in ["", " ", "\n", "合计", " 合计\n", "\u3000３３０．００万元\u3000", "\r\n１２％\f", "一", "ＡＢ",
                 "第３页", "- 6 -", "6", "\x1c表\x1c", "项目\u2028", "（万元）", "12,345.00", "\n\n备注\n\n"]:
        assert normalize_snippet.__wrapped__(text) == normalize_pages([text], furniture=False, snippet=True).text


def test_a_sentence_whose_line_opens_with_the_rest_of_a_date_stays_one_paragraph():
    text = normalize_pages(["我局以政府购买服务方式实施本项目，并于 2024\n年 3 月 9 日与某某物业服务有限公司签订服务合同，金额\n"
                            "86.40 万元；服务费按季度考核后支付。"], furniture=False).text
    assert text == "我局以政府购买服务方式实施本项目，并于2024年3月9日与某某物业服务有限公司签订服务合同，金额86.40万元；服务费按季度考核后支付。"
