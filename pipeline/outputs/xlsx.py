"""xlsx workbooks an analyst opens: typed, formula-safe cells, money as #,##0.00, a filter on
every sheet; written sheet by sheet (openpyxl write-only: rows stream, memory stays flat)."""
from __future__ import annotations

import contextlib
import datetime as dt
import gc
import math
import os
import shutil
import sys
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Iterable, Sequence

import duckdb

from extractors import JixiaoError

from .tabular import cell_text, columns_of, fetch_rows, safe_cell, screen_width, writable

EXCEL_MAX_ROWS = 1_048_576          # header included
EXCEL_MAX_CHARS = 32_767            # per cell
SHEET_NAME_MAX = 31
SHEET_NAME_BAD = str.maketrans({c: "_" for c in "[]:*?/\\"})
WIDTH_SAMPLE = 500                  # rows looked at to fit the column widths
WIDTH_MIN, WIDTH_MAX = 6, 60        # column widths in the workbook (characters)
MONEY_FORMAT = "#,##0.00"           # columns whose name ends in _wan: money in 万元


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
    return xlsx_text(cell_text(value))


def xlsx_text(text: str) -> str:
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


def is_money(name: str) -> bool:
    return str(name).endswith("_wan")


class Workbook:
    """An xlsx file written sheet by sheet."""

    def __init__(self, path: Path) -> None:
        from openpyxl import Workbook as _Workbook

        self.path = writable(path)          # a target that cannot be written fails before any work
        self.book = _Workbook(write_only=True)
        self.used: set[str] = set()
        self.sheets: list[tuple[str, int]] = []

    def add_sheet(self, name: str, names: Sequence[str], rows: Iterable[Sequence], what: str = "",
                  widths: Sequence[int] | None = None) -> int:
        """One sheet: bold, frozen header row with a filter, fitted widths, typed formula-safe
        cells, money (columns ending in _wan) as #,##0.00; returns the rows."""
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.cell.cell import ERROR_CODES
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter

        title = sheet_name(name, self.used)
        ws = self.book.create_sheet(title)
        rows = iter(rows)
        head = [[xlsx_value(v) for v in row] for _, row in zip(range(WIDTH_SAMPLE), rows)]
        header = [xlsx_text(str(n)) for n in names]
        money = [is_money(n) for n in names]
        for i, label in enumerate(header, start=1):
            widest = widths[i - 1] if widths else max(
                [screen_width(label) + 2] +     # + 2: the bold header and the filter arrow
                [screen_width(_shown(row[i - 1], money[i - 1])) for row in head])
            ws.column_dimensions[get_column_letter(i)].width = min(max(widest + 1, WIDTH_MIN), WIDTH_MAX)
        ws.freeze_panes = "A2"
        bold = Font(bold=True)
        ws.append([_cell(WriteOnlyCell(ws, label), font=bold) for label in header])

        def typed(row):
            out = []
            for v, is_m in zip(row, money):
                if isinstance(v, str) and v in ERROR_CODES:     # text "#N/A" stays text, not an error
                    v = _cell(WriteOnlyCell(ws, v), data_type="s")
                elif is_m and isinstance(v, (int, float)) and not isinstance(v, bool):
                    v = _cell(WriteOnlyCell(ws, v), number_format=MONEY_FORMAT)
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
        if header:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{n + 1}"
        self.sheets.append((title, n))
        return n

    def save(self) -> None:
        """Written to a temporary file first, then copied into place: a target that cannot be
        written is one clear error, with no half-written workbook and no noise from the XML writer."""
        if not self.sheets:
            self.book.create_sheet("empty")
        target = self.path
        fd, tmp = tempfile.mkstemp(suffix=".xlsx", prefix="jixiao-")
        os.close(fd)
        try:
            failure = _save_quietly(self, tmp)
            if failure:
                raise JixiaoError(f"cannot write {self.path}: writing the temporary file {tmp} failed ({failure})",
                                  code="usage")
            existed = target.exists()
            try:
                shutil.copyfile(tmp, target)
            except OSError as exc:
                if not existed and target.is_file():
                    target.unlink(missing_ok=True)
                raise JixiaoError(f"cannot write {self.path}: {exc.strerror or exc}", code="usage") from None
        finally:
            Path(tmp).unlink(missing_ok=True)


    def discard(self) -> None:
        """Let a workbook that will not be saved go: its sheets' XML streams are closed here, quietly,
        rather than by their finalisers later, which print 'Exception ignored in' tracebacks."""
        hook = sys.unraisablehook
        sys.unraisablehook = lambda _: None
        try:
            for ws in getattr(self.book, "_sheets", None) or []:
                for stream in (getattr(ws, "_rows", None), getattr(getattr(ws, "_writer", None), "xf", None)):
                    if stream is not None:
                        with contextlib.suppress(Exception):
                            stream.close()
            self.book = None
            gc.collect()
        finally:
            sys.unraisablehook = hook

    def __enter__(self) -> "Workbook":
        return self

    def __exit__(self, kind, exc, tb) -> None:
        if exc is not None and self.book is not None:
            self.discard()


def _save_quietly(book: Workbook, path: str) -> str:
    """Save; on failure return the reason, the half-written workbook discarded quietly."""
    hook = sys.unraisablehook
    sys.unraisablehook = lambda _: None
    try:
        try:
            book.book.save(path)
            return ""
        except OSError as exc:
            failure = exc.strerror or str(exc)
        book.discard()
        return failure
    finally:
        sys.unraisablehook = hook


def _cell(cell, **attrs):
    for key, value in attrs.items():
        setattr(cell, key, value)
    return cell


def _shown(value, money: bool = False) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}" if money else f"{value:.10g}"
    if isinstance(value, dt.datetime):
        return "2000-01-01 00:00:00"
    return "" if value is None else str(value)


def write_xlsx(cur: duckdb.DuckDBPyConnection, path: Path, sheet: str = "result") -> int:
    """The current result as a one-sheet workbook; returns the rows."""
    names, _ = columns_of(cur)
    with Workbook(path) as book:
        n = book.add_sheet(sheet, names, fetch_rows(cur), what="the result")
        book.save()
    return n
