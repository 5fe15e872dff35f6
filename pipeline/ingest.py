"""`jixiao ingest`: find PDFs, skip unchanged ones, read the rest in worker processes, and write
each document in its own transaction from this (the only writer) process."""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import signal
import sys
import time
import uuid
from collections import deque
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from tqdm import tqdm

from extractors import check_rules

from .errors import IngestError
from .paths import record_paths
from .quality import check_tables, load_in_background
from .store import Store, connect
from .lifeline import fork_server_starter, start_early, worker_context
from .version import PIPELINE_VERSION
from .worker import Job, Result, fail_result, init_worker, path_text, process


@dataclass
class Options:
    workers: int = 0                 # 0: one per core
    password: str | None = None
    force: bool = False              # re-read unchanged files too
    retry_failed: bool = False       # re-read unchanged files whose last attempt failed
    timeout_s: float = 300.0
    max_memory_mb: int | None = 4096
    wait_s: float = 0.0
    progress: bool | None = None     # None: only on a terminal
    ocr: bool = True                 # read pages without a usable text layer by OCR
    quality: str = "changed"         # run the data-quality suites: changed (when files were read) | always | never
    batch_files: int = 64            # documents written per transaction (each one all or nothing)
    batch_seconds: float = 2.0       # ... or whatever has arrived after this long
    scheduler: str | None = None     # a Dask scheduler's address, or "local" (a LocalCluster); None: the local pool


@dataclass
class Summary:
    run_id: str
    seen: int = 0
    new: int = 0
    changed: int = 0
    reread: int = 0                  # unchanged files read again (--force, --retry-failed, a new version)
    unchanged: int = 0
    failed: int = 0
    partial: int = 0
    missing: int = 0                 # documents no longer found at any path (deleted or moved away)
    pages: int = 0
    mentions: int = 0
    seconds: float = 0.0
    failures: list[tuple[str, str]] = field(default_factory=list)
    gone: list[str] = field(default_factory=list)      # last paths of the documents found missing

    def line(self) -> str:
        return (f"files: {self.seen} seen, {self.new} new, {self.changed} changed, {self.reread} re-read, "
                f"{self.unchanged} unchanged (skipped), {self.failed} failed, {self.partial} partial, "
                f"{self.missing} missing | pages: {self.pages} | mentions: {self.mentions} | {self.seconds:.1f} s")

    @property
    def exit_code(self) -> int:
        """0 unless nothing at all could be read."""
        readable = self.seen - self.failed
        return 0 if self.seen and readable > 0 else 1


def discover(root: Path) -> tuple[list[Path], list[Path]]:
    """Every *.pdf (any case) under root, recursively, in a stable order (or root itself); and,
    apart, the links among them that lead out of root: those are never opened."""
    if root.is_file():
        return [root], []
    if not root.exists():
        raise IngestError(f"{root} does not exist", code="usage")
    if not root.is_dir():
        raise IngestError(f"{root} is neither a folder nor a PDF file", code="usage")
    top, inside, outside = root.resolve(), [], []
    for p in sorted(root.rglob("*")):
        if p.suffix.lower() != ".pdf":
            continue
        if not _target(p).is_relative_to(top):
            outside.append(p)
        elif p.is_file():
            inside.append(p)
    return inside, outside


def _target(path: Path) -> Path:
    """Where a path leads after every link (a link loop: the path itself, never an exception)."""
    return Path(os.path.realpath(path))


