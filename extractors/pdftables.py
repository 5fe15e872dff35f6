"""Ruled tables with pdfplumber's table finder, fed with characters and rules that pypdfium2
has already read: pdfplumber's algorithm (edges -> intersections -> cells -> tables) without
pdfminer parsing the page a second time, which is what makes pdfplumber slow."""
from __future__ import annotations

import bisect
import ctypes
import math
from dataclasses import dataclass
from operator import itemgetter

import pypdfium2 as pdfium
import pypdfium2.raw as raw
from pdfplumber.table import Table, TableFinder, TableSettings, cells_to_tables, edges_to_intersections
from pdfplumber.utils import extract_text
from pdfplumber.utils.geometry import obj_to_bbox as bbox
from pdfplumber.utils.text import LIGATURES

from . import pdfium_calls as calls

# Path objects thinner than this (points) in one direction are rules, not boxes.
RULE_THICKNESS = 3.0
# A character's box starts this share of its font size below the baseline.
DESCENT = 0.12


@dataclass
class PageObjects:
    """The part of a pdfplumber page that TableFinder and Table.extract read."""
    chars: list[dict]
    edges: list[dict]
    bbox: tuple[float, float, float, float]


def _edge(x0: float, top: float, x1: float, bottom: float, orientation: str) -> dict:
    return {"object_type": "line", "x0": x0, "x1": x1, "top": top, "bottom": bottom, "doctop": top,
            "width": x1 - x0, "height": bottom - top, "orientation": orientation}


def page_edges(page: pdfium.PdfPage, height: float) -> list[dict]:
    """Horizontal and vertical rules drawn by path objects (lines, and the sides of boxes)."""
    edges = []
    for left, bottom, right, top in path_bounds(page):
        x0, x1, t, b = left, right, height - top, height - bottom
        w, h = x1 - x0, b - t
        if h <= RULE_THICKNESS and w > RULE_THICKNESS:
            y = (t + b) / 2
            edges.append(_edge(x0, y, x1, y, "h"))
        elif w <= RULE_THICKNESS and h > RULE_THICKNESS:
            x = (x0 + x1) / 2
            edges.append(_edge(x, t, x, b, "v"))
        elif w > RULE_THICKNESS and h > RULE_THICKNESS:
            edges += [_edge(x0, t, x1, t, "h"), _edge(x0, b, x1, b, "h"),
                      _edge(x0, t, x0, b, "v"), _edge(x1, t, x1, b, "v")]
    return edges


# Form XObjects nested deeper than this are not entered (pypdfium2's get_objects default).
MAX_FORM_DEPTH = 15


def path_bounds(page: pdfium.PdfPage) -> list[tuple[float, float, float, float]]:
    """(left, bottom, right, top) of every path object, those inside forms included, in the order
    of pypdfium2's `get_objects(filter=[PATH])`, with raw calls: that wrapper builds a Python
    object for every text object of the page only to skip it."""
    out: list[tuple[float, float, float, float]] = []
    box = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    _walk(calls.COUNT_OBJECTS, calls.GET_OBJECT, page.raw, 0, box, out)
    return out


def _walk(count, get, parent, level: int, box: tuple, out: list) -> None:
    bounds = [ctypes.byref(v) for v in box]
    n_objects = count(parent)
    if n_objects < 0:
        raise pdfium.PdfiumError("Failed to get number of pageobjects.")
    for i in range(n_objects):
        obj = get(parent, i)
        if not obj:
            raise pdfium.PdfiumError("Failed to get pageobject.")
        kind = calls.OBJECT_TYPE(obj)
        if kind == raw.FPDF_PAGEOBJ_UNKNOWN:
            raise pdfium.PdfiumError("Failed to determine pageobject type.")
        if kind == raw.FPDF_PAGEOBJ_PATH:
            if not calls.OBJECT_BOUNDS(obj, *bounds):
                raise pdfium.PdfiumError("Failed to locate pageobject.")
            out.append(tuple(v.value for v in box))
        elif kind == raw.FPDF_PAGEOBJ_FORM and level < MAX_FORM_DEPTH - 1:
            _walk(calls.FORM_COUNT_OBJECTS, calls.FORM_GET_OBJECT, obj, level + 1, box, out)


