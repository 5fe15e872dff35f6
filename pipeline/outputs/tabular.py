"""Query results as files an analyst opens: CSV for Excel and xlsx workbooks, formula-safe.

Text from PDFs is untrusted: every text cell goes through `safe_cell`, so a spreadsheet never
runs a cell that starts with = + - @ as a formula. Numbers stay numbers and dates stay dates.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import math
import unicodedata
from decimal import Decimal
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import duckdb

from extractors import JixiaoError

from .nightly.render import safe_cell

# the tables and views an analyst reads, one sheet each (`jixiao export --xlsx`), in this order
WORKBOOK_TABLES: tuple[str, ...] = (
    "documents", "facts", "fact_evidence", "indicators", "scores", "findings", "form_funds",
    "amounts", "dates", "percentages", "counts", "pages", "ingest_errors", "parties",
    "ledger", "ledger_by_party", "ledger_by_year", "vendors", "vendor_ledger", "project_years", "open_findings",
)

NUMERIC_TYPES = frozenset({"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT",
                           "UINTEGER", "UBIGINT", "UHUGEINT", "FLOAT", "DOUBLE", "DECIMAL"})
EXCEL_MAX_ROWS = 1_048_576          # header included
EXCEL_MAX_CHARS = 32_767            # per cell
SHEET_NAME_MAX = 31
SHEET_NAME_BAD = str.maketrans({c: "_" for c in "[]:*?/\\"})
FETCH = 1000                        # rows fetched at a time
WIDTH_SAMPLE = 500                  # rows looked at to fit the column widths
WIDTH_MIN, WIDTH_MAX = 6, 60        # column widths in the workbook (characters)


# --- cells ---------------------------------------------------------------------------------------

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


def number_text(value) -> str:
    """6868.200000 -> '6868.2', 100.00 -> '100': numbers as people write them, never in E-notation."""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value.is_finite() else str(value)
    return str(value)


def cell_text(value) -> str:
    """A value as plain text (terminal, CSV): NULL is empty, lists and structs are JSON."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, Decimal)):
        return number_text(value)
    if isinstance(value, (dt.date, dt.time)):      # datetime is a date
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return "\\x" + bytes(value).hex()
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False, default=_json_default)
    return str(value)


def _json_default(value):
    return float(value) if isinstance(value, Decimal) else cell_text(value)


def csv_cell(value) -> str:
    """A CSV cell: numbers as numbers (a negative number is not a formula), text formula-safe."""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return number_text(value)
    return safe_cell(cell_text(value)) if value is not None else ""


def xlsx_value(value):
    """A workbook cell value: numbers, dates, booleans typed; everything else formula-safe text."""
    if value is None or isinstance(value, (bool, dt.timedelta)):
        return value
    if isinstance(value, int):      # Excel keeps 15 digits: longer integers (ids) stay exact as text
        return value if abs(value) < 10**15 else str(value)
    if isinstance(value, dt.time):
        return value.replace(tzinfo=None)
    if isinstance(value, Decimal):
        return float(value) if value.is_finite() else str(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)     # Excel has no time zones: keep the wall-clock time
    if isinstance(value, dt.date):
        return value
    return _xlsx_text(cell_text(value))


def _xlsx_text(text: str) -> str:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    text = ILLEGAL_CHARACTERS_RE.sub("\ufffd", safe_cell(text))     # control characters break the file
    return text if len(text) <= EXCEL_MAX_CHARS else text[:EXCEL_MAX_CHARS - 1] + "…"


def sheet_name(name: str, used: set[str]) -> str:
    """A valid, unique sheet name: at most 31 characters, none of []:*?/\\ ."""
    base = (name.translate(SHEET_NAME_BAD).strip("'") or "sheet")[:SHEET_NAME_MAX]
    candidate, n = base, 1
    while candidate.lower() in used:
        n += 1
        suffix = f"_{n}"
        candidate = base[:SHEET_NAME_MAX - len(suffix)] + suffix
    used.add(candidate.lower())
    return candidate


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


def _writable(path: Path) -> Path:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise JixiaoError(f"cannot create the folder {path.parent}: {exc.strerror or exc}", code="usage") from exc
    if path.is_dir():
        raise JixiaoError(f"{path} is a folder; give a file name", code="usage")
    return path


