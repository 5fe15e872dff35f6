"""`jixiao ingest --scheduler ADDRESS`: the same ingest, with the documents read on a Dask cluster.

Imported only when --scheduler is given: Dask is the optional extra `.[dask]`. Each document is a
Dask task (`pipeline.dask_task.read_on_worker`: the local pool's bounded entry point in a child of
the Dask worker); its `Result` (Arrow tables) comes back here, and this process stays the only
writer, each document in one transaction as with the local pool. A Dask worker that is lost (its
process or machine dies) has its documents run again elsewhere by Dask's scheduler, up to
`distributed.scheduler.allowed-failures` times; nothing of a document reaches the database before
its whole result has arrived.
"""
from __future__ import annotations

import dataclasses
import logging
import os
import pickle
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager

from distributed import Client, KilledWorker, LocalCluster, as_completed

from .dask_task import read_on_worker, worker_version
from .errors import IngestError
from .ingest import Item, Options, crashed, result_of
from .version import PIPELINE_VERSION
from .worker import Job, Result, fail_result

LOCAL = "local"
CONNECT_TIMEOUT_S = 30          # to reach the scheduler
WORKERS_TIMEOUT_S = 60          # for a first worker to join it
WINDOW_REFRESH_S = 2.0          # how often the cluster's layout (threads per machine) is asked again


def dask_results(jobs: list[Item], opts: Options) -> Iterator[tuple[Result, list[str]]]:
    """Every job's result, read on the cluster, in the order they finish."""
    if not jobs:
        return
    with connect(opts.scheduler or LOCAL, opts.workers) as client:
        check_versions(client)
        yield from _stream(client, jobs, opts)


@contextmanager
def connect(scheduler: str, workers: int = 0) -> Iterator[Client]:
    """A client of the cluster at `scheduler`, or of a LocalCluster of `workers` processes
    (0: one per core) on the loopback interface, closed on the way out."""
    if scheduler == LOCAL:
        n = workers or os.cpu_count() or 1
        # memory_limit=0: no Dask memory manager, the bound per document is the child's (as on the local pool);
        # no dashboard, and the scheduler's HTTP endpoint on a free port of the loopback interface
        with LocalCluster(n_workers=n, threads_per_worker=1, processes=True, host="127.0.0.1",
                          dashboard_address=None, scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
                          memory_limit=0, silence_logs=logging.ERROR) as cluster, \
                Client(cluster) as client:
            yield client
        return
    try:
        client = Client(scheduler, timeout=CONNECT_TIMEOUT_S)
    except (OSError, TimeoutError, ValueError) as exc:
        raise IngestError(f"cannot reach the Dask scheduler at {scheduler}: {exc}", code="usage") from exc
    with client:
        try:
            client.wait_for_workers(1, timeout=WORKERS_TIMEOUT_S)
        except TimeoutError as exc:
            raise IngestError(f"no Dask worker joined the scheduler at {scheduler} within {WORKERS_TIMEOUT_S} s; "
                              f"start one with `dask worker {scheduler}`") from exc
        yield client


def check_versions(client: Client) -> None:
    """Refuse a cluster whose workers run another jixiao: their rows would not be this version's."""
    try:
        versions = client.run(worker_version)
    except Exception as exc:  # noqa: BLE001 - typically jixiao missing on a worker (it cannot unpickle the call)
        raise IngestError(f"the Dask workers cannot run jixiao ({type(exc).__name__}: {exc}); install it "
                          "with its dask extra on every worker (pip install -e '.[dask]')") from exc
    other = {address: v for address, v in versions.items() if v != PIPELINE_VERSION}
    if other:
        listed = ", ".join(f"{a} ({v})" for a, v in sorted(other.items()))
        raise IngestError(f"Dask workers run another version of jixiao than this one ({PIPELINE_VERSION}): "
                          f"{listed}; install the same version on every worker")


def _stream(client: Client, jobs: list[Item], opts: Options) -> Iterator[tuple[Result, list[str]]]:
    """Submit with a window of twice the cluster's threads (so the cluster is never idle and the
    results do not pile up on it), yield each result as it arrives."""
    queue: deque[Item] = deque(jobs)
    running: dict[str, Item] = {}
    finished = as_completed()
    (window, readers), asked = _layout(client), time.monotonic()

    def submit() -> None:
        job, drop = queue.popleft()
        future = client.submit(read_on_worker, dataclasses.asdict(job), opts.max_memory_mb, readers,
                               key=f"jixiao-read-{job.run_id}-{job.doc_id}")
        running[future.key] = (job, drop)
        finished.add(future)

    while queue and len(running) < window:
        submit()
    for future in finished:
        job, drop = running.pop(future.key)
        result = outcome(future, job)
        future.release()
        yield result, drop
        if time.monotonic() - asked > WINDOW_REFRESH_S:
            (window, readers), asked = _layout(client), time.monotonic()
        while queue and len(running) < window:
            submit()


def _layout(client: Client) -> tuple[int, dict[str, int]]:
    """The submit window (twice the cluster's task threads) and the task threads per machine."""
    readers: dict[str, int] = {}
    for worker in client.scheduler_info(n_workers=-1)["workers"].values():
        readers[worker["host"]] = readers.get(worker["host"], 0) + worker["nthreads"]
    return 2 * max(1, sum(readers.values())), readers


def outcome(future, job: Job) -> Result:
    """The task's result; a worker lost every time it held the document fails that document only."""
    if future.status == "finished":
        kind, payload = future.result()
        if kind == "result":
            return pickle.loads(payload)
        if kind == "crashed":
            return crashed(job, payload)
        result = Result(job)
        fail_result(result, kind, payload, "open" if kind == "not_shared" else "extract")
        return result
    if future.status == "cancelled":
        raise IngestError("the Dask scheduler dropped the run (the connection to it was lost); the documents "
                          "written so far are complete, the others are read on the next run")
    exc = future.exception()
    if isinstance(exc, KilledWorker):
        result = Result(job)
        fail_result(result, "crashed", f"every Dask worker that read this file died ({exc.allowed_failures + 1} "
                                       "workers, lost or killed); it is not read again until it changes "
                                       "(or --retry-failed)", "extract")
        return result
    return result_of(future, job)
