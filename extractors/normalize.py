"""Page texts -> one normalised document text, with a map from every character back to its page.

Chain: `pages_to_lines` -> `furniture_lines` (page numbers, running headers/footers)
-> `lines_to_edits` (line joins, spaces beside CJK, letter-spacing, 231. 00) -> `apply_edits`
-> `NormalText`. Full-width digits and number punctuation become ASCII first, one character for one.
A letter-spaced line (为 全 面 反 映 … 3 3 0 . 0 0 万 元: every character set apart by a space) is
decided on as a whole and read without its single spaces; a wider gap in it (a tab from the text
layer, or two spaces) stays one space.
"""
from __future__ import annotations

import bisect
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache

import regex

from .rules import load
from .segmenter import segmenter

_LINE = re.compile(r"[^\r\n\f]+")
_INNER_SPACE = re.compile(r"[ \t\u3000\xa0]+")


@dataclass(frozen=True)
class Line:
    index: int
    page: int          # 0-based index into the page list
    start: int         # content span in the raw document text (whitespace at both ends excluded)
    end: int
    text: str          # stripped content (without its letter-spacing when `spaced`)
    box: tuple[float, float, float, float] | None = None   # left, right, bottom, top on the page
    spaced: bool = False                                   # letter-spaced: 项 目 预 算
    width: int = 0     # display width of the content as printed (letter-spacing included)


@dataclass
class OffsetMap:
    """Positions in a derived text -> positions in the text it was made from.

    Segment i starts at new_starts[i]; a copied segment maps one to one from old_starts[i],
    an inserted one maps every position to old_starts[i].
    """
    new_starts: list[int]
    old_starts: list[int]
    copied: list[bool]

    def __call__(self, pos: int) -> int:
        i = bisect.bisect_right(self.new_starts, pos) - 1
        if i < 0:
            i = 0
        return self.old_starts[i] + (pos - self.new_starts[i] if self.copied[i] else 0)


def apply_edits(text: str, edits: list[tuple[int, int, str]]) -> tuple[str, OffsetMap]:
    """Replace text[start:end] by each edit's string (edits sorted, not overlapping)."""
    segments: list[tuple[str, int, bool]] = []     # piece, its start in `text`, copied
    old = 0
    for start, end, repl in edits:
        segments += ((text[old:start], old, True), (repl, start, False))
        old = end
    segments.append((text[old:], old, True))
    parts: list[str] = []
    omap = OffsetMap([], [], [])
    new = 0
    for piece, old_start, copied in segments:
        if piece:
            parts.append(piece)
            omap.new_starts.append(new)
            omap.old_starts.append(old_start)
            omap.copied.append(copied)
            new += len(piece)
    if not omap.new_starts:
        omap.new_starts, omap.old_starts, omap.copied = [0], [0], [True]
    return "".join(parts), omap


@cache
def _rules() -> dict:
    rules = dict(load("normalize"))
    # one pattern that matches a line where any of them does
    rules["page_number_re"] = re.compile("|".join(f"(?:{p})" for p in rules["page_number_patterns"]))
    fw = rules["fullwidth"]
    rules["fullwidth_table"] = str.maketrans(fw["from"], fw["to"])
    rules["fullwidth_re"] = re.compile(f"[{re.escape(fw['from'])}]+")
    structure = load("structure")
    rules["tabular_re"] = re.compile(rules["tabular_line_pattern"])
    unit = rules["unit_start"]
    rules["figure_next_re"] = re.compile(rf"\d[\d,.]*\s*{unit}")   # next line starts with a figure
    rules["unit_next_re"] = re.compile(unit)                         # ... or with its unit
    rules["heading_re"] = re.compile("|".join(f"(?:{h['pattern']})" for h in structure["heading"]))
    rules["decimal_gap_re"] = regex.compile(rules["decimal_gap_pattern"])
    return rules


def to_ascii(text: str) -> str:
    """Full-width digits and number punctuation to ASCII, keeping length. Only the runs of them
    are translated: str.translate reads a non-ASCII text character by character, much slower
    than a regex scan for the few full-width runs a report has."""
    rules = _rules()
    return rules["fullwidth_re"].sub(lambda m: m.group().translate(rules["fullwidth_table"]), text)


def is_wide(ch: str) -> bool:
    """CJK characters and punctuation (anything outside ASCII that is not a space)."""
    return ord(ch) > 0x7F and not ch.isspace()


