"""Rows -> Arrow tables typed exactly as the DuckDB DDL says (the schemas are read from DuckDB
itself, so they cannot drift from schemas/ddl.sql). Workers convert; the writer only concatenates.

Two costs of moving tables between processes are avoided here:
- A table crosses the process boundary as one Arrow IPC stream (`ForkingPickler` is told so
  below), not by pickling every column's buffers one object at a time: about 0.2 ms a document
  instead of 1.8 ms to send, 0.3 instead of 2.4 to receive.
- `refuse_pandas` keeps pandas out of the workers: pyarrow imports it (0.6-0.8 s) on its first
  conversion only to recognise pandas' missing-value markers, which rows from the chain never hold.
"""
from __future__ import annotations

import importlib.abc
import sys
from decimal import ROUND_HALF_UP, Decimal
from multiprocessing.reduction import ForkingPickler
from typing import TYPE_CHECKING

import pyarrow as pa

from schemas import ddl
from schemas.rows import TABLES

if TYPE_CHECKING:
    import duckdb


_SCHEMAS: dict[str, pa.Schema] = {}


def schemas_from(con: duckdb.DuckDBPyConnection) -> dict[str, pa.Schema]:
    """The Arrow schema of every per-document table of a database that has the DDL."""
    return {t: con.sql(f'SELECT * FROM "{t}" LIMIT 0').to_arrow_table().schema for t in TABLES}


def adopt_schemas(schemas: dict[str, pa.Schema]) -> None:
    """A worker takes the writer's schemas (read from the store it writes to) instead of
    building a database of its own to read them (the DDL takes about 0.2 s)."""
    _SCHEMAS.update(schemas)


def arrow_schemas() -> dict[str, pa.Schema]:
    if not _SCHEMAS:
        import duckdb           # a worker given the writer's schemas never loads DuckDB

        con = duckdb.connect()
        try:
            con.execute(ddl())
            _SCHEMAS.update(schemas_from(con))
        finally:
            con.close()
    return _SCHEMAS


def _fit(value, kind: pa.DataType):
    """Decimals rounded to the column's scale (1,234,567.891元 in 万元 has 7 places, the column 6)."""
    if value is not None and pa.types.is_decimal(kind) and isinstance(value, Decimal):
        return value.quantize(Decimal(1).scaleb(-kind.scale), ROUND_HALF_UP)
    return value


def to_arrow(table: str, rows: list[dict]) -> pa.Table:
    schema = arrow_schemas()[table]
    decimals = [f.name for f in schema if pa.types.is_decimal(f.type)]
    if decimals:
        types = {f.name: f.type for f in schema}
        rows = [{**r, **{c: _fit(r.get(c), types[c]) for c in decimals}} for r in rows]
    return pa.Table.from_pylist(rows, schema=schema)


def from_ipc(data: bytes) -> pa.Table:
    return pa.ipc.open_stream(data).read_all()


def to_ipc(table: pa.Table) -> bytes:
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue().to_pybytes()


def _reduce_table(table: pa.Table):
    return from_ipc, (to_ipc(table),)


ForkingPickler.register(pa.Table, _reduce_table)     # how a worker's tables reach the writer


class _NoPandas(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.partition(".")[0] == "pandas":
            raise ImportError("pandas is not loaded in ingest workers (see pipeline.arrow.refuse_pandas)")
        return None


def refuse_pandas() -> None:
    """In a worker process only (it reads PDFs and converts rows; nothing there uses pandas):
    make `import pandas` fail, so that pyarrow's conversions skip their pandas probe."""
    if "pandas" not in sys.modules and not any(isinstance(f, _NoPandas) for f in sys.meta_path):
        sys.meta_path.insert(0, _NoPandas())
