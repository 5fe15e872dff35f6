"""Hostile and odd inputs (issue 13): one bad file never costs the run, every file ends with a
row and a reason, blank pages cost no OCR, a killed run leaves nothing behind."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from conftest import FIXTURES, ROOT, SAMPLES, alive, descendants, flood_folder
from extractors import ocr as ocr_module
from extractors.document import quote, text_to_rows
from pipeline.cli import main
from pipeline.ingest import Options, ingest
from pipeline.store import Store
from pipeline.worker import Job, process

HOSTILE = FIXTURES / "hostile" / "pdf"
SAMPLE = SAMPLES / "004_bde0c0f62c0d9a40.pdf"


def rows(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def run(pdf: Path, **job) -> dict:
    result = process(Job(str(pdf), "h" * 64, pdf.stat().st_size, "run", **job))
    return {"result": result, **{t: a.to_pylist() for t, a in result.tables.items()}}


def test_a_file_name_that_is_not_utf8_is_stored_and_the_run_goes_on(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLE, os.fsdecode(bytes(folder) + b"/\xff\xfe-report.pdf"))
    shutil.copy(SAMPLES / "003_7b98f24135c041f8.pdf", folder / "fine.pdf")
    db = tmp_path / "x.duckdb"
    assert main(["ingest", str(folder), "--db", str(db), "--workers", "1", "--no-progress"]) == 0
    assert sorted(rows(db, "SELECT file_name, status FROM documents")) == [
        ("\\xff\\xfe-report.pdf", "ok"), ("fine.pdf", "ok")]
    summary = ingest(folder, db, Options(workers=1, progress=False))      # and it is recognised next time
    assert (summary.unchanged, summary.new, summary.changed) == (2, 0, 0)


def test_an_amount_of_25_digits_is_not_money_and_does_not_fail_the_document():
    out = run(HOSTILE / "huge-amount.pdf")
    assert out["documents"][0]["status"] == "ok"
    assert [a["raw"] for a in out["amounts"]] == ["80万元", "40万元"]


def test_a_page_of_thousands_of_years_keeps_rows_small():
    years = "、".join(f"{1990 + i % 100}年" for i in range(3000))
    doc = text_to_rows("y" * 64, f"本项目涉及年度：{years}。项目预算120万元。")
    assert len(doc.tables["dates"]) >= 3000
    assert max(len(d["sentence"]) for d in doc.tables["dates"]) <= 302
    assert [a["sentence"] for a in doc.tables["amounts"]] == ["项目预算120万元。"]


def test_a_long_sentence_is_quoted_around_its_mention():
    from extractors.sentences import Sentence

    text = "甲" * 500 + "支付80万元" + "乙" * 500
    sentence = Sentence(index=0, start=100, end=100 + len(text), text=text, heading_level=None, section="")
    start = 100 + 500 + 2
    q = quote(sentence, start, start + 4, 60)
    assert "80万元" in q and q.startswith("…") and q.endswith("…") and len(q) <= 62


def test_a_worker_killed_by_a_file_costs_only_that_file(tmp_path):
    folder = flood_folder(tmp_path)
    db = tmp_path / "x.duckdb"
    summary = ingest(folder, db, Options(workers=2, progress=False, max_memory_mb=2048, quality="never"))
    assert (summary.seen, summary.failed) == (3, 1)
    status = dict(rows(db, "SELECT file_name, status FROM documents"))
    assert status == {"content-flood.pdf": "failed", "003_7b98f24135c041f8.pdf": "ok",
                      "004_bde0c0f62c0d9a40.pdf": "ok"}
    [(code, reason)] = rows(db, "SELECT code, reason FROM ingest_errors JOIN documents USING (doc_id) "
                                "WHERE file_name = 'content-flood.pdf'")
    # PDFium aborts (the worker dies: read again alone, then `crashed`), or Python's allocator fails
    # first (`memory`): either way this file alone fails, with its reason
    assert (code == "crashed" and "alone" in reason and "SIGABRT" in reason) or code == "memory", (code, reason)
    again = ingest(folder, db, Options(workers=2, progress=False, max_memory_mb=2048, quality="never"))
    assert (again.unchanged, again.failed) == (3, 0)          # not retried every night


def test_a_decompression_bomb_is_refused_before_anything_decodes_it():
    started = time.perf_counter()
    out = run(HOSTILE / "decompression-bomb.pdf")           # 6 KB that decode to 1.5 GB
    assert out["result"].status == "failed" and time.perf_counter() - started < 10
    [error] = out["ingest_errors"]
    assert error["code"] == "too_large"
    assert error["reason"] == ("no page can be read: page 1: its content stream (object 4) decodes to more than "
                               "100 MB (a decompression bomb?)")


@pytest.mark.parametrize("name, pages", [("huge-blank-page.pdf", 1), ("blank-pages.pdf", 300),
                                         ("selfref-form.pdf", 1)])
def test_blank_pages_cost_no_ocr(name, pages):
    started = time.perf_counter()
    out = run(HOSTILE / name)
    assert out["result"].ocr_pages == 0 and out["documents"][0]["pages"] == pages
    assert all("blank" in e["reason"] for e in out["ingest_errors"])
    assert time.perf_counter() - started < 20


def test_ocr_reads_at_most_its_page_budget(monkeypatch):
    monkeypatch.setitem(ocr_module.RULES, "max_pages", 0)
    out = run(FIXTURES / "ocr" / "scanned_page.pdf")
    assert out["result"].ocr_pages == 0
    assert "reads at most 0 pages" in out["ingest_errors"][0]["reason"]


def test_the_ocr_render_is_bounded():
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(HOSTILE / "huge-blank-page.pdf")
    scale = ocr_module.render_scale(doc[0])
    assert 14400 * scale <= ocr_module.RULES["max_side_px"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parent-death signals are Linux's")
def test_a_killed_ingest_leaves_no_workers_behind(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(6):
        (folder / f"s{i}.pdf").write_bytes((FIXTURES / "ocr" / "scanned_page.pdf").read_bytes() + f"%{i}\n".encode())
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "ingest", str(folder), "--db", str(tmp_path / "x.duckdb"),
                             "--workers", "2", "--no-progress"], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline, helpers = time.monotonic() + 30, set()
    while time.monotonic() < deadline and len(helpers) < 3:      # fork server and workers up
        helpers = descendants(proc.pid)
        time.sleep(0.2)
    assert len(helpers) >= 3
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(alive(p) for p in helpers):
        time.sleep(0.2)
    assert not [p for p in helpers if alive(p)]


def test_an_interrupted_quality_run_is_redone(tmp_path):
    db = tmp_path / "x.duckdb"
    ingest(SAMPLES, db, Options(workers=1, progress=False, quality="never"))
    con = duckdb.connect(str(db))
    Store(con).start_quality("killed-run")            # as a run killed during the suites leaves it
    con.close()
    summary = ingest(SAMPLES, db, Options(workers=1, progress=False))       # nothing changed
    assert summary.unchanged == 4
    assert rows(db, "SELECT count(*) > 0 FROM quality") == [(True,)]
    assert rows(db, "SELECT count(*) FROM meta WHERE key = 'quality_pending'") == [(0,)]


def test_quality_keeps_only_the_latest_runs(memdb):
    import datetime as dt

    store = memdb
    for i in range(Store.QUALITY_RUNS_KEPT + 3):
        store.write_quality(f"run{i}", [{"run_id": f"run{i}", "table_name": "facts", "expectation": "e",
                                         "column": None, "success": True, "unexpected_count": 0,
                                         "unexpected_sample": None, "rows_checked": 1,
                                         "checked_at": dt.datetime(2026, 1, 1) + dt.timedelta(hours=i)}])
    kept = [r[0] for r in memdb.con.execute("SELECT DISTINCT run_id FROM quality ORDER BY 1").fetchall()]
    assert len(kept) == Store.QUALITY_RUNS_KEPT and "run0" not in kept
