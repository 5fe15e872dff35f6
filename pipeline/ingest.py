"""`jixiao ingest`: find PDFs, skip unchanged ones, read the rest in worker processes, and write
each document in its own transaction from this (the only writer) process."""
from __future__ import annotations

import datetime as dt
import hashlib
import multiprocessing
import os
import sys
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from extractors import check_rules

from .errors import IngestError
from .quality import check_tables
from .store import Store, connect
from .version import PIPELINE_VERSION
from .worker import Job, Result, fail_result, init_worker, process


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


@dataclass
class Summary:
    run_id: str
    seen: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    failed: int = 0
    partial: int = 0
    pages: int = 0
    mentions: int = 0
    seconds: float = 0.0
    failures: list[tuple[str, str]] = field(default_factory=list)

    def line(self) -> str:
        return (f"files: {self.seen} seen, {self.new} new, {self.changed} changed, "
                f"{self.unchanged} unchanged (skipped), {self.failed} failed, {self.partial} partial | "
                f"pages: {self.pages} | mentions: {self.mentions} | {self.seconds:.1f} s")

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
    if not root.is_dir():
        raise IngestError(f"{root} is neither a folder nor a file", path=str(root))
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


def refuse_links(links: list[Path], run_id: str, summary: Summary) -> list[tuple[str, dict, list[str]]]:
    """A failed document (and ingest error row) for each link out of the input folder, not followed;
    its id comes from the link's own path, since the file it points to is never read."""
    batch = []
    for link in links:
        path = str(link.absolute())
        job = Job(path, hashlib.sha256(f"link:{path}".encode("utf-8", "surrogateescape")).hexdigest(), 0, run_id)
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


def plan(files: list[Path], store: Store, opts: Options, run_id: str,
         summary: Summary) -> list[tuple[Job, list[str]]]:
    """(job, older doc_ids of the same path to drop) for each file that must be read."""
    known = store.known_documents()
    by_path = {path: doc_id for doc_id, (path, _, _) in known.items()}
    jobs, claimed = [], set()
    for path in files:
        abspath = str(path.resolve())
        doc_id = sha256_of(path)
        summary.seen += 1
        if doc_id in claimed:          # the same bytes twice in this run: read once
            summary.unchanged += 1
            continue
        claimed.add(doc_id)
        previous = known.get(doc_id)
        fresh = previous and previous[1] == PIPELINE_VERSION
        retry = previous and previous[2] == "failed" and (opts.retry_failed or opts.password)
        if fresh and not opts.force and not retry:
            summary.unchanged += 1
            continue
        old_id = by_path.get(abspath)
        drop = [old_id] if old_id and old_id != doc_id else []
        if drop:
            summary.changed += 1
        elif previous is None:
            summary.new += 1
        jobs.append((Job(abspath, doc_id, path.stat().st_size, run_id, opts.password, opts.timeout_s, opts.ocr),
                     drop))
    return jobs


def _context():
    """Workers start from a clean fork server, never from this process: forking a process that
    runs threads (DuckDB's, onnxruntime's) can deadlock the child."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["pipeline.worker"])
    return ctx


def _results(jobs: list[tuple[Job, list[str]]], opts: Options) -> Iterator[tuple[Result, list[str]]]:
    """Run jobs on a process pool with a bounded window; a crashed worker fails its document only."""
    workers = opts.workers or os.cpu_count() or 1
    pending = list(reversed(jobs))
    while pending:
        with ProcessPoolExecutor(max_workers=workers, mp_context=_context(), initializer=init_worker,
                                 initargs=(opts.max_memory_mb, max(1, (os.cpu_count() or 1) // workers))) as pool:
            running: dict[Future, tuple[Job, list[str]]] = {}
            try:
                while pending or running:
                    while pending and len(running) < 2 * workers:
                        job, drop = pending.pop()
                        running[pool.submit(process, job)] = (job, drop)
                    done, _ = wait(running, return_when=FIRST_COMPLETED)
                    for future in done:
                        job, drop = running.pop(future)
                        yield future.result(), drop
            except BrokenProcessPool:
                # the worker died (killed, out of memory in C code): fail what it held, go on
                for future, (job, drop) in running.items():
                    result = Result(job)
                    fail_result(result, "crashed", "the worker reading this file died (out of memory or a crash "
                                             "in the PDF library)", "extract")
                    yield result, drop


def ingest(root: Path, db: Path, opts: Options) -> Summary:
    started_at, t0 = dt.datetime.now(), time.perf_counter()
    run_id = uuid.uuid4().hex
    summary = Summary(run_id)
    check_rules()            # a broken rule file stops the run here, named, not on every document
    files, links = discover(root)
    if not files and not links:
        raise IngestError(f"no PDF files found under {root}", path=str(root))
    con = connect(db, wait=opts.wait_s)
    try:
        store = Store(con)
        jobs = plan(files, store, opts, run_id, summary)
        bar = tqdm(total=len(jobs), unit="file", desc="ingest", disable=_no_bar(opts), file=sys.stderr)
        batch, flushed = refuse_links(links, run_id, summary), time.monotonic()
        for result, drop in _results(jobs, opts):
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
        bar.close()
        if (jobs and opts.quality == "changed") or opts.quality == "always":
            store.write_quality(run_id, check_tables(con, run_id))
        summary.seconds = time.perf_counter() - t0
        store.write_run({
            "run_id": run_id, "started_at": started_at, "finished_at": dt.datetime.now(),
            "root": str(root.resolve()), "pipeline_version": PIPELINE_VERSION, "files_seen": summary.seen,
            "files_new": summary.new, "files_changed": summary.changed, "files_unchanged": summary.unchanged,
            "files_failed": summary.failed, "pages": summary.pages, "mentions": summary.mentions,
            "seconds": summary.seconds,
        })
    finally:
        con.close()
    return summary


def _no_bar(opts: Options) -> bool | None:
    return None if opts.progress is None else not opts.progress
