"""The evidence as a picture: a crop of the PDF page around the figures a fact, finding or mention
uses, with each figure boxed (rendered by pypdfium2, drawn with Pillow, a small PNG).

Boxes come from the database (each mention's box on its page) and are refined from pdfium's own
character boxes where the page's text layer matches its stored span; a figure the database has
no box for (a score read from a table) is found on the page by its quote.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from ..errors import StoreError
from ..store import dict_rows

Box = tuple[float, float, float, float]          # x0, y0, x1, y1 in PDF points, origin bottom left
MENTION_TABLES = {"a": "amounts", "d": "dates", "p": "percentages", "c": "counts"}
SCALE = 1.5                 # 108 dpi: text stays legible, a crop stays a few tens of KB
MARGIN_PT = 28              # context above and below the figures


@dataclass
class Figure:
    """One piece of evidence: a page of a file, the sentence, and the boxes of its figures."""
    path: str
    file_name: str
    page: int
    sentence: str
    spans: list[tuple[int, int, str]] = field(default_factory=list)   # page-text spans of the figures, raw text
    boxes: list[Box] = field(default_factory=list)                 # stored boxes (fallback)
    label: str = ""


# --- which figures an id points at ------------------------------------------------------------

def figures_for(con: duckdb.DuckDBPyConnection, ident: str) -> list[Figure]:
    """Figures of a mention id (`<doc>:a:<pos>`), a fact (`<doc>:f:<fact_id>`) or a finding id."""
    parts = ident.split(":")
    if len(parts) == 3 and parts[1] in MENTION_TABLES:
        return _mention_figures(con, MENTION_TABLES[parts[1]], "mention_id = ?", [ident])
    if len(parts) == 3 and parts[1] == "f" and parts[2].isdigit():
        ids = [r["mention_id"] for r in dict_rows(
            con, "SELECT mention_id FROM fact_evidence WHERE doc_id LIKE ? || '%' AND fact_id = ?",
            [parts[0], int(parts[2])])]
        return [f for m in ids for f in _mention_figures(con, "amounts", "mention_id = ?", [m])]
    finding = dict_rows(con, "SELECT * FROM findings WHERE finding_id = ?", [ident])
    if finding:
        return finding_figures(con, finding[0])
    raise StoreError(f"no mention, fact or finding with the id {ident!r} (ids look like "
                     f"'0eae385221b3:a:1234', '0eae385221b3:f:7' or a 16-character finding id)", code="usage")


def _mention_figures(con, table: str, where: str, params: list) -> list[Figure]:
    rows = dict_rows(con, f"""SELECT m.*, d.path, d.file_name FROM "{table}" m JOIN documents d USING (doc_id)
                              WHERE {where}""", params)
    return [_figure(r) for r in rows]


def _figure(r: dict) -> Figure:
    fig = Figure(r["path"], r["file_name"], r["page"], r["sentence"], label=r["raw"])
    if r["page_char_start"] is not None and r["page_char_end"] is not None:
        fig.spans.append((r["page_char_start"], r["page_char_end"], r["raw"]))
    if r["x0"] is not None:
        fig.boxes.append((r["x0"], r["y0"], r["x1"], r["y1"]))
    return fig


def finding_figures(con: duckdb.DuckDBPyConnection, finding: dict) -> list[Figure]:
    """One figure per evidence page of a finding, with the mentions on it that carry its values."""
    doc = dict_rows(con, "SELECT path, file_name FROM documents WHERE doc_id = ?", [finding["doc_id"]])[0]
    values = [round(float(v), 3) for v in finding["values"] or []]
    out: dict[int, Figure] = {}
    for e in finding["evidence"] or []:
        fig = out.setdefault(e["page"], Figure(doc["path"], doc["file_name"], e["page"], e["quote"]))
        for table, column in (("amounts", "value_wan"), ("percentages", "value")):
            rows = dict_rows(con, f"""SELECT * FROM "{table}" WHERE doc_id = ? AND page = ?
                                      AND round(CAST({column} AS DOUBLE), 3) IN (SELECT unnest(?))""",
                             [finding["doc_id"], e["page"], values])
            for r in rows:
                if r["sentence"] and (r["sentence"] in e["quote"] or e["quote"] in r["sentence"]
                                      or r["sentence"].strip("…") in e["quote"]):
                    one = _figure({**r, **doc})
                    fig.spans += one.spans
                    fig.boxes += one.boxes
    return list(out.values())


# --- rendering ---------------------------------------------------------------------------------

def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def exact_boxes(textpage, spans: list[tuple[int, int, str]]) -> list[Box]:
    """pdfium's character boxes, united per span (spaces skipped); a span whose characters on
    the page do not read as its figure (an OCR'd page, another text layer) is left out."""
    out = []
    count = textpage.count_chars()
    for start, end, raw in spans:
        if end > count or _digits(textpage.get_text_range(start, end - start)) != _digits(raw):
            continue
        chars = [textpage.get_charbox(i) for i in range(start, min(end, count))]
        chars = [c for c in chars if c[2] > c[0]]
        if chars:
            out.append((min(c[0] for c in chars), min(c[1] for c in chars),
                        max(c[2] for c in chars), max(c[3] for c in chars)))
    return out


def quote_boxes(textpage, quote: str) -> list[Box]:
    """Where the quote's start stands on the page (for figures without a stored box)."""
    for length in (24, 12, 6):
        probe = quote.strip("…").strip()[:length]
        if len(probe) < 4:
            continue
        searcher = textpage.search(probe)
        hit = searcher.get_next()
        if hit:
            return exact_boxes(textpage, [(hit[0], hit[0] + hit[1], probe)])
    return []


def page_boxes(pdf_page, fig: Figure) -> list[Box]:
    textpage = pdf_page.get_textpage()
    boxes = exact_boxes(textpage, fig.spans) if fig.spans else []
    if len(boxes) < len(fig.spans) or not boxes:
        boxes = boxes or fig.boxes or quote_boxes(textpage, fig.sentence)
    return boxes


def crop_png(fig: Figure, password: str | None = None) -> tuple[bytes, list[Box]]:
    """A PNG of the page band around the figures (full page width), each figure boxed in red."""
    import pypdfium2 as pdfium
    from PIL import ImageDraw

    path = Path(fig.path)
    if not path.exists():
        raise StoreError(f"{fig.file_name}: the PDF is no longer at {fig.path}; the evidence cannot be shown",
                         code="missing")
    doc = pdfium.PdfDocument(path, password=password)
    try:
        page = doc[fig.page - 1]
        width, height = page.get_size()
        boxes = page_boxes(page, fig)
        low = max(0.0, min((b[1] for b in boxes), default=height * 0.5) - MARGIN_PT)
        high = min(height, max((b[3] for b in boxes), default=height * 0.5 + 80) + MARGIN_PT)
        image = page.render(scale=SCALE, crop=(0, low, 0, height - high)).to_pil().convert("RGB")
    finally:
        doc.close()
    draw = ImageDraw.Draw(image)
    for x0, y0, x1, y1 in boxes:
        draw.rectangle([x0 * SCALE - 2, (high - y1) * SCALE - 2, x1 * SCALE + 2, (high - y0) * SCALE + 2],
                       outline=(220, 30, 30), width=2)
    buffer = io.BytesIO()
    image.quantize(colors=32).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue(), boxes


def stack_png(images: list[bytes]) -> bytes:
    """Several crops one above the other, in one PNG."""
    from PIL import Image

    opened = [Image.open(io.BytesIO(b)).convert("RGB") for b in images]
    out = Image.new("RGB", (max(i.width for i in opened), sum(i.height + 8 for i in opened)), "white")
    y = 0
    for i in opened:
        out.paste(i, (0, y))
        y += i.height + 8
    buffer = io.BytesIO()
    out.quantize(colors=32).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
