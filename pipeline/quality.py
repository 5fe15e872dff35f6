"""Data quality: the Great Expectations suite of every curated table (schemas/expectations/),
run over the DuckDB tables after an ingest. A failed expectation is a result, never an abort."""
from __future__ import annotations

import datetime as dt
import logging
import os
import re
import threading

import duckdb

from schemas import expectation_suites

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _import_gx():
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    import great_expectations as gx

    return gx


def load_in_background() -> threading.Thread:
    """Import Great Expectations in a thread of its own while the documents are read: the import
    takes about 1.7 s, two thirds of the suites' time after a small ingest, and would otherwise
    start only after the last document. A failed import is kept on the thread (`error`) and
    raised again where the suites import it themselves."""
    def load() -> None:
        try:
            _import_gx()
        except ImportError as exc:
            thread.error = exc            # type: ignore[attr-defined]

    # a daemon: a run that stops with an error does not wait for the import to end
    thread = threading.Thread(target=load, name="jixiao-load-great-expectations", daemon=True)
    thread.error = None                   # type: ignore[attr-defined]
    thread.start()
    return thread


def _context():
    gx = _import_gx()
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return gx, context


def _bounds(suite: dict) -> dict:
    """ISO date bounds become datetimes so they compare with DATE columns."""
    for exp in suite["expectations"]:
        for key in ("min_value", "max_value"):
            value = exp["kwargs"].get(key)
            if isinstance(value, str) and _ISO_DATE.match(value):
                exp["kwargs"][key] = dt.datetime.fromisoformat(value)
    return suite


def check_tables(con: duckdb.DuckDBPyConnection, run_id: str) -> list[dict]:
    """Validate every table that has a suite; one result row per expectation."""
    gx, context = _context()
    from great_expectations.core.expectation_suite import ExpectationSuite

    source = context.data_sources.add_pandas("jixiao")
    now = dt.datetime.now()
    out = []
    for table, suite in expectation_suites().items():
        df = con.execute(f'SELECT * FROM "{table}"').df()
        for column in df.columns:
            if str(df[column].dtype) == "object" and len(df) and isinstance(df[column].dropna().iloc[0]
                                                                            if df[column].notna().any() else None,
                                                                            dt.date):
                df[column] = df[column].astype("datetime64[us]")
        batch = source.add_dataframe_asset(table).add_batch_definition_whole_dataframe("all").get_batch(
            batch_parameters={"dataframe": df})
        result = batch.validate(context.suites.add(ExpectationSuite(**_bounds(suite))))
        for r in result.results:
            kwargs = r.expectation_config.kwargs
            column = kwargs.get("column") or ",".join(kwargs.get("column_list", []))
            details = r.result or {}
            sample = details.get("partial_unexpected_list")
            out.append({"run_id": run_id, "table_name": table, "expectation": r.expectation_config.type,
                        "column": column or None, "success": bool(r.success),
                        "unexpected_count": details.get("unexpected_count"),
                        "unexpected_sample": repr(sample[:5])[:300] if sample else None,
                        "rows_checked": len(df), "checked_at": now})
    return out
