"""Query results as text and CSV an analyst opens, formula-safe; one CSV writer for every CSV.

Text from PDFs is untrusted: every text cell goes through `safe_cell`, so a spreadsheet never
runs a cell that starts with = + - @ as a formula. Numbers stay numbers (a negative number is not
a formula), written as people write them: 12883.3, not 12883.300000.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import math
import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import IO, Iterable, Iterator, Sequence

import duckdb

from extractors import JixiaoError

NUMERIC_TYPES = frozenset({"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
                           "UINTEGER", "UBIGINT", "UHUGEINT", "FLOAT", "DOUBLE", "DECIMAL"})
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
FETCH = 1000                        # rows fetched at a time


# --- cells ---------------------------------------------------------------------------------------

def safe_cell(value) -> str:
    """A CSV/xlsx text cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def char_width(ch: str) -> int:
    """Columns a character takes in a terminal: 2 for wide and full-width (CJK), 0 for combining."""
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def screen_width(text: str) -> int:
    return sum(char_width(ch) for ch in text)


def is_numeric(type_code) -> bool:
    """Whether a DuckDB column type (cursor.description) holds numbers."""
    kind = getattr(type_code, "id", None) or str(type_code).split("(", 1)[0]    # DECIMAL(3,1)[] is a list
    return kind.upper() in NUMERIC_TYPES


def is_number(value) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def number_text(value) -> str:
    """6868.200000 -> '6868.2', 100.00 -> '100', 12883.27 (a double) -> '12883.27': numbers as
    people write them, never in E-notation and never rounded."""
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        value = Decimal(repr(value))
    if isinstance(value, Decimal):
        if not value.is_finite():
            return str(value)
        return format(value.normalize(), "f") if value else "0"
    return str(value)


def cell_text(value) -> str:
    """A value as plain text (terminal, CSV): NULL is empty, lists and structs are JSON."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if is_number(value):
        return number_text(value)
    if isinstance(value, (dt.date, dt.time)):      # datetime is a date
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return "\\x" + bytes(value).hex()
    if isinstance(value, (list, tuple, dict)):
        return json_text(value)
    return str(value)


def csv_cell(value) -> str:
    """A CSV cell: numbers as numbers (a negative number is not a formula), text formula-safe."""
    if is_number(value):
        return number_text(value)
    return safe_cell(cell_text(value)) if value is not None else ""


def json_text(value) -> str:
    """A value as JSON text: exact numbers (a Decimal keeps its digits), dates as ISO text, NaN as null."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if is_number(value):
        finite = math.isfinite(value) if isinstance(value, float) else \
            (value.is_finite() if isinstance(value, Decimal) else True)
        return number_text(value) if finite else "null"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(str(k), ensure_ascii=False)}: {json_text(v)}"
                               for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(json_text(v) for v in value) + "]"
    return json.dumps(cell_text(value), ensure_ascii=False)     # dates ISO, bytes \x.., UUIDs, intervals


# --- result sets ---------------------------------------------------------------------------------

def fetch_rows(cur: duckdb.DuckDBPyConnection) -> Iterator[tuple]:
    """Every row of the current result, fetched in chunks."""
    while True:
        chunk = cur.fetchmany(FETCH)
        if not chunk:
            return
        yield from chunk


def columns_of(cur: duckdb.DuckDBPyConnection) -> tuple[list[str], list]:
    """Column names and DuckDB types of the current result."""
    return [d[0] for d in cur.description], [d[1] for d in cur.description]


def writable(path: Path) -> Path:
    """`path`, its folder created; a clear error when that fails or the path is a folder."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise JixiaoError(f"cannot create the folder {path.parent}: {exc.strerror or exc}", code="usage") from exc
    if path.is_dir():
        raise JixiaoError(f"{path} is a folder; give a file name", code="usage")
    return path


# --- CSV: the one writer (jixiao sql --csv, the nightly findings.csv) ----------------------------

def write_csv_rows(path: Path, names: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Rows as CSV, UTF-8 with a BOM (Excel then reads the Chinese), CRLF; returns the rows written."""
    n = 0
    try:
        with writable(path).open("w", encoding="utf-8-sig", newline="") as fh:
            n = csv_to(fh, names, rows)
    except OSError as exc:
        raise JixiaoError(f"cannot write {path}: {exc.strerror or exc}", code="usage") from exc
    return n


def csv_to(fh: IO[str], names: Sequence[str], rows: Iterable[Sequence]) -> int:
    writer = csv.writer(fh, lineterminator="\r\n")
    writer.writerow([safe_cell(name) for name in names])
    n = 0
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
        n += 1
    return n


def write_csv(cur: duckdb.DuckDBPyConnection, path: Path) -> int:
    """The current result as CSV; returns the rows."""
    names, _ = columns_of(cur)
    return write_csv_rows(path, names, fetch_rows(cur))


# --- JSON: jixiao sql --json ---------------------------------------------------------------------

def write_json(cur: duckdb.DuckDBPyConnection, out: IO[str]) -> int:
    """The current result as one JSON array of objects (column -> value), streamed; returns the rows."""
    names, _ = columns_of(cur)
    keys = [json.dumps(name, ensure_ascii=False) for name in names]
    n = 0
    out.write("[")
    for row in fetch_rows(cur):
        out.write(("," if n else "") + "\n {" + ", ".join(f"{k}: {json_text(v)}" for k, v in zip(keys, row)) + "}")
        n += 1
    out.write("\n]\n" if n else "]\n")
    return n


# --- evidence as plain columns (findings.csv, the workbook) --------------------------------------

def flat_evidence(evidence: Sequence[dict]) -> tuple[int | None, str, str, str]:
    """A finding's evidence list as (first page, every page "2; 5", first quote, every piece as
    "第2页：…" lines): plain cells a spreadsheet filters and sorts, no JSON."""
    if not evidence:
        return None, "", "", ""
    pages = list(dict.fromkeys(e["page"] for e in evidence if e.get("page") is not None))
    lines = [f"第{e['page']}页：{e['quote']}" if e.get("page") is not None else str(e["quote"]) for e in evidence]
    return evidence[0].get("page"), "; ".join(str(p) for p in pages), evidence[0].get("quote") or "", "\n".join(lines)
