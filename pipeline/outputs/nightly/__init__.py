"""`jixiao report`: the nightly reconciliation report (HTML, CSV, Markdown) in a dated folder."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb

from .data import NightlyData, read_nightly
from .render import render_csv, render_html, render_markdown

FAIL_ON = ("new", "any", "never")


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


def previous_ids(root: Path, day: dt.date) -> set[str] | None:
    """Finding ids of the latest earlier report under root (None when there is none)."""
    import csv

    earlier = sorted(p for p in root.glob("????-??-??") if p.is_dir() and p.name < day.isoformat())
    for folder in reversed(earlier):
        path = folder / "findings.csv"
        if path.exists():
            with path.open(encoding="utf-8-sig", newline="") as fh:
                return {row["finding_id"].lstrip("'") for row in csv.DictReader(fh)}
    return None


def write_nightly(con: duckdb.DuckDBPyConnection, root: Path, day: dt.date | None = None) -> Written:
    day = day or dt.date.today()
    data = read_nightly(con, previous_ids(root, day), day)
    folder = root / day.isoformat()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text(render_html(data), encoding="utf-8")
    (folder / "findings.csv").write_text(render_csv(data), encoding="utf-8-sig", newline="")
    (folder / "summary.md").write_text(render_markdown(data), encoding="utf-8")
    return Written(folder, data)
