"""PDF bytes -> per-page text (pypdfium2) and ruled tables (pdfplumber's table finder, on pages
that draw rules, fed with pypdfium2's characters: see pdftables.py).

Chain: `sniff` (what is this file?) -> `open_pdf` (pdfium, with a pikepdf repair attempt; a
truncated file: the pages that survive, salvage.py) -> `inspect_structure` (structure.py,
pikepdf: broken streams, decompression bombs, pages with ruled lines) -> `read_pages`.
Every fatal problem raises a TextLayerError whose `code` says what the file is; non-fatal
problems come back as `Problem`s on the `TextLayer`.
"""
from __future__ import annotations

import ctypes
import io
import re
from dataclasses import dataclass, field

import pikepdf
import pypdfium2 as pdfium

from . import pdfium_calls
from .errors import TextLayerError
from .normalize import is_letter_spaced, single_runs
from .pdftables import page_tables
from .rules import load
from .salvage import Salvage, cut_sentence, salvage
from .sniff import sniff
from .structure import inspect_structure
from .survivors import short as _short

RULES = load("textlayer")

@dataclass(frozen=True)
class Problem:
    """A non-fatal finding about the file, kept as an ingest_errors row."""
    stage: str
    code: str
    reason: str
    page: int | None = None


@dataclass
class PageText:
    page: int                      # 1-based
    text: str                      # pdfium text, lines separated by \r\n
    status: str = "ok"             # ok | no_text | garbled | damaged | failed
    rule_ops: int = 0              # lines + rectangles drawn by the content stream
    tables: list[list[list[str | None]]] = field(default_factory=list)
    # line start offset in `text` -> (left, right, bottom, top) of its first and last characters
    lines: dict[int, tuple[float, float, float, float]] = field(default_factory=dict)
    source: str = "pdf"            # pdf | ocr
    ocr_confidence: float | None = None

    @property
    def has_rules(self) -> bool:
        return self.rule_ops >= RULES["min_rule_ops"]


@dataclass
class TextLayer:
    pages: list[PageText]
    encrypted: bool = False
    repaired: bool = False
    problems: list[Problem] = field(default_factory=list)
    source: bytes | None = field(default=None, repr=False)    # the bytes read when not the file's (repaired)
    salvaged: Salvage | None = field(default=None, repr=False)   # what a truncated file lost


# --- open ---------------------------------------------------------------------------------------

def _is_password_error(exc: Exception) -> bool:
    return "password" in str(exc).lower()


def open_pdf(data: bytes, password: str | None = None) -> tuple[pdfium.PdfDocument, bytes, TextLayer]:
    """Open with pdfium; on failure try a pikepdf (qpdf) repair. Returns (doc, bytes used, layer)."""
    layer = TextLayer(pages=[])
    try:
        doc = pdfium.PdfDocument(data, password=password)
        layer.encrypted = password is not None and _needs_password(data)
        return doc, data, layer
    except pdfium.PdfiumError as exc:
        if _is_password_error(exc):
            if password is None:
                raise TextLayerError("the PDF is encrypted and needs a password (pass it with --password)",
                                     code="encrypted") from exc
            raise TextLayerError("the PDF is encrypted and the password given does not open it",
                                 code="encrypted") from exc
        first_error = str(exc)
    if _truncated(data):
        return _salvaged(data, password, layer)
    try:
        repaired = _repair(data, password, first_error)
    except TextLayerError as exc:
        return _rebuilt(data, password, layer, exc)
    doc = pdfium.PdfDocument(repaired, password=password)
    layer.repaired, layer.source = True, repaired
    layer.problems.append(Problem("repair", "repaired",
                                  f"the file was damaged ({first_error}); repaired with pikepdf, "
                                  f"{len(doc)} page(s) recovered"))
    return doc, repaired, layer


_MANGLED = (UnicodeDecodeError, ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError,
            pikepdf.PdfError)


