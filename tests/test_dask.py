"""Issue 15: the same ingest on a Dask cluster (`jixiao ingest --scheduler`): the same rows as the
local pool, the same per-document bounds on the workers, a lost worker's documents read again,
a document that kills its reader recorded as failed while the others land. Every cluster here
listens on 127.0.0.1 only and is gone when its test ends."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

from conftest import FIXTURES, ROOT, SAMPLES, alive, descendants, flood_folder, wait_gone
from pipeline.cli import main
from pipeline.ingest import Options, ingest
from schemas.rows import DOCUMENT_TABLES

distributed = pytest.importorskip("distributed")

from pipeline import dask_runner  # noqa: E402  (after the skip: needs the dask extra)
from pipeline.dask_task import read_on_worker  # noqa: E402

VOLATILE = {"run_id", "ingested_at"}          # differ between any two runs


def table_rows(db: Path) -> dict[str, list]:
    """Every row of every per-document table, in a stable order, without the run's own columns."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        for table in DOCUMENT_TABLES:
            cols = [c for (c,) in con.execute("SELECT column_name FROM information_schema.columns WHERE "
                                              "table_name = ? ORDER BY ordinal_position", [table]).fetchall()
                    if c not in VOLATILE]
            listed = ", ".join(f'"{c}"' for c in cols)
            out[table] = sorted(map(repr, con.execute(f'SELECT {listed} FROM "{table}"').fetchall()))
        return out
    finally:
        con.close()


