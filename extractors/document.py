"""A document's text layer -> the rows of every per-document table (pure: no files, no DB).

Chain: TextLayer -> normalize_pages -> text_to_sentences -> text_to_mentions -> rows with
document, page and sentence attached.
"""
from __future__ import annotations

import bisect
from decimal import Decimal
from dataclasses import dataclass, field

from schemas.rows import MENTION_TABLES, PageRow, SentenceRow, TableCellRow

from .facts import view_to_tables
from .facts.view import DocView, Table
from .mentions import text_to_mentions
from .rules import load
from .normalize import NormalText, normalize_pages, normalize_snippet
from .sentences import Sentence, SentenceIndex, text_to_sentences
from .boxes import span_box
from .textlayer import PageText, TextLayer


@dataclass
class DocumentRows:
    """Rows for each per-document table, keyed by table name."""
    tables: dict[str, list[dict]] = field(default_factory=dict)
    header: dict = field(default_factory=dict)     # report header columns of `documents`

    @property
    def mention_count(self) -> int:
        return sum(len(self.tables.get(table, [])) for table, _ in MENTION_TABLES.values())


def page_rows(doc_id: str, layer: TextLayer, norm: NormalText) -> list[PageRow]:
    rows = []
    for page, (start, end) in zip(layer.pages, norm.page_spans()):
        rows.append(PageRow(
            doc_id=doc_id, page=page.page, text=norm.text[start:end].strip(), char_start=start,
            char_end=end, raw_chars=len(page.text), text_source=page.source if page.text.strip() else "none",
            has_tables=bool(page.tables), status=page.status, ocr_confidence=page.ocr_confidence,
        ))
    return rows


def sentence_rows(doc_id: str, sentences: list[Sentence], norm: NormalText) -> list[SentenceRow]:
    return [SentenceRow(
        doc_id=doc_id, sentence_id=s.index, page=norm.page_of(s.start), char_start=s.start,
        char_end=s.end, text=s.text, is_heading=s.heading_level is not None,
        heading_level=s.heading_level, section=s.section,
    ) for s in sentences]


def table_cell_rows(doc_id: str, layer: TextLayer) -> list[TableCellRow]:
    rows = []
    for page in layer.pages:
        for t, table in enumerate(page.tables):
            for r, row in enumerate(table):
                for c, cell in enumerate(row):
                    text = normalize_snippet(cell) if cell else cell
                    rows.append(TableCellRow(doc_id=doc_id, page=page.page, table_index=t,
                                             row_index=r, col_index=c, text=text))
    return rows


def mention_rows(doc_id: str, norm: NormalText, index: SentenceIndex,
                 pages: list[PageText] | None = None) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    limit = load("structure")["sentences"]["max_quote_chars"]
    starts = [sorted(p.lines) for p in pages] if pages else None
    for kind, matches in text_to_mentions(norm.text).items():
        table, letter = MENTION_TABLES[kind]
        rows = []
        for m in matches:
            if kind == "amount" and not plausible_amount(m):
                continue
            start, end = m.pop("start"), m.pop("end")
            sentence = index.at(start) or _nearest(index, start)
            rows.append({
                "doc_id": doc_id, "mention_id": f"{doc_id[:12]}:{letter}:{start}",
                "page": norm.page_of(start), "char_start": start, "char_end": end,
                "sentence_id": sentence.index if sentence else -1,
                "sentence": quote(sentence, start, end, limit) if sentence else "",
                **page_position(norm, pages, start, end, starts), **m,
            })
        out[table] = rows
    return out


def page_position(norm: NormalText, pages: list[PageText] | None, start: int, end: int,
                  starts: list[list[int]] | None = None) -> dict:
    """The mention's span in its page's own text and its box on the page (None where unknown);
    `starts`: each page's sorted line starts, when the caller has them."""
    page, first = norm.locate(start)
    last_page, last = norm.locate(max(start, end - 1))
    out = {"page_char_start": first, "page_char_end": last + 1 if last_page == page else None,
           "x0": None, "y0": None, "x1": None, "y1": None}
    if pages and out["page_char_end"] is not None and 0 < page <= len(pages):
        box = span_box(pages[page - 1].text, pages[page - 1].lines, first, last + 1,
                       starts[page - 1] if starts else None)
        if box:
            out.update(zip(("x0", "y0", "x1", "y1"), (round(v, 2) for v in box)))
    return out


