"""Inputs that move: a deleted source file is flagged `missing` (its figures and findings leave the
report), copies of one file under other names are recorded with every path, a moved file follows."""
from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from conftest import FIXTURES, SAMPLES
from pipeline.cli import main
from pipeline.ingest import Options, ingest
from pipeline.outputs.nightly import write_nightly

WITH_FINDINGS = FIXTURES / "hostile" / "hostile_text.pdf"      # one page, findings
SMALL = SAMPLES / "004_bde0c0f62c0d9a40.pdf"                   # four pages
OPTS = Options(workers=1, progress=False, quality="never")


def q(db: Path, sql: str, params=()):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


@pytest.fixture
def folder(tmp_path) -> Path:
    root = tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    shutil.copy(WITH_FINDINGS, root / "a.pdf")
    shutil.copy(SMALL, root / "b.pdf")
    return root


def test_a_deleted_file_is_missing_and_its_findings_leave_the_report(folder, tmp_path, capsys):
    db = tmp_path / "p.duckdb"
    ingest(folder, db, OPTS)
    doc = q(db, "SELECT doc_id FROM documents WHERE file_name = 'a.pdf'")[0][0]
    assert q(db, "SELECT count(*) FROM findings WHERE doc_id = ? AND outcome = 'mismatch'", [doc])[0][0] > 0
    (folder / "a.pdf").unlink()
    assert main(["ingest", str(folder), "--db", str(db), "--workers", "1", "--no-progress", "--quality", "never"]) == 0
    out, err = capsys.readouterr()
    assert ", 1 missing |" in out and f"missing: {folder / 'a.pdf'}: no longer there" in err
    status, error = q(db, "SELECT status, error FROM documents WHERE doc_id = ?", [doc])[0]
    assert status == "missing" and "no longer at" in error and str(folder / "a.pdf") in error
    for table in ("facts", "findings", "amounts", "pages"):
        assert q(db, f"SELECT count(*) FROM {table} WHERE doc_id = ?", [doc])[0][0] == 0, table
    assert q(db, "SELECT present FROM document_paths WHERE doc_id = ?", [doc]) == [(False,)]
    assert q(db, "SELECT count(*) FROM open_findings WHERE doc_id = ?", [doc])[0][0] == 0
    assert q(db, "SELECT files_missing FROM runs ORDER BY started_at DESC LIMIT 1") == [(1,)]
    con = duckdb.connect(str(db))                    # the report writes its history
    try:
        written = write_nightly(con, tmp_path / "reports")
    finally:
        con.close()
    assert all(f["doc_id"] != doc for f in written.data.findings) and written.data.counts["missing"] == 1
    html = (written.folder / "index.html").read_text(encoding="utf-8")
    assert 'id="missing"' in html and "a.pdf" in html.split('id="missing"')[1]
    # it comes back: read again, ok
    shutil.copy(WITH_FINDINGS, folder / "a.pdf")
    summary = ingest(folder, db, OPTS)
    assert summary.reread == 1 and summary.missing == 0
    assert q(db, "SELECT status FROM documents WHERE doc_id = ?", [doc]) == [("ok",)]
    assert q(db, "SELECT count(*) FROM findings WHERE doc_id = ?", [doc])[0][0] > 0


def test_copies_under_other_names_are_recorded_with_every_path(folder, tmp_path):
    db = tmp_path / "c.duckdb"
    shutil.copy(WITH_FINDINGS, folder / "sub" / "copy of a.pdf")
    summary = ingest(folder, db, OPTS)
    assert summary.seen == 3 and summary.unchanged == 1            # the copy is read once
    doc = q(db, "SELECT doc_id FROM document_paths WHERE file_name = 'a.pdf'")[0][0]
    assert q(db, "SELECT path, present FROM document_paths WHERE doc_id = ? ORDER BY path", [doc]) == [
        (str(folder / "a.pdf"), True), (str(folder / "sub" / "copy of a.pdf"), True)]
    # one copy deleted: the document stays ok and its path follows the copy that is left
    (folder / "a.pdf").unlink()
    assert ingest(folder, db, OPTS).missing == 0
    assert q(db, "SELECT status, path, file_name FROM documents WHERE doc_id = ?", [doc]) == [
        ("ok", str(folder / "sub" / "copy of a.pdf"), "copy of a.pdf")]
    assert q(db, "SELECT count(*) FROM findings WHERE doc_id = ?", [doc])[0][0] > 0
    # the last copy deleted: missing
    (folder / "sub" / "copy of a.pdf").unlink()
    assert ingest(folder, db, OPTS).missing == 1
    assert q(db, "SELECT status FROM documents WHERE doc_id = ?", [doc]) == [("missing",)]


def test_a_changed_file_keeps_the_old_content_a_copy_still_holds(folder, tmp_path):
    db = tmp_path / "k.duckdb"
    shutil.copy(WITH_FINDINGS, folder / "sub" / "twin.pdf")
    ingest(folder, db, OPTS)
    old = q(db, "SELECT doc_id FROM document_paths WHERE file_name = 'a.pdf'")[0][0]
    (folder / "a.pdf").write_bytes(WITH_FINDINGS.read_bytes() + b"\n% edited\n")   # other bytes
    summary = ingest(folder, db, OPTS)
    assert summary.changed == 1 and summary.missing == 0
    assert q(db, "SELECT count(*) FROM documents WHERE status = 'ok'") == [(3,)]
    assert q(db, "SELECT status, file_name FROM documents WHERE doc_id = ?", [old]) == [("ok", "twin.pdf")]
    assert q(db, "SELECT count(*) FROM facts WHERE doc_id = ?", [old])[0][0] > 0


def test_an_ingest_of_another_folder_marks_nothing_missing(folder, tmp_path):
    db = tmp_path / "o.duckdb"
    ingest(folder, db, OPTS)
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(SAMPLES / "003_7b98f24135c041f8.pdf", other / "c.pdf")
    assert ingest(other, db, OPTS).missing == 0
    assert q(db, "SELECT count(*) FROM documents WHERE status = 'missing'") == [(0,)]
    assert q(db, "SELECT count(*) FROM document_paths WHERE present") == [(3,)]
