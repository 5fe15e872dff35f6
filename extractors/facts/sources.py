"""The funding source a money figure is tied to (中央 / 省级 / 市级 / 县级 / 乡镇 / 自筹 / 债券 / 其他),
from a table's row label or column header, or from the words before an amount in its clause
(中央资金30.9万元、县级配套30.9万元: two figures told apart by source). A text that names no
source, or several at once (中央和省级资金), gives none.

A breakdown of a total (预算数520万元，其中当年财政拨款430万元、上年结转资金60万元) names its
parts by source or category; the role words inside those labels (拨款, 结转, 支出) are not the
parts' roles (`part_label_spans`), so each part keeps the kind of the total.
"""
from __future__ import annotations

import typing
from decimal import Decimal
from functools import cache

import regex

from schemas.rows import FactSource

from ..rules import load

SOURCES = typing.get_args(FactSource)
CLAUSE_ENDS = "，,；;：:、。\n"
_SPACES = regex.compile(r"\s+")


@cache
def _rules() -> dict:
    r = load("sources")
    unknown = set(r["sources"]) - set(SOURCES)
    if unknown:
        raise ValueError(f"sources.toml names unknown sources: {sorted(unknown)}")
    sources = {k: regex.compile("|".join(v)) for k, v in r["sources"].items()}
    return {"sources": sources,
            # matches where any source's pattern matches: a text it misses names no source
            "any_source": regex.compile("|".join(f"(?:{p.pattern})" for p in sources.values())),
            "combined": regex.compile(r["together"]["pattern"]),
            "breakdown": regex.compile(r["breakdown"]["pattern"]),
            "follow_stop": regex.compile(r["follow"]["stop_pattern"]),
            "labels": regex.compile("|".join(sorted(r["breakdown"]["part_labels"], key=len, reverse=True))),
            "anywhere": regex.compile("|".join(r["breakdown"]["labels_anywhere"])),
            "sums": regex.compile(r["complete"]["sum_pattern"]),
            "nouns": regex.compile("|".join(sorted(r["complete"]["fund_nouns"], key=len, reverse=True))),
            "noun_gap": regex.compile(r["complete"]["noun_gap"]),
            "label": regex.compile(r["complete"]["label_pattern"]),
            "after": regex.compile(r["after"]["pattern"])}


def source_of(text: str | None) -> str | None:
    """The one source `text` names (the longest match wins where two overlap), else None. Most
    texts name none: one search of all the sources' patterns at once says so."""
    text = _SPACES.sub("", text or "")
    if not text or _rules()["combined"].search(text) or not _rules()["any_source"].search(text):
        return None
    found = [(m.start(), m.end(), name) for name, p in _rules()["sources"].items()
             for m in p.finditer(text, overlapped=True)]
    kept = {name for s, e, name in found
            if not any(s2 <= s and e <= e2 and (e2 - s2) > (e - s) for s2, e2, n2 in found if n2 != name)}
    return kept.pop() if len(kept) == 1 else None


def clause_source(text: str, start: int, end: int, previous: str | None = None) -> str | None:
    """The source named before an amount at text[end:]: in its clause, after `start` (the end of
    the previous amount of its sentence, or the sentence start); else `previous`, the source of
    the amount before it in its sentence, unless the clause sums several (共计 / 合计)."""
    i = end
    while i > start and text[i - 1] not in CLAUSE_ENDS:
        i -= 1
    clause = text[i:end]
    found = source_of(clause) or _colon_head(text, start, i)
    if found or previous is None or _rules()["combined"].search(clause) or _rules()["follow_stop"].search(clause):
        return found
    return previous


def source_after(text: str, end: int) -> str | None:
    """The source named right after an amount for all of it (…400万元，全部为省级财政资金)."""
    m = _rules()["after"].match(text, end)
    return source_of(m.group("words")) if m else None


def _colon_head(text: str, start: int, i: int) -> str | None:
    """The source named by the head of a list that the clause opens (中央资金分两批下达：…), when the
    clause follows its colon and the head lies after `start` (no amount between them)."""
    if i <= start or text[i - 1] not in "：:":
        return None
    head = _clause_before(text, i - 1)
    return source_of(head) if i - 1 - len(head) >= start else None


def is_channel_label(text: str) -> bool:
    """The whole text names a fund's channel or category (上年结转结余, 财政拨款收入, 基本支出)."""
    return bool(_rules()["labels"].fullmatch(text) or _rules()["anywhere"].fullmatch(text))


