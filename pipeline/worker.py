"""One document in a worker process: read the file, run the chain (`extractors.read_document`),
complete the `documents` and `ingest_errors` rows, and return Arrow tables (no DB here).

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
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from extractors import JixiaoError

from .errors import DocumentTimeout
from .lifeline import die_with_parent
from .version import PIPELINE_VERSION

if TYPE_CHECKING:
    from extractors import DocumentResult


def path_text(path: str) -> str:
    """A path as text that can be stored: bytes of a file name that are not UTF-8 become \\xNN."""
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


@dataclass
class Job:
    path: str                    # as the file system gives it (may hold undecodable bytes)
    doc_id: str
    size_bytes: int
    run_id: str
    password: str | None = None
    timeout_s: float = 300.0
    ocr: bool = True
    mtime_ns: int | None = None  # modification time when planned (a later run skips it unhashed if unchanged)


@dataclass
class Result:
    job: Job
    tables: dict = field(default_factory=dict)      # table name -> Arrow table (rows before conversion)
    status: str = "failed"
    pages: int = 0
    mentions: int = 0
    seconds: float = 0.0
    error: str | None = None
    ocr_pages: int = 0
    ocr_seconds: float = 0.0


def init_worker(max_memory_mb: int | None, ocr_threads: int = -1, ocr_turn=None, schemas: dict | None = None) -> None:
    """Pool initializer: die with the fork server, cap this worker's address space, set the OCR
    engine's threads and the lock by which the pool's workers take turns at OCR, and take the
    store's Arrow schemas when the writer hands them over."""
    from extractors import configure_ocr

    from .arrow import adopt_schemas, refuse_pandas

    die_with_parent()
    refuse_pandas()
    if schemas:
        adopt_schemas(schemas)
    configure_ocr(ocr_threads, ocr_turn)
    if max_memory_mb:
        limit = max_memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


_ALARM = {"fired": False}     # set when the time limit went off, whatever a library made of the exception


@contextmanager
def time_limit(seconds: float, path: str):
    """Raise DocumentTimeout in this (main) thread after `seconds`."""
    _ALARM["fired"] = False

    def _expired(signum, frame):
        _ALARM["fired"] = True
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
    return {"doc_id": job.doc_id, "run_id": job.run_id, "path": path_text(job.path), "stage": stage, "page": page,
            "code": code, "reason": reason, "fatal": fatal}


def _document_row(job: Job, status: str, error: str | None, doc: "DocumentResult | None" = None,
                  encrypted: bool = False) -> dict:
    counts = dict(pages=doc.pages, pages_no_text=doc.pages_no_text, pages_failed=doc.pages_failed,
                  text_source=doc.text_source, encrypted=doc.encrypted, repaired=doc.repaired) if doc else \
        dict(pages=0, pages_no_text=0, pages_failed=0, text_source="none", encrypted=encrypted, repaired=False)
    text = path_text(job.path)
    return {**(doc.rows.header if doc else {}), "doc_id": job.doc_id, "path": text,
            "file_name": Path(text).name, "size_bytes": job.size_bytes, "mtime_ns": job.mtime_ns, **counts, "status": status,
            "error": error, "pipeline_version": PIPELINE_VERSION, "run_id": job.run_id,
            "ingested_at": dt.datetime.now()}


def process(job: Job) -> Result:
    """Never raises: every failure becomes a `failed` document with its reason."""
    from . import arrow       # loaded in the worker (the fork server preloads it), not by the command line

    started = time.perf_counter()
    result = Result(job)
    try:
        with time_limit(job.timeout_s, job.path):
            _extract(job, result)
            result.tables = {t: arrow.to_arrow(t, rows) for t, rows in result.tables.items()}   # typed here, in parallel
    except JixiaoError as exc:
        stage = {"truncated": "repair", "damaged": "repair", "timeout": "extract"}.get(exc.code, "open")
        fail_result(result, exc.code, str(exc.args[0]) if exc.args else str(exc), stage)
    except MemoryError:
        fail_result(result, "memory", "reading ran out of memory (the worker's memory limit was reached)", "extract")
    except Exception as exc:  # noqa: BLE001 - a bug must fail one document, not the run; kept with its trace
        if _ALARM["fired"]:       # the alarm went off inside a library that wrapped it (onnxruntime)
            fail_result(result, "timeout", f"reading took longer than {job.timeout_s:g} s and was stopped", "extract")
            return _finish(result, started)
        trace = traceback.format_exc(limit=-3).strip().splitlines()[-3:]
        fail_result(result, "internal", f"internal error {type(exc).__name__}: {exc} [{' | '.join(trace)}]", "extract")
    return _finish(result, started)


def _finish(result: Result, started: float) -> Result:
    if result.status == "failed":
        result.error = path_text(result.error or "")
        from . import arrow

        result.tables = {t: arrow.to_arrow(t, [{k: path_text(v) if isinstance(v, str) else v for k, v in r.items()}
                                         for r in rows]) for t, rows in result.tables.items()}
    result.seconds = time.perf_counter() - started
    return result


def fail_result(result: Result, code: str, reason: str, stage: str) -> None:
    job = result.job
    result.status, result.error, result.pages, result.mentions = "failed", reason, 0, 0
    result.tables = {
        "documents": [_document_row(job, "failed", reason, encrypted=code == "encrypted")],
        "ingest_errors": [_error_row(job, stage, code, reason, None, True)],
    }


def _extract(job: Job, result: Result) -> None:
    from extractors import fresh_pdf_library, read_document   # loaded once per process (the fork server preloads it)

    fresh_pdf_library()       # the rows of a file depend on its bytes alone, not on what this worker read before
    doc = read_document(job.doc_id, Path(job.path).read_bytes(), job.password, job.ocr)
    result.tables = dict(doc.rows.tables)
    result.tables["documents"] = [_document_row(job, doc.status, doc.error, doc)]
    result.tables["ingest_errors"] = [_error_row(job, pr.stage, pr.code, pr.reason, pr.page, False)
                                      for pr in doc.problems]
    result.status, result.error = doc.status, doc.error
    result.pages, result.mentions = doc.pages, doc.mentions
    result.ocr_pages, result.ocr_seconds = doc.ocr.pages, doc.ocr.seconds
