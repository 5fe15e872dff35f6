"""Score sheets and grades: a total against the items of ONE level (never 一级 + 二级 + 三级
summed together), an item against its own sub-items, a score above its maximum, a grade outside
its band. The sheet's own 合计 row, or the item above the sub-items, states the relation: an
`error`. Where the levels cannot be told apart the check is `unverifiable`."""
from __future__ import annotations

from decimal import Decimal
from functools import cache

from ..rules import load
from .findings import fmt, make, unverifiable
from .inputs import DocumentFacts
from .score_sheets import Item, Sheet, read_sheets

TOL = Decimal("0.005")


@cache
def _rules() -> dict:
    return load("reconcile")


def _sum(items: list[Item]) -> Decimal:
    return sum((i.score for i in items), Decimal(0))


def _check(r: DocumentFacts, rule: str, whole: Item, parts: list[Item], what: str, severity: str = "error") -> dict:
    implied = _sum(parts)
    msg = f"{whole.name}{fmt(whole.score)}分，{what}{len(parts)}项得分之和为{fmt(implied)}分"
    if abs(whole.score - implied) > TOL:
        msg += f"，相差{fmt(whole.score - implied)}分"
    return make(r.doc_id, rule, "score_mismatch", msg, [whole.score, implied], holds=abs(whole.score - implied) <= TOL,
                severity=severity, expected=implied, actual=whole.score,
                evidence_rows=[whole.ev("stated"), *[p.ev("parts") for p in parts]])


def _scored_ancestor(item: Item, by_name: dict[str, Item]) -> Item | None:
    seen = set()
    parent = item.parent
    while parent and parent not in seen:
        seen.add(parent)
        up = by_name.get(parent)
        if up is None:
            return None
        if up.score is not None:
            return up
        parent = up.parent
    return None


def _top(sheet: Sheet) -> list[Item]:
    by_name = {i.name: i for i in sheet.items}
    return [i for i in sheet.items if i.score is not None and _scored_ancestor(i, by_name) is None]


def scores(r: DocumentFacts) -> list[dict]:
    out = []
    sheets = read_sheets(r)
    level_one = {i.name: i for s in sheets for i in s.items if i.level == 1 and i.score is not None}
    level_one.update({p["name"]: _prose_item(p) for p in r.scores if p["source"] == "prose" and p["level"] == 1})
    for sheet in sheets:
        out += _sheet(r, sheet, level_one)
    if not sheets:
        out += _extracted_rows(r)
    out += _prose(r)
    out += _grade(r, sheets)
    return out


def _prose_item(p: dict) -> Item:
    return Item(p["name"], p["level"] or 1, p["parent"], p["max_score"], Decimal(p["score"]), p["page"], p["quote"])


def _form_funds_item(r: DocumentFacts, sheet: Sheet, top: list[Item]) -> Item | None:
    """A self-evaluation form's 总分 also counts the funds row's 得分 (年度资金总额 … 10分): on a
    form with 一级/二级/三级指标, or where the 分值 of the items and the funds row make up the
    total's 满分 (90 + 10 = 100)."""
    row = next((f for f in r.form_funds if f["source"] == "total" and f["score"] is not None), None)
    if row is None or any(i.name == row["label"] for i in sheet.items):
        return None
    maxima = [i.max for i in top]
    whole = sheet.total.max if sheet.total else None
    adds_up = (whole is not None and row["points"] is not None and None not in maxima
               and sum(maxima, Decimal(0)) + Decimal(row["points"]) == whole)
    if sheet.name_levels < 3 and not adds_up:
        return None
    return Item(row["label"], 1, None, row["points"], Decimal(row["score"]), row["page"], row["quote"])


def _sheet(r: DocumentFacts, sheet: Sheet, level_one: dict[str, Item]) -> list[dict]:
    out = []
    by_name = {i.name: i for i in sheet.items}
    for item in sheet.items:
        if item.score is not None and item.max is not None:
            over = item.score > item.max
            out.append(make(r.doc_id, "score_within_max", "score_mismatch",
                            f"{item.name}得分{fmt(item.score)}分，满分{fmt(item.max)}分" + ("，超过满分" if over else ""),
                            [item.score, item.max], holds=not over, expected=item.max, actual=item.score,
                            evidence_rows=[item.ev("item")]))
        children = [c for c in sheet.items if c.parent == item.name and c.level > item.level]
        if not children:
            continue
        scored = [c for c in children if c.score is not None]
        if item.score is not None and len(scored) == len(children) and len(scored) >= 2:
            out.append(_check(r, "items_vs_item", item, scored, "所属"))
        elif item.score is None and item.level == 1 and item.name in level_one:
            parts = [d for d in sheet.items if d.score is not None and _scored_ancestor(d, by_name) is None
                     and _under(d, item.name, by_name)]
            if len(parts) >= 2:
                out.append(_check(r, "items_vs_item", level_one[item.name], parts, "评分表明细所列", "warning"))
    if sheet.total is not None:
        top = _top(sheet)
        funds = _form_funds_item(r, sheet, top)
        if funds is not None:
            top = [funds, *top]
        levels = {i.level for i in top}
        if len(top) >= 2:
            if len(levels) > 1 and sheet.name_levels == 1 and not funds:
                out.append(unverifiable(r.doc_id, "items_vs_total", "score_mismatch", f"总分{fmt(sheet.total.score)}分",
                                        "评分表各项层级不明", [sheet.total.score], [sheet.total.ev("stated")]))
            else:
                out.append(_check(r, "items_vs_total", sheet.total, top, ""))
    return out


