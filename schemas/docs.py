"""docs/schema.md, generated from the comments of schemas/ddl.sql and the live column types.

    python -m schemas.docs > docs/schema.md

Tables: the comment line above CREATE TABLE describes the table, the comment after each
column describes the column (continued on the next comment-only lines). Views: the comment lines
above CREATE VIEW; a view's column takes the description of the table column it comes from
(same name), or says how it is computed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import duckdb

from . import chinese, column_zh, ddl

_BLOCK = re.compile(r"((?:--[^\n]*\n)*)CREATE (?:TABLE IF NOT EXISTS|OR REPLACE VIEW) (\w+)", re.M)
_COLUMN = re.compile(r'^\s{4}("?\w+"?)\s+([A-Z][^-\n]*?)\s*(?:--\s*(.*))?$')
_MORE = re.compile(r"^\s{4,}--\s*(.*)$")

# How view columns that no table has are computed ('view.column' for one view, else any view).
VIEW_COLUMNS = {
    "ledger.unit": "report header: the unit in charge, as printed",
    "units.unit": "the name the unit is counted under: a short name that matches one full name takes it",
    "open_findings.unit": "the unit responsible, one name per unit (see units)",
    "project_years.unit": "the unit in charge, one name per unit (see units)",
    "open_findings.kind": "the finding's kind (findings.kind)",
    "fact_sources.kind": "the fact's kind (facts.kind)",
    "unit_printed": "the unit's name as the report prints it",
    "versions": "how many contract totals the report states for this counterparty (amendments included)",
    "payments": "how many individual payments the report lists",
    "amendments": "how many of those totals amend the contract (调整为, 变更后 …)",
    "payments_sum_wan": "sum of the individual payments, 万元",
    "paid_total_wan": "stated total paid (cumulative, not per year), 万元",
    "paid_wan": "money paid: the stated total, else the sum of the payments, 万元",
    "balance_wan": "stated remainder (尾款, 结余 …), 万元",
    "contract_wan": "contract total in force (the latest amendment), summed over counterparties, 万元",
    "contract_versions": "how many contract totals the report states for this counterparty",
    "contracts": "counterparties with a contract",
    "budget_wan": "budget (the project's total, else the largest yearly one), 万元",
    "appropriation_wan": "money made available (下达/拨付/到位), 万元",
    "savings_wan": "savings the report claims, 万元",
    "exec_rate_budget_pct": "execution rate: paid ÷ budget, percent",
    "exec_rate_appropriation_pct": "execution rate: paid ÷ appropriation, percent",
    "paid_share_pct": "paid ÷ contract, percent",
    "vendor": "the counterparty, a branch folded into its parent when the report names the parent",
    "reports": "how many reports name it",
    "names_used": "the names it goes by in the reports",
    "project_key": "the project name without a leading year and a trailing 项目: links reports of one project",
    "value_wan": "value in 万元",
}


# Columns that mean the same in every table where they have no comment of their own.
COMMON = {
    "doc_id": "the document: sha256 of the PDF's bytes (documents.doc_id)",
    "page": "1-based page of the PDF",
    "char_start": "start of the span in the document's normalised text (pages.char_start gives each page's own span)",
    "char_end": "end of the span (exclusive)",
    "raw": "the text matched, as normalised",
    "sentence_id": "the sentence it sits in (sentences.sentence_id)",
    "sentence": "the sentence it sits in: the evidence a person reads",
    "quote": "the sentence, line or table row it was read from",
    "text": "the text",
    "file_name": "the PDF's file name",
    "run_id": "the ingest run (runs.run_id)",
    "path": "absolute path of the file when it was read",
    "value": "the number as written",
    "fact_id": "the fact (facts.fact_id)",
    "unit": "unit as written (元, 万元 …)",
    "date_start": "first day of the event date",
    "date_end": "last day of the event date",
    "name": "name as printed",
    "score": "score as printed",
    "actual": "the value achieved, in `unit`",
    "success": "whether the expectation held",
    "rows_checked": "rows in the table when it was checked",
    "checked_at": "when the suite ran",
    "started_at": "when the run began",
    "finished_at": "when the run ended",
    "seconds": "wall-clock seconds of the run",
    "pipeline_version": "fingerprint of the extractors, rules and schema that produced the rows",
    "files_seen": "PDF files found under the path",
    "files_failed": "files that could not be read at all",
    "size_bytes": "size of the file",
    "encrypted": "the PDF is encrypted (and was opened with --password)",
    "ingested_at": "when the document's rows were written",
    "period_end": "report header: end of the evaluation period",
    "value_wan_high": "high end of a range, in 万元",
    "is_heading": "the sentence is a heading (一、（一）1.（1）…)",
    "row_index": "row in the table (0-based)",
    "col_index": "column in the table (0-based)",
    "indicator_id": "order of the indicator in the document",
    "score_id": "order of the item in the document",
    "evidence": "where each figure compared was read: page, quote, and which side of the comparison it supports",
}


@dataclass
class Relation:
    name: str
    kind: str                 # table | view
    about: str
    columns: list[tuple[str, str, str]] = field(default_factory=list)   # name, type, description
    about_zh: str = ""
    zh: dict[str, str] = field(default_factory=dict)                     # column -> 中文说明


def _comments(block: str) -> str:
    lines = [l[2:].strip() for l in block.strip().splitlines() if l.startswith("--")]
    lines = [l for l in lines if not l.startswith("----")]
    return " ".join(lines)


def relations() -> list[Relation]:
    text = ddl()
    con = duckdb.connect()
    try:
        con.execute(text)
        types = {(t, c): ty for t, c, ty in con.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns").fetchall()}
        kinds = dict(con.execute("SELECT table_name, table_type FROM information_schema.tables").fetchall())
    finally:
        con.close()
    out: list[Relation] = []
    described: dict[str, str] = {}
    zh = chinese()
    for m in _BLOCK.finditer(text):
        name = m.group(2)
        rel = Relation(name, "table" if kinds.get(name) == "BASE TABLE" else "view", _comments(m.group(1)))
        if rel.kind == "table":
            body = text[m.end():text.index("\n);", m.end())]
            for line in body.splitlines():
                col = _COLUMN.match(line)
                more = _MORE.match(line)
                if col and not col.group(1).isupper():
                    cname = col.group(1).strip('"')
                    about = col.group(3) or COMMON.get(cname, "")
                    rel.columns.append((cname, types[(name, cname)], about))
                    described.setdefault(cname, about)
                elif more and rel.columns:
                    n, t, d = rel.columns[-1]
                    rel.columns[-1] = (n, t, f"{d} {more.group(1)}".strip())
                    if described.get(n) == d:
                        described[n] = rel.columns[-1][2]
        else:
            cols = [c for (t, c) in types if t == name]
            order = {c: i for i, c in enumerate(cols)}
            rel.columns = [(c, types[(name, c)], VIEW_COLUMNS.get(f"{name}.{c}") or VIEW_COLUMNS.get(c)
                            or COMMON.get(c) or described.get(c, "")) for c in sorted(cols, key=order.get)]
        rel.about_zh = zh["relations"].get(name, "")
        rel.zh = {c: column_zh(name, c, zh) for c, _, _ in rel.columns}
        out.append(rel)
    return out


def render() -> str:
    rels = relations()
    lines = ["# The jixiao database", "",
             "Generated from `schemas/ddl.sql` by `python -m schemas.docs`; a test checks that it matches the "
             "live database. Money is in 万元 wherever a column ends in `_wan`.", "",
             "The 中文 column comes from `schemas/columns_zh.toml`, which also fills the 说明 sheet of "
             "`jixiao export --xlsx`.", "",
             "| table or view | what it holds | 中文 |", "|---|---|---|"]
    lines += [f"| [`{r.name}`](#{r.name}) ({r.kind}) | {r.about} | {r.about_zh} |" for r in rels]
    for r in rels:
        lines += ["", f"## {r.name}", "", f"{r.kind.capitalize()}. {r.about}", "", r.about_zh, "",
                  "| column | type | meaning | 中文 |", "|---|---|---|---|"]
        lines += [f"| `{c}` | {t} | {d.replace('|', '/')} | {r.zh[c].replace('|', '/')} |" for c, t, d in r.columns]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(render(), end="")
