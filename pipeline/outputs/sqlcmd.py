"""`jixiao sql`: one read-only query, printed as a table that lines up for Chinese text, or written to a file.

The analyst's SQL runs sandboxed: the database is opened read-only, and before the query runs the
connection loses every way out of it (files, URLs, extensions) and its configuration is locked, so
the query cannot SET it back. Our own --csv/--xlsx/--parquet writers write from Python.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Sequence

import duckdb

from extractors import JixiaoError

from .choices import MAX_WIDTH
from .tabular import (cell_text, char_width, columns_of, fetch_rows, is_numeric, screen_width, write_csv,
                      write_json)
from .xlsx import write_xlsx

# statements that only read; anything else (INSERT, CREATE, COPY, ATTACH, SET, INSTALL …) is refused
READ_STATEMENTS = frozenset({"SELECT", "EXPLAIN", "PRAGMA", "CALL", "MULTI"})   # MULTI: PIVOT / UNPIVOT
# DuckDB's settings, in this order: lock_configuration last, after which no SET or RESET is accepted
SANDBOX = (("enable_external_access", "false"),        # no files (COPY, read_csv, glob, ATTACH) nor URLs
           ("autoinstall_known_extensions", "false"),  # read_parquet('https://…') never fetches httpfs
           ("autoload_known_extensions", "false"),
           ("lock_configuration", "true"))
PARQUET_BATCH = 100_000  # rows per Arrow batch written to Parquet
GAP = "  "              # between columns
ELLIPSIS = "…"


@dataclass
class Printed:
    text: str           # the table and its row count line
    shown: int
    total: int


def sandbox(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """`con` shut in: no file system, no network, no extensions installed or loaded, settings locked."""
    for name, value in SANDBOX:
        con.execute(f"SET {name} = {value}")
    return con


def check_query(con: duckdb.DuckDBPyConnection, sql: str) -> str:
    """The one statement of `sql`, refused with a clear message when it is not a read."""
    statements = con.extract_statements(sql)
    if not statements:
        raise JixiaoError("the query is empty; give one SELECT statement", code="usage")
    if len(statements) > 1:
        raise JixiaoError(f"give one statement; the query holds {len(statements)}", code="usage")
    kind = statements[0].type.name
    if kind not in READ_STATEMENTS:
        raise JixiaoError(f"sql only reads: {_kind_name(statements[0])} statements are not allowed "
                          f"(the database is opened read-only)", code="usage")
    return sql


def _kind_name(statement) -> str:
    words = statement.query.split()
    return words[0].upper() if words else statement.type.name


# --- the printed table ---------------------------------------------------------------------------

def _clean(text: str) -> str:
    """One line of safe text: line breaks and tabs to spaces, other control characters shown as �."""
    out = []
    for ch in text:
        if ch in "\r\n\t\v\f":
            out.append(" ")
        elif ch < " " or "\x7f" <= ch < "\xa0":
            out.append("\ufffd")          # never send escape sequences from a PDF to the terminal
        else:
            out.append(ch)
    return "".join(out)


def fit(text: str, width: int) -> str:
    """`text` cut to at most `width` display columns, ending in … when cut (0: never cut)."""
    if width <= 0 or screen_width(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = char_width(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + ELLIPSIS


def pad(text: str, width: int, right: bool = False) -> str:
    space = " " * (width - screen_width(text))
    return space + text if right else text + space


def render_table(names: Sequence[str], types: Sequence, rows: Sequence[Sequence],
                 max_width: int = MAX_WIDTH) -> str:
    """Rows as an aligned text table: widths by display columns (CJK counts 2), numbers right-aligned."""
    numeric = [is_numeric(t) for t in types]
    header = [fit(_clean(str(n)), max_width) for n in names]
    body = [[fit(_clean(cell_text(v)), max_width) for v in row] for row in rows]
    widths = [max([screen_width(h)] + [screen_width(r[i]) for r in body]) for i, h in enumerate(header)]
    lines = [GAP.join(pad(h, w, right) for h, w, right in zip(header, widths, numeric)),
             GAP.join("-" * w for w in widths)]
    lines += [GAP.join(pad(c, w, right) for c, w, right in zip(r, widths, numeric)) for r in body]
    return "\n".join(lines)


def print_result(cur: duckdb.DuckDBPyConnection, max_rows: int, max_width: int = MAX_WIDTH) -> Printed:
    """The first `max_rows` rows (0: all) as a table, then the row count and how many were left out."""
    names, types = columns_of(cur)
    rows = cur.fetchall() if max_rows == 0 else cur.fetchmany(max_rows)
    total = len(rows) + (sum(1 for _ in fetch_rows(cur)) if max_rows else 0)
    text = render_table(names, types, rows, max_width)
    count = f"({total} row{'' if total == 1 else 's'})"
    if total > len(rows):
        count = (f"({total} rows; showing the first {len(rows)}, {total - len(rows)} left out: "
                 f"raise --max-rows or write them with --csv/--xlsx/--parquet)")
    return Printed(f"{text}\n{count}", len(rows), total)


# --- the command ---------------------------------------------------------------------------------

def run_sql(con: duckdb.DuckDBPyConnection, sql: str, *, csv: Path | None = None, xlsx: Path | None = None,
            parquet: Path | None = None, json: IO[str] | None = None, max_rows: int = 200,
            max_width: int = MAX_WIDTH) -> str:
    """Run one read-only query, sandboxed; return what to print (the table, or where the rows went).
    With `json`, every row is written there as one JSON array and nothing is left to print."""
    try:
        sandbox(con)
        check_query(con, sql)
        if parquet is not None:
            return _write_parquet(con, sql, parquet)
        cur = con.execute(sql)
        if cur.description is None:
            return "(no result)"
        if csv is not None:
            return f"wrote {_rows(write_csv(cur, csv))} to {csv}"
        if xlsx is not None:
            return f"wrote {_rows(write_xlsx(cur, xlsx))} to {xlsx}"
        if json is not None:
            write_json(cur, json)
            return ""
        return print_result(cur, max_rows, max_width).text
    except duckdb.Error as exc:
        raise _query_error(exc) from exc


def _write_parquet(con: duckdb.DuckDBPyConnection, sql: str, path: Path) -> str:
    """Rows streamed from DuckDB as Arrow batches into pyarrow's writer (DuckDB itself may not write files)."""
    import pyarrow.parquet as pq

    if path.is_dir():
        raise JixiaoError(f"{path} is a folder; give a file name", code="usage")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise JixiaoError(f"cannot create the folder {path.parent}: {exc.strerror or exc}", code="usage") from exc
    relation = con.sql(sql)
    if relation is None:
        return "(no result)"
    batches = getattr(relation, "to_arrow_reader", None) or relation.fetch_record_batch    # DuckDB 2 / 1.x
    reader = batches(PARQUET_BATCH)
    total = 0
    try:
        with pq.ParquetWriter(str(path), reader.schema) as writer:
            for batch in reader:
                writer.write_batch(batch)
                total += batch.num_rows
    except BaseException:
        path.unlink(missing_ok=True)          # no half-written file left behind
        raise
    return f"wrote {_rows(total)} to {path}"


def read_query(query: str | None, stdin: IO[str] | None = None) -> str:
    """The query given on the command line, or read from standard input when it is `-` or, with
    standard input not a terminal, when none is given."""
    stdin = stdin or sys.stdin
    if query is not None and query != "-":
        return query
    if query is None and (stdin is None or stdin.isatty()):
        raise JixiaoError("give a query: jixiao sql \"SELECT …\", or pipe one in (jixiao sql - < query.sql)",
                          code="usage")
    text = stdin.read()
    if not text.strip():
        raise JixiaoError("standard input held no query; give one SELECT statement", code="usage")
    return text


def _rows(n: int) -> str:
    return f"{n} row{'' if n == 1 else 's'}"


def _query_error(exc: duckdb.Error) -> JixiaoError:
    message = str(exc).strip()
    if "read-only" in message:
        return JixiaoError("sql only reads: the database is opened read-only, so the statement "
                           f"cannot change it ({message.splitlines()[0]})", code="usage")
    if isinstance(exc, duckdb.PermissionException) or "configuration has been locked" in message:
        return JixiaoError("sql reads only the database: files, URLs, extensions and settings are off "
                           f"({message.splitlines()[0]})", code="usage")
    return JixiaoError(f"the query failed: {message}", code="usage")