def _truncated(data: bytes) -> bool:
    return b"%%EOF" not in data[-2048:]


def _cut(data: bytes) -> str:
    return cut_sentence(data)


def _salvaged(data: bytes, password: str | None, layer: TextLayer) -> tuple[pdfium.PdfDocument, bytes, TextLayer]:
    """The pages of a truncated file that survive; the file is read from a rebuilt copy."""
    try:
        found = salvage(data, _cut(data), password)
    except _MANGLED as exc:     # what survives is damaged beyond the cut too (a name that is not text…)
        raise TextLayerError(f"{_cut(data)}; what survives could not be read ({type(exc).__name__}: {exc})",
                             code="truncated") from exc
    except TextLayerError as exc:
        try:                    # cut after its trailer: qpdf's own recovery may still read it
            repaired = _repair(data, password, str(exc))
        except TextLayerError:
            raise exc from None
        layer.repaired, layer.source = True, repaired
        layer.problems.append(Problem("repair", "repaired", f"{exc}; repaired with pikepdf"))
        return pdfium.PdfDocument(repaired, password=password), repaired, layer
    doc = pdfium.PdfDocument(found.pdf)
    layer.repaired, layer.source, layer.salvaged = True, found.pdf, found
    layer.problems.append(Problem("repair", "truncated", found.reason))
    return doc, found.pdf, layer


def _rebuilt(data: bytes, password: str | None, layer: TextLayer,
             failed: TextLayerError) -> tuple[pdfium.PdfDocument, bytes, TextLayer]:
    """A damaged file that qpdf cannot repair (its trailer or catalog lost, say): the pages that
    survive, found as in a truncated file; when none does, the repair's own error."""
    try:
        found = salvage(data, str(failed.args[0]), password)
    except (TextLayerError, *_MANGLED):
        raise failed from None
    layer.repaired, layer.source, layer.salvaged = True, found.pdf, found
    layer.problems.append(Problem("repair", "damaged", found.reason))
    return pdfium.PdfDocument(found.pdf), found.pdf, layer


def _needs_password(data: bytes) -> bool:
    try:
        pdfium.PdfDocument(data)
        return False
    except pdfium.PdfiumError as exc:
        return _is_password_error(exc)


def _repair(data: bytes, password: str | None, first_error: str) -> bytes:
    """Rewrite the file with qpdf's recovery; TextLayerError saying why when that fails too."""
    truncated = _truncated(data)
    what = _cut(data) if truncated else f"the PDF is damaged ({first_error})"
    try:
        with pikepdf.open(io.BytesIO(data), password=password or "") as pdf:
            if len(pdf.pages) == 0:
                raise TextLayerError(f"{what}; a repair with pikepdf found no pages",
                                     code="truncated" if truncated else "damaged")
            out = io.BytesIO()
            pdf.save(out)
            return out.getvalue()
    except pikepdf.PdfError as exc:
        raise TextLayerError(f"{what}; a repair with pikepdf failed: {_short(exc)}",
                             code="truncated" if truncated else "damaged") from exc


# --- pages --------------------------------------------------------------------------------------

_SPACE = re.compile(r"\s")
# control characters (but spaces), private use, surrogates, U+FFFD
_UNREADABLE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ue000-\uf8ff\ud800-\udfff\ufffd\U000f0000-\U0010ffff]")


def _counts(text: str) -> tuple[int, int]:
    """(non-space characters, unreadable ones among them)."""
    return len(text) - len(_SPACE.findall(text)), len(_UNREADABLE.findall(text))


def printable_chars(text: str) -> int:
    nonspace, unreadable = _counts(text)
    return nonspace - unreadable


def unreadable_share(text: str) -> float:
    """Share of characters no reader can use (control, private use, U+FFFD) among the non-space
    ones: high when fonts lack a Unicode map and the text layer is 乱码."""
    nonspace, unreadable = _counts(text)
    return unreadable / nonspace if nonspace else 0.0