def write_csv(cur: duckdb.DuckDBPyConnection, path: Path) -> int:
    """The current result as CSV, UTF-8 with a BOM (Excel then reads the Chinese); returns the rows."""
    names, _ = columns_of(cur)
    n = 0
    try:
        with _writable(path).open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\r\n")
            writer.writerow([safe_cell(name) for name in names])
            for row in fetch_rows(cur):
                writer.writerow([csv_cell(v) for v in row])
                n += 1
    except OSError as exc:
        raise JixiaoError(f"cannot write {path}: {exc.strerror or exc}", code="usage") from exc
    return n


# --- workbooks -----------------------------------------------------------------------------------

class Workbook:
    """An xlsx file written sheet by sheet (openpyxl write-only: rows stream, memory stays flat)."""

    def __init__(self, path: Path) -> None:
        from openpyxl import Workbook as _Workbook

        self.path = path
        self.book = _Workbook(write_only=True)
        self.used: set[str] = set()
        self.sheets: list[tuple[str, int]] = []

    def add_sheet(self, name: str, names: Sequence[str], rows: Iterable[Sequence], what: str = "") -> int:
        """One sheet: bold, frozen header row, fitted widths, typed formula-safe cells; returns the rows."""
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.cell.cell import ERROR_CODES
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter

        title = sheet_name(name, self.used)
        ws = self.book.create_sheet(title)
        rows = iter(rows)
        head = [[xlsx_value(v) for v in row] for _, row in zip(range(WIDTH_SAMPLE), rows)]
        header = [_xlsx_text(str(n)) for n in names]
        for i, label in enumerate(header, start=1):
            widest = max([screen_width(label) + 2] +     # + 2: the bold header and the filter arrow
                         [screen_width(_shown(row[i - 1])) for row in head])
            ws.column_dimensions[get_column_letter(i)].width = min(max(widest + 1, WIDTH_MIN), WIDTH_MAX)
        ws.freeze_panes = "A2"
        bold = Font(bold=True)
        ws.append([_cell(WriteOnlyCell(ws, label), font=bold) for label in header])

        def typed(row):
            out = []
            for v in row:
                if isinstance(v, str) and v in ERROR_CODES:     # text "#N/A" stays text, not an error
                    v = _cell(WriteOnlyCell(ws, v), data_type="s")
                out.append(v)
            return out

        n = 0
        for row in head:
            ws.append(typed(row))
            n += 1
        for row in rows:
            if n + 1 >= EXCEL_MAX_ROWS:
                raise JixiaoError(f"{what or title} has more than {EXCEL_MAX_ROWS - 1:,} rows, the most a "
                                  f"worksheet holds; write it with --csv or --parquet instead", code="usage")
            ws.append(typed([xlsx_value(v) for v in row]))
            n += 1
        self.sheets.append((title, n))
        return n

    def save(self) -> None:
        if not self.sheets:
            self.book.create_sheet("empty")
        try:
            self.book.save(_writable(self.path))
        except OSError as exc:
            raise JixiaoError(f"cannot write {self.path}: {exc.strerror or exc}", code="usage") from exc


def _cell(cell, **attrs):
    for key, value in attrs.items():
        setattr(cell, key, value)
    return cell


def _shown(value) -> str:
    if isinstance(value, float):
        return f"{value:.10g}"
    if isinstance(value, dt.datetime):
        return "2000-01-01 00:00:00"
    return "" if value is None else str(value)


def write_xlsx(cur: duckdb.DuckDBPyConnection, path: Path, sheet: str = "result") -> int:
    """The current result as a one-sheet workbook; returns the rows."""
    names, _ = columns_of(cur)
    book = Workbook(path)
    n = book.add_sheet(sheet, names, fetch_rows(cur), what="the result")
    book.save()
    return n


def existing_relations(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Names of the tables and views in the database's main schema."""
    return {r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()}


def export_workbook(con: duckdb.DuckDBPyConnection, path: Path,
                    tables: Sequence[str] = WORKBOOK_TABLES) -> list[tuple[str, int]]:
    """One sheet per curated table or view that exists; returns (sheet, rows) per sheet."""
    present = existing_relations(con)
    book = Workbook(path)
    for table in tables:
        if table not in present:
            continue
        cur = con.execute(f'SELECT * FROM "{table}"')
        names, _ = columns_of(cur)
        book.add_sheet(table, names, fetch_rows(cur), what=f"the table {table}")
    book.save()
    return book.sheets
