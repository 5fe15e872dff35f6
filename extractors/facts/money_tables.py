"""Money tables read by their header: each figure with its kind, unit, scope and whether it totals.

A header row (or two, a merged upper cell over its parts) names what each column holds: a kind
of money (年初预算数 / 决算数 / 合同金额 / 累计支付 / 未支付 …), a funding source (中央资金 / 县级配套),
a year (2022年), a total (合计), or a row's scope (供应商 / 资金来源 / 项目名称 / 年度). A column's
unit comes from its header (合同金额（元）), the header rows (项目资金（万元）), the caption above
the table (单位：元) or the page; a table whose unit nothing states is not read. Each row's label
gives its scope: a counterparty, a source, a year or a sub-project (item); a row or column that
totals the others (合计 / 小计 / 资金总额) gives figures marked `is_total`, to be checked against
their parts. The income side of a 收支决算 table (财政拨款收入 …) states money received, not spent.
A table continued across a page break under a repeated header is read whole (tables.blocks).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache

import regex

from ..dates import text_to_dates
from ..rules import load
from .sources import is_channel_label, source_of
from .table_totals import Line, column_parts, row_parts
from .tables import blocks, squash
from .view import DocView, Row

NOTE_RE = regex.compile(r"[（(][^（()）]*[）)]$")
YEAR_RE = regex.compile(r"^((?:19|20)\d{2})\s*年度?")
_OF_WHICH = regex.compile(r"^其中[:：]?")
_THOUSANDS = regex.compile(r"[,，]")
_DECIMALS = regex.compile(r"\.(\d+)")
TITLE_RE = regex.compile(r"^(?:表\s*\d+|附表)|[^见下如上]表(?:[（(：:]|$)|单位[:：]")
PARTY_KINDS = ("contract", "payment", "paid_total", "balance")


@cache
def _rules() -> dict:
    r = load("money_tables")
    suffixes = "|".join(sorted(load("parties")["suffixes"], key=len, reverse=True))
    return {
        "kinds": {k: regex.compile("|".join(v)) for k, v in r["columns"].items()},
        "not_money": r["header"]["not_money"], "max_header": r["header"]["max_header_chars"], "labels": r["labels"],
        "money": regex.compile(r["header"]["money_pattern"]), "indicator": set(r["header"]["indicator_headers"]),
        "dates": {k: regex.compile(v) for k, v in r["dates"].items()},
        "total": regex.compile(r["totals"]["pattern"]), "unit_cell": regex.compile(r["units"]["in_cell"]),
        "unit_caption": regex.compile(r["units"]["caption"]), "unit_page": regex.compile(r["units"]["on_page"]),
        "factor": {k: Decimal(v) for k, v in r["units"]["factor"].items()},
        "value": regex.compile(r["units"]["value_pattern"]), "empty": set(r["units"]["empty_cells"]),
        "caption_kinds": {k: regex.compile("|".join(v)) for k, v in r["caption_kinds"].items()},
        "income": regex.compile(r["income"]["row_pattern"]), "fiscal": regex.compile(r["income"]["fiscal_pattern"]),
        "spending": regex.compile(r["income"]["spending_pattern"]),
        "category": regex.compile(r["header"]["category_pattern"]),
        "company": regex.compile(rf"(?:{suffixes})$"),
    }


@dataclass
class Column:
    index: int
    header: str                  # as printed, the header rows joined
    kind: str | None = None
    source: str | None = None
    year: int | None = None
    total: bool = False
    unit: str | None = None
    label: str | None = None     # party | source | item | year: the column holds a row's scope
    date_of: str | None = None   # the kind whose date the column gives
    money: bool = False
    item: str | None = None      # a category of spending the column holds (基本支出)
    default: str | None = None   # its kind when neither the row nor the caption names one


@dataclass(frozen=True)
class TableFigure:
    kind: str
    value: Decimal
    unit: str
    value_wan: Decimal
    row: Row
    col: int
    header: str
    label: str
    party: str | None = None
    source: str | None = None
    item: str | None = None
    year: int | None = None
    yearly: bool = False         # the table splits its figures by year (a figure without one spans years)
    date: dict | None = None
    is_total: bool = False
    parts_wan: Decimal | None = None     # for a total: the sum of the cells it totals, as printed
    cell: str = ""

    @property
    def mention_id(self) -> str:
        return f"t{self.row.page}.{self.row.table}.{self.row.index}.{self.col}"


def _bare(text: str | None) -> str:
    """A cell without spaces, 其中：, and bracketed notes at its end (全年预算数（A） -> 全年预算数)."""
    t = _OF_WHICH.sub("", squash(text))
    while NOTE_RE.search(t) and NOTE_RE.sub("", t):
        t = NOTE_RE.sub("", t)
    return t


def _unit_in(text: str | None) -> str | None:
    m = _rules()["unit_cell"].search(squash(text))
    return next((g for g in m.groups() if g), None) if m else None


def _label_kind(text: str) -> str | None:
    words = _rules()["labels"]
    t = text[:-2] if text.endswith("名称") and len(text) > 2 else text
    return next((k for k, ws in words.items() if t in ws or text in ws), None)


def _column(index: int, text: str) -> Column | None:
    """What a header cell says its column holds, or None when it says nothing we read."""
    r = _rules()
    bare = _bare(text)
    col = Column(index, squash(text), unit=_unit_in(text))
    if not bare or len(bare) > r["max_header"]:
        return None
    col.label = _label_kind(bare)
    col.date_of = next((k for k, p in r["dates"].items() if p.search(bare)), None)
    if col.label or col.date_of or any(w in bare for w in r["not_money"]):
        return col if (col.label or col.date_of) else None
    col.kind = next((k for k, p in r["kinds"].items() if p.search(bare)), None)
    col.source = source_of(bare)
    year = YEAR_RE.match(bare)
    col.year = int(year.group(1)) if year else None
    col.total = bool(r["total"].match(bare))
    if not col.kind and r["category"].match(bare):
        col.item, col.default = bare, "paid_total"
    col.money = bool(col.kind or col.source or col.year or col.total or col.item or r["money"].match(bare))
    return col if col.money else None


def _number(cell: str | None) -> tuple[Decimal, str | None] | None:
    text = squash(cell)
    if text in _rules()["empty"]:
        return None
    m = _rules()["value"].match(text)
    if not m:
        return None
    return Decimal(_THOUSANDS.sub("", m.group("num"))), m.group("unit")


def _header(rows: list[Row], i: int) -> tuple[dict[int, Column], int] | None:
    """The columns named by rows[i] (with rows[i + 1] when it holds the parts of merged cells
    above it), and the number of header rows; None when rows[i] is no money header."""
    row = rows[i]
    if any(_number(c) for c in row.cells) or any(_bare(c) in _rules()["indicator"] for c in row.cells):
        return None
    lower = rows[i + 1].cells if i + 1 < len(rows) else None
    two = (lower is not None and not any(_number(c) for c in lower)
           and any(_column(j, c) for j, c in enumerate(row.cells) if c)
           and any(c is None and j < len(lower) and squash(lower[j]) for j, c in enumerate(row.cells)))
    cols: dict[int, Column] = {}
    for j, cell in enumerate(row.cells):
        text = cell or ""
        if two:
            if cell is None:                    # merged from the left over its parts below
                text = next((c for c in reversed(row.cells[:j]) if c), "")
            text += (lower[j] or "") if j < len(lower) else ""
        col = _column(j, text)
        if col is not None:
            col.unit = col.unit or _unit_in(cell)
            cols[j] = col
    if len(cols) < 2 or not any(c.money for c in cols.values()):
        return None
    return cols, 2 if two else 1


@dataclass
class Scope:
    label: str = ""
    section: str = ""
    party: str | None = None
    source: str | None = None
    item: str | None = None
    year: int | None = None
    total: bool = False
    kind: str | None = None
    date: dict | None = None
    date_of: str | None = None
    detail: bool = False         # the label opens with 其中: the row details the row above it


def _classify(text: str, as_: str | None, scope: Scope) -> None:
    """Put one label cell into the row's scope, as its column header says, else by what it reads."""
    r = _rules()
    if r["total"].match(text):
        scope.total = True
        return
    year = YEAR_RE.match(text)
    if as_ == "year" or (as_ is None and year and len(text) <= 6):
        scope.year = int(year.group(1)) if year else None
        return
    if as_ == "party" or (as_ is None and r["company"].search(text)):
        scope.party = text
        return
    source = source_of(text)
    if source and as_ != "party":
        scope.source = source
        return
    kind = next((k for k, p in r["kinds"].items() if p.search(text)), None) \
        if as_ != "year" and not is_channel_label(text) else None
    if kind:
        scope.kind = kind
    else:
        scope.item = text


