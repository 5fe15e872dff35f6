"""docs/schema.md matches the DDL and the live database, and documents every column."""
from __future__ import annotations

import re

from conftest import ROOT
from schemas.docs import relations, render

DOC = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")


def test_committed_doc_is_the_generated_one():
    assert DOC == render(), "docs/schema.md is stale: run `python -m schemas.docs > docs/schema.md`"


def test_every_table_view_and_column_of_the_live_database_is_documented(memdb):
    live = memdb.con.execute("SELECT table_name, column_name FROM information_schema.columns").fetchall()
    sections = {m.group(1): m.start() for m in re.finditer(r"^## (\w+)$", DOC, re.M)}
    for table, column in live:
        assert table in sections, f"{table} is not in docs/schema.md"
        body = DOC[sections[table]:].split("\n## ")[0]
        assert f"| `{column}` |" in body, f"{table}.{column} is not in docs/schema.md"


def test_every_column_has_a_meaning():
    for rel in relations():
        assert rel.about, rel.name
        assert all(about for _, _, about in rel.columns), [c for c, _, about in rel.columns if not about]


def test_every_table_view_and_column_has_a_chinese_meaning():
    """schemas/columns_zh.toml fills the 说明 sheet of the workbook: nothing may be left blank."""
    for rel in relations():
        assert rel.about_zh, f"{rel.name} has no line in [relations] of schemas/columns_zh.toml"
        blank = [c for c, _, _ in rel.columns if not rel.zh[c]]
        assert not blank, f"{rel.name}: no 中文说明 for {blank} in schemas/columns_zh.toml"


def test_the_chinese_file_names_only_tables_views_and_columns_that_exist():
    from schemas import chinese

    zh = chinese()
    rels = {r.name: {c for c, _, _ in r.columns} for r in relations()}
    assert set(zh["relations"]) == set(rels)
    columns = set().union(*rels.values())
    assert set(zh["shared"]) <= columns, set(zh["shared"]) - columns
    derived = {"page", "pages", "quote", "evidence"}        # the workbook's plain evidence columns
    for table, cols in zh["table"].items():
        assert table in rels, table
        assert set(cols) <= rels[table] | derived, (table, set(cols) - rels[table])
