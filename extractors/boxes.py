"""Where a mention sits on its page: a box in PDF points, from the text layer's line geometry.

A page's geometry gives, for each text line, the box from its first to its last character
(pdfium's character boxes, or OCR's line boxes). Inside a line the position of a character is
interpolated by display width (a CJK character is two units, an ASCII one), which is close for
the mixed CJK and digit text of these reports; a mention that wraps gets the union of its
lines' boxes. The renderer refines the box from pdfium's own character boxes where it can.
"""
from __future__ import annotations

import bisect

from .normalize import display_width

Box = tuple[float, float, float, float]        # x0, y0, x1, y1 (PDF points, origin bottom left)


def _line_end(text: str, start: int) -> int:
    ends = [i for i in (text.find("\r", start), text.find("\n", start)) if i >= 0]
    return min(ends) if ends else len(text)


def span_box(text: str, lines: dict[int, tuple[float, float, float, float]], start: int, end: int,
             starts: list[int] | None = None) -> Box | None:
    """Box of text[start:end] on a page whose line geometry is `lines` (first non-space char of a
    line -> (left, right, bottom, top)); None without geometry for that span. `starts`, sorted(lines),
    may be given by a caller that asks about many spans of one page."""
    if not lines or start >= end:
        return None
    starts = starts if starts is not None else sorted(lines)
    boxes, pos = [], start
    while pos < end:
        i = bisect.bisect_right(starts, pos) - 1
        if i < 0:
            pos = starts[0]
            continue
        first = starts[i]
        stop = _line_end(text, first)
        if pos >= stop:                      # in the gap after a line: go to the next one
            if i + 1 >= len(starts) or starts[i + 1] >= end:
                break
            pos = starts[i + 1]
            continue
        last = len(text[:stop].rstrip()) - 1
        left, right, bottom, top = lines[first]
        total = display_width(text[first:last + 1]) or 1
        seg_end = min(end, last + 1)
        x0 = left + (right - left) * display_width(text[first:pos]) / total
        x1 = left + (right - left) * display_width(text[first:seg_end]) / total
        boxes.append((x0, bottom, x1, top))
        pos = stop
    if len(boxes) < 2:
        return boxes[0] if boxes else None
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))
