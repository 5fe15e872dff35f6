"""Indicator names: the noun phrase before a figure, and how close two names are."""
from __future__ import annotations

import re
from functools import cache

from ..patterns import alternation
from ..rules import load


@cache
def _rules() -> dict:
    r = dict(load("indicators"))
    r["verb_re"] = re.compile(alternation(r["name_verbs"]))
    numbering = "|".join(h["pattern"] for h in load("structure")["heading"])
    r["prefix_re"] = re.compile(rf"^\s*(?:{numbering})?\s*(?:{r['name_prefix_pattern'].lstrip('^')})?")
    r["lead_re"] = re.compile(r["name_lead_pattern"])
    r["trailing_re"] = re.compile(r["name_trailing_pattern"])
    r["drop_re"] = re.compile(alternation(r["name_drop"]))
    stops = alternation(r["name_after_stops"])
    r["after_re"] = re.compile(rf"(?!{stops})[\u4e00-\u9fff]{{2,{r['name_after_max']}}}?(?={stops}|[^\u4e00-\u9fff]|$)")
    r["suffixes_longest_first"] = sorted(r["name_suffixes"], key=len, reverse=True)
    return r


def clean_name(prefix: str) -> str:
    """The noun phrase of a clause before its figure: 一是…的覆盖率达到 -> 覆盖率 ("" if none)."""
    r = _rules()
    name = r["prefix_re"].sub("", prefix.strip())
    for m in r["verb_re"].finditer(name):
        if m.start() >= 2 and not name.startswith(tuple(r["name_not_verbs"]), m.start()):
            name = name[:m.start()]
            break
    cut, head = max(name.rfind(c) for c in r["name_cut_chars"]), ""
    if 0 <= cut < len(name) - 2:
        name, head = name[cut + 1:], name[:cut]
    name = r["trailing_re"].sub("", r["drop_re"].sub("", r["prefix_re"].sub("", name).strip()))
    if r["lead_re"].fullmatch(name):        # 开展全面巡检、全年不少于: the part before names it
        return clean_name(head) if head else ""
    return name


def name_after(text: str) -> str:
    """The name printed right after a figure whose clause names nothing before it (…，6个助餐点
    全部正常运营 -> 助餐点; 共完成42台设备的安装 -> 设备): up to a word that ends it."""
    m = _rules()["after_re"].match(text)
    return m.group() if m else ""


def _stem(name: str) -> str:
    """The name without its generic endings (覆盖率 -> 覆盖), at least two characters left."""
    suffixes = _rules()["suffixes_longest_first"]
    while s := next((x for x in suffixes if name.endswith(x) and len(name) - len(x) >= 2), None):
        name = name[: -len(s)]
    return name


def similarity(a: str, b: str) -> float:
    """Dice coefficient of the character bigrams of two names without their generic endings."""
    def grams(s: str) -> set[str]:
        s = _stem(s)
        return {s[i:i + 2] for i in range(len(s) - 1)} or {s}
    ga, gb = grams(a), grams(b)
    return 2 * len(ga & gb) / (len(ga) + len(gb)) if ga and gb and a and b else 0.0


def bare_ending(name: str, of: str) -> bool:
    """A name that is only the ending of another one (合格率 of 工程验收合格率), generic endings aside."""
    stem, full = _stem(name), _stem(of)
    return len(stem) >= 2 and len(full) > len(stem) and full.endswith(stem)


def same_ending(a: str, b: str, least: int = 2) -> bool:
    """Both names end alike once their generic endings are gone: 调查显示满意度 / 群众满意度,
    达标率 / 出水水质达标率 (资金支付完成率 / 整改完成率 do not)."""
    sa, sb = _stem(a), _stem(b)
    n = 0
    while n < min(len(sa), len(sb)) and sa[-1 - n] == sb[-1 - n]:
        n += 1
    return n >= least
