"""One document's whole chain, as pure stages behind one entry point:

    PDF bytes -> text layer -> OCR (pages without a usable layer) -> normalise -> mentions
              -> facts, indicators, scores, header -> reconcile -> DocumentResult

`read_document` reads no files and writes nothing: the caller (a worker process, a test, a Dask
task) hands it bytes and stores what it returns. A document that cannot be opened at all raises a
`JixiaoError` subclass carrying its reason; everything readable comes back with its page problems.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from schemas.rows import DocStatus, TextSource

from .document import DocumentRows, layer_to_rows
from .ocr import OcrStats, ocr_pages, release_memory
from .reconcile import reconcile
from .segmenter import segmenter
from .textlayer import PageText, Problem, TextLayer, pdf_to_textlayer


@dataclass
class DocumentResult:
    """What one document yields: its rows (every per-document table but `documents` and
    `ingest_errors`, which the caller completes with the file's identity), its status and why."""
    doc_id: str
    rows: DocumentRows
    status: DocStatus
    error: str | None                  # the first reason a page could not be read, for `documents.error`
    problems: list[Problem]
    pages: int
    pages_no_text: int
    pages_failed: int
    text_source: TextSource
    encrypted: bool
    repaired: bool
    ocr: OcrStats = field(default_factory=OcrStats)

    @property
    def mentions(self) -> int:
        return self.rows.mention_count


def warm_up() -> None:
    """Load what the chain otherwise loads while reading its first document (jieba's dictionary,
    about 0.4 s), so that a fork server loads it once for every worker it forks."""
    segmenter().initialize()


def fresh_pdf_library() -> None:
    """Restart PDFium. It keeps the fonts and glyphs it has loaded in process-wide caches, and a
    page whose own embedded font is broken is then read with what an earlier document left there
    (another spacing, another text), so one file's rows would depend on the files the same
    process read before it. A worker calls this between documents; never call it while another
    thread of the process uses PDFium (pypdfium2 closes whatever is still open first). What the
    last document freed is handed back to the system too."""
    from pypdfium2 import _library_scope as scope

    scope.destroy_lib()
    scope.init_lib()
    release_memory()


def read_document(doc_id: str, data: bytes, password: str | None = None, ocr: bool = True) -> DocumentResult:
    """PDF bytes -> every row the document yields, with its findings."""
    layer = pdf_to_textlayer(data, password)
    stats = OcrStats()
    if ocr:
        skipped = ocr_pages(layer.source or data, layer.pages, password, stats)
        layer.problems = ocr_outcomes(layer, skipped)
    rows, _ = layer_to_rows(doc_id, layer)
    rows.tables["findings"] = reconcile(doc_id, rows)
    return layer_to_result(doc_id, layer, rows, stats, ocr)


def ocr_outcomes(layer: TextLayer, skipped: list[Problem]) -> list[Problem]:
    """Page problems that say whether OCR recovered the page, or why it did not read it (and
    the tables of pages it read that could not be made out)."""
    read = {p.page: p for p in layer.pages if p.source == "ocr"}
    why = {pr.page: pr for pr in skipped if pr.stage == "ocr"}

    def outcome(pr: Problem) -> Problem:
        page = read.get(pr.page)
        if pr.code in ("no_text", "garbled") and pr.page in why:
            return replace(pr, reason=f"{pr.reason}; {why[pr.page].reason}")
        if page is None or pr.code not in ("no_text", "garbled"):
            return pr
        if page.status == "ok":
            return replace(pr, reason=f"{pr.reason}; read by OCR (mean confidence {page.ocr_confidence:.2f})")
        return replace(pr, reason=f"{pr.reason}; OCR found no text either")

    return [outcome(pr) for pr in layer.problems] + [pr for pr in skipped if pr.stage != "ocr"]


def text_source(pages: list[PageText]) -> TextSource:
    sources = {p.source for p in pages if p.status not in ("no_text", "garbled", "failed")}
    return "none" if not sources else sources.pop() if len(sources) == 1 else "mixed"


def layer_to_result(doc_id: str, layer: TextLayer, rows: DocumentRows, stats: OcrStats, ocr: bool) -> DocumentResult:
    pages = layer.pages
    no_text = sum(p.status in ("no_text", "garbled") for p in pages)
    failed = sum(p.status in ("failed", "damaged") for p in pages)
    status: DocStatus = "ok" if not (no_text or failed) else "partial"
    if layer.salvaged and not layer.salvaged.complete:
        status = "partial"              # a truncated file whose pages may not all be there
    recovered = {p.page for p in pages if p.source == "ocr" and p.status == "ok"}
    first = next((pr.reason for pr in layer.problems if pr.code != "repaired" and pr.page not in recovered), None)
    if status == "partial" and no_text and not failed:
        first = f"{no_text} of {len(pages)} page(s) have no readable text layer" + ("" if ocr else " (OCR is off)")
    return DocumentResult(doc_id=doc_id, rows=rows, status=status, error=first, problems=layer.problems,
                          pages=len(pages), pages_no_text=no_text, pages_failed=failed,
                          text_source=text_source(pages), encrypted=layer.encrypted, repaired=layer.repaired,
                          ocr=stats)