def _scope(row: Row, cols: dict[int, Column], first_money: int, section: str) -> Scope:
    """A row's scope from its label cells (those before the first money column, and a party column
    after them); with several label columns the first one is a section (收入 / 支出), carried down
    the rows below it."""
    scope = Scope(section=section)
    cells = [(j, _bare(row.cells[j])) for j in range(min(first_money, len(row.cells)))]
    scope.total = any(_rules()["total"].match(t) for _, t in cells)
    scope.detail = any(squash(row.cells[j]).startswith("其中") for j, _ in cells)
    cells = [(j, t) for j, t in cells if t and not (j in cols and cols[j].date_of) and not t.isdigit()]
    if first_money > 1 and len(cells) > 1 and cells[0][0] == 0:
        scope.section, cells = cells[0][1], cells[1:]
    typed = [(j, t) for j, t in cells if j in cols and cols[j].label]
    for j, t in typed or cells[-1:]:
        _classify(t, cols[j].label if j in cols else None, scope)
    scope.label = cells[-1][1] if cells else ""
    for j, col in cols.items():
        text = _bare(row.cells[j]) if j < len(row.cells) else ""
        if j > first_money and col.label == "party" and text and text not in _rules()["empty"]:
            scope.party = text                  # a 中标供应商 column after the money columns
        if col.date_of and j < len(row.cells) and row.cells[j]:
            found = text_to_dates(squash(row.cells[j]))
            if found and found[0]["precision"] != "year":
                scope.date, scope.date_of = found[0], col.date_of
    return scope


