"""The DDL (schemas/ddl.sql) and the row types (schemas/rows.py) describe the same tables."""
from __future__ import annotations

import datetime as dt
import typing
from decimal import Decimal

import pytest

from schemas.rows import DOCUMENT_TABLES, MENTION_TABLES, TABLES

DUCK_TO_PY = {"VARCHAR": str, "INTEGER": int, "BIGINT": int, "DOUBLE": float, "BOOLEAN": bool,
              "TIMESTAMP": dt.datetime, "DATE": dt.date}


def _python_type(annotation) -> tuple[type, bool]:
    """(base type, nullable) of a row annotation such as `str | None` or `Literal['a']`."""
    if typing.get_origin(annotation) is list:
        return annotation, False
    args = typing.get_args(annotation)
    nullable = type(None) in args
    if typing.get_origin(annotation) is typing.Literal:
        return type(args[0]), False
    if args:
        base = [a for a in args if a is not type(None)][0]
        if typing.get_origin(base) is typing.Literal:
            return type(typing.get_args(base)[0]), nullable
        return base, nullable
    return annotation, nullable


def _columns(memdb, table):
    return memdb.con.execute(
        "SELECT column_name, data_type, is_nullable FROM information_schema.columns "
        "WHERE table_name = ? ORDER BY ordinal_position", [table]).fetchall()


def test_every_ddl_table_has_a_row_type(memdb):
    tables = {r[0] for r in memdb.con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'").fetchall()}
    assert tables == set(TABLES)


@pytest.mark.parametrize("table", sorted(TABLES))
def test_columns_types_and_nullability_match(memdb, table):
    hints = typing.get_type_hints(TABLES[table])
    columns = _columns(memdb, table)
    assert [c[0] for c in columns] == list(hints), "column order or names differ"
    for name, duck_type, is_nullable in columns:
        base, nullable = _python_type(hints[name])
        if duck_type.endswith("[]"):
            assert typing.get_origin(base) is list, f"{table}.{name}: DDL {duck_type} is a list"
            continue
        expected = Decimal if duck_type.startswith("DECIMAL") else DUCK_TO_PY[duck_type]
        assert base is expected, f"{table}.{name}: DDL {duck_type}, row type {base}"
        assert (is_nullable == "YES") == nullable, f"{table}.{name}: nullability differs"


def test_document_tables_and_mention_tables_exist():
    assert set(DOCUMENT_TABLES) <= set(TABLES)
    for table, _ in MENTION_TABLES.values():
        assert table in DOCUMENT_TABLES
        assert "doc_id" in TABLES[table].__annotations__
