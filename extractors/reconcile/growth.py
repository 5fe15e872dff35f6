"""A stated change (增长 12.5%, 下降 25.00%) against the two figures it is a change of.

A change is recomputed only where its clause ties it to exactly two figures of one thing in two
years: the figures since the sentence's previous percentage, amounts of money (元 per person as
well as 万元) or counts of one measure; which is the base is said by 较上年的Y / 较2023年的Y before
the second figure, by 由X…到Y, or by the year each figure names (2024年X，2023年Y, either order;
2023年、2024年分别为X、Y). A 同比 rate with one figure after the previous rate takes the figure of the
year before from earlier in the sentence (…2022年达572场，同比增长10%，2023年达715场，同比增长25%).
A rise is (X−Y)/Y, a fall (下降, 减少) is (Y−X)/Y. Approximate figures (约5,000人次) confirm a rate
but never contradict it.

Where the clause does not tie them, the check is `unverifiable` with the reason: no base named,
more than two figures of that kind, the second figure an increment (比上年增加Y), the second
figure's clause or the rate's own clause naming another quantity (…，旅游收入增长30%), an average
annual rate (年均增长). A percentage after 目标 (增幅目标为8%) is no change and is left alone."""
from __future__ import annotations

import re
from decimal import Decimal
from functools import cache

from ..rules import load
from .inputs import DocumentFacts

YEAR = re.compile(r"((?:19|20)\d{2})年度?(?![\d一二三四五六七八九十]{1,2}月)")


@cache
def _rules() -> dict:
    r = load("reconcile")
    words = [w for name in ("growth", "decline") for w in r["rates"][name]["words"]]
    return {**r["growth"], "direction": sorted(words, key=len, reverse=True)}


def _figures(r: DocumentFacts, p: dict, lo: int) -> list[dict]:
    """Amounts and counts of the rate's sentence from `lo` to the percentage, in text order, each
    with the thing it measures (money, or a count's measure) and its value."""
    sid = p["sentence_id"]
    out = [{"start": a["char_start"], "end": a["char_end"], "thing": "money", "value": Decimal(a["value_wan"]),
            "rough": bool(a["qualifier"]) or a["value_wan_high"] is not None, "raw": a["raw"]}
           for a in r.amounts_in(sid)]
    out += [{"start": c["char_start"], "end": c["char_end"], "thing": c["measure"], "value": Decimal(c["value"]),
             "rough": bool(c["qualifier"]), "raw": c["raw"]} for c in r.counts if c["sentence_id"] == sid]
    return sorted((f for f in out if f["start"] >= lo and f["end"] <= p["char_start"]), key=lambda f: f["start"])


def _residue(text: str) -> str:
    """What a clause names besides years, base words, direction words and fillers (empty: nothing)."""
    rules = _rules()
    text = re.sub(rules["base_words"], "", YEAR.sub("", text))
    for w in rules["direction"] + sorted(rules["fillers"], key=len, reverse=True):
        text = text.replace(w, "")
    return re.sub(r"[\s，,、；;：:（）()“”\"'。]", "", text)


def _years(text: str, lo: int, a: dict, b: dict) -> tuple[int, int] | None:
    """The years of the two figures: the last one named before the first, the one between them;
    or two years listed before 分别 in the order of the figures."""
    before = [int(y) for y in YEAR.findall(text[lo:a["start"]])]
    between = {int(y) for y in YEAR.findall(text[a["end"]:b["start"]])}
    if len(between) == 1 and before:
        return before[-1], between.pop()
    tail = text[lo:a["start"]]
    if not between and len(before) >= 2 and _rules()["respectively"] in tail[tail.rfind(str(before[-1])):]:
        return before[-2], before[-1]
    return None


