"""The report's memory, in the database: every finding a report listed (finding_history) and every
report run (report_runs). A finding is new when no earlier report listed it as open; it is resolved
when the previous report listed it and this one does not. Running the report twice the same day
finds nothing new the second time; deleting a report folder loses nothing."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import duckdb

from ...store import dict_rows


@dataclass
class Memory:
    new: set[tuple[str, str]] = field(default_factory=set)       # (doc_id, finding_id)
    resolved: list[dict] = field(default_factory=list)            # history rows resolved by this run
    previous: dict | None = None                                  # the previous report run, if any


def remember(con: duckdb.DuckDBPyConnection, findings: list[dict], unverifiable: int, day: dt.date) -> Memory:
    """Update finding_history and report_runs for a report of `day` listing `findings`; one transaction."""
    previous = dict_rows(con, "SELECT * FROM report_runs ORDER BY run_at DESC LIMIT 1")
    known = {(h["doc_id"], h["finding_id"]): h for h in dict_rows(con, "SELECT * FROM finding_history")}
    current = {(f["doc_id"], f["finding_id"]): f for f in findings}
    open_before = {k for k, h in known.items() if h["resolved_on"] is None}
    memory = Memory(new=set(current) - open_before, previous=previous[0] if previous else None)
    con.execute("BEGIN TRANSACTION")
    try:
        for key, f in current.items():
            h = known.get(key)
            first = h["first_seen"] if h else day
            last = max(h["last_seen"], day) if h else day
            con.execute("INSERT OR REPLACE INTO finding_history VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)",
                        [f["finding_id"], f["doc_id"], f["file_name"], f["kind"], f["severity"], f["message"],
                         first, last])
        for key in sorted(open_before - set(current)):
            con.execute("UPDATE finding_history SET resolved_on = ? WHERE doc_id = ? AND finding_id = ?",
                        [day, *key])
            memory.resolved.append({**known[key], "resolved_on": day})
        con.execute("INSERT INTO report_runs VALUES (?, ?, ?, ?, ?, ?)",
                    [dt.datetime.now(), day, len(current), len(memory.new), len(memory.resolved), unverifiable])
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    memory.resolved.sort(key=lambda h: (h["file_name"], h["kind"], h["finding_id"]))
    return memory