_NARROW = re.compile(r"[\x00-\x7f\s]+")


def display_width(text: str) -> int:
    """Columns the text takes: CJK and other wide characters (not ASCII, not a space) count 2."""
    return len(text) if text.isascii() else len(text) + len(_NARROW.sub("", text))


def pages_to_raw(page_texts: list[str]) -> tuple[str, list[int]]:
    """Concatenate pages (a form feed after each) and return the start of every page."""
    starts, pos = [], 0
    for text in page_texts:
        starts.append(pos)
        pos += len(text) + 1
    return "".join(t + "\f" for t in page_texts), starts


Geometry = dict[int, tuple[float, float, float, float]]


def pages_to_lines(raw: str, page_starts: list[int], geometry: list[Geometry] | None = None,
                   snippet: bool = False) -> list[Line]:
    lines = []
    spacing = False            # the last line (page numbers aside) was letter-spaced
    page_number = _rules()["page_number_re"].match
    for m in _LINE.finditer(raw):
        content = m.group()
        stripped = content.strip()
        if not stripped:
            continue
        start = m.start() + content.find(stripped[0])
        page = bisect.bisect_right(page_starts, start) - 1
        box = geometry[page].get(start - page_starts[page]) if geometry else None
        # the short last line of a letter-spaced paragraph (如 下 。 / 9 0 %。) goes on with it
        spaced = is_letter_spaced(stripped, snippet) or (spacing and single_runs(stripped))
        if not page_number(stripped):
            spacing = spaced
        text = unspace(stripped) if spaced else stripped
        lines.append(Line(len(lines), page, start, start + len(stripped), text, box, spaced, display_width(stripped)))
    return lines


_SINGLE_SPACE = re.compile(r"(?<=\S) (?=\S)")


def is_letter_spaced(text: str, snippet: bool = False) -> bool:
    """Every character set apart by a space: most runs of non-space characters are one character
    long, and several of them are Han (a row of single digits, 1 2 3 4, is a table row).
    A snippet (a table cell) is letter-spaced when all its runs are single characters: 合 计,
    1 2 0 . 5 (at least three of them, or two Han)."""
    rules = _rules()["letter_spacing"]
    runs = text.split()
    if snippet and all(len(r) == 1 for r in runs):
        return len(runs) >= 3 or (len(runs) == 2 and all(_is_han(r) for r in runs))
    if len(runs) < rules["min_runs"] or max(len(r) for r in runs) >= rules["max_run"]:
        return False                # a long plain run: a date at the line's start (年 3 月 9 日我局…)
    singles = [r for r in runs if len(r) == 1]
    return (len(singles) >= rules["single_share"] * len(runs)
            and sum(_is_han(r) for r in singles) >= rules["min_han"])


_CLOSING_PUNCT = "，。；：、！？）》”’,.;:!?)"


def single_runs(text: str) -> bool:
    """At least two runs, each one character (a closing punctuation mark may cling to it: %。)."""
    runs = text.split()
    return len(runs) >= 2 and all(len(r) == 1 or len(r.rstrip(_CLOSING_PUNCT) or r[0]) == 1 for r in runs)


def _spacing_changes(prev: Line, nxt: Line) -> bool:
    """One line letter-spaced, the other plainly not (it has a long run of characters): a title
    over letter-spaced body text, a plain table under it. A paragraph keeps its spacing."""
    if prev.spaced == nxt.spaced:
        return False
    plain = nxt if prev.spaced else prev
    return len(max(plain.text.split(), key=len)) >= _rules()["letter_spacing"]["plain_run"]


def unspace(text: str) -> str:
    """A letter-spaced line as it reads: single spaces go, a wider gap stays one space."""
    return _INNER_SPACE.sub(" ", _SINGLE_SPACE.sub("", text))


def furniture_lines(lines: list[Line], n_pages: int) -> set[int]:
    """Indices of lines that are page numbers or running headers/footers."""
    rules = _rules()
    by_page: dict[int, list[Line]] = {}
    for line in lines:
        by_page.setdefault(line.page, []).append(line)
    edge = rules["edge_lines"]
    edges = {p: ls[:edge] + [l for l in ls[-edge:] if l not in ls[:edge]] for p, ls in by_page.items()}
    drop = {l.index for ls in edges.values() for l in ls
            if rules["page_number_re"].match(l.text)}
    if n_pages >= rules["running_min_pages"]:
        masked = Counter()
        for ls in edges.values():
            masked.update({re.sub(r"\d+", "#", l.text) for l in ls})
        need = max(rules["running_min_pages"], rules["running_share"] * n_pages)
        repeated = {text for text, n in masked.items() if n >= need and len(text) <= rules["running_max_chars"]}
        drop |= {l.index for ls in edges.values() for l in ls if re.sub(r"\d+", "#", l.text) in repeated}
    return drop