def page_status(text: str) -> str:
    """garbled (unreadable_share above the limit), ok (enough printable_chars) or no_text; the
    text is scanned once for both."""
    nonspace, unreadable = _counts(text)
    if nonspace and unreadable / nonspace > RULES["garbled_share"]:
        return "garbled"
    return "ok" if nonspace - unreadable >= RULES["min_page_chars"] else "no_text"


def read_pages(doc: pdfium.PdfDocument, rule_ops: list[int], tables: bool = True,
               refused: dict[int, str] | None = None) -> tuple[list[PageText], list[Problem]]:
    """Text of every page, and the ruled tables of pages that draw rules; a page that fails to
    load is recorded, not fatal; a refused page is not loaded at all."""
    pages, problems = [], []
    for index in range(len(doc)):
        number = index + 1
        ops = rule_ops[index] if index < len(rule_ops) else 0
        if refused and number in refused:
            pages.append(PageText(number, "", "failed", ops))
            problems.append(Problem("page", "too_large", f"page {number}: {refused[number]}; the page is not read",
                                    number))
            continue
        try:
            page = doc[index]
            textpage = page.get_textpage()
            text = textpage.get_text_range()
        except pdfium.PdfiumError as exc:
            pages.append(PageText(number, "", "failed", ops))
            problems.append(Problem("page", "page_unreadable", f"page {number} could not be read: {exc}", number))
            continue
        status = page_status(text)
        geometry = line_geometry(textpage, text) if status == "ok" else {}
        if geometry:
            text = mark_wide_gaps(textpage, text)
        if status == "no_text":
            problems.append(Problem("page", "no_text",
                                    f"page {number} has no text layer (an image or blank page; needs OCR)",
                                    number))
        elif status == "garbled":
            problems.append(Problem("page", "garbled",
                                    f"page {number}: the text layer is unreadable ({unreadable_share(text):.0%} "
                                    f"control or private-use characters: fonts without a Unicode map; needs OCR)",
                                    number))
            text = ""
        found = PageText(number, text, status, ops, lines=geometry)
        if tables and found.has_rules and status == "ok":
            try:
                found.tables = page_tables(page, textpage, text)
            except (ValueError, IndexError, KeyError, ZeroDivisionError) as exc:
                problems.append(Problem("tables", "tables_unreadable",
                                        f"tables on page {number} could not be read: {type(exc).__name__}: {exc}",
                                        number))
        pages.append(found)
    return pages, problems


_TEXT_LINE = re.compile(r"[^\r\n]+")
_INNER_GAP = re.compile(r"\S\s+\S")     # two runs of non-space characters (str.split's) at least


class CharBoxes:
    """`textpage.get_charbox(i)` (a character's tight box: left, bottom, right, top) with one set
    of four doubles for every call instead of four new ones a call."""

    def __init__(self, textpage: pdfium.PdfTextPage):
        self.textpage = textpage.raw
        self.left, self.right, self.bottom, self.top = (ctypes.c_double() for _ in range(4))
        self.out = [ctypes.byref(v) for v in (self.left, self.right, self.bottom, self.top)]

    def __call__(self, index: int) -> tuple[float, float, float, float]:
        if not pdfium_calls.CHAR_BOX(self.textpage, index, *self.out):
            raise pdfium.PdfiumError("Failed to get charbox.")
        return self.left.value, self.bottom.value, self.right.value, self.top.value


def line_geometry(textpage: pdfium.PdfTextPage, text: str) -> dict[int, tuple[float, float, float, float]]:
    """Where each text line sits: (left of its first char, right of its last, bottom, top).

    The normaliser uses it to tell a wrapped line (ends at the right margin) from a paragraph's
    last line, and a line that pdfium split in two (same baseline) from a new line.
    """
    if textpage.count_chars() != len(text):
        return {}                     # generated or non-BMP characters: offsets would not match
    out, charbox = {}, CharBoxes(textpage)
    for m in _TEXT_LINE.finditer(text):
        first, last = m.start(), m.end() - 1
        while first <= last and text[first].isspace():
            first += 1
        while last >= first and text[last].isspace():
            last -= 1
        if first > last:
            continue
        left, bottom, _, top = charbox(first)
        _, b2, right, t2 = charbox(last)
        out[first] = (left, right, min(bottom, b2), max(top, t2))
    return out


