"""Tie a process's life to its parent's (Linux): when the parent dies, even by kill -9, the kernel
sends this process SIGKILL. The fork server calls it on start (`pipeline.forkserver_preload`,
the module it preloads), and each worker when it starts, so a killed `jixiao ingest`
leaves no fork server and no workers behind. Workers start from that fork server
(`worker_context`), both in `jixiao ingest` and on a Dask worker (`pipeline.dask_task`)."""
from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path

PR_SET_PDEATHSIG = 1


def die_with_parent() -> bool:
    """Ask the kernel to kill this process when its parent dies; False where that is not possible."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        return False
    return os.getppid() != 1       # the parent may have died before the call: then go now



def worker_context():
    """Workers start from a clean fork server, never from the calling process: forking a process
    that runs threads (DuckDB's, onnxruntime's, Dask's) can deadlock the child."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["pipeline.forkserver_preload"])
    return ctx


def start_fork_server() -> None:
    """Start the fork server now (it loads the chain, about 0.6 s) instead of when the pool first
    needs a worker; a no-op when it runs already."""
    from multiprocessing import forkserver

    worker_context()
    forkserver.ensure_running()


def fork_server_starter(scheduler: str | None) -> Callable[[], None]:
    """What starts the workers' fork server ahead of their first document: for the local pool,
    `start_fork_server`; a Dask cluster has workers of its own (nothing)."""
    return (lambda: None) if scheduler else start_fork_server


def start_early(db: Path, scheduler: str | None) -> None:
    """Start the fork server at once when every file found will be read (the database is new),
    before discovery and planning, so that the chain loads while this process does the rest. An
    existing database may have nothing to read: planning starts it at its first file to read."""
    if not db.exists():
        fork_server_starter(scheduler)()