def refuse_links(links: list[Path], run_id: str, summary: Summary,
                 seen: list[tuple[str, str]]) -> list[tuple[str, dict, list[str]]]:
    """A failed document (and ingest error row) for each link out of the input folder, not followed;
    its id comes from the link's own path, since the file it points to is never read."""
    batch = []
    for link in links:
        path = str(link.absolute())
        job = Job(path, hashlib.sha256(f"link:{path}".encode("utf-8", "surrogateescape")).hexdigest(), 0, run_id)
        seen.append((path_text(path), job.doc_id))
        result = Result(job)
        fail_result(result, "link_outside", f"a link to {_target(link)}, outside the input folder: "
                                            "not followed", "open")
        summary.seen += 1
        summary.failed += 1
        summary.failures.append((path, result.error or ""))
        batch.append((job.doc_id, result.tables, []))
    return batch


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def plan(files: list[Path], store: Store, opts: Options, run_id: str, summary: Summary,
         seen: list[tuple[str, str]], first_job: Callable[[], None] = lambda: None) -> list[tuple[Job, list[str]]]:
    """(job, older doc_ids of the same path to drop) for each file that must be read; every
    (path, doc_id) found is added to `seen`. The older content of a changed path is dropped only
    when it is found nowhere else (a copy elsewhere keeps it). `first_job` is called once, when the
    first file to read is found (the workers can start loading while the rest is planned)."""
    known = store.known_documents()
    elsewhere = store.present_paths()                                      # doc_id -> present paths
    by_path = {k[0]: doc_id for doc_id, k in known.items()}                # stored paths (path_text)
    by_path.update({path: doc_id for doc_id, paths in elsewhere.items() for path in paths})
    pending: list[tuple[Job, str | None]] = []
    claimed: set[str] = set()
    for path in files:
        abspath = str(path.resolve())
        text = path_text(abspath)
        stat = path.stat()
        summary.seen += 1
        same = by_path.get(text)
        if same and _untouched(known.get(same), stat) and not opts.force and not _retry(known[same], opts) \
                and same not in claimed:
            claimed.add(same)                  # same path, size and mtime as when it was read: not hashed
            seen.append((text, same))
            summary.unchanged += 1
            continue
        doc_id = sha256_of(path)
        seen.append((text, doc_id))
        if doc_id in claimed:          # the same bytes twice in this run: read once
            summary.unchanged += 1
            continue
        claimed.add(doc_id)
        previous = known.get(doc_id)
        fresh = previous and previous[1] == PIPELINE_VERSION and previous[2] != "missing"
        if fresh and not opts.force and not _retry(previous, opts):
            summary.unchanged += 1
            if previous[0] == text:
                store.set_mtime(doc_id, stat.st_mtime_ns)     # next time it is skipped unhashed
            continue
        old_id = by_path.get(text)
        if old_id and old_id != doc_id:
            summary.changed += 1
        elif previous is None:
            summary.new += 1
        else:
            summary.reread += 1
        if not pending:
            first_job()
        pending.append((Job(abspath, doc_id, stat.st_size, run_id, opts.password, opts.timeout_s, opts.ocr,
                            stat.st_mtime_ns), old_id))
    found = {doc_id for _, doc_id in seen}
    return [(job, [old] if _drop(old, job, found, elsewhere) else []) for job, old in pending]


def _drop(old_id: str | None, job: Job, found: set[str], elsewhere: dict[str, set[str]]) -> bool:
    """Whether the content a changed path held before goes: only when no other path holds it."""
    return bool(old_id and old_id != job.doc_id and old_id not in found
                and not elsewhere.get(old_id, set()) - {path_text(job.path)})


def _untouched(known: tuple | None, stat) -> bool:
    """Read by this version and not modified since (same size and modification time); a document
    marked missing is never untouched: found again, it is read again."""
    if known is None:
        return False
    _, version, status, size, mtime_ns = known
    return (version == PIPELINE_VERSION and status != "missing" and size == stat.st_size
            and mtime_ns == stat.st_mtime_ns)


def _retry(known: tuple, opts: Options) -> bool:
    return known[2] == "failed" and bool(opts.retry_failed or opts.password)


def _pool(workers: int, opts: Options, schemas: dict | None) -> ProcessPoolExecutor:
    """Workers that read one OCR page at a time between them (an engine at its peak takes about
    0.8 GB; one per worker would add up), the cores shared among the engines (more threads for
    one engine spin more than they gain). A pool whose worker died is replaced with its lock, so a
    lock held by a dead worker is never waited for."""
    ctx = worker_context()
    return ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=init_worker,
                               initargs=(opts.max_memory_mb, max(1, (os.cpu_count() or 1) // workers), ctx.Lock(),
                                         schemas))


Item = tuple[Job, list[str]]