def page_chars(textpage: pdfium.PdfTextPage, text: str, height: float,
               within: tuple[float, float] = (-math.inf, math.inf)) -> list[dict]:
    """Characters as pdfminer describes them: the advance box horizontally, and vertically the
    font size above a common line (baseline - 0.12 em), so that CJK text and the Latin digits and
    points of other fonts on one line share their top and bottom. Only those whose middle lies
    `within` (top, bottom): the tables found, no other character is read."""
    lo, hi = within
    chars = []
    if textpage.count_chars() != len(text):
        return chars
    x, y, box, page = ctypes.c_double(), ctypes.c_double(), raw.FS_RECTF(), textpage.raw
    at_x, at_y, at_box = ctypes.byref(x), ctypes.byref(y), ctypes.byref(box)    # reused: get_charbox makes a box a call
    for i, ch in enumerate(text):
        if ch in "\r\n":
            continue
        calls.CHAR_ORIGIN(page, i, at_x, at_y)
        size = calls.FONT_SIZE(page, i) or 10.0
        bottom = y.value - DESCENT * size
        top, bottom = height - (bottom + size), height - bottom
        if not lo <= (top + bottom) / 2 <= hi:
            continue
        if not calls.LOOSE_CHAR_BOX(page, i, at_box):
            raise pdfium.PdfiumError("Failed to get charbox.")
        left, right = box.left, box.right
        if right <= left and ch.isspace():
            continue
        chars.append({"text": ch, "x0": left, "x1": right, "top": top, "bottom": bottom, "doctop": top,
                      "width": right - left, "height": size, "upright": True, "size": size, "fontname": ""})
    return chars


def page_tables(page: pdfium.PdfPage, textpage: pdfium.PdfTextPage, text: str) -> list[list[list[str | None]]]:
    """Every ruled table on the page, as rows of cell texts (None for a cell merged away). The
    tables are found from the rules alone (the finder reads no characters), then the characters
    within them are read."""
    width, height = page.get_size()
    settings = TableSettings.resolve({})
    tables = Finder(PageObjects([], page_edges(page, height), (0, 0, width, height)), settings).tables
    if not tables:
        return []
    chars = page_chars(textpage, text, height, (min(t.bbox[1] for t in tables), max(t.bbox[3] for t in tables)))
    return [extract(table, chars, settings.text_settings or {}) for table in tables]


class Finder(TableFinder):
    """pdfplumber's TableFinder (edges -> intersections -> cells -> tables) with its cells found
    by `intersections_to_cells` below."""

    def __init__(self, page: PageObjects, settings: TableSettings):
        self.page, self.settings = page, settings
        self.edges = self.get_edges()
        self.intersections = edges_to_intersections(self.edges, settings.intersection_x_tolerance,
                                                    settings.intersection_y_tolerance)
        self.cells = intersections_to_cells(self.intersections)
        self.tables = [Table(self.page, group) for group in cells_to_tables(self.cells)]


def intersections_to_cells(intersections: dict) -> list[tuple]:
    """pdfplumber's `intersections_to_cells` (for each intersection in order, the smallest cell
    it is the top left corner of), with the rules through each point made sets once instead of
    at every test, and the points below and to the right taken from the sorted order instead of
    a scan of every later point."""
    rules = {p: ({bbox(e) for e in at["v"]}, {bbox(e) for e in at["h"]}) for p, at in intersections.items()}

    def connects(p1: tuple, p2: tuple) -> bool:
        return ((p1[0] == p2[0] and not rules[p1][0].isdisjoint(rules[p2][0]))
                or (p1[1] == p2[1] and not rules[p1][1].isdisjoint(rules[p2][1])))

    points = sorted(intersections)
    columns: dict[float, list[tuple]] = {}
    rows: dict[float, list[tuple]] = {}
    for point in points:
        columns.setdefault(point[0], []).append(point)
        rows.setdefault(point[1], []).append(point)
    cells = []
    for pt in points:
        column, row = columns[pt[0]], rows[pt[1]]
        right = row[bisect.bisect_right(row, pt):]
        for below_pt in column[bisect.bisect_right(column, pt):]:
            corner = _corner(pt, below_pt, right, rules, connects) if connects(pt, below_pt) else None
            if corner:
                cells.append((pt[0], pt[1], corner[0], corner[1]))
                break
    return cells


