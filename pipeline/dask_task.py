"""What runs on a Dask worker for `jixiao ingest --scheduler`: one document through the same
bounded wrapper as on the local pool, `pipeline.worker.process`, in a child process.

Dask runs its tasks in threads, where neither bound of the local pool can be set (the alarm
needs the main thread, the address-space limit would cap the whole Dask worker). So each Dask
worker thread keeps a one-process pool, forked from a fork server like the local pool's:
`init_worker` caps the child's address space, `process` holds the per-document alarm in the
child's main thread, and a PDF that kills its reader kills the child, not the Dask worker. A
child that died is replaced and reads the document again, alone; when it dies again the
document is reported crashed, as on the local pool.

This module stays light (no chain, no DuckDB): the Dask worker only carries documents to its
child and the child's pickled `Result` back; the chain is loaded once, by the fork server.
The task answers (kind, payload): ("result", pickled Result) or a failure the ingest records
("crashed", cause), ("not_shared", reason), ("internal", text).
"""
from __future__ import annotations

import hashlib
import multiprocessing
import os
import pickle
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from .lifeline import start_fork_server, worker_context

_THREAD = threading.local()     # this Dask worker thread's ((memory limit, OCR threads), one-process pool)


def read_on_worker(job: dict, max_memory_mb: int | None,
                   readers_by_host: dict[str, int] | None = None) -> tuple[str, bytes | str]:
    """The Dask task for one document (`job`: the fields of a `pipeline.worker.Job`;
    `readers_by_host`: the cluster's task threads per machine, which share its cores); never raises."""
    unshared = _unshared(job)
    if unshared:
        return "not_shared", unshared
    cause = ""
    for _ in range(2):               # the second time in a fresh child, alone, as the local pool does
        pool = _pool(max_memory_mb, _ocr_threads(readers_by_host or {}))
        try:
            future = pool.submit(_read_in_child, job)
            exc = future.exception()
            if exc is None:
                return "result", future.result()
            if not isinstance(exc, BrokenProcessPool):
                return "internal", f"internal error {type(exc).__name__}: {exc}"
        except BrokenProcessPool:    # the child died while idle (the system's out-of-memory killer)
            pass
        from .ingest import death_cause   # only when a child died: the ingest module is not light
        cause = death_cause(pool)
        _drop_pool()
    return "crashed", cause


def _read_in_child(job: dict) -> bytes:
    """In the child (whose fork server preloaded the chain): the local pool's entry point."""
    from .worker import Job, process

    return pickle.dumps(process(Job(**job)), protocol=pickle.HIGHEST_PROTOCOL)


def _init_child(max_memory_mb: int | None, ocr_threads: int) -> None:
    from .worker import init_worker

    init_worker(max_memory_mb, ocr_threads)


def _unshared(job: dict) -> str | None:
    """Why this worker cannot read the file the ingest hashed, or None."""
    where = f"the Dask worker on {os.uname().nodename}"
    digest = hashlib.sha256()
    try:
        with open(job["path"], "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    except FileNotFoundError:
        return f"{where} cannot see this file: the input folder must be shared at the same path on every worker"
    except OSError as exc:
        return f"{where} cannot read this file: {exc.strerror or exc}"
    if digest.hexdigest() != job["doc_id"]:
        return (f"{where} sees another file at this path (its SHA-256 differs from the one the ingest "
                "read): the input folder must be the same shared folder on every worker")
    return None


def _pool(max_memory_mb: int | None, ocr_threads: int) -> ProcessPoolExecutor:
    held = getattr(_THREAD, "pool", None)
    if held and held[0] == (max_memory_mb, ocr_threads):
        return held[1]
    _drop_pool()
    # Dask starts its worker processes as daemons, which multiprocessing forbids to have children
    # (they could be orphaned). Ours cannot: the fork server dies with this process and its
    # children with the fork server (PR_SET_PDEATHSIG, pipeline.lifeline).
    multiprocessing.current_process().daemon = False
    context = worker_context()
    _start_fork_server()
    pool = ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=_init_child,
                               initargs=(max_memory_mb, ocr_threads))
    _THREAD.pool = ((max_memory_mb, ocr_threads), pool)
    return pool


def _start_fork_server() -> None:
    """Start this worker's fork server (once) in the environment the Dask worker was started
    with, without the tuning Dask's nanny gives its own worker processes
    (`distributed.nanny.pre-spawn-environ`): under its MALLOC_TRIM_THRESHOLD_ glibc hands every
    large allocation back at once, and OCR runs three times slower than on the local pool."""
    import dask

    tuned = {k: str(v) for k, v in (dask.config.get("distributed.nanny.pre-spawn-environ", None) or {}).items()}
    saved = {k: os.environ.pop(k) for k, v in tuned.items() if os.environ.get(k) == v}
    try:
        start_fork_server()
    finally:
        os.environ.update(saved)


def _ocr_threads(readers_by_host: dict[str, int]) -> int:
    """OCR threads per reader: this machine's cores shared among all the readers on it (every
    task thread of every Dask worker process here), as the local pool shares them among its
    workers; more would make onnxruntime's spinning threads fight for the cores."""
    from distributed import get_worker
    from distributed.comm import get_address_host

    try:
        worker = get_worker()
    except ValueError:               # not on a Dask worker (called directly)
        return 1
    readers = readers_by_host.get(get_address_host(worker.address)) or worker.state.nthreads
    return max(1, (os.cpu_count() or 1) // max(1, readers))


def _drop_pool() -> None:
    held = getattr(_THREAD, "pool", None)
    _THREAD.pool = None
    if held:
        held[1].shutdown(wait=False, cancel_futures=True)


def worker_version() -> str:
    """The PIPELINE_VERSION of the jixiao installed where this runs (asked of every Dask worker)."""
    from .version import PIPELINE_VERSION

    return PIPELINE_VERSION