def _caption(view: DocView, rows: list[Row], at: int) -> str:
    """The text printed right above the table: up to two sentences before its header."""
    page = rows[at].page
    heads = [squash(c) for c in rows[at].cells if squash(c)]
    keys = ["".join(heads[:2]), heads[0]] if heads else []
    on_page = view.on_page(page)
    foot = view.on_page(page - 1)[-2:]
    for key in keys:
        for k, s in enumerate(on_page):
            text = squash(s.text)
            if key and key in text:
                before = text[:text.index(key)]
                above = (foot + on_page[:k])[-2:]       # a title at the foot of the page before
                return "\n".join([squash(x.text) for x in above] + [before])
    return ""


def _title(caption: str) -> str:
    """The pieces of a caption that title the table (表1 …情况表 / 单位：万元), not the prose above it."""
    return "\n".join(p for p in caption.split("\n") if len(p) <= 50 and TITLE_RE.search(p))


def _table_unit(view: DocView, rows: list[Row], at: int, n_header: int, caption: str) -> str | None:
    """The unit of a table: in its header rows or above them, in its caption, else on its page."""
    for row in rows[:at + n_header]:
        for cell in row.cells:
            unit = _unit_in(cell)
            if unit:
                return unit
    r = _rules()
    found = [next(g for g in m.groups() if g) for m in r["unit_caption"].finditer(caption)]
    if found:
        return found[-1]
    page = " ".join(s.text for s in view.on_page(rows[at].page))
    units = {next(g for g in m.groups() if g) for m in r["unit_page"].finditer(page)}
    return units.pop() if len(units) == 1 else None


def _caption_kind(caption: str) -> str | None:
    title = _title(caption)
    kinds = {k for k, p in _rules()["caption_kinds"].items() if p.search(title)}
    return kinds.pop() if len(kinds) == 1 else None


def _kind(col: Column, scope: Scope, table_kind: str | None, two_sided: bool) -> str | None:
    kind = col.kind or scope.kind or table_kind or col.default
    if kind == "payment" and (col.total or scope.total):
        return "paid_total"                         # the total of a list of payments
    r = _rules()
    if kind == "paid_total" and two_sided and r["income"].search(scope.section + scope.label):
        return "appropriation" if r["fiscal"].search(scope.label) else None
    return kind


def _figure(col: Column, scope: Scope, value: Decimal, unit: str, kind: str, row: Row,
            parts: Decimal | None, table_source: str | None = None) -> TableFigure:
    return TableFigure(
        kind, value, unit, value * _rules()["factor"][unit], row, col.index, col.header, scope.label,
        party=scope.party if kind in PARTY_KINDS else None, source=col.source or scope.source or table_source,
        item="/".join(x for x in (scope.item, col.item) if x) or None,
        year=col.year or scope.year, date=scope.date if scope.date_of == kind else None,
        is_total=col.total or scope.total, parts_wan=parts if (col.total or scope.total) else None,
        cell=squash(row.cells[col.index]))


def _line(k: int, row: Row, scope: Scope, money: dict[int, Column], unit: str | None) -> Line:
    wan: dict[int, Decimal | None | str] = {}
    for j, col in money.items():
        cell = row.cells[j] if j < len(row.cells) else None
        number = _number(cell)
        u = number and (number[1] or col.unit or unit)
        wan[j] = (number[0] * _rules()["factor"][u] if u else "?") if number else \
            (None if squash(cell) in _rules()["empty"] else "?")
    return Line(k, scope.total, scope.detail, wan)