def part_label_spans(sentence: str) -> list[tuple[int, int]]:
    """Spans of part labels (当年财政拨款, 上年结转资金, 基本支出) in the breakdown of a sentence
    (after 其中), and of fund channel labels anywhere (当年财政拨款)."""
    spans = [(p.start(), p.end()) for p in _rules()["anywhere"].finditer(sentence)]
    m = _rules()["breakdown"].search(sentence)
    if m:
        spans += [(p.start(), p.end()) for p in _rules()["labels"].finditer(sentence, m.end())]
    return spans


def outside_part_labels(sentence: str, triggers: list) -> list:
    """The role triggers of a sentence that do not lie inside a part label of its breakdown."""
    spans = part_label_spans(sentence)
    if not spans:
        return triggers
    return [t for t in triggers if not any(s <= t.start and t.end <= e for s, e in spans)]


def _clause_before(text: str, pos: int) -> str:
    i = pos
    while i > 0 and text[i - 1] not in CLAUSE_ENDS:
        i -= 1
    return text[i:pos]


def complete_sources(text: str, candidates: list) -> None:
    """Give a source to prose amounts whose clause names none when the report ties it down: a total
    of the amounts before it (`_summed_parts`), or a part of a total of one source, or a kind of fund the report ties to one source
    (`_fund_source`). A sum with no role word of its own (两批合计…) takes the kind of the amounts it
    sums. Candidates have `mention`, `kind`, `trigger`, `wan`, `source` and `restates`."""
    prose = [c for c in candidates if c.mention["char_start"] is not None and c.restates is None]
    for i, c in enumerate(prose):
        if c.kind == "other" and c.trigger is None and i and prose[i - 1].kind != "other":
            parts = _summed_parts(text, prose[:i], c, kind=prose[i - 1].kind)
            c.kind = parts[0].kind if parts else c.kind     # 两批合计0.92亿元: the sum of two appropriations
        parts = _summed_parts(text, prose[:i], c)
        named = {p.source for p in parts} - {None}
        if c.source is None and parts and len(named) == 1 and all(p.source for p in parts):
            c.source = named.pop()              # 两批合计: the parts' one source
        elif c.source is not None and parts and named <= {c.source}:
            for p in parts:                     # 全年中央财政共下达…: so were its parts
                p.source = c.source
    _fund_source(text, prose)
    for c in prose:
        if c.source is None:
            c.source = _label_source(text, c.mention["char_start"])


def _label_source(text: str, pos: int) -> str | None:
    """The source named by the short label that opens the paragraph of `pos` (①中央资金。…), when
    nothing between the label and `pos` names a source."""
    start = text.rfind("\n", 0, pos) + 1
    m = _rules()["label"].match(text, start, pos)
    if not m or _rules()["any_source"].search(text, m.end(), pos) or _rules()["combined"].search(text, m.end(), pos):
        return None
    return source_of(m.group("label"))


def _summed_parts(text: str, before: list, c, kind: str | None = None) -> list:
    """The run (two or more) of amounts of c's kind (or `kind`) right before it in its paragraph
    that add up to c, when c's clause says it sums them; else []."""
    start = c.mention["char_start"]
    if not _rules()["sums"].search(_clause_before(text, start)):
        return []
    total, parts, end = Decimal(0), [], start
    for p in reversed(before):
        if p.kind != (kind or c.kind) or "\n" in text[p.mention["char_end"]:end]:
            return []
        total += p.wan
        parts.append(p)
        end = p.mention["char_start"]
        if total == c.wan:
            return parts if len(parts) >= 2 else []
        if total > c.wan:
            return []
    return []


def _fund_source(text: str, prose: list) -> None:
    """A kind of fund named right before an amount takes the one source the report ties it to."""
    nouns: dict[int, str] = {}
    for i, c in enumerate(prose):
        clause = _clause_before(text, c.mention["char_start"])
        found = list(_rules()["nouns"].finditer(clause))
        if len(found) == 1 and _rules()["noun_gap"].match(clause[found[0].end():]):
            nouns[i] = found[0].group()
    tied: dict[str, set] = {}
    for i, noun in nouns.items():
        if prose[i].source is not None:
            tied.setdefault(noun, set()).add(prose[i].source)
    for i, noun in nouns.items():
        if prose[i].source is None and len(tied.get(noun, ())) == 1:
            prose[i].source = next(iter(tied[noun]))