def mark_wide_gaps(textpage: pdfium.PdfTextPage, text: str) -> str:
    """In a line that may be letter-spaced (项 目 预 算 3 3 0 . 0 0, or 1 2 3: single characters), a
    space where the printed gap is a gap between table cells (合 计   1 2 0 . 5) becomes a tab, so
    that the normaliser keeps it when it takes the letter-spacing out: a gap much wider than the
    line's usual one, or wide in itself. Same length: offsets and line geometry stay valid."""
    chars, charbox = None, CharBoxes(textpage)
    for m in _TEXT_LINE.finditer(text):
        if not _INNER_GAP.search(m.group()):       # one run of characters: neither spaced nor single runs
            continue
        if not (is_letter_spaced(m.group()) or single_runs(m.group())):
            continue
        gaps, heights = {}, []
        for i in range(m.start() + 1, m.end() - 1):
            if text[i] == " " and not text[i - 1].isspace() and not text[i + 1].isspace():
                gaps[i] = charbox(i + 1)[0] - charbox(i - 1)[2]
                heights.append(_height(charbox, i - 1))
        if not gaps:
            continue
        usual, em = sorted(gaps.values())[len(gaps) // 2], sorted(heights)[len(heights) // 2]
        wide = [i for i, gap in gaps.items()
                if gap > usual + RULES["wide_gap_ems"] * em or gap > RULES["cell_gap_ems"] * em]
        if wide:
            chars = chars or list(text)
            for i in wide:
                chars[i] = "\t"
    return "".join(chars) if chars else text


def _height(charbox: CharBoxes, index: int) -> float:
    _, bottom, _, top = charbox(index)
    return top - bottom


def pdf_to_textlayer(data: bytes, password: str | None = None, tables: bool = True) -> TextLayer:
    """The whole chain: bytes -> TextLayer, or TextLayerError when nothing can be read."""
    sniff(data)
    doc, used, layer = open_pdf(data, password)
    try:
        broken, rule_ops, refused = inspect_structure(used, password)
        if refused and len(refused) == len(doc):
            more = f" (and so do its {len(doc) - 1} other pages)" if len(doc) > 1 else ""
            raise TextLayerError(f"no page can be read: page 1: {refused[1]}{more}", code="too_large")
        layer.pages, problems = read_pages(doc, rule_ops, tables, refused)
    finally:
        doc.close()
    layer.problems.extend(problems)
    for number, reason in sorted(broken.items()):
        page = layer.pages[number - 1]
        if page.status == "ok":
            page.status = "damaged"
        layer.problems.append(Problem("page", "broken_stream",
                                      f"page {number}: {reason}; its text may be incomplete", number))
    if layer.salvaged:
        mark_salvaged(layer, layer.salvaged)
    return layer


def mark_salvaged(layer: TextLayer, found: Salvage) -> None:
    """Lost pages (blank in the rebuilt copy) become `failed`; pages with text left out, `damaged`."""
    lost = set(found.lost)
    for page in layer.pages:
        if page.page in lost:
            page.status, page.text, page.lines, page.tables = "failed", "", {}, []
        elif page.page in found.damaged and page.status in ("ok", "no_text"):
            page.status = "damaged"           # what survives is all there is: no OCR
    gone = lost | {p.page for p in layer.pages if p.page in found.damaged}
    layer.problems = [p for p in layer.problems if p.page not in gone or p.code not in ("no_text", "page_unreadable")]
    layer.problems += [Problem("page", "text_lost", reason, number) for number, reason in sorted(found.damaged.items())]
