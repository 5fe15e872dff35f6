"""extractors.counts.text_to_counts: measures, qualifiers, negatives, seed reports."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from conftest import drop_cjk_spaces
from extractors.counts import text_to_counts

SEEDS = Path(__file__).parent / "fixtures" / "seeds"


def seed(prefix: str) -> str:
    return drop_cjk_spaces(next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8"))


def brief(text: str) -> list[tuple[str, Decimal, str, str | None, str]]:
    return [(c["raw"], c["value"], c["measure"], c["qualifier"], c["numeral"])
            for c in text_to_counts(text)]


@pytest.mark.parametrize("text, raw, value, measure, qualifier, numeral", [
    ("已逐步开通合计1820个服务点位", "1820个", "1820", "个", None, "arabic"),
    ("已有49家政府网站迁入", "49家", "49", "家", None, "arabic"),
    ("完成全市51家政府网站", "51家", "51", "家", None, "arabic"),
    ("共 4 个产出指标", "4 个", "4", "个", None, "arabic"),
    ("共开通了15000多台虚拟机", "15000多台", "15000", "台", "多", "arabic"),
    ("服务12万人次", "12万人次", "120000", "人次", None, "arabic"),
    ("收到评价超过 1649 万次", "超过 1649 万次", "16490000", "次", "超过", "arabic"),
    ("完成6690余台次降配", "6690余台次", "6690", "台次", "余", "arabic"),
    ("释放虚拟CPU核数约22530颗", "约22530颗", "22530", "颗", "约", "arabic"),
    ("达到820个以上", "820个以上", "820", "个", "以上", "arabic"),
    ("召开视频会议共计约680场", "约680场", "680", "场", "约", "arabic"),
    ("内存535TB，", "535TB", "535", "TB", None, "arabic"),
    ("内存70340GB", "70340GB", "70340", "GB", None, "arabic"),
    ("存储29PB", "29PB", "29", "PB", None, "arabic"),
    ("面积1,200平方米", "1,200平方米", "1200", "平方米", None, "arabic"),
    ("铺设光缆35公里", "35公里", "35", "公里", None, "arabic"),
    ("完成356类电子证照", "356类", "356", "类", None, "arabic"),
    ("人均持有0.047个", "0.047个", "0.047", "个", None, "arabic"),
    ("培训300人左右", "300人左右", "300", "人", "左右", "arabic"),
    ("四个产出指标", "四个", "4", "个", None, "chinese"),
    ("设置三个", "三个", "3", "个", None, "chinese"),
    ("确定两家服务提供商", "两家", "2", "家", None, "chinese"),
    ("两千余个行政村全覆盖", "两千余个", "2000", "个", "余", "chinese"),
    ("十九个市县", "十九个", "19", "个", None, "chinese"),
    ("三百六十场会议", "三百六十场", "360", "场", None, "chinese"),
    ("千余家企业", "千余家", "1000", "家", "余", "chinese"),
])
def test_one_count(text, raw, value, measure, qualifier, numeral):
    [c] = text_to_counts(text)
    assert (c["raw"], c["value"], c["measure"], c["qualifier"], c["numeral"]) == (
        raw, Decimal(value), measure, qualifier, numeral)
    assert text[c["start"]:c["end"]] == c["raw"]


def test_two_counts_glued():
    assert brief("2县6区门户网站的迁移") == [("2县", 2, "县", None, "arabic"),
                                      ("6区", 6, "区", None, "arabic")]


@pytest.mark.parametrize("text", [
    # money
    "支付了第一笔合同款1957万元", "全款13.5万；", "全款13.5万", "投入360元", "估算为6868.2 万元，",
    "分别支付1060.29万、500万元", "节约财政资金450余万元", "共计约1400千元", "预算3亿元",
    # dates and durations
    "2019年", "11月", "8日", "3年", "服务期1年", "3个月", "12个月", "周期三个月", "5天", "2周",
    "24小时", "10个工作日", "2022年度", "2020年3月份",
    # ordinals
    "第1笔", "第一笔", "第2批", "第 2 批", "第三季度", "第12个", "第二十个",
    # percentages, percentage points, scores
    "90%", "增长3个百分点", "综合得分98分",
    # document numbers, phone numbers, postcodes
    "〔2019〕12号", "海南省人民政府令第284号", "联系电话5369112", "邮编232001", "邮编232001项目起止时间",
    "12345热线", "12345平台",
    # section markers
    "一、项目概况", "（一）项目基本性质", "1.项目招投标情况", "（1）项目成本", "2、规范采购程序",
    # single Chinese numerals glued into words, vague amounts
    "一是", "二是", "一体化", "统一", "统一项目", "唯一", "一站式", "一次性投入", "一件事一次办",
    "每一个", "数十家", "三四个", "海易办一期",
])
def test_not_a_count(text):
    assert text_to_counts(text) == []


# --- seed reports -----------------------------------------------------------------------------

def test_seed_001():
    found = brief(seed("001"))
    assert found[0] == ("4个", 4, "个", None, "arabic")                  # 共 4 个产出指标
    assert ("两千余个", 2000, "个", "余", "chinese") in found
    assert ("超过1649万次", 16490000, "次", "超过", "arabic") in found
    assert ("3725万条", 37250000, "条", None, "arabic") in found
    assert [f[0] for f in found].count("30个") == 2
    assert {"63个", "196个", "356类", "0.047个", "3.725个"} <= {f[0] for f in found}
    assert not any(f[2] in ("年", "月", "日") or "万元" in f[0] for f in found)
    assert len(found) == 14


def test_seed_002():
    found = brief(seed("002"))
    assert found.count(("820个以上", 820, "个", "以上", "arabic")) == 2
    assert found.count(("120个以上", 120, "个", "以上", "arabic")) == 2
    assert ("超过1000个", 1000, "个", "超过", "arabic") in found
    assert ("15000多台", 15000, "台", "多", "arabic") in found
    assert ("535TB", 535, "TB", None, "arabic") in found
    assert ("29PB", 29, "PB", None, "arabic") in found
    assert ("6690余台次", 6690, "台次", "余", "arabic") in found
    assert found.count(("300多家", 300, "家", "多", "arabic")) == 3
    assert found.count(("三家", 3, "家", None, "chinese")) == 5
    assert ("20家", 20, "家", None, "arabic") in found


def test_seed_003():
    found = brief(seed("003"))
    assert found[0] == ("1820个", 1820, "个", None, "arabic")
    assert found.count(("约680场", 680, "场", "约", "arabic")) == 3
    assert found.count(("1490场", 1490, "场", None, "arabic")) == 3
    assert ("两家", 2, "家", None, "chinese") in found
    assert not any(f[0].endswith("分") for f in found)                  # scores are not counts
    assert len(found) == 11


def test_seed_004():
    found = brief(seed("004"))
    assert found.count(("2县", 2, "县", None, "arabic")) == 3
    assert found.count(("6区", 6, "区", None, "arabic")) == 3
    assert ("49家", 49, "家", None, "arabic") in found
    assert ("51家", 51, "家", None, "arabic") in found
    assert len(found) == 8      # no phone, postcode, 〔2018〕309号, 服务期1年, 360万元


@pytest.mark.parametrize("prefix", ["001", "002", "003", "004"])
def test_seed_spans_sorted_disjoint_exact(prefix):
    text = seed(prefix)
    found = text_to_counts(text)
    assert all(text[c["start"]:c["end"]] == c["raw"] for c in found)
    assert all(a["end"] <= b["start"] for a, b in zip(found, found[1:]))


def test_number_continuations_never_start_like_a_number():
    """counts, percentages and amounts read an arabic number atomically (numerals.atomic): that
    is only the same as backtracking while nothing that may follow a number starts with a digit,
    '.' or ','."""
    from extractors.rules import load
    amounts, percentages, counts = load("amounts"), load("percentages"), load("counts")
    words = (list(amounts["units"]) + amounts["qualifiers"]["inside"] + amounts["patterns"]["range_separators"]
             + percentages["signs"] + percentages["range_separators"]
             + counts["measures"] + counts["units"] + counts["qualifiers"]["inner"] + list(counts["magnitudes"]))
    assert words and not [w for w in words if w[0].isdigit() or w[0] in ".,"]
