"""Rows -> Arrow tables typed exactly as the DuckDB DDL says (the schemas are read from DuckDB
itself, so they cannot drift from schemas/ddl.sql). Workers convert; the writer only concatenates."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import cache

import duckdb
import pyarrow as pa

from schemas import ddl
from schemas.rows import TABLES


@cache
def arrow_schemas() -> dict[str, pa.Schema]:
    con = duckdb.connect()
    try:
        con.execute(ddl())
        return {t: con.sql(f'SELECT * FROM "{t}" LIMIT 0').to_arrow_table().schema for t in TABLES}
    finally:
        con.close()


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
