"""Where each document is: every path its bytes were found at (copies under other names), and
the documents found at none any more (deleted or moved away), marked `missing`.

An ingest of a folder knows only that folder: it records the paths it found and marks the stored
paths under the folder that it no longer finds. A document with no path left is `missing`: its
figures and findings are dropped (the PDF they came from is gone), its `documents` row stays so
the report can say so, and it is read again when it is found again.
"""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import duckdb

from schemas.rows import DOCUMENT_TABLES

_UPSERT = """
INSERT INTO document_paths
SELECT unnest($paths) AS path, unnest($ids) AS doc_id, unnest($names) AS file_name, true AS present,
       $now AS first_seen, $now AS last_seen, $run AS run_id
ON CONFLICT (path) DO UPDATE SET
    first_seen = CASE WHEN document_paths.doc_id = excluded.doc_id THEN document_paths.first_seen
                      ELSE excluded.first_seen END,
    doc_id = excluded.doc_id, file_name = excluded.file_name, present = true,
    last_seen = excluded.last_seen, run_id = excluded.run_id
"""


def under(path: str, roots: set[str]) -> bool:
    """Whether a stored path is one of the roots or inside one."""
    return any(path == root or path.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


def record_paths(con: duckdb.DuckDBPyConnection, roots: set[str], seen: list[tuple[str, str]],
                 run_id: str) -> list[tuple[str, str]]:
    """Store the (path, doc_id) pairs this run found under `roots`, mark the other stored paths
    under them as gone, and documents left without a path as missing; in one transaction.
    Returns (doc_id, last path) of the documents found missing in this run."""
    found = {path for path, _ in seen}
    con.execute("BEGIN TRANSACTION")
    try:
        if seen:
            con.execute(_UPSERT, {"paths": [p for p, _ in seen], "ids": [d for _, d in seen],
                                  "names": [Path(p).name for p, _ in seen], "now": dt.datetime.now(),
                                  "run": run_id})
        stored = [p for (p,) in con.execute("SELECT path FROM document_paths WHERE present").fetchall()]
        gone = [p for p in stored if p not in found and under(p, roots)]
        if gone:
            con.execute("UPDATE document_paths SET present = false WHERE path IN (SELECT unnest(?))", [gone])
        con.execute("DELETE FROM document_paths WHERE doc_id NOT IN (SELECT doc_id FROM documents)")
        _follow_moves(con)
        missing = _mark_missing(con, run_id)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return missing


def _follow_moves(con: duckdb.DuckDBPyConnection) -> None:
    """documents.path of a document no longer at it, but still at another path: that path."""
    moved = con.execute("""
        SELECT d.doc_id, min(p.path) FROM documents d JOIN document_paths p ON p.doc_id = d.doc_id AND p.present
        WHERE NOT EXISTS (SELECT 1 FROM document_paths q WHERE q.doc_id = d.doc_id AND q.path = d.path AND q.present)
        GROUP BY d.doc_id""").fetchall()
    for doc_id, path in moved:
        con.execute("UPDATE documents SET path = ?, file_name = ? WHERE doc_id = ?", [path, Path(path).name, doc_id])


def _mark_missing(con: duckdb.DuckDBPyConnection, run_id: str) -> list[tuple[str, str]]:
    rows = con.execute("""
        SELECT d.doc_id, d.path, max(p.last_seen) FROM documents d JOIN document_paths p USING (doc_id)
        WHERE d.status <> 'missing' GROUP BY d.doc_id, d.path HAVING NOT bool_or(p.present)
        ORDER BY d.path""").fetchall()
    if not rows:
        return []
    ids = [doc_id for doc_id, _, _ in rows]
    for table in DOCUMENT_TABLES:
        if table != "documents":
            con.execute(f'DELETE FROM "{table}" WHERE doc_id IN (SELECT unnest(?))', [ids])
    for doc_id, path, last_seen in rows:
        con.execute("UPDATE documents SET status = 'missing', error = ?, run_id = ? WHERE doc_id = ?",
                    [missing_reason(path, last_seen), run_id, doc_id])
    return [(doc_id, path) for doc_id, path, _ in rows]


def missing_reason(path: str, last_seen: dt.datetime) -> str:
    return (f"the file is no longer at {path} (deleted or moved away; last found {last_seen:%Y-%m-%d %H:%M}): "
            f"its figures and findings are dropped until it is found again")
