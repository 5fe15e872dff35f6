"""Ruled tables as the reconciliation reads them, from the `table_cells` rows alone.

A table cut by a page break continues as the first table of the next page when it has as many
columns (a repeated header row is dropped). A table is split into sections: header rows (text
only) followed by data rows (at least one number); each section knows its column labels, its
money unit (from a column label such as 合同金额（万元）, a label cell such as 资金投入情况（元）,
or a 单位：元 line printed just above the table) and which rows and columns are totals.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache

from ..facts.tables import squash
from ..rules import load

NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
PERCENT = re.compile(r"^(\d+(?:\.\d+)?)\s*[%％]$")
UNIT_IN_LABEL = re.compile(r"[（(]\s*(?:单位[：:]\s*)?(万元|千元|元|亿元)\s*[)）]")
UNIT_LINE = re.compile(r"单位[：:]\s*(万元|千元|元|亿元)")
TO_WAN = {"元": Decimal("0.0001"), "千元": Decimal("0.1"), "万元": Decimal(1), "亿元": Decimal(10000)}


@cache
def _words() -> dict:
    return load("reconcile")["tables"]


@dataclass
class Cell:
    text: str
    number: Decimal | None = None      # a plain number (1,234.50)
    percent: Decimal | None = None     # 85.38%
    dash: bool = False                 # — / - / ／: nothing in this cell


def parse_cell(text: str | None) -> Cell:
    t = squash(text)
    if t in _words()["dashes"]:
        return Cell(t, dash=True)
    if NUMBER.match(t):
        try:
            return Cell(t, number=Decimal(t.replace(",", "")))
        except InvalidOperation:
            return Cell(t)
    m = PERCENT.match(t)
    if m:
        return Cell(t, percent=Decimal(m.group(1)))
    return Cell(t)


@dataclass
class Row:
    page: int
    cells: list[Cell]
    merged: list[bool] = field(default_factory=list)    # True: the cell was merged into its left neighbour

    @property
    def label(self) -> str:
        """The text cells before the first number (the row's name, with its group if any)."""
        out = []
        for c in self.cells:
            if c.number is not None or c.percent is not None:
                break
            if c.text and not c.dash:
                out.append(c.text)
        return " ".join(out)

    @property
    def name(self) -> str:
        """The last text cell before the first number: the row's own name."""
        parts = self.label.split(" ")
        return parts[-1] if parts else ""

    @property
    def text(self) -> str:
        return " ".join(c.text for c in self.cells if c.text)

    @property
    def title(self) -> str:
        """What a person calls the row: its first text cell (not a number, not a 序号)."""
        return next((c.text for c in self.cells if c.number is None and c.percent is None and not c.dash
                     and len(c.text) >= 2), self.label)

    def is_data(self) -> bool:
        return any(c.number is not None or c.percent is not None for c in self.cells)


@dataclass
class Section:
    """Header rows and the data rows under them, with the column labels."""
    page: int
    columns: list[str]
    rows: list[Row]
    unit: str | None = None                         # 元 | 万元 | 亿元, None when not printed
    header_text: str = ""

    def column(self, *words: str, avoid: tuple[str, ...] = ()) -> int | None:
        """The first column whose label holds one of `words` (and none of `avoid`)."""
        for i, label in enumerate(self.columns):
            if any(w in label for w in words) and not any(a in label for a in avoid):
                return i
        return None

    def columns_with(self, *words: str) -> list[int]:
        return [i for i, label in enumerate(self.columns) if any(w in label for w in words)]

    def to_wan(self, value: Decimal, col: int | None = None) -> Decimal | None:
        unit = self.column_unit(col)
        return value * TO_WAN[unit] if unit else None

    def column_unit(self, col: int | None) -> str | None:
        if col is not None and col < len(self.columns):
            m = UNIT_IN_LABEL.search(self.columns[col])
            if m:
                return m.group(1)
        return self.unit

    def is_total(self, row: Row) -> bool:
        name = squash(row.label).lstrip("其中：:")
        return any(name.startswith(w) or name.endswith(w) for w in _words()["total_rows"])

    @property
    def is_score_sheet(self) -> bool:
        return any(w in squash(c) for c in self.columns for w in _words()["score_columns"])


@dataclass
class Table:
    page: int
    rows: list[Row]
    sections: list[Section] = field(default_factory=list)


LINE_ROW = re.compile(r"^(?P<label>\S.*?)\s*(?P<n>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)$")


def line_tables(sentences: list[dict]) -> list[tuple[dict, Section]]:
    """Tables printed as lines without rules (a scan read by OCR): a header line naming its unit
    (支付金额（万元）) and two or more lines that each end with a number. Only the last number of
    each line is read (as the last column), with the header line that precedes them."""
    out = []
    i = 0
    while i < len(sentences):
        s = sentences[i]
        m = UNIT_IN_LABEL.search(s["text"])
        if not m or re.search(r"\d", UNIT_IN_LABEL.sub("", s["text"])):
            i += 1
            continue
        rows = []
        j = i + 1
        while j < len(sentences) and (hit := LINE_ROW.match(sentences[j]["text"])):
            cells = [parse_cell(hit.group("label")), parse_cell(hit.group("n"))]
            rows.append(Row(sentences[j]["page"], cells, [False, False]))
            j += 1
        if len(rows) >= 2:
            columns = [s["text"].split()[0], s["text"].split()[-1]]
            out.append((s, Section(s["page"], columns, rows, m.group(1), s["text"])))
        i = max(j, i + 1)
    return out


def build_tables(cells: list[dict], pages: dict[int, str]) -> list[Table]:
    grid: dict[tuple[int, int], dict[int, dict[int, str | None]]] = {}
    for c in cells:
        grid.setdefault((c["page"], c["table_index"]), {}).setdefault(c["row_index"], {})[c["col_index"]] = c["text"]
    raw = [(page, index, [[r[c] for c in sorted(r)] for _, r in sorted(rows.items())])
           for (page, index), rows in sorted(grid.items())]
    last_on_page = {page: index for page, index, _ in raw}
    out: list[Table] = []
    prev: tuple[int, int] | None = None
    for page, index, rows in raw:
        parsed = [Row(page, [parse_cell(c) for c in r], [c is None for c in r])
                  for r in rows if any(squash(c) for c in r)]
        if not parsed:
            continue
        continues = prev and out and page == prev[0] + 1 and index == 0 and last_on_page[prev[0]] == prev[1]
        if continues and len(parsed[0].cells) != len(out[-1].rows[-1].cells):
            parsed = _spread(out[-1].rows, parsed)
        if continues and parsed and len(parsed[0].cells) == len(out[-1].rows[-1].cells):
            first_header = next((r for r in out[-1].rows if not r.is_data()), None)
            if first_header and [c.text for c in first_header.cells] == [c.text for c in parsed[0].cells]:
                parsed = parsed[1:]                      # the header repeated on the next page
            out[-1].rows.extend(parsed)
        else:
            out.append(Table(page, parsed))
        prev = (page, index)
    for t in out:
        t.sections = _sections(t, pages)
    return out


def _spread(above: list[Row], rows: list[Row]) -> list[Row]:
    """Rows continuing a table with fewer grid columns: each cell goes where the cells of the last
    row above with as many visible cells are (merged columns leave gaps in the grid)."""
    width = len(rows[0].cells)
    for row in reversed(above):
        positions = [i for i, merged in enumerate(row.merged) if not merged]
        if len(positions) == width:
            full = len(row.cells)
            out = []
            for r in rows:
                cells, merged = [Cell("") for _ in range(full)], [True] * full
                for cell, pos in zip(r.cells, positions):
                    cells[pos], merged[pos] = cell, False
                out.append(Row(r.page, cells, merged))
            return out
    return rows


def _sections(table: Table, pages: dict[int, str]) -> list[Section]:
    out: list[Section] = []
    header: list[Row] = []
    rows = table.rows
    for i, row in enumerate(rows):
        if row.is_data():
            if not out or header:
                out.append(_section(header, row, pages))
                header = []
            out[-1].rows.append(row)
        elif (out and not header and i + 1 < len(rows) and rows[i + 1].is_data()
              and sum(1 for c in row.cells if c.text) == 1):
            continue                                     # the wrapped end of a name cell between data rows
        else:
            header.append(row)
    return out


def _section(header: list[Row], first: Row, pages: dict[int, str]) -> Section:
    width = len(first.cells)
    columns = [""] * width
    usable = [h for h in header if len(h.cells) == width]
    if usable:                                     # the last header row; its empty cells from the row above
        last, above = usable[-1], usable[-2] if len(usable) > 1 else None
        label = ""
        for i, c in enumerate(last.cells):
            label = label if last.merged[i] else c.text
            if not label and above is not None and not above.merged[i]:
                label = above.cells[i].text
            columns[i] = label
    header_text = " ".join(h.text for h in header)
    unit = None
    for text in [*columns, header_text]:
        m = UNIT_IN_LABEL.search(text) or UNIT_LINE.search(text)
        if m:
            unit = m.group(1)
            break
    if unit is None:
        unit = _unit_above(pages.get(first.page, ""), header, first)
    return Section(first.page, columns, [], unit, header_text)


def _unit_above(page_text: str, header: list[Row], first: Row) -> str | None:
    """单位：元 printed in the lines just above the table's first row (its caption)."""
    anchors = sorted({c.text for h in header + [first] for c in h.cells if len(c.text) >= 2},
                     key=lambda t: (-len(t), t))          # longest first; ties in a fixed order, not the hash's
    for anchor in anchors[:3]:
        pos = page_text.find(anchor)
        if pos >= 0:
            found = UNIT_LINE.findall(page_text[max(0, pos - _words()["unit_lookback"]):pos])
            return found[-1] if found else None
    return None