def _under(item: Item, ancestor: str, by_name: dict[str, Item]) -> bool:
    parent, seen = item.parent, set()
    while parent and parent not in seen:
        if parent == ancestor:
            return True
        seen.add(parent)
        parent = by_name[parent].parent if parent in by_name else None
    return False


def _prose(r: DocumentFacts) -> list[dict]:
    """其中，项目决策得分15分…: the level-1 items a sentence lists against the stated total."""
    rows = [p for p in r.scores if p["source"] == "prose" and p["name"] != "总分"]
    total = next((p for p in r.scores if p["name"] == "总分" and p["source"] == "prose"), None)
    top = [_prose_item(p) for p in rows if p["level"] == 1]
    if total is None or len(top) < 2:
        return []
    whole = _prose_item(total)
    whole.name = "总分"
    if any(p["level"] is None for p in rows):
        return [unverifiable(r.doc_id, "items_vs_total", "score_mismatch", f"总分{fmt(whole.score)}分",
                             "所列各项层级不明", [whole.score], [whole.ev("stated")])]
    return [_check(r, "items_vs_total", whole, top, "所列一级指标")]


def _extracted_rows(r: DocumentFacts) -> list[dict]:
    """Score rows read without a ruled table (OCR): one level only, or unverifiable."""
    rows = [s for s in r.scores if s["source"] == "table" and s["name"] != "总分"]
    total = next((s for s in r.scores if s["name"] == "总分" and s["source"] == "table"), None)
    out = []
    for s in rows:
        if s["max_score"] is not None:
            item = _prose_item(s)
            over = item.score > item.max
            out.append(make(r.doc_id, "score_within_max", "score_mismatch",
                            f"{item.name}得分{fmt(item.score)}分，满分{fmt(item.max)}分" + ("，超过满分" if over else ""),
                            [item.score, item.max], holds=not over, expected=item.max, actual=item.score,
                            evidence_rows=[item.ev("item")]))
    if total is None or len(rows) < 2:
        return out
    names = {s["name"] for s in rows}
    top = [_prose_item(s) for s in rows if s["parent"] not in names]
    whole = _prose_item(total)
    whole.name = "总分"
    if len({s["level"] for s in rows if s["parent"] not in names}) > 1:
        return out + [unverifiable(r.doc_id, "items_vs_total", "score_mismatch", f"总分{fmt(whole.score)}分",
                                   "评分表各项层级不一", [whole.score], [whole.ev("stated")])]
    return out + [_check(r, "items_vs_total", whole, top, "")]


def _grade(r: DocumentFacts, sheets: list[Sheet]) -> list[dict]:
    grade = r.header.get("grade")
    bands = _rules()["grades"]
    if grade not in bands:
        return []
    totals = {s.total.score for s in sheets if s.total is not None}
    evidence = [s.total.ev("score") for s in sheets if s.total is not None]
    if len(totals) > 1:
        return [unverifiable(r.doc_id, "grade_fits_score", "score_mismatch", f"评价等级“{grade}”",
                             "评分表有不同的总分", sorted(totals), evidence)]
    score = totals.pop() if totals else r.header.get("total_score")
    if score is None:
        return []
    score = Decimal(score)
    if not evidence:
        total = next((p for p in r.scores if p["name"] == "总分"), None)
        evidence = [{"page": total["page"], "quote": total["quote"], "side": "score"}] if total else []
    evidence += [{"page": f["page"], "quote": f["quote"], "side": "grade"} for f in r.report_fields
                 if f["field"] == "grade"][:1]
    floor = Decimal(bands[grade])
    ceiling = min((Decimal(v) for v in bands.values() if Decimal(v) > floor), default=Decimal(1000))
    holds = floor <= score < ceiling or (ceiling == 1000 and score >= floor)
    msg = f"总分{fmt(score)}分，评价等级为“{grade}”" + ("" if holds else f"，“{grade}”要求{fmt(floor)}分及以上"
                                                   + (f"、{fmt(ceiling)}分以下" if ceiling < 1000 else ""))
    return [make(r.doc_id, "grade_fits_score", "score_mismatch", msg, [score], holds=holds, evidence_rows=evidence)]
