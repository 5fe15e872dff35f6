"""A total whose parts are the numbered items below it, one figure each:

    2024年度支出合计4,318.46万元。按支出性质划分：
    1.基本支出1,902.58万元。其中：（1）人员经费…（2）公用经费…
    2.项目支出2,425.88万元，主要项目如下：（1）…

The total's clause holds a sum word (合计 / 总计 / 共计) and its sentence, or the short lead after
it, ends with a colon; the items are the headings of the first numbering level below it, up to a
heading of a higher level; each opens with a figure of the total's kind. Deeper items (（1）…) break
an item down, they are not parts of the total. A lead or total saying the list is partial (主要,
重点, 部分, 等) makes no check, and neither does an item without its own figure."""
from __future__ import annotations

from functools import cache

from ..rules import load
from .findings import compare, fmt
from .inputs import DocumentFacts, Fact
from .money_rules import KIND_WORDS
from .scope import clause_before


@cache
def _words() -> dict:
    return load("reconcile")["numbered_parts"]


def numbered_parts(r: DocumentFacts) -> list[dict]:
    out = []
    for sid, items in r.by_sentence.items():
        total = _total(r, sid, items)
        if total is None:
            continue
        lead = sid if r.sentences[sid]["text"].rstrip()[-1:] in "：:" else sid + 1
        if not _is_lead(r, sid, lead):
            continue
        parts = _items(r, lead + 1, total.kind)
        if parts is None or len(parts) < 2 or any(p.wan >= total.wan for p in parts):
            continue
        implied = sum((p.wan for p in parts), type(total.wan)(0))
        msg = (f"{KIND_WORDS.get(total.kind, '')}合计{fmt(total.wan)}万元，其下所列{len(parts)}项之和为"
               f"{fmt(implied)}万元（{' + '.join(fmt(p.wan) for p in parts)}）")
        out.append(compare(r.doc_id, "numbered_parts", "sum_mismatch", total.wan, implied, msg,
                           [total.quote("stated"), *[p.quote("parts") for p in parts]], severity="warning"))
    return out


def _total(r: DocumentFacts, sid: int, items: list) -> Fact | None:
    """The last figure of the sentence, when a sum word stands in its clause."""
    f, e = items[-1]
    text = r.sentences[sid]["text"]
    clause = clause_before(text, e["char_start"] - r.sentences[sid]["char_start"])
    if f.kind not in _words()["kinds"] or not any(w in clause for w in _words()["sum_words"]):
        return None
    return f


def _is_lead(r: DocumentFacts, sid: int, lead: int) -> bool:
    """The list opens after sentence `lead` (the total's own, or a short one without figures), and
    neither says it lists only some of the parts."""
    s = r.sentence(lead)
    if s is None or s["text"].rstrip()[-1:] not in "：:":
        return False
    if lead != sid and (lead in r.by_sentence or len(s["text"]) > _words()["max_lead_chars"]):
        return False
    tail = r.sentences[sid]["text"][r.by_sentence[sid][-1][1]["char_end"] - r.sentences[sid]["char_start"]:]
    return not any(w in tail + (s["text"] if lead != sid else "") for w in _words()["partial_words"])


def _items(r: DocumentFacts, k: int, kind: str) -> list[Fact] | None:
    """The first figure of each item of the first numbering level from sentence k on (None when an
    item has none of that kind)."""
    first = r.sentence(k)
    if first is None or first["heading_level"] is None:
        return None
    level, parts = first["heading_level"], []
    for s in r.sentences[k:]:
        lv = s["heading_level"]
        if lv is not None and lv < level:
            break
        if lv != level:
            continue
        items = r.by_sentence.get(s["sentence_id"])
        if not items or items[0][0].kind != kind:
            return None
        parts.append(items[0][0])
    return parts
