"""The per-document chain, as pure stages from PDF bytes to findings (no files written, no DB).

The one entry point is `read_document(doc_id, data, password, ocr) -> DocumentResult`; the
pipeline (worker pool, Dask, tests) reaches the chain through it. `configure_ocr` sets the OCR
engine's threads for a worker process; `check_rules` loads and checks every rule file (a broken
one raises `RulesError`); `fresh_pdf_library` restarts PDFium between documents (its caches
outlive a document); `warm_up` loads what the first document would (a fork server calls
it once for all its workers). Names load on first use, so `from extractors import JixiaoError` does
not import the PDF libraries.
"""
from __future__ import annotations

import importlib

from .errors import JixiaoError

_LAZY = {"DocumentResult": ("chain", "DocumentResult"), "read_document": ("chain", "read_document"),
         "fresh_pdf_library": ("chain", "fresh_pdf_library"), "warm_up": ("chain", "warm_up"),
         "configure_ocr": ("ocr", "configure"), "check_rules": ("rules", "check_all")}

__all__ = ["DocumentResult", "JixiaoError", "check_rules", "configure_ocr", "fresh_pdf_library", "read_document",
           "warm_up"]


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module 'extractors' has no attribute {name!r}")
    module, attr = _LAZY[name]
    value = getattr(importlib.import_module(f".{module}", __name__), attr)
    globals()[name] = value
    return value
