"""`jixiao export --xlsx`: one workbook finance staff open. A 说明 sheet first (every sheet and
column in Chinese, from schemas/columns_zh.toml, the source docs/schema.md uses too), then a sheet
per table and view that analysts read, the views the README queries among them. Every sheet about
reports starts with `file_name`; lists are plain text ("a; b"); a finding's evidence is plain
columns (page, pages, quote, evidence) rather than JSON; money (…_wan) shows as #,##0.00 and
every sheet has a filter on its header row.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterator, Sequence

import duckdb

from schemas import chinese, column_zh

from .choices import WORKBOOK_TABLES
from .tabular import cell_text, fetch_rows, flat_evidence
from .xlsx import Workbook

COLUMNS_SHEET = "说明"
EVIDENCE_COLUMNS = ("page", "pages", "quote", "evidence")     # what a STRUCT(page, quote, …)[] becomes


def existing_relations(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Names of the tables and views in the database's main schema."""
    return {r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()}


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
    return con.execute("SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'main' "
                       "AND table_name = ? ORDER BY ordinal_position", [table]).fetchall()


def sheet_query(con: duckdb.DuckDBPyConnection, table: str) -> str:
    """The rows of a sheet: `file_name` first (joined from documents where the table has only
    doc_id), then the table's columns, in file order and, within a file, as stored."""
    names = [name for name, _ in _columns(con, table)]
    numbered = f'(SELECT *, row_number() OVER () AS _n FROM "{table}") r'
    if "file_name" in names:
        return f"SELECT r.file_name, r.* EXCLUDE (file_name, _n) FROM {numbered} ORDER BY r.file_name NULLS LAST, r._n"
    if "doc_id" in names:
        return (f"SELECT d.file_name, r.* EXCLUDE (_n) FROM {numbered} LEFT JOIN documents d ON d.doc_id = r.doc_id "
                f"ORDER BY d.file_name NULLS LAST, r._n")
    return f'SELECT * FROM "{table}"'


def sheet_rows(con: duckdb.DuckDBPyConnection, table: str, limit: int | None = None
               ) -> tuple[list[str], Iterator[list]]:
    """(column names, rows) of a sheet, lists flattened to text and evidence to plain columns. The
    rows are read from `con` as they are consumed: run no other query on it meanwhile."""
    sql = sheet_query(con, table)
    cur = con.execute(sql if limit is None else f"SELECT * FROM ({sql}) LIMIT {int(limit)}")
    types = [str(d[1]) for d in cur.description]
    names: list[str] = []
    shape: list[str] = []            # per source column: plain | list | evidence
    for (name, *_), kind in zip(cur.description, types):
        if kind.startswith("STRUCT") and kind.endswith("[]"):
            names += [c for c in EVIDENCE_COLUMNS if c not in names]
            shape.append("evidence")
        else:
            names.append(name)
            shape.append("list" if kind.endswith("[]") else "plain")

    def rows() -> Iterator[list]:
        for row in fetch_rows(cur):
            out: list = []
            for value, how in zip(row, shape):
                if how == "evidence":
                    out += list(flat_evidence(value or []))
                elif how == "list":
                    out.append(None if value is None else "; ".join(cell_text(v) for v in value))
                else:
                    out.append(value)
            yield out

    return names, rows()


def columns_sheet(sheets: Sequence[tuple[str, Sequence[str]]]) -> tuple[list[str], list[list]]:
    """The 说明 sheet: one line per sheet, then one per column, in Chinese (and the column's name)."""
    zh = chinese()
    rows: list[list] = []
    for table, names in sheets:
        rows.append([table, "", zh["relations"].get(table, "")])
        rows += [[table, name, column_zh(table, name, zh)] for name in names]
    return ["工作表", "列名", "中文说明"], rows


def export_workbook(con: duckdb.DuckDBPyConnection, path: Path,
                    tables: Sequence[str] = WORKBOOK_TABLES) -> list[tuple[str, int]]:
    """The 说明 sheet, then one sheet per table or view that exists; returns (sheet, rows) per sheet."""
    present = existing_relations(con)
    shown = [t for t in tables if t in present]
    head, described = columns_sheet([(t, sheet_rows(con, t, limit=0)[0]) for t in shown])
    with Workbook(path) as book:
        book.add_sheet(COLUMNS_SHEET, head, described, widths=[18, 24, 60])
        for table in shown:
            names, rows = sheet_rows(con, table)
            book.add_sheet(table, names, rows, what=f"the table {table}")
        book.save()
    return book.sheets
