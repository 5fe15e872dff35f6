"""What a figure is a figure OF: the words of its own clause (中央资金结余63.65万元 is the central
funds' remainder, 第一批…2000万元 one batch of several, ≤265万元 a maximum), whether it is one of
the listed parts of a total (…，其中：A a、B b), and whether it was read cleanly (a figure cut out
of a letter-spaced number is not a figure).

A rule compares two figures only when they have the same scope: the same party, the same source
(funding channel), the same item (三公经费, 基本支出 …) and a compatible period. `Fact.source` and
`Fact.item`, where the fact stage fills them, take precedence over the words read here."""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from ..facts.money_context import bracket_after_amount
from ..patterns import alternation
from ..rules import load
from .inputs import DocumentFacts, Fact


SPACED = re.compile(r"(?:^|\s)\S\s\S\s$")


@cache
def words() -> dict:
    return load("reconcile")["scope"]


@dataclass(frozen=True)
class Scope:
    party: str | None
    source: str | None
    item: str | None
    part: bool          # one of the listed parts of a total, or one batch of several
    bound: bool         # a maximum or a target (≤265万元, 控制数), not an amount spent or made available
    clean: bool         # read cleanly (not a fragment of a letter-spaced or broken number)
    label: str          # the clause before the figure
    before: str = ""    # the text just before the figure, across delimiters

    @property
    def whole(self) -> bool:
        """The figure of the whole project: no party, source or item, not a part, read cleanly."""
        return not (self.party or self.source or self.item or self.part or self.bound) and self.clean


def clause_before(text: str, pos: int) -> str:
    """The clause a figure closes: text since the last delimiter (，；。：、 …) before `pos`."""
    last = _through_last_delimiter().match(text, 0, pos)
    return text[last.end() if last else 0:pos]


@cache
def _through_last_delimiter() -> re.Pattern:
    """Matches a text up to its last delimiter, included (one backward scan in C, where a
    search per delimiter scanned the text once for each)."""
    return re.compile("(?s).*[" + "".join(re.escape(ch) for ch in words()["delimiters"]) + "]")


def _sentence_at(r: DocumentFacts, pos: int) -> dict | None:
    starts = r.once("sentence_starts", lambda r: [s["char_start"] for s in r.sentences])
    i = bisect.bisect_right(starts, pos) - 1
    return r.sentences[i] if i >= 0 and pos < r.sentences[i]["char_end"] else None


def position(r: DocumentFacts, start: int | None) -> tuple[dict, int] | None:
    """(sentence, offset in it) of a text position."""
    if start is None:
        return None
    s = _sentence_at(r, start)
    return (s, start - s["char_start"]) if s else None


def label_at(r: DocumentFacts, start: int | None) -> str:
    found = position(r, start)
    return clause_before(found[0]["text"], found[1]) if found else ""


@cache
def any_word(table: str) -> re.Pattern:
    """Finds a text that holds any word of the scope table `table` (sources, items_list)."""
    ws = words()[table]
    ws = ws["words"] if table == "items_list" else [w for group in ws.values() for w in group]
    return re.compile(alternation(ws))


def source_in(text: str) -> str | None:
    """The funding channel a label names (中央, 省级, 上年结转 …), None when it names none."""
    if not any_word("sources").search(text):
        return None                             # most labels name none
    hits = [(len(w), code) for code, ws in words()["sources"].items() for w in ws if w in text]
    return max(hits)[1] if hits else None


def item_in(text: str) -> str | None:
    if not any_word("items_list").search(text):
        return None
    hits = [w for w in words()["items_list"]["words"] if w in text]
    return max(hits, key=len) if hits else None


def fragment(text: str, pos: int) -> bool:
    """The figure starting at `pos` is the tail of a number broken by spaces (3 3 0 . 0 0万元)."""
    return bool(SPACED.search(text[max(0, pos - 8):pos]))


def _year_read_as_money(r: DocumentFacts, e: dict, text: str, pos: int) -> bool:
    """A year label (2021年 in a table's first column) read as an amount in the column's unit."""
    a = r.amount(e["mention_id"])
    if a is None or a["unit_source"] != "label" or not re.search(r"(?:19|20)\d{2}$", a["raw"]):
        return False
    after = position(r, a["char_end"])
    return bool(after) and after[0]["text"][after[1]:after[1] + 1] == "年"


def parts_cut(text: str) -> int:
    """Where the list of a total's parts opens in a sentence (其中 / 分为三块：), -1 for none."""
    m = re.search(words()["parts_after"], text)
    return m.start() if m else -1


def in_list(text: str, pos: int) -> bool:
    """The figure at `pos` follows the 其中 of its sentence (one of the listed parts)."""
    cut = parts_cut(text)
    return 0 <= cut < pos


def _sole_source(after: str) -> bool:
    """The clause after a figure says all of it comes from one source (，全部为市本级财政资金)."""
    m = re.match(words()["sole_source_after"], after)
    return bool(m) and source_in(re.split(r"[，,。；;：:]", after[m.end():], maxsplit=1)[0]) is not None