def starts_heading(text: str) -> bool:
    return _rules()["heading_re"].match(text) is not None


def is_tabular(text: str) -> bool:
    """A form or table row (cells separated by gaps) or a letter-spaced heading."""
    return _rules()["tabular_re"].search(text) is not None


@dataclass(frozen=True)
class PageShape:
    """What a full line looks like on one page: its widest text and, with geometry, margin and em."""
    width: int                       # widest line, in display width
    right: float | None = None       # right edge of the widest line
    em: float | None = None          # typical character height


def page_shapes(lines: list[Line]) -> dict[int, PageShape]:
    by_page: dict[int, list[Line]] = {}
    for line in lines:
        by_page.setdefault(line.page, []).append(line)
    shapes = {}
    for page, ls in by_page.items():
        boxes = [l.box for l in ls if l.box]
        if len(boxes) == len(ls):
            heights = sorted(b[3] - b[2] for b in boxes)
            shapes[page] = PageShape(0, max(b[1] for b in boxes), heights[len(heights) // 2] or 1.0)
        else:                                   # no geometry: estimate from the widest line
            shapes[page] = PageShape(max(l.width for l in ls))
    return shapes


def _glue(prev: Line, nxt: Line) -> str:
    a, b = prev.text[-1], nxt.text[0]
    return " " if a.isascii() and b.isascii() and a.isalnum() and b.isalnum() else ""


def _figure_continues(prev: str, nxt: str) -> bool:
    """The line break cuts a clause from its figure: 合同款|1361.5 万元, 29.5|万元, 6|月 12 日."""
    rules = _rules()
    if prev[-1] in rules["open_end_chars"] or starts_heading(prev) or is_tabular(prev):
        return False
    if prev[-1].isdigit():
        return rules["unit_next_re"].match(nxt) is not None
    return rules["figure_next_re"].match(nxt) is not None


def _splits_word(prev: str, nxt: str) -> bool:
    """The break falls inside a word (服|务, 管|理): jieba's segmentation of the joined text has a
    word across it. Only asked about Han on both sides."""
    if not (_is_han(prev[-1]) and _is_han(nxt[0])):
        return False
    n = _rules()["word_window"]
    left, right = prev[-n:], nxt[:n]
    pos = 0
    for token in segmenter().cut(left + right, HMM=False):     # loaded on first use: most breaks need none
        if pos < len(left) < pos + len(token):
            return True
        pos += len(token)
    return False


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _join(prev: Line, nxt: Line, shape: PageShape) -> str:
    """What replaces the line break between two kept lines: '\\n' (paragraph), ' ' or ''."""
    rules = _rules()
    if shape.em and prev.page == nxt.page and prev.box and nxt.box:
        same_row = abs(prev.box[2] - nxt.box[2]) < 0.5 * shape.em and nxt.box[0] >= prev.box[1] - 0.5 * shape.em
        if same_row:          # pdfium split one visual line in two
            return " " if nxt.box[0] - prev.box[1] > shape.em else _glue(prev, nxt)
    if starts_heading(nxt.text) or prev.text[-1] in rules["paragraph_end_chars"]:
        return "\n"
    if is_tabular(nxt.text) or _spacing_changes(prev, nxt):
        return "\n"
    if _figure_continues(prev.text, nxt.text) or prev.text[-1] in rules["continue_chars"]:
        return _glue(prev, nxt)
    if starts_heading(prev.text) and len(prev.text) <= rules["heading_line_chars"]:
        return "\n"
    if shape.em and prev.box:
        short = prev.box[1] < shape.right - rules["short_line_ems"] * shape.em
    else:
        short = prev.width < rules["short_line_ratio"] * shape.width
    if short and (starts_heading(prev.text) or not _splits_word(prev.text, nxt.text)):
        return "\n"
    return _glue(prev, nxt)


def _inner_space(raw: str, m: re.Match, tabular: bool) -> str:
    """'' beside CJK, ' ' between ASCII words; in a table row a gap between cells stays ' '."""
    before, after = raw[m.start() - 1], raw[m.end()]
    if not (is_wide(before) or is_wide(after)):
        return " "
    if tabular and is_wide(before) and (is_wide(after) or after in "([_"):
        letter_spaced = raw[m.start() - 2:m.start() - 1].isspace() or raw[m.end() + 1:m.end() + 2].isspace()
        return "" if letter_spaced else " "
    return ""


def _line_edits(raw: str, line: Line) -> list[tuple[int, int, str]]:
    """Edits of the spaces inside one line."""
    spaces = list(_INNER_SPACE.finditer(raw, line.start, line.end))
    if not spaces:                  # one run of characters: nothing to edit
        return []
    if line.spaced:
        return [(m.start(), m.end(), "" if m.group() == " " else " ") for m in spaces]
    gaps = {m.start(1) for m in _rules()["decimal_gap_re"].finditer(raw, line.start, line.end)}
    tabular = is_tabular(line.text)
    return [(m.start(), m.end(), "" if m.start() in gaps else _inner_space(raw, m, tabular)) for m in spaces]


def lines_to_edits(raw: str, lines: list[Line], drop: set[int]) -> list[tuple[int, int, str]]:
    kept = [l for l in lines if l.index not in drop]
    shapes = page_shapes(kept)
    edits: list[tuple[int, int, str]] = []
    prev_end = 0
    for i, line in enumerate(kept):
        if i == 0:
            edits.append((0, line.start, ""))
        else:
            prev = kept[i - 1]
            edits.append((prev_end, line.start, _join(prev, line, shapes[prev.page])))
        edits.extend(_line_edits(raw, line))
        prev_end = line.end
    edits.append((prev_end, len(raw), ""))
    return [e for e in edits if e[1] > e[0] or e[2]]


@dataclass
class NormalText:
    """The normalised text of a document and the way back to its pages."""
    text: str
    raw: str                    # pages concatenated, full-width already converted
    page_starts: list[int]      # start of each page in `raw`
    omap: OffsetMap

    def page_of(self, pos: int) -> int:
        """1-based page of the character at `pos` of the normalised text."""
        if 0 <= pos < len(self.text):
            return bisect.bisect_right(self.text_page_starts, pos)
        return bisect.bisect_right(self.page_starts, self.omap(pos))

    def locate(self, pos: int) -> tuple[int, int]:
        """(1-based page, offset in that page's text) of a normalised position."""
        raw = self.omap(pos)
        page = bisect.bisect_right(self.page_starts, raw) - 1
        return page + 1, raw - self.page_starts[page]

    @cached_property
    def text_page_starts(self) -> list[int]:
        """Where each page starts in the normalised text: its first position that maps to that
        page's start in `raw` or after (the end of the text where none does). The offset map never
        goes backwards, so a position lies on the page of the last of these at or before it."""
        n = len(self.text)
        return [bisect.bisect_left(range(n), s, key=self.omap) for s in self.page_starts]

    def page_spans(self) -> list[tuple[int, int]]:
        """Span of every page in the normalised text (empty spans for pages with no text)."""
        starts, n = self.text_page_starts, len(self.text)
        return [(s, starts[i + 1] if i + 1 < len(starts) else n) for i, s in enumerate(starts)]


def normalize_pages(page_texts: list[str], geometry: list[Geometry] | None = None,
                    furniture: bool = True, snippet: bool = False) -> NormalText:
    """The whole chain for one document; `geometry` (per page, from the text layer) makes line
    joins exact, without it line widths are estimated from the characters."""
    raw, starts = pages_to_raw(page_texts)
    raw = to_ascii(raw)
    lines = pages_to_lines(raw, starts, geometry, snippet)
    drop = furniture_lines(lines, len(page_texts)) if furniture else set()
    text, omap = apply_edits(raw, lines_to_edits(raw, lines, drop))
    return NormalText(text, raw, starts, omap)


@lru_cache(maxsize=8192)
def normalize_snippet(text: str) -> str:
    """Normalise a short text (a table cell, a test sentence): same rules, no page furniture, and
    a line of single characters is letter-spaced (合 计, 3 3 0 . 0 0). Most table cells are one
    run of characters (no space inside): that is one line with nothing to join, unspace or
    drop, and the chain would only give it back converted and stripped."""
    plain = to_ascii(text).strip()
    if len(plain.split()) < 2:
        return plain
    return normalize_pages([text], furniture=False, snippet=True).text