# Documents submitted per worker ahead of its results: enough that no worker runs dry while this
# process writes a batch (about 0.1 s; with 2 per worker one worker idled 0.28 s of a 5 s run of
# 200 files, with 8 it idles 0.03 s). When a worker dies, these are the documents read again alone.
IN_FLIGHT_PER_WORKER = 8


def _pool_pass(queue: deque[Item], workers: int, opts: Options,
               schemas: dict | None = None) -> Generator[tuple[Result, list[str]], None, tuple[list[Item], str]]:
    """Run the queued jobs on one pool with a bounded window. Returns ([], "") when the queue is
    done, or, when a worker died, the jobs that were in flight and how the worker ended."""
    with _pool(workers, opts, schemas) as pool:
        running: dict[Future, Item] = {}
        while queue or running:
            while queue and len(running) < IN_FLIGHT_PER_WORKER * workers:
                item = queue.popleft()
                running[pool.submit(process, item[0])] = item
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            broken = False
            for future in done:
                if isinstance(future.exception(), BrokenProcessPool):
                    broken = True
                    continue
                job, drop = running.pop(future)
                yield result_of(future, job), drop
            if broken:
                return list(running.values()), death_cause(pool)
    return [], ""


_SIGNALS = {signal.SIGKILL: "it was killed (SIGKILL: the system's out-of-memory killer or kill -9)",
            signal.SIGABRT: "the PDF library aborted (SIGABRT), typically when decoding hits the memory limit",
            signal.SIGSEGV: "the PDF library crashed (segmentation fault)",
            signal.SIGBUS: "the PDF library crashed (bus error)"}