def status_by_file(db: Path) -> dict[str, str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return dict(con.execute("SELECT file_name, status FROM documents").fetchall())
    finally:
        con.close()


@pytest.fixture(scope="module")
def local_rows(tmp_path_factory) -> dict[str, list]:
    """The samples through today's local process pool: the rows every cluster must reproduce."""
    db = tmp_path_factory.mktemp("pool") / "pool.duckdb"
    summary = ingest(SAMPLES, db, Options(workers=2, progress=False, quality="never"))
    assert (summary.seen, summary.failed, summary.pages) == (4, 0, 48)
    return table_rows(db)


@pytest.fixture(scope="module")
def cluster() -> str:
    """The scheduler address of what `--scheduler local --workers 2` starts (two single-threaded
    worker processes on 127.0.0.1); after the tests, it and every process its workers started
    are gone."""
    with dask_runner.connect(dask_runner.LOCAL, workers=2) as client:
        assert client.scheduler.address.startswith("tcp://127.0.0.1:")
        assert list(client.nthreads().values()) == [1, 1]
        yield client.scheduler.address
        helpers = descendants(os.getpid()) - _not_the_clusters()
    assert not wait_gone(helpers), "the LocalCluster left processes behind"


def _not_the_clusters() -> set[int]:
    """This test process's own long-lived helpers (the local pool's fork server, its resource tracker)."""
    import multiprocessing.forkserver
    import multiprocessing.resource_tracker

    return {p for p in (multiprocessing.forkserver._forkserver._forkserver_pid,
                        multiprocessing.resource_tracker._resource_tracker._pid) if p}


def test_an_ingest_on_a_local_cluster_gives_exactly_the_local_pools_rows(tmp_path, local_rows, cluster):
    db = tmp_path / "dask.duckdb"
    summary = ingest(SAMPLES, db, Options(progress=False, quality="never", scheduler=cluster))
    assert (summary.seen, summary.new, summary.failed, summary.pages, summary.mentions) == (4, 4, 0, 48, 336)
    rows = table_rows(db)
    assert {t: len(r) for t, r in rows.items()} == {t: len(r) for t, r in local_rows.items()}
    for table in ("documents", "facts", "findings", "amounts", "dates", "percentages", "counts"):
        assert rows[table] == local_rows[table], table
    assert rows == local_rows
    again = ingest(SAMPLES, db, Options(progress=False, quality="never", scheduler="local"))
    assert (again.unchanged, again.new) == (4, 0)              # nothing to read: no cluster started


def _reader_environment(name: str) -> tuple[str | None, str | None]:
    """On a Dask worker: a variable in the worker's environment and in its reader child's."""
    from pipeline.dask_task import _pool

    return os.environ.get(name), _pool(None, 1).submit(os.getenv, name).result()


def test_the_readers_run_without_the_tuning_dask_gives_its_workers(cluster):
    import cloudpickle

    cloudpickle.register_pickle_by_value(sys.modules[__name__])      # this test module is not on the workers
    with distributed.Client(cluster) as client:
        in_worker, in_reader = client.submit(_reader_environment, "MALLOC_TRIM_THRESHOLD_").result()
    assert in_worker == "65536" and in_reader is None      # glibc's trimming slows OCR three times


def test_a_document_that_kills_its_reader_fails_alone_on_the_cluster(tmp_path, cluster):
    folder = flood_folder(tmp_path)
    db = tmp_path / "x.duckdb"
    opts = Options(progress=False, max_memory_mb=2048, quality="never", scheduler=cluster)
    summary = ingest(folder, db, opts)
    assert (summary.seen, summary.failed) == (3, 1), summary.failures
    assert status_by_file(db) == {"content-flood.pdf": "failed", "003_7b98f24135c041f8.pdf": "ok",
                                  "004_bde0c0f62c0d9a40.pdf": "ok"}
    con = duckdb.connect(str(db), read_only=True)
    [(code, reason)] = con.execute("SELECT code, reason FROM ingest_errors JOIN documents USING (doc_id) "
                                   "WHERE file_name = 'content-flood.pdf'").fetchall()
    con.close()
    # PDFium aborts (the worker dies: read again alone, then `crashed`), or Python's allocator fails
    # first (`memory`): either way this file alone fails, with its reason
    assert (code == "crashed" and "alone" in reason and "SIGABRT" in reason) or code == "memory", (code, reason)
    with distributed.Client(cluster) as client:
        assert len(client.nthreads()) == 2                    # the Dask workers themselves lived


def test_the_time_bound_holds_on_the_workers(tmp_path, cluster):
    db = tmp_path / "x.duckdb"
    opts = Options(progress=False, timeout_s=0.001, max_memory_mb=2048, quality="never", scheduler=cluster)
    summary = ingest(SAMPLES / "001_0eae385221b322f5.pdf", db, opts)
    assert summary.failed == 1, summary.failures
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT code FROM ingest_errors").fetchall() == [("timeout",)]
    con.close()


def test_a_lost_workers_documents_are_read_again_and_written_once(tmp_path, cluster):
    folder = tmp_path / "in"
    folder.mkdir()
    for pdf in SAMPLES.glob("*.pdf"):
        shutil.copy(pdf, folder)
    for i in range(4):     # slower ones (89 pages), so that a worker is busy when it is killed
        (folder / f"long{i}.pdf").write_bytes((FIXTURES / "hostile" / "pdf" / "many-years.pdf").read_bytes()
                                              + b"%%%d\n" % i)
    killed: list[tuple[int, set[int]]] = []

    def kill_a_busy_worker():
        with distributed.Client(cluster) as client:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                busy = [w for w, keys in client.processing().items() if keys]
                if busy:
                    time.sleep(0.3)
                    pid = client.run(os.getpid, workers=busy[:1])[busy[0]]
                    killed.append((pid, descendants(pid)))
                    os.kill(pid, signal.SIGKILL)
                    return
                time.sleep(0.05)

    killer = threading.Thread(target=kill_a_busy_worker)
    killer.start()
    summary = ingest(folder, tmp_path / "x.duckdb",
                     Options(progress=False, quality="never", scheduler=cluster))
    killer.join()
    assert killed, "no worker was busy"
    assert (summary.seen, summary.new, summary.failed) == (8, 8, 0)
    status = status_by_file(tmp_path / "x.duckdb")
    assert sorted(status) == sorted(p.name for p in folder.iterdir()) and set(status.values()) == {"ok"}
    pid, children = killed[0]
    assert not wait_gone({pid} | children), "the killed worker's children outlived it"


def test_a_worker_lost_every_time_fails_that_document_only():
    from pipeline.worker import Job

    class Lost:                                  # a future whose task's every worker died
        status = "error"

        def exception(self):
            return distributed.KilledWorker("key", None, 3)

    result = dask_runner.outcome(Lost(), Job("/shared/a.pdf", "a" * 64, 10, "run"))
    [error] = result.tables["ingest_errors"]
    assert result.status == "failed" and error["code"] == "crashed" and "4 workers" in error["reason"]


def test_a_file_the_worker_cannot_see_is_a_failed_row_that_says_so(tmp_path):
    kind, reason = read_on_worker({"path": str(tmp_path / "nowhere.pdf"), "doc_id": "0" * 64}, None)
    assert kind == "not_shared" and "shared at the same path" in reason
    other = tmp_path / "other.pdf"
    other.write_bytes(b"%PDF-1.4 not the file the ingest hashed")
    kind, reason = read_on_worker({"path": str(other), "doc_id": "0" * 64}, None)
    assert kind == "not_shared" and "another file" in reason


def test_the_normal_ingest_does_not_import_dask():
    code = ("import sys, pipeline.cli, pipeline.ingest; "
            "print(json.dumps(sorted(m for m in ('dask', 'distributed') if m in sys.modules)))")
    out = subprocess.run([sys.executable, "-c", f"import json; {code}"], cwd=ROOT, capture_output=True,
                         text=True, check=True)
    assert json.loads(out.stdout) == []


def test_a_scheduler_option_that_is_no_address_is_refused(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["ingest", str(SAMPLES), "--db", str(tmp_path / "x.duckdb"), "--scheduler", "nowhere"])
    assert exit_.value.code == 2 and "neither 'local' nor a scheduler address" in capsys.readouterr().err


def test_an_unreachable_scheduler_is_a_clear_error(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(dask_runner, "CONNECT_TIMEOUT_S", 1)
    assert main(["ingest", str(SAMPLES), "--db", str(tmp_path / "x.duckdb"), "--no-progress",
                 "--scheduler", "tcp://127.0.0.1:9"]) == 2
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in capsys.readouterr().err


def _start(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "dask", *args], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)


def test_dask_scheduler_and_dask_worker_as_separate_processes(tmp_path, local_rows, capsys):
    """The README's two commands (on 127.0.0.1), then `jixiao ingest data/raw --scheduler tcp://…`."""
    address_file = tmp_path / "scheduler.json"
    scheduler = _start("scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                       "--scheduler-file", str(address_file))
    worker = None
    try:
        deadline = time.monotonic() + 60
        while not address_file.exists() and time.monotonic() < deadline and scheduler.poll() is None:
            time.sleep(0.1)
        address = json.loads(address_file.read_text())["address"]
        assert address.startswith("tcp://127.0.0.1:")
        worker = _start("worker", address, "--host", "127.0.0.1", "--nworkers", "1", "--nthreads", "2",
                        "--no-dashboard")
        db = tmp_path / "x.duckdb"
        assert main(["ingest", str(SAMPLES), "--db", str(db), "--no-progress", "--quality", "never",
                     "--scheduler", address]) == 0
        assert "files: 4 seen, 4 new, 0 changed, 0 re-read, 0 unchanged (skipped), 0 failed" in capsys.readouterr().out
        assert table_rows(db) == local_rows
    finally:
        for proc in (worker, scheduler):
            if proc is None:
                continue
            helpers = descendants(proc.pid)
            proc.terminate()                      # as a person's Ctrl-C or a service manager would
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                pytest.fail(f"{proc.args[3]} did not stop on SIGTERM")
            assert not wait_gone(helpers), f"{proc.args[3]} left processes behind"