def _figures(view: DocView, rows: list[Row], at: int, cols: dict[int, Column], n_header: int
             ) -> tuple[list[TableFigure], int]:
    """The figures of the table whose header is rows[at], and the index of the row that ends it."""
    caption = _caption(view, rows, at)
    unit = _table_unit(view, rows, at, n_header, caption)
    # money of no kind in a table dating its rows (支付时间) is of the dated kind, else the caption's
    table_kind = next((c.date_of for c in cols.values() if c.date_of), None) or _caption_kind(caption)
    years = {int(m.group(1)) for m in regex.finditer(r"((?:19|20)\d{2})\s*年度?", _title(caption))}
    caption_year = years.pop() if len(years) == 1 else None       # 2023年度收支决算表: the table's year
    table_source = source_of(_title(caption))                       # 专项债券资金使用情况表: the table's source
    money = {j: c for j, c in cols.items() if c.money}
    first_money = min(money)
    header_text = [squash(c) for c in rows[at].cells]
    lines: list[tuple[Line, Row, Scope]] = []
    section, end = "", len(rows)
    for k in range(at + n_header, len(rows)):
        row = rows[k]
        if [squash(c) for c in row.cells] == header_text:
            continue                                        # the header repeated after a page break
        if not any(j < len(row.cells) and _number(row.cells[j]) for j in money):
            if any(squash(c) not in _rules()["empty"] for c in row.cells[first_money + 1:]):
                end = k                                     # words where money stood: the table has ended
                break
            continue
        scope = _scope(row, cols, first_money, section)
        section = scope.section
        lines.append((_line(k, row, scope, money, unit), row, scope))
    out: list[TableFigure] = []
    totals = {j for j, c in money.items() if c.total}
    two_sided = any(_rules()["spending"].search(scope.section + scope.label) for _, _, scope in lines)
    for i, (line, row, scope) in enumerate(lines):
        for j, col in money.items():
            number = _number(row.cells[j]) if j < len(row.cells) else None
            kind = _kind(col, scope, table_kind, two_sided)
            u = number and (number[1] or col.unit or unit)
            if number and number[0] and kind is not None and u:
                scope.year = scope.year or caption_year
                parts = column_parts([x for x, _, _ in lines], i, j) if scope.total else \
                    row_parts(line, j, sorted(money), totals)
                out.append(_figure(col, scope, number[0], u, kind, row, parts, table_source))
    yearly = any(f.year for f in out)
    return [TableFigure(**{**f.__dict__, "yearly": yearly}) for f in out], end


def read_tables(view: DocView) -> tuple[list[TableFigure], dict[int, str]]:
    """Every money figure of the view's tables that a header names, and per page the text
    (without spaces) of the tables read, from their header to their last row."""
    out: list[TableFigure] = []
    printed: dict[int, str] = {}
    for rows in blocks(view):
        i = 0
        while i < len(rows):
            found = _header(rows, i)
            if found is None:
                i += 1
                continue
            figures, end = _figures(view, rows, i, *found)
            if figures:
                out.extend(figures)
                for row in rows[i:end]:
                    printed[row.page] = printed.get(row.page, "") + "".join(squash(c) for c in row.cells)
                printed = {p: t + "\n" for p, t in printed.items()}
            i = max(end, i + found[1])
    return out, printed


def table_figures(view: DocView) -> list[TableFigure]:
    return read_tables(view)[0]


def printed_in_table(view: DocView, mention: dict, printed: dict[int, str]) -> bool:
    """An amount mention read from the text of a table that the table reader has read (the
    mention and the characters around it are that table's text)."""
    text = printed.get(mention["page"])
    if not text:
        return False
    start, end = mention["char_start"], mention["char_end"]
    around = squash(view.text[max(0, start - 8):start])[-3:] + squash(view.text[start:end]) \
        + squash(view.text[end:end + 8])[:2]
    return around in text


def rounds_to(exact: Decimal, mention: dict) -> bool:
    """A figure written with decimals (2013.49万元) that is a table's exact figure (2013.491276)
    rounded where the writing stops."""
    raw = squash(mention.get("raw"))
    digits = _DECIMALS.search(raw)
    if not digits or not mention.get("value"):
        return False
    factor = mention["value_wan"] / mention["value"]
    half = Decimal(5) * Decimal(10) ** -(len(digits.group(1)) + 1) * factor
    return abs(exact - mention["value_wan"]) <= half and exact != 0
