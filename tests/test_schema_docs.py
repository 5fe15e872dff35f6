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
