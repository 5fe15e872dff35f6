"""The per-document chain, as pure stages from PDF bytes to findings (no files written, no DB).

The one entry point is `read_document(doc_id, data, password, ocr) -> DocumentResult`; the
pipeline (worker pool, Dask, tests) reaches the chain through it. `configure_ocr` sets the OCR
engine's threads for a worker process;
`check_rules` loads and checks every rule file (a broken one raises `RulesError`);
`fresh_pdf_library` restarts PDFium between documents (its caches outlive a document).
"""
from .chain import DocumentResult, fresh_pdf_library, read_document
from .errors import JixiaoError
from .ocr import configure as configure_ocr
from .rules import check_all as check_rules

__all__ = ["DocumentResult", "JixiaoError", "check_rules", "configure_ocr", "fresh_pdf_library", "read_document"]