def _base(text: str, lo: int, a: dict, b: dict) -> tuple[dict, dict] | str:
    """(old, new), or why the clause does not say which figure is the base."""
    rules = _rules()
    between = text[a["end"]:b["start"]]
    if any(w in between for w in rules["direction"] + rules["change_words"]) and not re.search(rules["to_before"], between):
        return "第二个数是增减的数额，不是另一年的数"              # X，比上年增加Y
    if re.search(rules["base_before"], between):
        return b, a                                          # X，较上年的Y
    years = _years(text, lo, a, b)
    if years and years[0] != years[1]:
        return (a, b) if years[0] < years[1] else (b, a)
    if re.search(rules["from_before"], text[lo:a["start"]]) and re.search(rules["to_before"], between):
        return a, b                                          # 由X增长到Y
    return "未说明哪个数是基数（哪一年的数）"


def _chained(text: str, every: list[dict], lo: int, b: dict, own: str) -> tuple[dict, dict, str, str] | None:
    """The base of a change stated after a chain (2021年达754场，同比增长10.9%，2022年达1490场，同比增长
    97.6%): the last figure of the same thing before the previous rate, where that figure's year is
    the year before the one named for `b` and the rate says 同比/较上年."""
    earlier = [f for f in every if f["end"] <= lo and f["thing"] == b["thing"]]
    years_b = {int(y) for y in YEAR.findall(text[lo:b["start"]])}
    if not earlier or len(years_b) != 1 or not re.search(_rules()["year_on_year"], own):
        return None
    a = earlier[-1]
    years_a = [int(y) for y in YEAR.findall(text[:a["start"]])]
    if not years_a or years_a[-1] != years_b.pop() - 1:
        return None
    return a, b, text[lo:b["start"]], text[:a["start"]]


def _pair(text: str, every: list[dict], lo: int, pos: int, own: str):
    """(old, new, the second figure's clause, the subject), None or why not."""
    rules = _rules()
    figures = [f for f in every if f["start"] >= lo]
    if not figures:
        return None
    b = figures[-1]
    alike = [f for f in figures if f["thing"] == b["thing"]]
    if any(w in text[lo:pos] for w in rules["not_simple"]):
        return "年均增长率不是两个数的简单比，未核对" if len(alike) > 1 else None
    if len(alike) == 1:
        return _chained(text, every, lo, b, own)
    if figures[-2]["thing"] != b["thing"]:
        return None
    if len(alike) > 2:
        return f"句中有{len(alike)}个同类的数，不能确定比率是哪两个数的变化"
    a = figures[-2]
    found = _base(text, lo, a, b)
    return found if isinstance(found, str) else (*found, text[a["end"]:b["start"]], text[lo:a["start"]])


def growth(r: DocumentFacts, p: dict, sentence: dict, decline: bool):
    """(implied rate, how it was computed, a caveat that makes a mismatch unverifiable: the figures
    are approximate), None (no two figures of one thing: nothing to check) or why it cannot be
    checked."""
    text, start = sentence["text"], sentence["char_start"]
    pos = p["char_start"] - start
    lo = max((q["char_end"] for q in r.percentages
              if q["sentence_id"] == p["sentence_id"] and q["char_end"] <= p["char_start"]), default=start) - start
    every = [{**f, "start": f["start"] - start, "end": f["end"] - start} for f in _figures(r, p, start)]
    own = text[max([f["end"] for f in every if f["start"] >= lo], default=lo):pos]
    if any(w in own for w in _rules()["not_a_change"]):
        return None                                          # 增幅目标为8%: a target, not the change
    found = _pair(text, every, lo, pos, own)
    if found is None or isinstance(found, str):
        return found
    old, new, second, subject = found
    for clause, what in ((second, "第二个数"), (own, "比率")):
        rest = _residue(clause)
        if rest and rest not in subject:
            return f"{what}说的是“{rest}”，不是同一个量的两年数"
    o, n = old["value"], new["value"]
    if o == 0:
        return None
    implied = ((o - n) if decline else (n - o)) / o * 100
    word = "下降" if decline else "增长"
    rough = "数是约数，不能精确核对" if old["rough"] or new["rough"] else None
    return implied, f"由{old['raw']}到{new['raw']}的{word}为{implied:.2f}%", rough
