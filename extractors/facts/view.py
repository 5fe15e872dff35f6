"""What the fact extractors read: one document's normalised text, sentences, mentions and tables."""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Callable

from ..memo import Memo
from ..sentences import Sentence


@dataclass(frozen=True)
class Table:
    """A ruled table read by pdfplumber; `rows` hold normalised cell texts (None: merged away)."""
    page: int
    index: int
    rows: list[list[str | None]]


@dataclass
class DocView(Memo):
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

    def on_page(self, page: int) -> list[Sentence]:
        """The sentences that start on `page`, in text order (a list of the caller's own)."""
        return list(self.once("by_page", _sentences_by_page).get(page, ()))

    def in_span(self, mentions: list[dict], start: int, end: int) -> list[dict]:
        """Mentions lying inside text[start:end]."""
        return [m for m in mentions if m["char_start"] >= start and m["char_end"] <= end]


@dataclass(frozen=True)
class Row:
    page: int
    table: int          # index of the table on the page where the row is
    index: int          # row index in that table
    cells: list[str | None]

    @property
    def text(self) -> str:
        return " ".join(c for c in self.cells if c)


def stitch_tables(tables: list[Table]) -> list[list[Row]]:
    """Tables with the rows that continue them on the next page (a table split by a page break
    continues as the first table of the next page, with as many columns)."""
    out: list[list[Row]] = []
    last_on_page = {t.page: t.index for t in tables}
    previous: Table | None = None
    for t in tables:
        rows = [Row(t.page, t.index, i, list(r)) for i, r in enumerate(t.rows)]
        continues = (previous is not None and t.page == previous.page + 1 and t.index == 0
                     and last_on_page[previous.page] == previous.index
                     and t.rows and previous.rows and len(t.rows[0]) == len(previous.rows[0]))
        if continues:
            out[-1].extend(rows)
        else:
            out.append(rows)
        previous = t
    return out


def _sentences_by_page(view: DocView) -> dict[int, list[Sentence]]:
    by_page: dict[int, list[Sentence]] = {}
    for s in view.sentences:
        by_page.setdefault(view.page_of(s.start), []).append(s)
    return by_page
