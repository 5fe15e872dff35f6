"""`jixiao report`: the nightly reconciliation report (HTML, CSV, Markdown) in a dated folder, with
its memory (which findings are new, which were resolved) kept in the database."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ..tabular import write_csv_rows
from .data import NightlyData, read_nightly, triage_order
from .history import remember
from .files import CSV_COLUMNS, csv_rows, render_markdown
from .render import render_html


@dataclass
class Written:
    folder: Path
    data: NightlyData

    def exit_code(self, fail_on: str) -> int:
        """new: non-zero when there are new error findings; any: when there are error findings."""
        errors = [f for f in self.data.findings if f["severity"] == "error"]
        if fail_on == "any":
            return 1 if errors else 0
        if fail_on == "new":
            return 1 if any(f["new"] for f in errors) else 0
        return 0


def write_nightly(con: duckdb.DuckDBPyConnection, root: Path, day: dt.date | None = None) -> Written:
    """Write root/<day>/ and update the report's memory in the database (a writable connection)."""
    day = day or dt.date.today()
    data = read_nightly(con, day)
    memory = remember(con, data.findings, sum(data.unverifiable.values()), day)
    for f in data.findings:
        f["new"] = (f["doc_id"], f["finding_id"]) in memory.new
    data.has_previous = memory.previous is not None
    data.previous_day = memory.previous["day"] if memory.previous else None
    data.resolved = memory.resolved
    triage_order(data.findings)
    folder = root / day.isoformat()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text(render_html(data), encoding="utf-8")
    write_csv_rows(folder / "findings.csv", CSV_COLUMNS, csv_rows(data))
    (folder / "summary.md").write_text(render_markdown(data), encoding="utf-8")
    return Written(folder, data)