def plausible_amount(m: dict) -> bool:
    """Money a report can mean: at most `limits.max_wan` 万元 (a 25-digit 万元 figure is a
    code or an error, not money, and would not fit the store's columns)."""
    bound = Decimal(load("amounts")["limits"]["max_wan"])
    return all(v is None or abs(v) <= bound for v in (m["value_wan"], m.get("value_wan_high")))


def quote(sentence: Sentence, start: int, end: int, limit: int) -> str:
    """The sentence, or, when it is longer than `limit`, `limit` characters around [start, end)."""
    if len(sentence.text) <= limit:
        return sentence.text
    half = max(0, (limit - (end - start)) // 2)
    lo = max(sentence.start, start - half)
    hi = min(sentence.end, max(end + half, lo + limit))
    text = sentence.text[lo - sentence.start:hi - sentence.start]
    return ("…" if lo > sentence.start else "") + text + ("…" if hi < sentence.end else "")


def _nearest(index: SentenceIndex, pos: int) -> Sentence | None:
    i = bisect.bisect_right(index.sentences, pos, key=lambda s: s.start) - 1
    return index.sentences[i] if i >= 0 else (index.sentences[0] if index.sentences else None)


def doc_view(doc_id: str, norm: NormalText, sentences: list[Sentence], rows: DocumentRows) -> DocView:
    """The read-only view the fact extractors work on."""
    cells: dict[tuple[int, int], dict[int, dict[int, str | None]]] = {}
    for c in rows.tables["table_cells"]:
        cells.setdefault((c["page"], c["table_index"]), {}).setdefault(c["row_index"], {})[c["col_index"]] = c["text"]
    tables = [Table(page, index, [[r[c] for c in sorted(r)] for _, r in sorted(by_row.items())])
              for (page, index), by_row in sorted(cells.items())]
    return DocView(doc_id, norm.text, sentences, norm.page_of, rows.tables["amounts"], rows.tables["dates"],
                   rows.tables["percentages"], rows.tables["counts"], tables)


def text_to_layer(text: str) -> TextLayer:
    """Plain text as a one-page text layer without tables (for tests and for text sources)."""
    return TextLayer(pages=[PageText(1, text)])


def text_to_view(doc_id: str, text: str) -> DocView:
    """A view over plain text (one page, no tables)."""
    return layer_to_view(doc_id, text_to_layer(text))[0]


def text_to_rows(doc_id: str, text: str) -> DocumentRows:
    """Every row plain text (one page, no tables) yields, facts included."""
    return layer_to_rows(doc_id, text_to_layer(text))[0]


def layer_to_view(doc_id: str, layer: TextLayer) -> tuple[DocView, DocumentRows, NormalText]:
    """Text layer -> pages, sentences, table cells and mentions, and the view over them."""
    norm = normalize_pages([p.text for p in layer.pages], [p.lines for p in layer.pages])
    sentences = text_to_sentences(norm.text)
    rows = DocumentRows()
    rows.tables["pages"] = page_rows(doc_id, layer, norm)
    rows.tables["sentences"] = sentence_rows(doc_id, sentences, norm)
    rows.tables["table_cells"] = table_cell_rows(doc_id, layer)
    rows.tables.update(mention_rows(doc_id, norm, SentenceIndex(sentences), layer.pages))
    return doc_view(doc_id, norm, sentences, rows), rows, norm


def layer_to_rows(doc_id: str, layer: TextLayer) -> tuple[DocumentRows, NormalText]:
    """Everything a document yields: mentions, then facts, indicators, scores and its header."""
    view, rows, norm = layer_to_view(doc_id, layer)
    tables, rows.header = view_to_tables(view)
    rows.tables.update(tables)
    return rows, norm
