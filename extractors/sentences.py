"""Normalised text -> sentences (split on 。；！？) with headings kept as structure."""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache

from .rules import load


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str
    heading_level: int | None      # None for body text
    section: str                   # path of the headings above, ' > ' separated


@cache
def _rules() -> tuple[list[tuple[int, re.Pattern]], re.Pattern, int]:
    rules = load("structure")
    headings = [(h["level"], re.compile(h["pattern"])) for h in rules["heading"]]
    s = rules["sentences"]
    ends = re.compile(f"(?:[{re.escape(s['terminators'])}]+|{s['half_width_stop']})[{re.escape(s['closers'])}]*")
    return headings, ends, s["max_heading_chars"]


def heading_level(text: str) -> int | None:
    for level, pattern in _rules()[0]:
        if pattern.match(text):
            return level
    return None


def _paragraph_pieces(text: str, start: int, end: int):
    """(start, end) of each sentence in text[start:end], whitespace trimmed."""
    ends = _rules()[1]
    pos = start
    for m in ends.finditer(text, start, end):
        yield pos, m.end()
        pos = m.end()
    if pos < end:
        yield pos, end


def text_to_sentences(text: str) -> list[Sentence]:
    """Every sentence of the document; a paragraph's leading heading is a sentence of its own."""
    _, _, max_heading = _rules()
    out: list[Sentence] = []
    stack: list[tuple[int, str]] = []
    for para in re.finditer(r"[^\n]+", text):
        first = True
        for s, e in _paragraph_pieces(text, para.start(), para.end()):
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if s == e:
                continue
            piece = text[s:e]
            level = heading_level(piece) if first and len(piece) <= max_heading else None
            if level is not None:
                stack = [(lv, t) for lv, t in stack if lv < level] + [(level, piece.rstrip("。：:；;"))]
            section = " > ".join(t for _, t in stack)
            out.append(Sentence(len(out), s, e, piece, level, section))
            first = False
    return out


class SentenceIndex:
    """Find the sentence that holds a position."""

    def __init__(self, sentences: list[Sentence]) -> None:
        self.sentences = sentences
        self._starts = [s.start for s in sentences]

    def at(self, pos: int) -> Sentence | None:
        i = bisect.bisect_right(self._starts, pos) - 1
        if i < 0:
            return None
        sentence = self.sentences[i]
        return sentence if pos < sentence.end else None
