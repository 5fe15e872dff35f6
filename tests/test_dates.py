"""extractors.dates.text_to_dates: date forms, non-dates, and the dates of the seed reports."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import regex

from extractors.dates import text_to_dates

SEEDS = Path(__file__).parent / "fixtures" / "seeds"
D = dt.date


def one(text: str) -> dict:
    found = text_to_dates(text)
    assert len(found) == 1, found
    return found[0]


# text, raw, iso, kind, precision, qualifier
POSITIVE = [
    ("于2019年11月8日获项目立项", "2019年11月8日", "2019-11-08", "point", "day", None),
    ("于 2019 年 11 月 8 日获", "2019 年 11 月 8 日", "2019-11-08", "point", "day", None),
    ("2019年06月18日", "2019年06月18日", "2019-06-18", "point", "day", None),
    ("2019年6月18号", "2019年6月18号", "2019-06-18", "point", "day", None),
    ("于2023.3.15出具", "2023.3.15", "2023-03-15", "point", "day", None),
    ("于2023-03-15出具", "2023-03-15", "2023-03-15", "point", "day", None),
    ("于2023/3/15出具", "2023/3/15", "2023-03-15", "point", "day", None),
    ("2023-03起", "2023-03", "2023-03", "point", "month", None),
    ("二〇二三年三月", "二〇二三年三月", "2023-03", "point", "month", None),
    ("二○二三年", "二○二三年", "2023", "point", "year", None),
    ("二〇二三年十二月二十八日", "二〇二三年十二月二十八日", "2023-12-28", "point", "day", None),
    ("2023年元月", "2023年元月", "2023-01", "point", "month", None),
    ("2020年4月支付", "2020年4月", "2020-04", "point", "month", None),
    ("2020年10月份，", "2020年10月份", "2020-10", "point", "month", None),
    ("2020年项目预算", "2020年", "2020", "point", "year", None),
    ("2022年度预算", "2022年度", "2022", "point", "year", None),
    ("2019年中央办公厅印发", "2019年", "2019", "point", "year", None),
    ("2020年初步建立", "2020年", "2020", "point", "year", None),
    ("2020年初，已有", "2020年初", "2020-01", "point", "month", "年初"),
    ("2022年底前", "2022年底", "2022-12", "point", "month", "年底"),
    ("2022年末", "2022年末", "2022-12", "point", "month", "年末"),
    ("2021年中，", "2021年中", "2021-06", "point", "month", "年中"),
    ("2022年第三季度", "2022年第三季度", "2022-Q3", "point", "quarter", "第三季度"),
    ("2022年四季度", "2022年四季度", "2022-Q4", "point", "quarter", "四季度"),
    ("2022年前三季度每季度", "2022年前三季度", "2022-Q1/2022-Q3", "range", "quarter", "前三季度"),
    ("2023年上半年", "2023年上半年", "2023-H1", "point", "half", "上半年"),
    ("2023年下半年", "2023年下半年", "2023-H2", "point", "half", "下半年"),
    ("于2019年12月底前完成", "2019年12月底", "2019-12", "point", "month", "底"),
    ("2020年9月中旬，", "2020年9月中旬", "2020-09", "point", "month", "中旬"),
    ("2021年10月1日至2022年9月30日期间", "2021年10月1日至2022年9月30日",
     "2021-10-01/2022-09-30", "range", "day", None),
    ("2021年10月1日-2022年9月30日", "2021年10月1日-2022年9月30日",
     "2021-10-01/2022-09-30", "range", "day", None),
    ("2022年12月6日至8日召开", "2022年12月6日至8日", "2022-12-06/2022-12-08", "range", "day", None),
    ("2022年12月6日—2023年1月5日", "2022年12月6日—2023年1月5日",
     "2022-12-06/2023-01-05", "range", "day", None),
    ("2020年1月至3月，", "2020年1月至3月", "2020-01/2020-03", "range", "month", None),
    ("项目起止时间2019~2020计划", "2019~2020", "2019/2020", "range", "year", None),
    ("2019-2020年", "2019-2020年", "2019/2020", "range", "year", None),
    ("2020-2022年度", "2020-2022年度", "2020/2022", "range", "year", None),
    ("2020至2023年度省政务云", "2020至2023年度", "2020/2023", "range", "year", None),
    ("2019年至2020年", "2019年至2020年", "2019/2020", "range", "year", None),
]


@pytest.mark.parametrize("text, raw, iso, kind, precision, qualifier", POSITIVE)
def test_positive(text, raw, iso, kind, precision, qualifier):
    d = one(text)
    assert (d["raw"], d["iso"], d["kind"], d["precision"], d["qualifier"]) == (
        raw, iso, kind, precision, qualifier)
    assert text[d["start"]:d["end"]] == raw
    assert not d["is_cutoff"] and not d["year_inferred"]


@pytest.mark.parametrize("text, start, end", [
    ("2019年11月8日", D(2019, 11, 8), D(2019, 11, 8)),
    ("2020年初", D(2020, 1, 1), D(2020, 1, 31)),
    ("2022年底", D(2022, 12, 1), D(2022, 12, 31)),
    ("2021年中，", D(2021, 6, 1), D(2021, 6, 30)),
    ("2024年2月", D(2024, 2, 1), D(2024, 2, 29)),
    ("2022年第三季度", D(2022, 7, 1), D(2022, 9, 30)),
    ("2022年前三季度", D(2022, 1, 1), D(2022, 9, 30)),
    ("2023年上半年", D(2023, 1, 1), D(2023, 6, 30)),
    ("2019年12月底", D(2019, 12, 1), D(2019, 12, 31)),
    ("2020年", D(2020, 1, 1), D(2020, 12, 31)),
    ("2021年10月1日至2022年9月30日", D(2021, 10, 1), D(2022, 9, 30)),
    ("2019~2020", D(2019, 1, 1), D(2020, 12, 31)),
])
def test_covered_days(text, start, end):
    d = one(text)
    assert (d["date_start"], d["date_end"]) == (start, end)


@pytest.mark.parametrize("text, raw, iso", [
    ("截至2023年11月20日，该项目", "截至2023年11月20日", "2023-11-20"),
    ("截止2023年11月20日，", "截止2023年11月20日", "2023-11-20"),
    ("截止到2023年11月20日，", "截止到2023年11月20日", "2023-11-20"),
    ("截至 2023 年 11 月 20 日止，", "截至 2023 年 11 月 20 日止", "2023-11-20"),
    ("截至2023年底，共", "截至2023年底", "2023-12"),
    ("到2023年11月20日为止，", "到2023年11月20日为止", "2023-11-20"),
])
def test_cutoff(text, raw, iso):
    d = one(text)
    assert (d["raw"], d["iso"], d["is_cutoff"]) == (raw, iso, True)


def test_to_without_closer_is_no_cutoff():
    d = one("到2020年初，已有")
    assert (d["raw"], d["is_cutoff"]) == ("2020年初", False)


@pytest.mark.parametrize("text, raw, iso", [
    ("2019年7月21日申请立项；8月28日获得立项批复", "8月28日", "2019-08-28"),
    ("2020年1月2日，2020年12月4日，12月5日", "12月5日", "2020-12-05"),
    ("2021年10月1日至2022年9月30日，12月4日召开", "12月4日", "2022-12-04"),
    ("2019年，10月1日至12月31日期间", "10月1日至12月31日", "2019-10-01/2019-12-31"),
])
def test_year_inferred(text, raw, iso):
    d = text_to_dates(text)[-1]
    assert (d["raw"], d["iso"], d["year_inferred"]) == (raw, iso, True)


@pytest.mark.parametrize("text", [
    "12月4日召开会议",                          # no year precedes
    "2022年，上一年10月1日至当年9月30日",       # relative years
    "2022年，每年10月1日前",
])
def test_no_inference(text):
    assert not any(d["year_inferred"] for d in text_to_dates(text))


NEGATIVE = [
    "〔2019〕12号", "[2018]34号", "﹝2020﹞5号", "（2019）3号", "皖政办秘〔2018〕309号",
    "服务期1年", "服务周期为3年", "试运行3个月", "12个月", "联系电话5369112", "邮编232001",
    "12345热线", "2019万元", "2020元", "2县6区", "1800年", "3000年", "增长97.6%", "2020%",
    "第1年", "第一年", "共2020个", "2023.5万元", "2023.5%", "2023年13月", "2023年2月30日",
    "2023.13", "2020-2019", "2019-2020万元",
]


@pytest.mark.parametrize("neg", NEGATIVE)
def test_negative_alone(neg):
    assert text_to_dates(neg) == []


@pytest.mark.parametrize("neg", NEGATIVE)
def test_negative_after_a_year(neg):
    # with an explicit year before it, nothing in `neg` becomes a date (no inference either)
    text = "2020年1月2日，" + neg + "。"
    assert [d["raw"] for d in text_to_dates(text)] == ["2020年1月2日"]


def test_sorted_non_overlapping_offsets():
    text = "截至2023年11月20日，2019~2020，2022年12月6日至8日，12月9日，〔2019〕12号，2023年上半年"
    found = text_to_dates(text)
    assert [d["raw"] for d in found] == [
        "截至2023年11月20日", "2019~2020", "2022年12月6日至8日", "12月9日", "2023年上半年"]
    for prev, cur in zip(found, found[1:]):
        assert prev["end"] <= cur["start"]
    assert all(text[d["start"]:d["end"]] == d["raw"] for d in found)


# --- seed reports -----------------------------------------------------------------------------

def squeeze(text: str) -> str:
    """Rough stand-in for normalisation: drop whitespace runs touching a CJK char or a digit."""
    return regex.sub(r"(?<=[\p{Han}\d])\s+|\s+(?=[\p{Han}\d])", "", text)


def seed(prefix: str) -> tuple[str, list[dict]]:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    text = squeeze(path.read_text(encoding="utf-8"))
    found = text_to_dates(text)
    assert all(text[d["start"]:d["end"]] == d["raw"] for d in found)
    assert all(a["end"] <= b["start"] for a, b in zip(found, found[1:]))
    return text, found


def by_raw(found: list[dict]) -> dict[str, dict]:
    return {d["raw"]: d for d in found}


def test_seed_001():
    _, found = seed("001")
    got = by_raw(found)
    assert got["2019年11月8日"]["iso"] == "2019-11-08"
    assert got["2020年3月27日"]["date_start"] == D(2020, 3, 27)
    assert got["2020年12月4日"]["iso"] == "2020-12-04"        # "2020 年 12\n\n月 4 日"
    assert got["2020年6月12日"]["iso"] == "2020-06-12"        # "2020 年 6 月 12\n\n日"
    cut = got["截至2023年11月20日"]
    assert (cut["is_cutoff"], cut["iso"]) == (True, "2023-11-20")
    assert got["2020年1月至3月"]["iso"] == "2020-01/2020-03"
    assert got["2020年9月中旬"]["qualifier"] == "中旬"
    assert "截至目前" not in "".join(got)


def test_seed_002():
    _, found = seed("002")
    got = by_raw(found)
    assert got["2023年1月1日至2023年12月31日"]["kind"] == "range"
    assert got["2021年10月1日至2022年9月30日"]["iso"] == "2021-10-01/2022-09-30"
    assert got["2020至2023年度"]["iso"] == "2020/2023"
    assert got["2023年初"]["qualifier"] == "年初"
    assert got["2021年10月底"]["qualifier"] == "底"
    assert got["2023年3月15日"]["iso"] == "2023-03-15"
    assert got["截至2023年底"]["is_cutoff"]
    assert not any(d["year_inferred"] for d in found)     # 上一年10月1日至当年9月30日 is relative


def test_seed_003():
    _, found = seed("003")
    got = by_raw(found)
    assert got["2022年前三季度"]["iso"] == "2022-Q1/2022-Q3"
    assert got["2022年1月1日至2022年12月31日"]["date_end"] == D(2022, 12, 31)
    assert (got["8月28日"]["iso"], got["8月28日"]["year_inferred"]) == ("2019-08-28", True)
    assert got["截至2022年底"]["is_cutoff"]
    assert got["2020年12月底"]["qualifier"] == "底"
    assert "2019年中" not in got                           # 2019年中央办公厅
    assert got["2019年"]["precision"] == "year"


def test_seed_004():
    text, found = seed("004")
    got = by_raw(found)
    assert got["2019~2020"]["iso"] == "2019/2020"
    assert got["2020年5月12日"]["iso"] == "2020-05-12"
    assert (got["2019年12月底"]["qualifier"], got["2019年12月底"]["iso"]) == ("底", "2019-12")
    assert got["截至2020年初"]["is_cutoff"]
    assert not got["2020年初"]["is_cutoff"]                # 到2020年初 without 为止
    for doc_no in ("〔2019〕12号", "〔2018〕309号"):
        i = text.index(doc_no)
        assert not any(d["start"] < i + len(doc_no) and i < d["end"] for d in found)
    assert not any("5369112" in d["raw"] or "232001" in d["raw"] for d in found)


def test_dotted_month_day_after_yu_takes_the_year_before():
    # (r31 family) 尾款于9.3支付 after a dated clause; 于1.5万元 / 于3.2% stay numbers
    found = [(d["raw"], d["iso"]) for d in text_to_dates("预付款于2022/8/1支付，验收款于9.3（终验后）支付。")]
    assert found == [("2022/8/1", "2022-08-01"), ("9.3", "2022-09-03")]
    assert [d["raw"] for d in text_to_dates("2022年，下降于1.5万元，低于3.2%。")] == ["2022年"]
    assert text_to_dates("验收款于9.3支付。") == []
