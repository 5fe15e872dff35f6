"""What the fact extractors read: one document's normalised text, sentences, mentions and tables."""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Callable

from ..sentences import Sentence


@dataclass(frozen=True)
class Table:
    """A ruled table read by pdfplumber; `rows` hold normalised cell texts (None: merged away)."""
    page: int
    index: int
    rows: list[list[str | None]]


@dataclass
class DocView:
    doc_id: str
    text: str
    sentences: list[Sentence]
    page_of: Callable[[int], int]                      # normalised position -> 1-based page
    amounts: list[dict] = field(default_factory=list)  # mention rows, in text order
    dates: list[dict] = field(default_factory=list)
    percentages: list[dict] = field(default_factory=list)
    counts: list[dict] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._starts = [s.start for s in self.sentences]

    def sentence_at(self, pos: int) -> Sentence | None:
        i = bisect.bisect_right(self._starts, pos) - 1
        return self.sentences[i] if i >= 0 else None

    def in_span(self, mentions: list[dict], start: int, end: int) -> list[dict]:
        """Mentions lying inside text[start:end]."""
        return [m for m in mentions if m["char_start"] >= start and m["char_end"] <= end]