def _later_item(r: DocumentFacts, s: dict) -> bool:
    """The sentence is a later item of a list of parts opened in a sentence before it (…，其中：A费
    120万元；|B费18万元；|C费12万元。): the sentences between end with ；."""
    sid = s["sentence_id"] - 1
    while (prev := r.sentence(sid)) is not None and prev["text"].rstrip()[-1:] in "；;":
        if parts_cut(prev["text"]) >= 0:
            return True
        sid -= 1
    return False


def list_total(r: DocumentFacts, f: Fact) -> Decimal | None:
    """The total whose 其中 list a figure is one of (部门预算总额…，其中：…其他资金277.6万元 is a part
    of the department's total, not of a project's), None when it is not a listed part."""
    for e in f.evidence:
        found = position(r, e["char_start"])
        if found is None or not in_list(found[0]["text"], found[1]):
            continue
        s = found[0]
        cut = s["char_start"] + parts_cut(s["text"])
        before = [a for a in r.amounts_in(s["sentence_id"]) if a["char_end"] <= cut]
        if before:
            return Decimal(before[-1]["value_wan"])
    return None


def scope_of(r: DocumentFacts, f: Fact) -> Scope:
    """The scope of a fact, read once per document: many rules ask for the scope of the same
    facts. Kept by the fact's identity, with the fact itself, so that an id is not reused while
    it is kept (a rule may pass a fact it made)."""
    scopes: dict[int, tuple[Fact, Scope]] = r.once("scopes", lambda r: {})
    kept = scopes.get(id(f))
    if kept is None:
        kept = scopes[id(f)] = (f, _read_scope(r, f))
    return kept[1]


def _read_scope(r: DocumentFacts, f: Fact) -> Scope:
    labels, clean, part, bounds, before, sole = [], True, False, [], "", False
    for e in f.evidence:
        found = position(r, e["char_start"])
        if found is None:
            continue
        s, pos = found
        label = clause_before(s["text"], pos)
        labels.append(label)
        before = before or s["text"][max(0, pos - words()["before_reach"]):pos]
        clean = clean and not fragment(s["text"], pos) and not _year_read_as_money(r, e, s["text"], pos)
        part = part or in_list(s["text"], pos) or bracket_after_amount(s["text"], pos) is not None or _later_item(r, s) \
            or any(w in label for w in words()["batch"])
        bounds.append(any(w in label[-words()["bound_reach"]:] for w in words()["bounds"]))
        if e["char_end"] is not None:
            sole = sole or _sole_source(s["text"][e["char_end"] - s["char_start"]:])
    if not labels:
        labels = [f.sentence]
    # a bound restating an amount stated plainly elsewhere (预算150万元 / 成本控制数<=150万元) leaves it an amount
    bound = (bool(bounds) and all(bounds)) or (f.qualifier or "") in words()["bound_qualifiers"]
    label = labels[0]
    sources = {source_in(lb) for lb in labels}
    items = {item_in(lb) for lb in labels} | {item_in(f.sentence)}
    source = None if sole else f.source or (sources.pop() if len(sources) == 1 else "mixed")
    item = f.item or next((i for i in items if i), None)
    return Scope(f.party, source, item, part, bound, clean and f.wan > 0, label, before)


def same_scope(a: Scope, b: Scope) -> str | None:
    """None when two figures can be compared; else why not, in words for the reader."""
    if a.party != b.party:
        return f"两个金额属于不同的单位（{a.party or '项目整体'}、{b.party or '项目整体'}）"
    if a.source != b.source:
        return f"两个金额的资金来源不同（{_name(a.source)}、{_name(b.source)}）"
    if a.item != b.item:
        return f"两个金额的口径不同（{a.item or '整体'}、{b.item or '整体'}）"
    return None


def _name(source: str | None) -> str:
    return words()["source_names"].get(source, source) if source else "未区分来源"


def whole_figures(r: DocumentFacts, kinds: tuple[str, ...], year: int | None = None,
                  stated_year: bool | None = None) -> list[Fact]:
    """Facts of `kinds` that are figures of the whole project (see Scope.whole); with `year`,
    those of that year; `stated_year` True keeps the figures put in a year by the text (2022年度
    支出…), False those that are not."""
    out = []
    for f in r.of_kind(*kinds):
        if stated_year is not None and (f.year_source == "stated") != stated_year:
            continue
        if year is not None and f.year != year:
            continue
        if scope_of(r, f).whole:
            out.append(f)
    return out


def one_value(facts: list[Fact]) -> tuple[Decimal, list[Fact]] | None | str:
    """The one value these facts state (None when there is none; a reason when they differ)."""
    values = sorted({f.wan for f in facts})
    if not values:
        return None
    if len(values) > 1:
        return "报告中有多个不同的金额（" + "、".join(f"{v:f}".rstrip("0").rstrip(".") for v in values[:4]) + "万元）"
    return values[0], [f for f in facts if f.wan == values[0]]
