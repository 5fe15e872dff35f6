"""One document in a worker process: read the file, extract, return plain rows (no DB here).

Each document is bounded in time (SIGALRM) and each worker in memory (RLIMIT_AS), so one
pathological PDF fails on its own instead of stalling or killing the run.
"""
from __future__ import annotations

import datetime as dt
import resource
import signal
import time
import traceback
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from extractors.document import layer_to_rows
from extractors.errors import JixiaoError
from extractors.textlayer import pdf_to_textlayer

from .arrow import to_arrow
from .errors import DocumentTimeout
from .ocr import OcrStats, ocr_pages
from .ocr import configure as configure_ocr
from .reconcile import reconcile
from .version import PIPELINE_VERSION


@dataclass
class Job:
    path: str
    doc_id: str
    size_bytes: int
    run_id: str
    password: str | None = None
    timeout_s: float = 300.0
    ocr: bool = True


@dataclass
class Result:
    job: Job
    tables: dict[str, list[dict]] = field(default_factory=dict)
    status: str = "failed"
    pages: int = 0
    mentions: int = 0
    seconds: float = 0.0
    error: str | None = None
    ocr: OcrStats = field(default_factory=OcrStats)


def init_worker(max_memory_mb: int | None, ocr_threads: int = -1) -> None:
    """Pool initializer: cap this worker's address space, share the cores among OCR engines."""
    configure_ocr(ocr_threads)
    if max_memory_mb:
        limit = max_memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


@contextmanager
def time_limit(seconds: float, path: str):
    """Raise DocumentTimeout in this (main) thread after `seconds`."""
    def _expired(signum, frame):
        raise DocumentTimeout(f"reading took longer than {seconds:g} s and was stopped", code="timeout",
                              path=path)
    previous = signal.signal(signal.SIGALRM, _expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _error_row(job: Job, stage: str, code: str, reason: str, page: int | None, fatal: bool) -> dict:
    return {"doc_id": job.doc_id, "run_id": job.run_id, "path": job.path, "stage": stage, "page": page,
            "code": code, "reason": reason, "fatal": fatal}


def _document_row(job: Job, pages: int, no_text: int, failed: int, status: str, error: str | None,
                  source: str, encrypted: bool, repaired: bool, header: dict | None = None) -> dict:
    return {**(header or {}),"doc_id": job.doc_id, "path": job.path, "file_name": Path(job.path).name,
            "size_bytes": job.size_bytes, "pages": pages, "pages_no_text": no_text, "pages_failed": failed,
            "status": status, "error": error, "text_source": source, "encrypted": encrypted,
            "repaired": repaired, "pipeline_version": PIPELINE_VERSION, "run_id": job.run_id,
            "ingested_at": dt.datetime.now()}


def process(job: Job) -> Result:
    """Never raises: every failure becomes a `failed` document with its reason."""
    started = time.perf_counter()
    result = Result(job)
    try:
        with time_limit(job.timeout_s, job.path):
            _extract(job, result)
    except JixiaoError as exc:
        stage = {"truncated": "repair", "damaged": "repair", "timeout": "extract"}.get(exc.code, "open")
        fail_result(result, exc.code, str(exc.args[0]) if exc.args else str(exc), stage)
    except MemoryError:
        fail_result(result, "memory", "reading ran out of memory (the worker's memory limit was reached)", "extract")
    except Exception as exc:  # noqa: BLE001 - a bug must fail one document, not the run; kept with its trace
        trace = traceback.format_exc(limit=-3).strip().splitlines()[-3:]
        fail_result(result, "internal", f"internal error {type(exc).__name__}: {exc} [{' | '.join(trace)}]", "extract")
    result.tables = {t: to_arrow(t, rows) for t, rows in result.tables.items()}   # typed here, in parallel
    result.seconds = time.perf_counter() - started
    return result


def fail_result(result: Result, code: str, reason: str, stage: str) -> None:
    job = result.job
    result.status, result.error, result.pages, result.mentions = "failed", reason, 0, 0
    result.tables = {
        "documents": [_document_row(job, 0, 0, 0, "failed", reason, "none", code == "encrypted", False)],
        "ingest_errors": [_error_row(job, stage, code, reason, None, True)],
    }


def _ocr(job: Job, data: bytes, layer, result: Result) -> None:
    """Read pages without a usable text layer by OCR, and say so on their problem rows."""
    if not job.ocr:
        return
    ocr_pages(data, layer.pages, job.password, result.ocr)
    read = {p.page: p for p in layer.pages if p.source == "ocr"}

    def outcome(pr):
        page = read.get(pr.page)
        if page is None or pr.code not in ("no_text", "garbled"):
            return pr
        if page.status == "ok":
            return replace(pr, reason=f"{pr.reason}; read by OCR (mean confidence {page.ocr_confidence:.2f})")
        return replace(pr, reason=f"{pr.reason}; OCR found no text either")

    layer.problems = [outcome(pr) for pr in layer.problems]


def _source(pages) -> str:
    sources = {p.source for p in pages if p.status not in ("no_text", "garbled", "failed")}
    return "none" if not sources else sources.pop() if len(sources) == 1 else "mixed"


def _extract(job: Job, result: Result) -> None:
    data = Path(job.path).read_bytes()
    layer = pdf_to_textlayer(data, job.password)
    _ocr(job, data, layer, result)
    rows, _ = layer_to_rows(job.doc_id, layer)
    rows.tables["findings"] = reconcile(job.doc_id, rows.tables, rows.header)
    pages = layer.pages
    no_text = sum(p.status in ("no_text", "garbled") for p in pages)
    failed = sum(p.status in ("failed", "damaged") for p in pages)
    status = "ok" if not (no_text or failed) else "partial"
    errors = [_error_row(job, pr.stage, pr.code, pr.reason, pr.page, False) for pr in layer.problems]
    first = next((pr.reason for pr in layer.problems if pr.code != "repaired" and pr.page not in
                  {p.page for p in pages if p.source == "ocr" and p.status == "ok"}), None)
    if status == "partial" and no_text and not failed:
        first = f"{no_text} of {len(pages)} page(s) have no readable text layer" + ("" if job.ocr else " (OCR is off)")
    source = _source(pages)
    result.tables = dict(rows.tables)
    result.tables["documents"] = [_document_row(job, len(pages), no_text, failed, status, first, source,
                                                layer.encrypted, layer.repaired, rows.header)]
    result.tables["ingest_errors"] = errors
    result.status, result.error = status, first
    result.pages, result.mentions = len(pages), rows.mention_count
