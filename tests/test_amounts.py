"""Money amounts: forms, non-money numbers, and every amount of the four samples."""
from __future__ import annotations

import json
from decimal import Decimal

import pytest

from conftest import FIXTURES, SAMPLE_IDS, normalised
from extractors.amounts import text_to_amounts

EXPECTED = json.loads((FIXTURES / "expected" / "seed_amounts.json").read_text(encoding="utf-8"))


def one(text: str) -> dict:
    found = text_to_amounts(text)
    assert len(found) == 1, found
    a = found[0]
    assert text[a["start"]:a["end"]] == a["raw"]
    return a


@pytest.mark.parametrize("text, raw, value, unit, wan, qualifier", [
    ("项目总投资估算为6868.2万元，使用", "6868.2万元", "6868.2", "万元", "6868.2", None),
    ("支付了项目编制费用全款13.5万；", "13.5万", "13.5", "万", "13.5", None),
    ("合同金额1,234,567.89元。", "1,234,567.89元", "1234567.89", "元", "123.456789", None),
    ("总投资1.2亿元", "1.2亿元", "1.2", "亿元", "12000", None),
    ("年度资金850千元", "850千元", "850", "千元", "85", None),
    ("节约财政资金450余万元。", "450余万元", "450", "万元", "450", "余"),
    ("按年度计可节约财政资金约1400万元。", "约1400万元", "1400", "万元", "1400", "约"),
    ("投入约300万元左右。", "约300万元左右", "300", "万元", "300", "约左右"),
    ("投资超过500万元", "超过500万元", "500", "万元", "500", "超过"),
    ("不超过80万元的项目", "不超过80万元", "80", "万元", "80", "不超过"),
    ("预算三百六十万元", "三百六十万元", "360", "万元", "360", None),
    ("合同价叁佰贰拾万元整。", "叁佰贰拾万元整", "320", "万元", "320", "整"),
    ("奖励一万二千元", "一万二千元", "12000", "元", "1.2", None),
    ("计划投资额 (万元) 360实际", "(万元) 360", "360", "万元", "360", None),
    ("金额（元）：1,200.00", "（元）：1,200.00", "1200.00", "元", "0.12", None),
    ("报价￥1,200.00。", "￥1,200.00", "1200.00", "元", "0.12", None),
    ("节约32.25余万元。", "32.25余万元", "32.25", "万元", "32.25", "余"),   # 节约 is not 约
    # capital numerals (大写)
    ("补助资金肆拾伍万元整，", "肆拾伍万元整", "45", "万元", "45", "整"),
    ("下达资金贰佰零陆万元", "贰佰零陆万元", "206", "万元", "206", None),
    ("结余柒仟捌佰元整。", "柒仟捌佰元整", "7800", "元", "0.78", "整"),
    ("总额壹亿贰仟万元", "壹亿贰仟万元", "12000", "万元", "12000", None),
    # thousand separators in the wrong place: the digits are read
    ("拨付2,4680.5万元，", "2,4680.5万元", "24680.5", "万元", "24680.5", None),
    ("支付56,78,912元，", "56,78,912元", "5678912", "元", "567.8912", None),
    # exact in 万元: 元 to the fen
    ("累计支付30,452,107.39元。", "30,452,107.39元", "30452107.39", "元", "3045.210739", None),
])
def test_amount_forms(text, raw, value, unit, wan, qualifier):
    a = one(text)
    assert (a["raw"], a["value"], a["unit"], a["value_wan"], a["qualifier"]) == \
        (raw, Decimal(value), unit, Decimal(wan), qualifier)
    assert a["value_wan"] == a["value"] * {"元": Decimal("0.0001"), "千元": Decimal("0.1"), "万元": 1,
                                            "万": 1, "亿元": 10000}[a["unit"]]


@pytest.mark.parametrize("text, low, high", [
    ("预计投资300—500万元", "300", "500"),
    ("预计投资300~500万元", "300", "500"),
    ("预计投资300至500万元", "300", "500"),
])
def test_ranges_keep_both_ends(text, low, high):
    a = one(text)
    assert (a["value"], a["value_high"], a["value_wan_high"]) == (Decimal(low), Decimal(high), Decimal(high))


@pytest.mark.parametrize("text", [
    "根据（皖政办秘〔2018〕309号）要求",
    "根据[2018]34号文件",
    "根据﹝2020﹞5号文件",
    "党组会议纪要〔2019〕12号",
    "联系电话5369112",
    "联系电话：0898-65312345",
    "邮编232001",
    "12345热线平台",
    "服务群众12万人次",
    "接入终端15万台",
    "调用1.2万次",
    "建筑面积1.5万平方米",
    "存储容量535TB",
    "共收到评价超过1649万次",
    "完成3725万条数据归集",
    "覆盖3万户",
    "统一元数据管理",
    "吨垃圾收运成本≤185元/吨",
    "收费标准为3元每人次",
    "二元结构",
    "2020-2022年度",
    "2019~2020",
    "服务期1年",
    "达到90%以上",
    "分别为12,15,20万元",             # a list with ASCII commas: not one misgrouped number
])
def test_not_money(text):
    assert text_to_amounts(text) == []


@pytest.mark.parametrize("stem", SAMPLE_IDS)
def test_every_amount_of_the_samples_from_the_pdf(stem, sample_rows):
    rows, _ = sample_rows[stem]
    got = [format(a["value_wan"].normalize(), "f") for a in rows.tables["amounts"]]
    assert got == EXPECTED[stem]


@pytest.mark.parametrize("stem", SAMPLE_IDS)
def test_every_amount_of_the_samples_from_the_seed_text(stem):
    text = normalised((FIXTURES / "seeds" / f"{stem}.txt").read_text(encoding="utf-8"))
    got = [format(a["value_wan"].normalize(), "f") for a in text_to_amounts(text)]
    assert got == EXPECTED[stem]


def test_amount_rows_carry_page_and_sentence(sample_rows):
    rows, norm = sample_rows["001_0eae385221b322f5"]
    a = next(a for a in rows.tables["amounts"] if a["raw"] == "1361.5万元")
    assert a["page"] == 2
    assert "支付了第二笔合同款1361.5万元" in a["sentence"]
    assert norm.text[a["char_start"]:a["char_end"]] == a["raw"]