def death_cause(pool: ProcessPoolExecutor) -> str:
    """How the dead worker ended, from its exit code where the pool still knows it. Read once the
    pool's own thread has reaped its workers: read while that thread reaps them, an exit status
    can be lost (multiprocessing then gives 255), so the pool is shut down first."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=True)
    codes = sorted((p.exitcode for p in processes if p.exitcode),
                   key=lambda code: code > 0)        # a signal says more than another worker's exit status
    for code in codes:
        if code < 0:
            try:
                return _SIGNALS.get(signal.Signals(-code), f"it was ended by signal {signal.Signals(-code).name}")
            except ValueError:
                return f"it was ended by signal {-code}"
        return f"it exited with status {code}"
    return "it died without an exit status (out of memory or a crash in the PDF library)"


def result_of(future: Future, job: Job) -> Result:
    """The worker's result; a bug that escaped the worker's own boundary fails this document only."""
    exc = future.exception()
    if exc is None:
        return future.result()
    result = Result(job)
    fail_result(result, "internal", f"internal error {type(exc).__name__}: {path_text(str(exc))}", "extract")
    from .arrow import to_arrow   # pyarrow only once a document was read: a re-run of unchanged files needs none

    result.tables = {t: to_arrow(t, rows) for t, rows in result.tables.items()}
    return result


def crashed(job: Job, cause: str) -> Result:
    result = Result(job)
    fail_result(result, "crashed", f"the worker reading this file died twice, the second time reading it alone: "
                                   f"{cause}; it is not read again until it changes (or --retry-failed)", "extract")
    return result


def _results(jobs: list[Item], opts: Options, con=None) -> Iterator[tuple[Result, list[str]]]:
    """Every job's result. When a worker dies, the documents it may have held are read again one
    at a time, each alone in a fresh worker: those that pass are kept, the one that kills its
    worker again is recorded as `crashed` with the cause. Nothing in flight is lost. With the
    store's connection `con`, the workers are handed its tables' Arrow schemas (else each reads
    them from a fresh in-memory database, about 0.2 s)."""
    workers = opts.workers or os.cpu_count() or 1
    queue = deque(sorted(jobs, key=lambda item: -item[0].size_bytes))   # the longest first: no long file left for last
    schemas = None
    if jobs and con is not None:
        from .arrow import schemas_from

        schemas = schemas_from(con)
    while queue:
        lost, _ = yield from _pool_pass(queue, workers, opts, schemas)
        for item in lost:
            again, cause = yield from _pool_pass(deque([item]), 1, opts, schemas)
            if again:
                yield crashed(item[0], cause), item[1]


def _reader(opts: Options, con):
    """Where the documents are read: this machine's process pool, or a Dask cluster (imported
    only then: Dask is an optional extra)."""
    if not opts.scheduler:
        return partial(_results, con=con)
    try:
        from .dask_runner import dask_results
    except ImportError as exc:
        raise IngestError(f"--scheduler needs Dask, an optional extra: pip install -e '.[dask]' ({exc})",
                          code="usage") from exc
    return dask_results


def ingest(root: Path, db: Path, opts: Options) -> Summary:
    started_at, t0 = dt.datetime.now(), time.perf_counter()
    run_id = uuid.uuid4().hex
    summary = Summary(run_id)
    start_early(db, opts.scheduler)
    check_rules()            # a broken rule file stops the run here, named, not on every document
    files, links = discover(root)
    if not files and not links:
        raise IngestError(f"no PDF files found under {root}", path=str(root))
    start_workers = fork_server_starter(opts.scheduler)
    con = connect(db, wait=opts.wait_s)
    try:
        store = Store(con)
        seen: list[tuple[str, str]] = []
        jobs = plan(files, store, opts, run_id, summary, seen, first_job=start_workers)
        if _suites_due(opts, bool(jobs)):
            load_in_background()          # the suites' library loads while the documents are read
        bar = tqdm(total=len(jobs), unit="file", desc="ingest", disable=_no_bar(opts), file=sys.stderr)
        batch = refuse_links(links, run_id, summary, seen)
        with store.one_thread():
            _collect(_reader(opts, con)(jobs, opts), store, opts, summary, batch, bar)
        bar.close()
        roots = {path_text(str(root.resolve())), path_text(str(root.absolute()))}
        gone = record_paths(con, roots, seen, run_id)
        summary.missing, summary.gone = len(gone), [path for _, path in gone]
        if _suites_due(opts, bool(jobs or gone or store.quality_pending())):
            store.start_quality(run_id)       # a run killed during the suites is redone next time
            store.write_quality(run_id, check_tables(con, run_id))
        summary.seconds = time.perf_counter() - t0
        store.write_run({
            "run_id": run_id, "started_at": started_at, "finished_at": dt.datetime.now(),
            "root": str(root.resolve()), "pipeline_version": PIPELINE_VERSION, "files_seen": summary.seen,
            "files_new": summary.new, "files_changed": summary.changed, "files_unchanged": summary.unchanged,
            "files_failed": summary.failed, "files_missing": summary.missing, "pages": summary.pages, "mentions": summary.mentions,
            "seconds": summary.seconds,
        })
    finally:
        con.close()
    return summary


def _collect(results: Iterator[tuple[Result, list[str]]], store: Store, opts: Options, summary: Summary,
             batch: list, bar: tqdm) -> None:
    """Write the results as they come, `opts.batch_files` documents (or what `batch_seconds`
    brought) to a transaction, and count them into the summary."""
    flushed = time.monotonic()
    for result, drop in results:
        batch.append((result.job.doc_id, result.tables, drop))
        if len(batch) >= opts.batch_files or time.monotonic() - flushed > opts.batch_seconds:
            store.replace_documents(batch)
            batch, flushed = [], time.monotonic()
        summary.pages += result.pages
        summary.mentions += result.mentions
        if result.status == "failed":
            summary.failed += 1
            summary.failures.append((result.job.path, result.error or "unknown"))
        elif result.status == "partial":
            summary.partial += 1
        bar.update(1)
        bar.set_postfix(pages=summary.pages, failed=summary.failed, refresh=False)
    store.replace_documents(batch)


def _suites_due(opts: Options, changed: bool) -> bool:
    """Whether the data-quality suites run: always, or with `changed` (files read, files gone, or
    a run killed during its suites), or never, as --quality says."""
    return opts.quality == "always" or (opts.quality == "changed" and changed)


def _no_bar(opts: Options) -> bool | None:
    return None if opts.progress is None else not opts.progress
