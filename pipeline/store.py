"""The DuckDB store: schema set-up, one transaction per document, runs, and the write lock."""
from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from schemas import ddl
from schemas.rows import DOCUMENT_TABLES, PERSISTENT_TABLES, TABLES

from .errors import StoreError, StoreLocked

if TYPE_CHECKING:
    import pyarrow as pa

SCHEMA_SHA = hashlib.sha256(ddl().encode()).hexdigest()[:12]


def connect(path: str | Path, wait: float = 0.0, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the database, waiting up to `wait` seconds for another writer to finish."""
    target = str(path)
    if target != ":memory:":
        Path(target).parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait
    while True:
        try:
            return duckdb.connect(target, read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise StoreError(f"cannot open the database {target}: {exc}", path=None) from exc
            if time.monotonic() >= deadline:
                holder = str(exc).split("Conflicting lock is held in", 1)[-1].split(". See")[0].strip()
                raise StoreLocked(
                    f"the database {target} is in use by another process ({holder}); "
                    f"wait for it to finish or pass --wait SECONDS", code="locked") from exc
            time.sleep(0.5)


def open_for_reading(path: Path, wait: float = 0.0, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    """A read-only connection to a jixiao database, waiting up to `wait` seconds for a writer;
    StoreError when the file is missing, is not a jixiao database, or was written with another schema.
    `read_only=False` for the report, which writes its history (and waits for an ingest like one)."""
    if not Path(path).exists():
        raise StoreError(f"the database {path} does not exist; make it with `jixiao ingest FOLDER --db {path}` "
                         f"or pass the right --db", code="usage")
    con = connect(path, wait=wait, read_only=read_only)
    try:
        has_meta = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta'"
                               ).fetchall()[0][0]
        found = con.execute("SELECT value FROM meta WHERE key = 'schema_sha'").fetchall() if has_meta else []
        current = found[0] if found else None
    except duckdb.Error as exc:
        con.close()
        raise StoreError(f"cannot read {path}: {exc}") from exc
    if current is None:
        con.close()
        raise StoreError(f"{path} is a DuckDB file but not a jixiao database (it has no jixiao tables); "
                         f"run `jixiao ingest FOLDER --db {path}` to make one, or pass the right --db", code="usage")
    if current[0] != SCHEMA_SHA:
        con.close()
        raise StoreError(f"{path} was written by another version of jixiao (schema {current[0]}, this one "
                         f"{SCHEMA_SHA}); run `jixiao ingest` on it once to rebuild its tables", code="usage")
    return con


def dict_rows(con: duckdb.DuckDBPyConnection, sql: str, params=()) -> list[dict]:
    """Rows of a query as dicts keyed by column name."""
    cur = con.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


class Store:
    """Writes documents and runs. Every document replaces its earlier rows in one transaction."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.ensure_schema()

    def ensure_schema(self) -> None:
        """Create the tables; rebuild them when the DDL changed (the data is derived from PDFs)."""
        con = self.con
        has_meta = con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta'").fetchone()[0]
        current = con.execute("SELECT value FROM meta WHERE key = 'schema_sha'").fetchone() if has_meta else None
        if current and current[0] == SCHEMA_SHA:
            return
        if current:   # an older schema: drop and rebuild, documents are read again on the next ingest
            for table in TABLES:        # the report's history is not derived from PDFs: it stays
                if table not in PERSISTENT_TABLES:
                    con.execute(f'DROP TABLE IF EXISTS "{table}"')
        con.execute(ddl())
        con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_sha', ?)", [SCHEMA_SHA])

    # --- reading what is there -------------------------------------------------------------

    def known_documents(self) -> dict[str, tuple[str, str, str, int, int | None]]:
        """doc_id -> (path, pipeline_version, status, size_bytes, mtime_ns)."""
        rows = self.con.execute("SELECT doc_id, path, pipeline_version, status, size_bytes, mtime_ns "
                                "FROM documents").fetchall()
        return {r[0]: tuple(r[1:]) for r in rows}

    def present_paths(self) -> dict[str, set[str]]:
        """doc_id -> the paths it was found at by the last ingest of their folders."""
        out: dict[str, set[str]] = {}
        for doc_id, path in self.con.execute("SELECT doc_id, path FROM document_paths WHERE present").fetchall():
            out.setdefault(doc_id, set()).add(path)
        return out

    # --- writing ---------------------------------------------------------------------------

    def set_mtime(self, doc_id: str, mtime_ns: int) -> None:
        self.con.execute("UPDATE documents SET mtime_ns = ? WHERE doc_id = ?", [mtime_ns, doc_id])

    def insert(self, table: str, rows: list[dict] | pa.Table) -> None:
        from .arrow import to_arrow   # pyarrow is loaded when rows are written, not to open a store

        arrow = to_arrow(table, rows) if isinstance(rows, list) else rows
        if arrow.num_rows == 0:
            return
        self.con.register("_rows", arrow)
        try:
            self.con.execute(f'INSERT INTO "{table}" SELECT * FROM _rows')
        finally:
            self.con.unregister("_rows")

    @contextmanager
    def one_thread(self) -> Iterator[None]:
        """While the workers read: DuckDB writes each batch on this process's one thread, leaving
        the other cores to the workers (its thread pool would take them for small inserts)."""
        self.con.execute("SET threads = 1")
        try:
            yield
        finally:
            self.con.execute("RESET threads")

    def replace_documents(self, batch: list[tuple[str, dict[str, pa.Table | list[dict]], list[str]]]) -> None:
        """For each (doc_id, tables, older ids of the same path): delete the rows of those ids and
        insert `tables`; the whole batch in one transaction, so each document is all or nothing."""
        if not batch:
            return
        import pyarrow as pa

        from .arrow import to_arrow

        ids = [i for doc_id, _, drop in batch for i in (doc_id, *drop)]
        con = self.con
        con.execute("BEGIN TRANSACTION")
        try:
            for table in DOCUMENT_TABLES:
                con.execute(f'DELETE FROM "{table}" WHERE doc_id IN (SELECT unnest(?))', [ids])
            for table in DOCUMENT_TABLES:
                parts = [t.get(table) for _, t, _ in batch if t.get(table) is not None]
                parts = [to_arrow(table, p) if isinstance(p, list) else p for p in parts]
                if parts:
                    self.insert(table, pa.concat_tables(parts))
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise

    def write_run(self, run: dict) -> None:
        self.con.execute("DELETE FROM runs WHERE run_id = ?", [run["run_id"]])
        names = ", ".join(f'"{c}"' for c in run)        # one row, bound as it is: no Arrow on a run of no documents
        self.con.execute(f"INSERT INTO runs ({names}) VALUES ({', '.join('?' * len(run))})", list(run.values()))

    QUALITY_RUNS_KEPT = 10

    def quality_pending(self) -> bool:
        """Whether a quality run was started and never finished (the process was killed)."""
        return bool(self.con.execute("SELECT count(*) FROM meta WHERE key = 'quality_pending'").fetchall()[0][0])

    def start_quality(self, run_id: str) -> None:
        self.con.execute("INSERT OR REPLACE INTO meta VALUES ('quality_pending', ?)", [run_id])

    def write_quality(self, run_id: str, rows: list[dict]) -> None:
        """Store this run's results, keep those of the last QUALITY_RUNS_KEPT runs, and clear the
        pending mark, in one transaction."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            self.con.execute("DELETE FROM quality WHERE run_id = ?", [run_id])
            self.insert("quality", rows)
            self.con.execute("""DELETE FROM quality WHERE run_id NOT IN (
                SELECT run_id FROM quality GROUP BY run_id ORDER BY max(checked_at) DESC LIMIT ?)""",
                             [self.QUALITY_RUNS_KEPT])
            self.con.execute("DELETE FROM meta WHERE key = 'quality_pending'")
            self.con.execute("COMMIT")
        except Exception:
            self.con.execute("ROLLBACK")
            raise
