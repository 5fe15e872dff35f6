"""OCR for pages without a usable text layer: render with pypdfium2, read with RapidOCR
(onnxruntime; its models ship inside the wheel, nothing is downloaded), and hand back text
lines in reading order with their geometry, as the PDF text layer would.

The engine is loaded once per worker process, on the first page that needs it.
"""
from __future__ import annotations

import ctypes
import logging
import statistics
import time
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from functools import cache

import pypdfium2 as pdfium

from .ocrtables import Box, boxes_to_tables, page_rules
from .rules import load
from .textlayer import PageText, Problem

RULES = load("ocr")


@dataclass(frozen=True)
class OcrLine:
    left: float
    right: float
    top: float          # PDF points from the bottom of the page
    bottom: float
    text: str
    confidence: float


_THREADS = {"n": -1}     # onnxruntime threads per worker; -1: its default (all cores)
_TURN: dict = {"lock": None}   # held while a page is read, when workers take turns (see configure)


def configure(threads: int, turn=None) -> None:
    """Threads for this worker's OCR engine (takes effect when the engine is first loaded), and
    `turn`, a lock shared by the workers of a pool: a page is read by OCR only while holding it,
    so one engine at a time reaches its peak (about 0.8 GB), not one per worker."""
    _THREADS["n"] = threads
    _TURN["lock"] = turn


@contextmanager
def _one_at_a_time():
    """Hold the workers' OCR turn, if there is one; on leaving, hand the engine's freed memory
    back to the system (glibc keeps it otherwise, and the worker would stay at its peak)."""
    lock = _TURN["lock"]
    with lock if lock is not None else nullcontext():
        try:
            yield
        finally:
            release_memory()


def release_memory() -> None:
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):      # not glibc
        pass


@dataclass
class OcrStats:
    pages: int = 0
    seconds: float = 0.0


@cache
def engine():
    logging.getLogger("RapidOCR").setLevel(logging.ERROR)
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR(intra_op_num_threads=_THREADS["n"], inter_op_num_threads=1)


def read_image(image) -> list[tuple[list, str, float]]:
    """OCR one rendered page: (quadrilateral in pixels, text, confidence) of every line kept."""
    result, _ = engine()(image)
    return [(quad, text.strip(), float(confidence)) for quad, text, confidence in result or []
            if float(confidence) >= RULES["min_confidence"] and text.strip()]


def found_to_lines(found: list[tuple[list, str, float]], page_height: float, scale: float) -> list[OcrLine]:
    """OCR lines with coordinates back in PDF points (y up)."""
    lines = []
    for quad, text, confidence in found:
        xs = [p[0] / scale for p in quad]
        ys = [p[1] / scale for p in quad]
        lines.append(OcrLine(min(xs), max(xs), page_height - min(ys), page_height - max(ys), text, confidence))
    return lines


def image_to_lines(image, page_height: float, scale: float) -> list[OcrLine]:
    """OCR one rendered page; coordinates back in PDF points (y up)."""
    return found_to_lines(read_image(image), page_height, scale)


def reading_order(lines: list[OcrLine]) -> list[list[OcrLine]]:
    """Rows of lines, top to bottom, each row left to right (cells of a table row stay together)."""
    if not lines:
        return []
    height = statistics.median(l.top - l.bottom for l in lines)
    rows: list[list[OcrLine]] = []
    for line in sorted(lines, key=lambda l: -(l.top + l.bottom) / 2):
        middle = (line.top + line.bottom) / 2
        if rows and abs(middle - sum((l.top + l.bottom) / 2 for l in rows[-1]) / len(rows[-1])) < height / 2:
            rows[-1].append(line)
        else:
            rows.append([line])
    return [sorted(r, key=lambda l: l.left) for r in rows]


def rows_to_page(number: int, rows: list[list[OcrLine]]) -> PageText:
    """Text with one row per line (cells joined by a space) and the geometry the normaliser uses."""
    text, geometry = "", {}
    for row in rows:
        start = len(text)
        text += " ".join(l.text for l in row) + "\r\n"
        geometry[start] = (row[0].left, row[-1].right, min(l.bottom for l in row), max(l.top for l in row))
    confidences = [l.confidence for r in rows for l in r]
    page = PageText(number, text, "ok" if text.strip() else "no_text", lines=geometry, source="ocr",
                    ocr_confidence=statistics.fmean(confidences) if confidences else None)
    return page


def is_blank(pdf_page: pdfium.PdfPage) -> bool:
    """Nothing to read: no object drawn on the page, or no ink when it is rendered very small."""
    if next(pdf_page.get_objects(max_depth=4), None) is None:
        return True
    width, height = pdf_page.get_size()
    scale = RULES["probe_side_px"] / max(width, height, 1)
    probe = pdf_page.render(scale=scale, grayscale=True).to_numpy()
    return int(probe.min()) > RULES["ink_level"]


def render_scale(pdf_page: pdfium.PdfPage) -> float:
    """The OCR scale, bounded so that the longer side stays within `max_side_px`."""
    width, height = pdf_page.get_size()
    return min(RULES["render_scale"], RULES["max_side_px"] / max(width, height, 1))


def page_tables(number: int, boxes: list[Box], rules: list[dict], size: tuple[float, float],
                problems: list[Problem]) -> list[list[list[str | None]]]:
    """The ruled tables of a page read by OCR (ocrtables.py); none, and a problem, when the
    table finder fails on it."""
    try:
        return boxes_to_tables(boxes, rules, *size)
    except (ValueError, IndexError, KeyError, ZeroDivisionError) as exc:
        problems.append(Problem("tables", "tables_unreadable",
                                f"tables on page {number} could not be read: {type(exc).__name__}: {exc}", number))
        return []


def ocr_pages(data: bytes, pages: list[PageText], password: str | None, stats: OcrStats) -> list[Problem]:
    """Replace, in place, every page whose text layer is missing or garbled by its OCR reading.
    Blank pages are not read; past `max_pages` pages a document's pages are flagged, not read.
    Returns the problems of pages that OCR did not read, and why."""
    wanted = [p for p in pages if p.status in ("no_text", "garbled")]
    if not wanted:
        return []
    problems = []
    doc = pdfium.PdfDocument(data, password=password)
    try:
        for page in wanted:
            pdf_page = doc[page.page - 1]
            if is_blank(pdf_page):
                problems.append(Problem("ocr", "blank", "the page is blank (nothing drawn on it), "
                                                        "so OCR was not run", page.page))
                continue
            if stats.pages >= RULES["max_pages"]:
                problems.append(Problem("ocr", "ocr_budget", f"not read by OCR: it reads at most "
                                                             f"{RULES['max_pages']} pages of one document", page.page))
                continue
            started = time.perf_counter()
            scale = render_scale(pdf_page)
            width, height = pdf_page.get_size()
            with _one_at_a_time():
                image = pdf_page.render(scale=scale).to_numpy()
                found = read_image(image)
                boxes, rules = page_rules(image, scale, found)
                del image
            lines = found_to_lines(found, height, scale)
            ocr = rows_to_page(page.page, reading_order(lines))
            page.text, page.lines, page.ocr_confidence = ocr.text, ocr.lines, ocr.ocr_confidence
            page.tables = page_tables(page.page, boxes, rules, (width, height), problems)
            page.source, page.status = "ocr", ocr.status
            stats.pages += 1
            stats.seconds += time.perf_counter() - started
    finally:
        doc.close()
    return problems
