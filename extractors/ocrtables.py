"""Ruled tables on pages read by OCR, as rows of cell texts like the tables of a text layer
(pdftables.py): the rules are found in the rendered image, the OCR boxes stand in for the
characters, and pdfplumber's table finder builds the cells from both.

A page scanned askew is first turned straight, by the median slope of the long OCR lines
(`page_rules`). Then two pure steps: `image_rules` (a rendered page -> its horizontal and vertical rules, in points
from the top left) and `boxes_to_tables` (OCR boxes + rules -> tables). A box is cut into one
character per letter, a CJK letter twice as wide as a Latin one, so that a box that the OCR
read across a rule is shared out between the cells it crosses.
"""
from __future__ import annotations

import math
import statistics
import unicodedata
from dataclasses import dataclass

import numpy as np
from PIL import Image
from pdfplumber.table import TableSettings

from .pdftables import Finder, PageObjects, _edge, extract
from .rules import load

RULES = load("ocr")["tables"]


@dataclass(frozen=True)
class Box:
    """One OCR box in points, from the top left of the page (y grows downwards)."""
    x0: float
    top: float
    x1: float
    bottom: float
    text: str


def page_rules(image: np.ndarray, scale: float, found: list[tuple[list, str, float]]) -> tuple[list[Box], list[dict]]:
    """The OCR boxes (quadrilaterals in pixels) and the rules of a rendered page, both turned
    straight when the page was scanned askew (about the top left corner)."""
    gray = image[..., :3].mean(axis=2, dtype=np.float32) if image.ndim == 3 else image
    angle = skew(found)
    if abs(angle) >= math.radians(RULES["min_skew_degrees"]):
        turned = Image.fromarray(gray.astype(np.uint8)).rotate(math.degrees(angle), resample=Image.BILINEAR,
                                                               center=(0, 0), fillcolor=255)
        gray = np.asarray(turned)
    cos, sin = math.cos(angle), math.sin(angle)
    boxes = []
    for quad, text, _ in found:
        xs = [(x * cos + y * sin) / scale for x, y in quad]
        ys = [(y * cos - x * sin) / scale for x, y in quad]
        boxes.append(Box(min(xs), min(ys), max(xs), max(ys), text))
    return boxes, image_rules(gray, scale, boxes)


def skew(found: list[tuple[list, str, float]]) -> float:
    """The page's tilt (radians, clockwise in the image): the median slope of the top edges of
    OCR lines at least four times as long as they are high; 0 when there are none."""
    slopes = []
    for quad, _, _ in found:
        (x0, y0), (x1, y1), _, (x3, y3) = quad[:4]
        length, height = math.hypot(x1 - x0, y1 - y0), math.hypot(x3 - x0, y3 - y0)
        if length >= 4 * height and x1 > x0:
            slopes.append(math.atan2(y1 - y0, x1 - x0))
    return statistics.median(slopes) if slopes else 0.0


def image_rules(image: np.ndarray, scale: float, boxes: list[Box] = ()) -> list[dict]:
    """Rules drawn on a rendered page (pixels `scale` per point): runs of dark pixels at least
    `min_rule_pt` long. The middle of every OCR box is blanked first, so that strokes of the
    letters never count as rules while the rules around a cell stay."""
    gray = image[..., :3].mean(axis=2, dtype=np.float32) if image.ndim == 3 else image
    dark = gray < RULES["dark_level"]
    for b in boxes:
        pad_y = (b.bottom - b.top) * RULES["blank_margin"]
        pad_x = min(pad_y, (b.x1 - b.x0) / 4)
        dark[int((b.top + pad_y) * scale):int((b.bottom - pad_y) * scale) + 1,
             int((b.x0 + pad_x) * scale):int((b.x1 - pad_x) * scale) + 1] = False
    least, gap = RULES["min_rule_pt"] * scale, max(1, round(RULES["rule_gap_pt"] * scale))
    edges = [_edge(a / scale, y / scale, b / scale, y / scale, "h") for y, a, b in runs(dark, least, gap)]
    edges += [_edge(x / scale, a / scale, x / scale, b / scale, "v") for x, a, b in runs(dark.T, least, gap)]
    return edges


def runs(mask: np.ndarray, least: float, gap: int) -> list[tuple[int, int, int]]:
    """(row, first, end) of every run of True along the rows of `mask` at least `least` long,
    runs parted by at most `gap` False cells counting as one."""
    padded = np.zeros((mask.shape[0], mask.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    step = np.diff(padded, axis=1)
    rows, starts = np.nonzero(step == 1)
    _, ends = np.nonzero(step == -1)
    if not len(rows):
        return []
    new = np.ones(len(rows), dtype=bool)
    new[1:] = (rows[1:] != rows[:-1]) | (starts[1:] - ends[:-1] > gap)
    group = np.cumsum(new) - 1
    first = starts[new]
    last = np.zeros(group[-1] + 1, dtype=np.int64)
    np.maximum.at(last, group, ends)
    row = rows[new]
    keep = last - first >= least
    return list(zip(row[keep].tolist(), first[keep].tolist(), last[keep].tolist()))


def box_chars(box: Box) -> list[dict]:
    """The box's letters as pdfminer-like characters spread over its width (spaces leave gaps)."""
    weights = [1.0 if unicodedata.east_asian_width(ch) in "WF" else RULES["narrow_width"] for ch in box.text]
    unit = (box.x1 - box.x0) / (sum(weights) or 1)
    chars, x = [], box.x0
    height = box.bottom - box.top
    for ch, w in zip(box.text, weights):
        if not ch.isspace():
            chars.append({"text": ch, "x0": x, "x1": x + w * unit, "top": box.top, "bottom": box.bottom,
                          "doctop": box.top, "width": w * unit, "height": height, "upright": True,
                          "size": height, "fontname": ""})
        x += w * unit
    return chars


def boxes_to_tables(boxes: list[Box], rules: list[dict], width: float,
                    height: float) -> list[list[list[str | None]]]:
    """Every ruled table the rules draw, as rows of the texts of the boxes inside its cells
    (None for a cell merged away); grids of one row or one column are not tables."""
    chars = [c for b in boxes for c in box_chars(b)]
    objects = PageObjects(chars, rules, (0, 0, width, height))
    settings = TableSettings.resolve({})
    tables = [extract(t, chars, settings.text_settings or {}) for t in Finder(objects, settings).tables]
    return [t for t in tables if len(t) >= 2 and max(len(r) for r in t) >= 2
            and sum(bool(c) for r in t for c in r) >= 2]