def _corner(pt: tuple, below_pt: tuple, right: list[tuple], rules: dict, connects) -> tuple | None:
    """The bottom right corner of the first cell with `pt` on top left, `below_pt` below it and one
    of `right` to its right, all joined by rules."""
    for right_pt in right:
        if not connects(pt, right_pt):
            continue
        corner = (right_pt[0], below_pt[1])
        if corner in rules and connects(corner, right_pt) and connects(corner, below_pt):
            return corner
    return None


def extract(table: Table, chars: list[dict], text_settings: dict) -> list[list[str | None]]:
    """pdfplumber's Table.extract (a character belongs to the cell that holds its middle; cell
    text by pdfplumber's extract_text), with the characters found by bisection instead of a scan
    of the whole page for every row and every cell, and each character's middle computed once."""
    text = _text_of(text_settings)
    placed = sorted((((c["top"] + c["bottom"]) / 2, (c["x0"] + c["x1"]) / 2, c) for c in chars),
                    key=lambda m: m[0])
    middles = [m[0] for m in placed]
    out = []
    for row in table.rows:
        _, top, _, bottom = row.bbox
        in_row = placed[bisect.bisect_left(middles, top):bisect.bisect_left(middles, bottom)]
        cells = []
        for cell in row.cells:
            if cell is None:
                cells.append(None)
                continue
            x0, c_top, x1, c_bottom = cell
            inside = [c for y, x, c in in_row if x0 <= x < x1 and c_top <= y < c_bottom]
            cells.append(text(inside) if inside else "")
        out.append(cells)
    return out


def _text_of(text_settings: dict):
    """The cell text function: `cell_text` for pdfplumber's default settings (tolerances only),
    pdfplumber's extract_text for any other."""
    if set(text_settings) <= {"x_tolerance", "y_tolerance"}:
        x_tol, y_tol = text_settings.get("x_tolerance", 3), text_settings.get("y_tolerance", 3)
        return lambda chars: cell_text(chars, x_tol, y_tol)
    return lambda chars: extract_text(chars, **text_settings)


_TOP, _X0, _WORD_TOP = itemgetter("top"), itemgetter("x0"), itemgetter(1)


def cell_text(chars: list[dict], x_tol: float = 3, y_tol: float = 3) -> str:
    """pdfplumber's extract_text (not layout) of upright characters, without its generic
    machinery: lines of characters by their top (clustered within `y_tol`), each sorted left to
    right and cut into words at a space, at a step back, at a gap wider than `x_tol` or at a top
    more than `y_tol` away; then the words clustered into lines by their top again, joined by
    spaces and the lines by newlines."""
    words = []
    for line in _clusters(chars, _TOP, y_tol):
        word: list[dict] = []
        for c in sorted(line, key=_X0):
            if c["text"].isspace():
                _add_word(words, word)
                word = []
            elif word and (c["x0"] < word[-1]["x0"] or c["x0"] > word[-1]["x1"] + x_tol
                           or abs(c["top"] - word[-1]["top"]) > y_tol):
                _add_word(words, word)
                word = [c]
            else:
                word.append(c)
        _add_word(words, word)
    return "\n".join(" ".join(w[0] for w in line) for line in _clusters(words, _WORD_TOP, y_tol))


def _add_word(words: list, chars: list[dict]) -> None:
    if chars:
        words.append(("".join(LIGATURES.get(c["text"], c["text"]) for c in chars), min(c["top"] for c in chars)))


def _clusters(items: list, key, tolerance: float) -> list[list]:
    """pdfplumber's cluster_objects: the distinct keys sorted and cut where one is more than
    `tolerance` above the one before; the items grouped by cluster, in their order within one.
    Keys that all lie within `tolerance` of the least (a cell's one line) are one cluster: no
    sorted key can be more than `tolerance` above the one before it."""
    keys = list(map(key, items))
    if keys and max(keys) <= min(keys) + tolerance:
        return [list(items)]
    cluster: dict = {}
    number, last = -1, None
    for value in sorted(set(keys)):
        if last is None or value > last + tolerance:
            number += 1
        cluster[value] = number
        last = value
    groups: dict[int, list] = {}
    for item, value in zip(items, keys):
        groups.setdefault(cluster[value], []).append(item)
    return [groups[n] for n in sorted(groups)]
