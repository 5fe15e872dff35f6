"""Ruled tables as an analyst reads them: stitched across page breaks, header rows, column roles.

A table that a page break cuts continues as the first table of the next page (view.stitch_tables);
when the continuation has fewer columns, its cells line up with the cells that the last row
above the break actually has (merged columns leave None in pdfplumber's grid). Header rows are
rows whose cells name at least two column roles (一级指标 / 年度指标值 / 分值 / 得分 …); a
header spread over two rows is merged. The text that the PDF prints inside a table is known,
so that prose readers can leave it to the table readers.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from .view import DocView, Row, Table, stitch_tables

CAPTION_RE = re.compile(r"^\s*(?P<name>[^\d（(：:，,。；;\s]{2,20})\s*[（(]\s*(?P<points>\d{1,3}(?:\.\d{1,2})?)\s*分\s*[）)]\s*$")


def squash(text: str | None) -> str:
    """The text without any whitespace (str.split's whitespace is re's \\s)."""
    return "".join(text.split()) if text else ""


def blocks(view: DocView) -> list[list[Row]]:
    """The view's tables, each with the rows that continue it on the following pages; made once
    per view (seven readers ask), each reader given lists of its own."""
    return [list(rows) for rows in view.once("blocks", _blocks)]


def _blocks(view: DocView) -> list[list[Row]]:
    last_on_page = {t.page: t.index for t in view.tables}
    out: list[list[Row]] = []
    for group in stitch_tables(view.tables):
        prev = out[-1] if out else None
        first = group[0]
        if (prev and first.page == prev[-1].page + 1 and first.table == 0
                and prev[-1].table == last_on_page[prev[-1].page] and len(first.cells) != len(prev[-1].cells)):
            positions = _visible(prev, len(first.cells))
            if positions:
                width = len(prev[-1].cells)
                prev.extend(Row(r.page, r.table, r.index, _spread(r.cells, positions, width)) for r in group)
                continue
        out.append(list(group))
    return out


def _visible(rows: list[Row], width: int) -> list[int] | None:
    """Grid positions of the cells of the last row above a break that has `width` of them."""
    for row in reversed(rows):
        positions = [i for i, c in enumerate(row.cells) if c is not None]
        if len(positions) == width:
            return positions
    return None


def _spread(cells: list[str | None], positions: list[int], width: int) -> list[str | None]:
    if len(cells) != len(positions):
        return list(cells) + [None] * (width - len(cells))
    out: list[str | None] = [None] * width
    for cell, pos in zip(cells, positions):
        out[pos] = cell
    return out


def as_rows(table: Table | list[Row]) -> list[Row]:
    if isinstance(table, Table):
        return [Row(table.page, table.index, i, list(r)) for i, r in enumerate(table.rows)]
    return table


_NOTE_AT_END = re.compile(r"[（(][^）)]*[）)]$")


def role_by_word(cell: str | None, roles: dict[str, str]) -> str | None:
    """The role a header cell names: one of the words exactly, a bracketed note after it allowed;
    `roles` is `word_roles(columns)`, made once for many cells."""
    text = squash(cell)
    if text.endswith(("）", ")")):        # (squashed: no line break for $ to match before)
        text = _NOTE_AT_END.sub("", text)
    return roles.get(text) if text else None


def word_roles(columns: dict[str, list[str]]) -> dict[str, str]:
    """word -> the role it names (the first role that lists it), to look roles up by their words."""
    out: dict[str, str] = {}
    for r, words in columns.items():
        for w in words:
            out.setdefault(w, r)
    return out


@dataclass
class Record:
    row: Row
    header: dict[int, str]              # column -> role
    own: dict[str, str | None]          # role -> this row's cell (first column of the role)
    cells: dict[str, str | None]        # own, with the merged upper levels carried down

    def at(self, col: int) -> str | None:
        cell = self.row.cells[col] if col < len(self.row.cells) else None
        return (cell or "").strip() or None

    @property
    def quote(self) -> str:
        return " | ".join(c for c in self.row.cells if c)


def records(table: Table | list[Row], columns: dict[str, list[str]],
            carry: tuple[str, ...] = ("level1", "level2")) -> Iterator[Record]:
    """One record per data row below a header row; merged upper levels are carried down."""
    header: dict[int, str] = {}
    carried: dict[str, str] = {}
    in_header = False
    roles = word_roles(columns)
    for row in as_rows(table):
        found = {i: r for i, c in enumerate(row.cells) if (r := role_by_word(c, roles))}
        if len(set(found.values())) >= 2:
            header = {**header, **found} if in_header else found
            in_header, carried = True, {}
            continue
        in_header = False
        if not header:
            continue
        own: dict[str, str | None] = {}
        for i, r in sorted(header.items()):
            if r not in own and i < len(row.cells):
                own[r] = (row.cells[i] or "").strip() or None
        for r in carry:
            if own.get(r):
                carried[r] = own[r]
                for lower in carry[carry.index(r) + 1:]:
                    carried.pop(lower, None)
        yield Record(row, header, own, {**own, **{k: own.get(k) or v for k, v in carried.items()}})


def caption(view: DocView, rows: list[Row]) -> tuple[str, str] | None:
    """(name, points) of a scored caption printed right above a table: 预算执行情况（10分）."""
    cells = [squash(c) for c in rows[0].cells if squash(c)] if rows else []
    if not cells:
        return None
    on_page = view.on_page(rows[0].page)
    for k, s in enumerate(on_page):
        if k and squash(s.text).startswith(cells[0]):
            m = CAPTION_RE.match(on_page[k - 1].text)
            return (m.group("name"), m.group("points")) if m else None
    return None


def table_sentences(view: DocView, min_share: float = 0.8) -> set[int]:
    """Indices of the sentences whose text the PDF prints inside a ruled table."""
    text_by_page: dict[int, str] = {}
    for rows in blocks(view):
        for row in rows:
            text_by_page[row.page] = text_by_page.get(row.page, "") + "".join(squash(c) for c in row.cells)
    out = set()
    for page, page_text in text_by_page.items():
        for s in view.on_page(page) if page_text else ():
            runs = s.text.split()
            total = sum(len(r) for r in runs)
            covered = sum(len(r) for r in runs if r in page_text)
            if total and covered >= min_share * total:
                out.add(s.index)
    return out


def labelled_cells(view: DocView, labels: list[str]) -> Iterator[tuple[str, str, Row]]:
    """(label, value, row) for each table cell that is one of the labels, valued by the next cell."""
    for row, cells, squashed in _cell_texts(view):
        for i, text in enumerate(squashed):
            if text in labels:
                value = next((c for c in cells[i + 1:] if c), None)
                if value and squash(value) not in labels:
                    yield text, value, row


def _cell_texts(view: DocView) -> list[tuple[Row, list[str], list[str]]]:
    """(row, its cells stripped, its cells squashed) of every row of the view's tables, made once
    per view (the header looks for several labels)."""
    return view.once("cell_texts", _made_cell_texts)


def _made_cell_texts(view: DocView) -> list[tuple[Row, list[str], list[str]]]:
    made = []
    for rows in blocks(view):
        for row in rows:
            cells = [(c or "").strip() for c in row.cells]
            made.append((row, cells, [squash(c) for c in cells]))
    return made
